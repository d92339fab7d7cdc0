"""Anomaly detection on time-series windows (notebook 05): a generator of normal and anomalous windows,
ROC curves, AUC, a threshold chosen on validation data, and the plots.

A window is ``T`` values of a noisy periodic sensor signal. Anomalous windows are normal ones with one
anomaly injected (see ``ANOMALY_KINDS``). Scores are "higher = more anomalous" (e.g. a reconstruction error).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import seaborn as sns
import torch
from matplotlib.axes import Axes

from .core import check_int

__all__ = ["ANOMALY_KINDS", "KIND_NAMES_ES", "normal_windows", "inject_anomaly", "AnomalySet", "anomaly_set",
           "anomaly_splits", "roc_curve", "roc_auc", "precision_recall", "best_threshold", "plot_roc",
           "plot_score_histograms"]

ANOMALY_KINDS = ("spike", "level_shift", "frequency", "flatline", "noise_burst")
KIND_NAMES_ES = {"normal": "normal", "spike": "pico", "level_shift": "cambio de nivel",
                 "frequency": "cambio de frecuencia", "flatline": "señal plana", "noise_burst": "ráfaga de ruido"}


def _uniform(g: torch.Generator, low: float, high: float, n: int | None = None):
    u = torch.rand(n if n is not None else 1, generator=g, dtype=torch.float64) * (high - low) + low
    return u if n is not None else u.item()


def normal_windows(n: int, length: int = 64, *, noise_std: float = 0.1, seed: int = 0) -> torch.Tensor:
    """``n`` normal windows ``(n, length)``: a periodic signal (period 12–20 steps, random phase, amplitude
    0.8–1.2, a second harmonic) plus Gaussian noise of std ``noise_std``."""
    check_int(n, "n", 0)
    check_int(length, "length", 8)
    if isinstance(noise_std, bool) or not isinstance(noise_std, (int, float)) or noise_std < 0:
        raise ValueError(f"noise_std must be a number >= 0, got {noise_std!r}")
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(length, dtype=torch.float64)                     # (T,)
    period = _uniform(g, 12, 20, n).unsqueeze(1)                      # (n, 1)
    phase = _uniform(g, 0, 2 * math.pi, n).unsqueeze(1)               # (n, 1)
    amp = _uniform(g, 0.8, 1.2, n).unsqueeze(1)                       # (n, 1)
    angle = 2 * math.pi * t / period + phase                          # (n, T)
    clean = amp * (torch.sin(angle) + 0.3 * torch.sin(2 * angle + 1.0))
    return (clean + noise_std * torch.randn(n, length, generator=g, dtype=torch.float64)).float()


def inject_anomaly(window: torch.Tensor, kind: str, g: torch.Generator) -> torch.Tensor:
    """A copy of ``window (T,)`` with one anomaly of ``kind`` (one of ``ANOMALY_KINDS``) at a random place."""
    if not isinstance(window, torch.Tensor) or window.dim() != 1 or not window.is_floating_point():
        raise ValueError(f"window must be a 1-D float tensor (T,), got {getattr(window, 'shape', type(window).__name__)}")
    if kind not in ANOMALY_KINDS:
        raise ValueError(f"kind must be one of {ANOMALY_KINDS}, got {kind!r}")
    x, T = window.clone(), len(window)
    start = int(_uniform(g, T * 0.2, T * 0.7))                        # where the anomaly begins
    span = int(_uniform(g, T * 0.2, T * 0.35))                        # how long it lasts (bursts, flat lines)
    end = min(T, start + span)
    sign = 1.0 if torch.rand(1, generator=g).item() < 0.5 else -1.0
    if kind == "spike":                                               # one or two points far off the curve
        x[start] += sign * _uniform(g, 2.0, 3.0)
    elif kind == "level_shift":                                       # the signal jumps and stays there
        x[start:] += sign * _uniform(g, 0.8, 1.2)
    elif kind == "frequency":                                         # the signal slows down: period ×1.7–2.5
        # Read the window itself on a slower clock from `start` on (linear interpolation between steps).
        src = start + torch.arange(T - start, dtype=torch.float64) * _uniform(g, 0.4, 0.6)   # (T - start,)
        lo = src.floor().long()
        frac = (src - lo).to(x.dtype)
        x[start:] = window[lo] * (1 - frac) + window[(lo + 1).clamp(max=T - 1)] * frac
    elif kind == "flatline":                                          # a stuck sensor: the last value, repeated
        x[start:end] = x[start]
    else:                                                             # noise_burst
        x[start:end] += _uniform(g, 0.4, 0.6) * torch.randn(end - start, generator=g).to(x.dtype)
    return x


@dataclass(frozen=True)
class AnomalySet:
    """Windows ``x (N, T)``, labels ``y (N,)`` (1 = anomalous) and the kind of each window (``"normal"`` or a kind)."""

    x: torch.Tensor
    y: torch.Tensor
    kinds: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.y)


def anomaly_set(n_normal: int, n_anomalous: int, length: int = 64, *, kinds: Sequence[str] = ANOMALY_KINDS,
                noise_std: float = 0.1, seed: int = 0) -> AnomalySet:
    """``n_normal`` normal windows and ``n_anomalous`` anomalous ones (kinds in turn), shuffled."""
    check_int(n_normal, "n_normal", 0)
    check_int(n_anomalous, "n_anomalous", 0)
    kinds = tuple(kinds)
    if not kinds or any(k not in ANOMALY_KINDS for k in kinds):
        raise ValueError(f"kinds must be a non-empty subset of {ANOMALY_KINDS}, got {kinds}")
    if n_normal + n_anomalous == 0:
        raise ValueError("ask for at least one window")
    g = torch.Generator().manual_seed(seed + 1)
    x = normal_windows(n_normal + n_anomalous, length, noise_std=noise_std, seed=seed)   # (N, T)
    labels = ["normal"] * n_normal + [kinds[i % len(kinds)] for i in range(n_anomalous)]
    for i in range(n_normal, len(labels)):
        x[i] = inject_anomaly(x[i], labels[i], g)
    order = torch.randperm(len(labels), generator=g)
    y = torch.tensor([label != "normal" for label in labels], dtype=torch.long)
    return AnomalySet(x[order], y[order], tuple(labels[i] for i in order.tolist()))


def anomaly_splits(n_train: int, n_val: int, n_test: int, length: int = 64, *, anomaly_fraction: float = 0.5,
                   noise_std: float = 0.1, seed: int = 0) -> tuple[torch.Tensor, AnomalySet, AnomalySet]:
    """Training windows (normal only) ``(n_train, T)``, and validation / test sets with ``anomaly_fraction``
    anomalous windows; each split comes from its own random stream, so no window is shared."""
    if not 0 < anomaly_fraction < 1:
        raise ValueError(f"anomaly_fraction must be in (0, 1), got {anomaly_fraction!r}")
    train = normal_windows(n_train, length, noise_std=noise_std, seed=3 * seed + 1_000)
    val_anom, test_anom = round(n_val * anomaly_fraction), round(n_test * anomaly_fraction)
    val = anomaly_set(n_val - val_anom, val_anom, length, noise_std=noise_std, seed=3 * seed + 2_000)
    test = anomaly_set(n_test - test_anom, test_anom, length, noise_std=noise_std, seed=3 * seed + 3_000)
    return train, val, test


def _check_scores(scores: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if not isinstance(scores, torch.Tensor) or not isinstance(labels, torch.Tensor):
        raise TypeError("scores and labels must be tensors")
    if scores.dim() != 1 or labels.shape != scores.shape:
        raise ValueError(f"scores and labels must be 1-D of the same length, got {tuple(scores.shape)} "
                         f"and {tuple(labels.shape)}")
    labels = labels.long()
    if not bool(((labels == 0) | (labels == 1)).all()):
        raise ValueError("labels must be 0 (normal) or 1 (anomalous)")
    if labels.sum() == 0 or labels.sum() == len(labels):
        raise ValueError("labels need both classes (some 0 and some 1) to draw a ROC curve")
    return scores.detach().double().cpu(), labels.cpu()


def roc_curve(scores: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(fpr, tpr, thresholds)``: flagging ``score >= thresholds[k]`` gives ``fpr[k]``, ``tpr[k]``.

    Thresholds are the distinct scores in decreasing order, after ``+inf`` (nothing flagged): ``(K + 1,)``.
    """
    scores, labels = _check_scores(scores, labels)
    order = torch.argsort(scores, descending=True)
    s, y = scores[order], labels[order]
    tp, fp = torch.cumsum(y, 0), torch.cumsum(1 - y, 0)             # counts flagged at each cut
    last_of_value = torch.ones_like(s, dtype=torch.bool)
    last_of_value[:-1] = s[1:] != s[:-1]                            # ties: cut only after the last equal score
    tp, fp, thr = tp[last_of_value], fp[last_of_value], s[last_of_value]
    zero = torch.zeros(1, dtype=tp.dtype)
    tpr = torch.cat([zero, tp]).double() / labels.sum()
    fpr = torch.cat([zero, fp]).double() / (1 - labels).sum()
    return fpr, tpr, torch.cat([torch.tensor([math.inf], dtype=torch.float64), thr])


def roc_auc(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """Area under the ROC curve (trapezoids): the probability that an anomalous window scores above a
    normal one, ties counting one half."""
    fpr, tpr, _ = roc_curve(scores, labels)
    return torch.trapezoid(tpr, fpr).item()


def precision_recall(scores: torch.Tensor, labels: torch.Tensor, threshold: float) -> tuple[float, float]:
    """Precision and recall of flagging ``score >= threshold`` as anomalous (precision 0 if nothing is flagged)."""
    scores, labels = _check_scores(scores, labels)
    flagged = scores >= threshold
    tp = int((flagged & (labels == 1)).sum())
    return (tp / int(flagged.sum()) if flagged.any() else 0.0), tp / int(labels.sum())


def best_threshold(scores: torch.Tensor, labels: torch.Tensor) -> float:
    """The threshold that maximises F1 on these (validation) scores; use it unchanged on test data."""
    fpr, tpr, thr = roc_curve(scores, labels)
    scores, labels = _check_scores(scores, labels)
    pos, neg = labels.sum().double(), (1 - labels).sum().double()
    tp, fp = tpr * pos, fpr * neg
    f1 = 2 * tp / (tp + fp + pos).clamp(min=1)                      # 2TP / (2TP + FP + FN)
    f1[0] = -1                                                      # +inf flags nothing
    return thr[int(torch.argmax(f1))].item()


def plot_roc(curves: Mapping[str, tuple[torch.Tensor, torch.Tensor]], *, ax: Axes | None = None,
             title: str = "Curva ROC") -> Axes:
    """One ROC curve per ``name → (scores, labels)``, with its AUC in the legend and the chance diagonal."""
    if not isinstance(curves, Mapping) or not curves:
        raise ValueError("curves must be a non-empty dict name -> (scores, labels)")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.8, 4.4))
    for name, (scores, labels) in curves.items():
        fpr, tpr, _ = roc_curve(scores, labels)
        ax.plot(fpr, tpr, label=f"{name} (AUC = {roc_auc(scores, labels):.3f})")
    ax.plot([0, 1], [0, 1], ls="--", color="0.5", label="azar (AUC = 0.5)")
    ax.set(xlabel="tasa de falsos positivos", ylabel="tasa de verdaderos positivos (exhaustividad)",
           title=title, xlim=(-0.01, 1.01), ylim=(-0.01, 1.01), aspect="equal")
    ax.legend(loc="lower right", fontsize=9)
    return ax


def plot_score_histograms(scores: torch.Tensor, kinds: Sequence[str], threshold: float | None = None, *,
                          ax: Axes | None = None, title: str = "Error de reconstrucción por tipo de ventana") -> Axes:
    """Histograms (log x axis) of ``scores`` grouped by window kind, with the chosen threshold as a line."""
    if not isinstance(scores, torch.Tensor) or scores.dim() != 1 or len(scores) != len(kinds):
        raise ValueError("scores must be a 1-D tensor with one score per entry of kinds")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    names = [KIND_NAMES_ES.get(k, k) for k in kinds]
    order = [KIND_NAMES_ES.get(k, k) for k in ("normal",) + ANOMALY_KINDS if k in set(kinds)]
    sns.histplot(x=scores.detach().cpu().numpy(), hue=names, hue_order=order, log_scale=True, element="step",
                 bins=40, ax=ax, common_norm=False, stat="count")
    if threshold is not None:
        ax.axvline(threshold, color="k", ls="--", lw=1.2)
        ax.annotate(" umbral", (threshold, 1), xycoords=("data", "axes fraction"), va="top", fontsize=9)
    ax.set(xlabel="error de reconstrucción (MSE por ventana, escala log)", ylabel="ventanas", title=title)
    return ax
