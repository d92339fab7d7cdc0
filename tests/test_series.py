"""Unit tests of seq2seq_lib.series and seq2seq_lib.forecast (notebooks 03–04)."""

import math

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from seq2seq_lib.forecast import (mae, mae_by_horizon, naive_forecast, plot_error_by_horizon,  # noqa: E402
                                  plot_forecast, seasonal_naive_forecast)
from seq2seq_lib.series import (StandardScaler, WindowDataset, demand_series, make_windows,  # noqa: E402
                                ramp_series, time_split)


# --- generators ----------------------------------------------------------------------------------
def test_ramp_series_values_and_errors():
    assert ramp_series(5).tolist() == [0, 1, 2, 3, 4] and ramp_series(3, 1500).tolist() == [1500, 1501, 1502]
    assert ramp_series(4).dtype == torch.float32
    with pytest.raises(ValueError, match="n must"):
        ramp_series(0)
    with pytest.raises(TypeError, match="n must"):
        ramp_series(2.5)
    with pytest.raises(TypeError, match="start"):
        ramp_series(3, "0")


def test_demand_series_is_seeded_and_noise_is_known():
    a, b, c = demand_series(730, seed=1), demand_series(730, seed=1), demand_series(730, seed=2)
    assert a.values.shape == a.clean.shape == (730,) and a.period == 7
    assert torch.equal(a.values, b.values) and not torch.equal(a.values, c.values)
    noise = a.values - a.clean
    assert abs(noise.std().item() - a.noise_std) < 0.15 * a.noise_std
    assert abs(noise.abs().mean().item() - a.noise_floor_mae) < 0.15 * a.noise_floor_mae
    assert a.noise_floor_mae == pytest.approx(a.noise_std * math.sqrt(2 / math.pi))
    week = a.clean[7:] - a.clean[:-7]              # the weekly cycle cancels: only trend and yearly cycle remain
    assert week.abs().max() < 5 and (a.clean[1:] - a.clean[:-1]).abs().max() > 5
    assert torch.equal(demand_series(100, noise_std=0.0).values, demand_series(100, noise_std=0.0).clean)


def test_demand_series_errors():
    with pytest.raises(ValueError, match="n_days"):
        demand_series(10)
    with pytest.raises(TypeError, match="n_days"):
        demand_series(100.0)
    with pytest.raises(ValueError, match="noise_std"):
        demand_series(100, noise_std=-1)


# --- time split ----------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [3, 10, 101, 2190])
def test_time_split_is_ordered_disjoint_and_complete(n):
    train, val, test = time_split(n, 0.2, 0.2) if n < 10 else time_split(n)
    assert list(train) + list(val) + list(test) == list(range(n))       # complete, in order, no overlap
    assert max(train) < min(val) and max(val) < min(test)
    assert not set(train) & set(val) and not set(val) & set(test) and not set(train) & set(test)


def test_time_split_errors():
    with pytest.raises(ValueError, match="val_fraction"):
        time_split(100, val_fraction=0)
    with pytest.raises(ValueError, match="test_fraction"):
        time_split(100, test_fraction=1.2)
    with pytest.raises(ValueError, match="empty split"):
        time_split(4, 0.1, 0.1)
    with pytest.raises(ValueError, match="n must"):
        time_split(2)


# --- windows -------------------------------------------------------------------------------------
def test_make_windows_shapes_and_values():
    x, y, index = make_windows(ramp_series(10), window=3, horizon=2)
    assert x.shape == (6, 3, 1) and y.shape == (6, 2) and index.tolist() == [3, 4, 5, 6, 7, 8]
    assert x[0, :, 0].tolist() == [0, 1, 2] and y[0].tolist() == [3, 4]
    assert x[-1, :, 0].tolist() == [5, 6, 7] and y[-1].tolist() == [8, 9]
    assert torch.equal(y[:, 0], index.float())                          # the ramp's value is its index


def test_window_targets_of_a_time_split_are_disjoint_and_in_order():
    series = ramp_series(500)
    splits = time_split(500)
    sets = [WindowDataset(series, 20, 5, r) for r in splits]
    covered = []
    for ds, r in zip(sets, splits):
        targets = {int(v) for v in ds.targets.flatten()}                # ramp values are the time indices
        assert targets <= set(r), "a target lies outside its split"
        covered.append(targets)
        assert (ds.inputs[:, :, 0].max(dim=1).values < ds.targets.min(dim=1).values).all()  # inputs precede targets
    assert not covered[0] & covered[1] and not covered[1] & covered[2] and not covered[0] & covered[2]
    assert max(covered[0]) < min(covered[1]) and max(covered[1]) < min(covered[2])
    assert min(covered[1]) == splits[1].start and max(covered[2]) == 499  # the inputs may look back into train/val


def test_window_dataset_item_and_repr():
    ds = WindowDataset(ramp_series(20), 4)
    x, y = ds[0]
    assert len(ds) == 16 and x.shape == (4, 1) and y.shape == (1,) and y.item() == 4.0
    assert "16 ventanas" in repr(ds) and "T=4" in repr(ds)


def test_make_windows_errors():
    with pytest.raises(TypeError, match="series"):
        make_windows([1.0, 2.0, 3.0], 2)
    with pytest.raises(ValueError, match="series"):
        make_windows(torch.arange(10), 2)                                  # integer tensor
    with pytest.raises(ValueError, match="series"):
        make_windows(torch.zeros(4, 2), 2)
    with pytest.raises(ValueError, match="window must"):
        make_windows(ramp_series(10), 0)
    with pytest.raises(TypeError, match="horizon"):
        make_windows(ramp_series(10), 2, 1.5)
    with pytest.raises(ValueError, match="no window"):
        make_windows(ramp_series(10), 8, 3)
    with pytest.raises(TypeError, match="targets"):
        make_windows(ramp_series(10), 2, targets=(3, 8))


# --- scaler --------------------------------------------------------------------------------------
def test_standard_scaler_round_trip_and_statistics():
    x = ramp_series(101)
    scaler = StandardScaler().fit(x)
    z = scaler.transform(x)
    assert abs(z.mean().item()) < 1e-5 and abs(z.std().item() - 1) < 1e-5
    assert torch.allclose(scaler.inverse_transform(z), x, atol=1e-4)
    assert "media=50" in repr(scaler) and "sin ajustar" in repr(StandardScaler())
    small = StandardScaler(target_std=0.05).fit(x)
    assert abs(small.transform(x).std().item() - 0.05) < 1e-6
    assert torch.allclose(small.inverse_transform(small.transform(x)), x, atol=1e-3)


def test_standard_scaler_errors():
    with pytest.raises(ValueError, match="not fitted"):
        StandardScaler().transform(torch.zeros(3))
    with pytest.raises(ValueError, match="not fitted"):
        StandardScaler().inverse_transform(torch.zeros(3))
    with pytest.raises(ValueError, match="constant"):
        StandardScaler().fit(torch.ones(5))
    with pytest.raises(TypeError, match="x must"):
        StandardScaler().fit([1.0, 2.0])
    with pytest.raises(ValueError, match="target_std"):
        StandardScaler(target_std=0)


# --- metrics and baselines -----------------------------------------------------------------------
def test_mae_and_mae_by_horizon():
    p, t = torch.tensor([[1.0, 2.0], [3.0, 5.0]]), torch.tensor([[0.0, 2.0], [3.0, 2.0]])
    assert mae(p, t) == 1.0 and mae_by_horizon(p, t).tolist() == [0.5, 1.5]
    with pytest.raises(ValueError, match="same shape"):
        mae(torch.zeros(4, 1), torch.zeros(4))
    with pytest.raises(TypeError, match="tensors"):
        mae([1.0], torch.zeros(1))
    with pytest.raises(ValueError, match=r"\(B, H\)"):
        mae_by_horizon(torch.zeros(3), torch.zeros(3))


def test_naive_forecasts():
    x = torch.arange(10.0).reshape(1, 10, 1)                              # one window 0 … 9
    assert naive_forecast(x, 3).tolist() == [[9.0, 9.0, 9.0]]
    assert seasonal_naive_forecast(x, 4, 6).tolist() == [[6.0, 7.0, 8.0, 9.0, 6.0, 7.0]]
    assert seasonal_naive_forecast(x.squeeze(-1), 1).tolist() == [[9.0]]
    d = demand_series(200, noise_std=0.0, trend=0.0, yearly=0.0)         # a pure weekly cycle
    windows, targets, _ = make_windows(d.values, 14, 7)
    assert mae(seasonal_naive_forecast(windows, 7, 7), targets) < 1e-4 < mae(naive_forecast(windows, 7), targets)


def test_naive_forecast_errors():
    with pytest.raises(ValueError, match="windows"):
        naive_forecast(torch.zeros(5))
    with pytest.raises(TypeError, match="x must"):
        naive_forecast([[1.0]])
    with pytest.raises(ValueError, match="horizon"):
        naive_forecast(torch.zeros(2, 5), 0)
    with pytest.raises(ValueError, match="season"):
        seasonal_naive_forecast(torch.zeros(2, 5), 6)
    with pytest.raises(ValueError, match="horizon"):
        seasonal_naive_forecast(torch.zeros(2, 5), 2, -1)


# --- plots ---------------------------------------------------------------------------------------
def test_plot_forecast_and_errors():
    truth = torch.arange(10.0)
    ax = plot_forecast(truth, {"modelo": truth + 1}, start=5, history=torch.zeros(5))
    assert len(ax.lines) == 3 and ax.get_xlabel() == "día" and ax.get_legend() is not None
    plt.close("all")
    with pytest.raises(ValueError, match="truth"):
        plot_forecast(torch.zeros(2, 3), {"a": torch.zeros(2, 3)})
    with pytest.raises(TypeError, match="predictions"):
        plot_forecast(truth, {})
    with pytest.raises(ValueError, match="shape of truth"):
        plot_forecast(truth, {"a": torch.zeros(3)})


def test_plot_error_by_horizon_and_errors():
    ax = plot_error_by_horizon({"a": torch.ones(4), "b": [1.0, 2.0, 3.0, 4.0]}, floor=0.5)
    assert len(ax.lines) == 3 and "MAE" in ax.get_ylabel()
    plt.close("all")
    with pytest.raises(TypeError, match="errors"):
        plot_error_by_horizon({})
    with pytest.raises(ValueError, match="same horizon"):
        plot_error_by_horizon({"a": [1.0], "b": [1.0, 2.0]})
