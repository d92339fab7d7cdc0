"""seq2seq_lib.anomaly: window generator, anomaly injection, ROC curve, AUC, threshold, plots."""

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from seq2seq_lib.anomaly import (ANOMALY_KINDS, KIND_NAMES_ES, anomaly_set, anomaly_splits,  # noqa: E402
                                 best_threshold, inject_anomaly, normal_windows, plot_roc, plot_score_histograms,
                                 precision_recall, roc_auc, roc_curve)


def test_normal_windows_shape_scale_and_reproducibility():
    x = normal_windows(200, 48, seed=0)
    assert x.shape == (200, 48) and x.dtype == torch.float32
    assert 0.3 < x.std() < 1.2 and abs(x.mean()) < 0.1
    assert torch.equal(x, normal_windows(200, 48, seed=0))
    assert not torch.equal(x, normal_windows(200, 48, seed=1))
    with pytest.raises(ValueError):
        normal_windows(3, 4)
    with pytest.raises(ValueError):
        normal_windows(3, 48, noise_std=-1.0)
    with pytest.raises(TypeError):
        normal_windows(3.0, 48)


@pytest.mark.parametrize("kind", ANOMALY_KINDS)
def test_each_anomaly_changes_the_window(kind):
    g = torch.Generator().manual_seed(0)
    w = normal_windows(1, 48, seed=0)[0]
    a = inject_anomaly(w, kind, g)
    assert a.shape == w.shape and not torch.equal(a, w)
    assert torch.equal(a[:9], w[:9])                          # anomalies start after 20 % of the window
    assert torch.equal(w, normal_windows(1, 48, seed=0)[0])   # the input is not modified


def test_specific_anomalies():
    g = torch.Generator().manual_seed(1)
    w = normal_windows(1, 48, seed=2)[0]
    assert ((inject_anomaly(w, "spike", g) - w).abs() > 1.9).sum() == 1
    d = inject_anomaly(w, "level_shift", g) - w
    nz = d[d != 0]
    assert len(nz) > 10 and torch.allclose(nz, nz[0].expand_as(nz)) and nz.abs()[0] >= 0.8
    flat = inject_anomaly(w, "flatline", g)
    runs = max(len(list(grp)) for _, grp in itertools.groupby(flat.tolist()))
    assert runs >= 9


def test_inject_anomaly_rejects_bad_input():
    g = torch.Generator().manual_seed(0)
    with pytest.raises(ValueError):
        inject_anomaly(torch.zeros(48), "earthquake", g)
    with pytest.raises(ValueError):
        inject_anomaly(torch.zeros(2, 48), "spike", g)


def test_anomaly_set_and_splits():
    s = anomaly_set(30, 20, 48, seed=0)
    assert s.x.shape == (50, 48) and len(s) == 50 and int(s.y.sum()) == 20
    assert all((k == "normal") == (y == 0) for k, y in zip(s.kinds, s.y.tolist()))
    assert {k for k in s.kinds if k != "normal"} == set(ANOMALY_KINDS)
    train, val, test = anomaly_splits(100, 40, 60, 48, seed=0)
    assert train.shape == (100, 48) and len(val) == 40 and len(test) == 60 and int(test.y.sum()) == 30
    rows = {tuple(r.tolist()) for r in train} | {tuple(r.tolist()) for r in val.x}
    assert not rows & {tuple(r.tolist()) for r in test.x}     # held-out windows never seen
    with pytest.raises(ValueError):
        anomaly_splits(10, 10, 10, anomaly_fraction=1.0)
    with pytest.raises(ValueError):
        anomaly_set(0, 0)
    with pytest.raises(ValueError):
        anomaly_set(5, 5, kinds=["earthquake"])
    assert set(KIND_NAMES_ES) == {"normal", *ANOMALY_KINDS}


def test_roc_auc_matches_pairwise_probability_with_ties():
    g = torch.Generator().manual_seed(0)
    labels = (torch.rand(300, generator=g) < 0.3).long()
    scores = (torch.randn(300, generator=g) + labels).round(decimals=1)
    a, n = scores[labels == 1].unsqueeze(1), scores[labels == 0].unsqueeze(0)
    expected = ((a > n).float() + 0.5 * (a == n).float()).mean().item()
    assert roc_auc(scores, labels) == pytest.approx(expected, abs=1e-6)
    assert roc_auc(torch.tensor([0.1, 0.2, 0.9, 0.8]), torch.tensor([0, 0, 1, 1])) == 1.0
    assert roc_auc(torch.tensor([0.9, 0.8, 0.1, 0.2]), torch.tensor([0, 0, 1, 1])) == 0.0
    assert roc_auc(torch.ones(4), torch.tensor([0, 1, 0, 1])) == 0.5


def test_roc_curve_endpoints_and_monotonicity():
    fpr, tpr, thr = roc_curve(torch.tensor([0.3, 0.1, 0.7, 0.7, 0.2]), torch.tensor([0, 0, 1, 0, 1]))
    assert fpr[0] == 0 and tpr[0] == 0 and fpr[-1] == 1 and tpr[-1] == 1
    assert (fpr.diff() >= 0).all() and (tpr.diff() >= 0).all() and (thr.diff() < 0).all()
    assert len(thr) == 5                                      # +inf and the four distinct scores
    with pytest.raises(ValueError):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([1, 1]))
    with pytest.raises(ValueError):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([0, 2]))
    with pytest.raises(ValueError):
        roc_curve(torch.tensor([0.1, 0.2]), torch.tensor([0, 1, 1]))
    with pytest.raises(TypeError):
        roc_curve([0.1, 0.2], torch.tensor([0, 1]))


def test_precision_recall_and_best_threshold():
    scores = torch.tensor([0.1, 0.2, 0.3, 0.6, 0.7, 0.8])
    labels = torch.tensor([0, 0, 1, 0, 1, 1])
    assert precision_recall(scores, labels, 0.5) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert precision_recall(scores, labels, 0.75) == (1.0, pytest.approx(1 / 3))
    assert precision_recall(scores, labels, 5.0) == (0.0, 0.0)
    t = best_threshold(scores, labels)
    p, r = precision_recall(scores, labels, t)
    assert t == pytest.approx(0.3) and 2 * p * r / (p + r) == pytest.approx(6 / 7)   # flags 0.3 and up: P = 3/4, R = 1
    separable = torch.tensor([0.1, 0.2, 0.8, 0.9])
    assert precision_recall(separable, torch.tensor([0, 0, 1, 1]),
                            best_threshold(separable, torch.tensor([0, 0, 1, 1]))) == (1.0, 1.0)


def test_plots_draw_and_validate():
    s = anomaly_set(20, 10, 32, seed=0)
    scores = s.y.float() + 0.1 * torch.rand(30) + 0.01
    ax = plot_roc({"todas": (scores, s.y)})
    assert "AUC" in ax.get_legend().get_texts()[0].get_text()
    ax = plot_score_histograms(scores, s.kinds, threshold=0.5)
    assert ax.get_xscale() == "log"
    plt.close("all")
    with pytest.raises(ValueError):
        plot_roc({})
    with pytest.raises(ValueError):
        plot_score_histograms(scores, s.kinds[:3])
