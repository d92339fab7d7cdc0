"""The course's figure style, training curves and diagrams drawn in code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

__all__ = ["set_style", "plot_history", "draw_unrolled_rnn"]

# Spanish axis labels for the names the training loop logs.
_LABELS = {"loss": "pérdida", "acc": "exactitud", "accuracy": "exactitud"}
_SPLITS = {"train": "entrenamiento", "val": "validación"}


def set_style() -> None:
    """Set the course's matplotlib/seaborn style (call once, in the set-up cell)."""
    sns.set_theme(context="notebook", style="whitegrid", palette="deep")
    plt.rcParams.update({
        "figure.figsize": (7.0, 3.8), "figure.dpi": 100, "axes.titleweight": "bold",
        "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    })


def plot_history(history: Mapping[str, Sequence[float]], metrics: Sequence[str] | None = None, *,
                 logy: bool | None = None, title: str | None = None) -> Figure:
    """Plot ``train_*``/``val_*`` curves from ``fit``'s history: one panel per metric, loss first.

    ``logy=None`` puts the loss on a log scale when it spans more than a decade.
    """
    if not isinstance(history, Mapping) or not history:
        raise ValueError("history must be a non-empty dict such as the one fit() returns")
    names = sorted({k.split("_", 1)[1] for k in history if "_" in k and k.split("_", 1)[0] in _SPLITS},
                   key=lambda m: (m != "loss", m))
    metrics = list(metrics) if metrics is not None else names
    unknown = [m for m in metrics if m not in names]
    if not metrics or unknown:
        raise ValueError(f"metrics {unknown or metrics} not in history; available: {names}")
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.6), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for split, label in _SPLITS.items():
            values = history.get(f"{split}_{metric}")
            if values:
                ax.plot(range(1, len(values) + 1), values, label=label, marker="." if len(values) < 40 else None)
        values = [v for s in _SPLITS for v in history.get(f"{s}_{metric}", []) if v > 0]
        use_log = logy if logy is not None else (metric == "loss" and values and max(values) / min(values) > 10)
        if use_log:
            ax.set_yscale("log")
        ax.set(xlabel="época", ylabel=_LABELS.get(metric, metric) + (" (escala log)" if use_log else ""),
               title=_LABELS.get(metric, metric).capitalize())
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def _box(ax: Axes, x: float, y: float, text: str, color: str) -> None:
    ax.add_patch(FancyBboxPatch((x - 0.32, y - 0.22), 0.64, 0.44, boxstyle="round,pad=0.04",
                                facecolor=color, edgecolor="0.25", linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=12)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], color: str = "0.25") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=14, color=color, linewidth=1.4))


def draw_unrolled_rnn(steps: int = 4, outputs: str = "all", *, ax: Axes | None = None,
                      title: str | None = None) -> Axes:
    """Draw a recurrent network unrolled over ``steps`` time steps.

    ``outputs="all"`` draws an output at every step (muchos-a-muchos); ``"last"`` only at the end
    (muchos-a-uno). The same weights are used at every step, which the figure states.
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 8:
        raise ValueError(f"steps must be an int between 1 and 8, got {steps!r}")
    if outputs not in ("all", "last"):
        raise ValueError(f"outputs must be 'all' or 'last', got {outputs!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * steps + 1.6, 3.4))
    colors = sns.color_palette("pastel")
    _box(ax, -0.9, 1, "$h_0$", "white")
    for t in range(1, steps + 1):
        x = 1.6 * (t - 1) + 0.6
        _box(ax, x, 0, f"$x_{t}$", colors[0])
        _box(ax, x, 1, f"$h_{t}$", colors[1])
        _arrow(ax, (x, 0.22), (x, 0.76))
        _arrow(ax, (x - 1.6 + 0.34 if t > 1 else -0.56, 1), (x - 0.34, 1), color="C3")
        if outputs == "all" or t == steps:
            _box(ax, x, 2, f"$y_{t}$", colors[2])
            _arrow(ax, (x, 1.24), (x, 1.76))
    ax.text(1.6 * (steps - 1) / 2 + 0.6, -0.55, "los mismos pesos $W_{ih}, W_{hh}, b$ en cada paso de tiempo",
            ha="center", fontsize=10, color="0.3")
    ax.set(xlim=(-1.4, 1.6 * (steps - 1) + 1.1), ylim=(-0.8, 2.5), aspect="equal",
           title=title or ("RNN desenrollada: " + ("una salida por paso" if outputs == "all" else "una salida al final")))
    ax.axis("off")
    return ax
