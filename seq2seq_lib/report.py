"""Reporting a notebook's key metrics so that readers see them and the benchmark collects them."""

from __future__ import annotations

import numbers

import torch

__all__ = ["METRICS_MIMETYPE", "report_metrics"]

METRICS_MIMETYPE = "application/vnd.seq2seq-lib.metrics+json"


def report_metrics(**metrics: float) -> None:
    """Show ``name = value`` lines and attach them as JSON so that ``benchmarks/run.py`` collects them."""
    if not metrics:
        raise ValueError("report_metrics needs at least one metric, e.g. report_metrics(val_acc=0.93)")
    clean: dict[str, float] = {}
    for name, value in metrics.items():
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"metric {name!r} must be a real number, got {type(value).__name__}")
        clean[name] = float(value)
    text = "\n".join(f"📊 {name} = {value:.4g}" for name, value in clean.items())
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # plain Python: just print
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display({METRICS_MIMETYPE: clean, "text/plain": text}, raw=True)
    else:
        print(text)
