"""Forecasting helpers for notebooks 03–04: the error metric, naive baselines and forecast plots."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.axes import Axes

__all__ = ["mae", "mae_by_horizon", "naive_forecast", "seasonal_naive_forecast", "plot_forecast",
           "plot_error_by_horizon"]


def _check_pair(prediction: torch.Tensor, target: torch.Tensor) -> None:
    if not isinstance(prediction, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("prediction and target must be tensors")
    if prediction.shape != target.shape:
        raise ValueError(f"prediction and target must have the same shape, got {tuple(prediction.shape)} "
                         f"and {tuple(target.shape)} (a (B, 1) against a (B,) would broadcast to (B, B))")


def mae(prediction: torch.Tensor, target: torch.Tensor) -> float:
    """Mean absolute error between two tensors of the same shape, in the target's units."""
    _check_pair(prediction, target)
    return (prediction - target).abs().mean().item()


def mae_by_horizon(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """MAE of each step ahead: ``(B, H)`` and ``(B, H)`` → ``(H,)``."""
    _check_pair(prediction, target)
    if prediction.dim() != 2:
        raise ValueError(f"prediction must be (B, H), got shape {tuple(prediction.shape)}")
    return (prediction - target).abs().mean(dim=0)


def _windows_2d(x: torch.Tensor) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a tensor of windows (B, T) or (B, T, 1), got {type(x).__name__}")
    if x.dim() == 3 and x.shape[-1] == 1:
        x = x.squeeze(-1)
    if x.dim() != 2:
        raise ValueError(f"x must be windows (B, T) or (B, T, 1), got shape {tuple(x.shape)}")
    return x


def naive_forecast(x: torch.Tensor, horizon: int = 1) -> torch.Tensor:
    """Persistence: repeat each window's last value; ``(B, T[, 1])`` → ``(B, H)``."""
    x = _windows_2d(x)
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be an int >= 1, got {horizon!r}")
    return x[:, -1:].expand(-1, horizon).clone()


def seasonal_naive_forecast(x: torch.Tensor, season: int, horizon: int = 1) -> torch.Tensor:
    """Repeat each window's last season: step ``h`` copies ``x[T - season + h % season]``; ``(B, T[, 1])`` → ``(B, H)``."""
    x = _windows_2d(x)
    if isinstance(season, bool) or not isinstance(season, int) or not 1 <= season <= x.shape[1]:
        raise ValueError(f"season must be an int in [1, T={x.shape[1]}], got {season!r}")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be an int >= 1, got {horizon!r}")
    index = x.shape[1] - season + torch.arange(horizon) % season  # (H,)
    return x[:, index]


def plot_forecast(truth: torch.Tensor, predictions: Mapping[str, torch.Tensor], *, start: int = 0,
                  history: torch.Tensor | None = None, ax: Axes | None = None, title: str = "Predicción frente a realidad",
                  xlabel: str = "día", ylabel: str = "demanda (unidades)") -> Axes:
    """Plot a true series ``(N,)`` (starting at step ``start``) and one or more predictions ``(N,)`` of it."""
    if not isinstance(truth, torch.Tensor) or truth.dim() != 1:
        raise ValueError(f"truth must be a 1-D tensor (N,), got {getattr(truth, 'shape', type(truth).__name__)}")
    if not isinstance(predictions, Mapping) or not predictions:
        raise TypeError("predictions must be a non-empty dict {name: tensor (N,)}")
    for name, p in predictions.items():
        if not isinstance(p, torch.Tensor) or p.shape != truth.shape:
            raise ValueError(f"prediction {name!r} must have the shape of truth {tuple(truth.shape)}, "
                             f"got {getattr(p, 'shape', type(p).__name__)}")
    ax = ax or plt.subplots(figsize=(11, 3.6))[1]
    steps = torch.arange(start, start + len(truth))
    if history is not None:
        ax.plot(torch.arange(start - len(history), start), history.cpu(), color="0.6", lw=1, label="historia")
    ax.plot(steps, truth.cpu(), color="k", lw=1.2, label="realidad")
    for name, p in predictions.items():
        ax.plot(steps, p.detach().cpu(), lw=1.2, label=name)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))   # outside: the lines fill the axes
    return ax


def plot_error_by_horizon(errors: Mapping[str, torch.Tensor | Sequence[float]], *, floor: float | None = None,
                          ax: Axes | None = None, unit: str = "unidades", step: str = "días") -> Axes:
    """One line per model: MAE ``(H,)`` against the step ahead ``1 … H``; ``floor`` draws the noise floor."""
    if not isinstance(errors, Mapping) or not errors:
        raise TypeError("errors must be a non-empty dict {name: MAE per step (H,)}")
    lengths = {len(e) for e in errors.values()}
    if len(lengths) != 1:
        raise ValueError(f"every error curve must have the same horizon H, got lengths {sorted(lengths)}")
    ax = ax or plt.subplots(figsize=(9, 3.8))[1]
    for name, e in errors.items():
        e = torch.as_tensor(e).detach().cpu()
        ax.plot(range(1, len(e) + 1), e, marker=".", label=name)
    if floor is not None:
        ax.axhline(floor, color="k", ls="--", lw=1, label="suelo de ruido (modelo perfecto)")
    ax.set(xlabel=f"pasos hacia adelante ({step})", ylabel=f"MAE ({unit})", title="Error según el horizonte")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    return ax
