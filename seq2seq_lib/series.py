"""Time series for notebooks 03–04: generators, time splits, sliding windows and a scaler.

A series is a 1-D float tensor ``(N,)``. A window pairs ``T`` consecutive values (the input) with the
``H`` values that follow (the target); windows are built at once with ``Tensor.unfold``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch.utils.data import Dataset

from .core import check_int

__all__ = ["ramp_series", "DemandSeries", "demand_series", "time_split", "make_windows", "WindowDataset",
           "StandardScaler"]


def _check_series(series: object, name: str = "series") -> torch.Tensor:
    if not isinstance(series, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(series).__name__}")
    if series.dim() != 1 or not series.is_floating_point():
        raise ValueError(f"{name} must be a 1-D float tensor (N,), got shape {tuple(series.shape)} "
                         f"and dtype {series.dtype}")
    return series


def ramp_series(n: int, start: float = 0.0) -> torch.Tensor:
    """The classic ramp ``start, start + 1, …, start + n - 1`` as a float tensor ``(n,)``."""
    check_int(n, "n", 1)
    if isinstance(start, bool) or not isinstance(start, (int, float)):
        raise TypeError(f"start must be a number, got {type(start).__name__}")
    return torch.arange(n, dtype=torch.float32) + float(start)


@dataclass(frozen=True)
class DemandSeries:
    """A generated daily demand: ``values`` = ``clean`` + noise, both ``(N,)``; ``noise_std`` is known."""

    values: torch.Tensor
    clean: torch.Tensor
    noise_std: float
    period: int  # the short season, in steps (7: one week of days)

    @property
    def noise_floor_mae(self) -> float:
        """Expected MAE of a perfect model (it knows ``clean``): ``noise_std · sqrt(2/π)``."""
        return self.noise_std * math.sqrt(2 / math.pi)


def demand_series(n_days: int, *, seed: int = 0, level: float = 100.0, trend: float = 0.05,
                  weekly: float = 8.0, yearly: float = 30.0, noise_std: float = 2.0) -> DemandSeries:
    """Daily demand: level + linear trend + weekly cycle (two harmonics) + yearly cycle + Gaussian noise, ``(n_days,)``."""
    check_int(n_days, "n_days", 14)
    if not noise_std >= 0:
        raise ValueError(f"noise_std must be >= 0, got {noise_std!r}")
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(n_days, dtype=torch.float64)
    phase_w, phase_y = torch.rand(2, generator=g, dtype=torch.float64) * 2 * math.pi
    week = torch.sin(2 * math.pi * t / 7 + phase_w) + 0.5 * torch.sin(4 * math.pi * t / 7 + 2 * phase_w)
    year = torch.sin(2 * math.pi * t / 365.25 + phase_y)
    clean = level + trend * t + weekly * week + yearly * year
    noise = noise_std * torch.randn(n_days, generator=g, dtype=torch.float64)
    return DemandSeries((clean + noise).float(), clean.float(), float(noise_std), 7)


def time_split(n: int, val_fraction: float = 0.15, test_fraction: float = 0.15) -> tuple[range, range, range]:
    """Split the steps ``0 … n-1`` in time order into ``(train, val, test)`` ranges: no shuffling, no overlap."""
    check_int(n, "n", 3)
    for name, f in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 < f < 1:
            raise ValueError(f"{name} must be in (0, 1), got {f!r}")
    n_val, n_test = round(n * val_fraction), round(n * test_fraction)
    n_train = n - n_val - n_test
    if min(n_val, n_test, n_train) < 1:
        raise ValueError(f"n={n} with val_fraction={val_fraction}, test_fraction={test_fraction} leaves an empty split")
    return range(0, n_train), range(n_train, n_train + n_val), range(n_train + n_val, n)


def make_windows(series: torch.Tensor, window: int, horizon: int = 1,
                 targets: range | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """All windows: inputs ``(B, T, 1)``, targets ``(B, H)`` and the index of each first target ``(B,)``.

    With ``targets=range(a, b)`` only windows whose ``H`` targets all lie in ``[a, b)`` are kept; the
    inputs may look back before ``a`` (the past is known when we forecast).
    """
    series = _check_series(series)
    check_int(window, "window", 1)
    check_int(horizon, "horizon", 1)
    if targets is None:
        targets = range(window, len(series))
    if not isinstance(targets, range) or targets.step != 1:
        raise TypeError(f"targets must be a range with step 1 or None, got {targets!r}")
    first = max(targets.start, window)                            # the first target needs `window` steps before it
    last = min(targets.stop, len(series)) - horizon               # the last first-target index
    if last < first:
        raise ValueError(f"no window of window={window}, horizon={horizon} fits with targets in {targets} "
                         f"(series of length {len(series)})")
    chunks = series[first - window: last + horizon].unfold(0, window + horizon, 1)  # (B, T + H)
    index = torch.arange(first, last + 1)                          # (B,)
    return chunks[:, :window].unsqueeze(-1), chunks[:, window:], index


class WindowDataset(Dataset):
    """Sliding windows of a series as a ``Dataset``: item ``i`` is ``(x (T, 1), y (H,))``; see ``make_windows``."""

    def __init__(self, series: torch.Tensor, window: int, horizon: int = 1, targets: range | None = None):
        self.inputs, self.targets, self.target_index = make_windows(series, window, horizon, targets)

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.inputs[i], self.targets[i]

    def __repr__(self) -> str:
        (B, T, _), H = self.inputs.shape, self.targets.shape[1]
        return (f"WindowDataset({B} ventanas · entrada (T={T}, 1) · objetivo (H={H},) · primer objetivo en "
                f"t={self.target_index[0].item()}…{self.target_index[-1].item()})")


class StandardScaler:
    """``(x - mean) / std · target_std`` with the mean and std of the data passed to ``fit`` (training only).

    ``target_std=1`` is the usual standardisation; a smaller one (e.g. 0.05) keeps the values where
    tanh and the sigmoid are almost linear.
    """

    def __init__(self, target_std: float = 1.0) -> None:
        if isinstance(target_std, bool) or not isinstance(target_std, (int, float)) or not target_std > 0:
            raise ValueError(f"target_std must be a positive number, got {target_std!r}")
        self.target_std = float(target_std)
        self.mean: float | None = None
        self.std: float | None = None

    def fit(self, x: torch.Tensor) -> StandardScaler:
        """Learn mean and standard deviation of ``x`` (any shape); return ``self``."""
        if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.numel() < 2:
            raise TypeError(f"x must be a float tensor with at least 2 values, got {type(x).__name__}")
        std = x.std().item()
        if not std > 0:
            raise ValueError("x is constant: its standard deviation is 0 and cannot scale anything")
        self.mean, self.std = x.mean().item(), std
        return self

    def _fitted(self) -> tuple[float, float]:
        if self.mean is None or self.std is None:
            raise ValueError("the scaler is not fitted: call scaler.fit(training_data) first")
        return self.mean, self.std

    def transform(self, x: torch.Tensor) -> torch.Tensor:
        """Scale ``x`` (same shape)."""
        mean, std = self._fitted()
        return (x - mean) / std * self.target_std

    def inverse_transform(self, x: torch.Tensor) -> torch.Tensor:
        """Undo ``transform`` (same shape): back to the original units."""
        mean, std = self._fitted()
        return x / self.target_std * std + mean

    def __repr__(self) -> str:
        if self.mean is None:
            return "StandardScaler(sin ajustar)"
        return f"StandardScaler(media={self.mean:.4g}, std={self.std:.4g} → {self.target_std:g})"
