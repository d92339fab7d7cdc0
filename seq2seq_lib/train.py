"""The course's training loop and evaluation function.

``fit`` is the loop that notebook 01 writes by hand, plus a progress bar, a history, devices,
validation, optional gradient clipping and callbacks. A batch is a tuple ``(*inputs, target)``
and the model is called as ``model(*inputs)``; a different convention is one ``step`` function away.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import torch
from torch import nn
from tqdm.auto import tqdm

__all__ = ["default_step", "fit", "evaluate"]

Batch = Any
Step = Callable[[nn.Module, Batch], tuple[torch.Tensor, torch.Tensor]]
Metric = Callable[[torch.Tensor, torch.Tensor], float]
Callback = Callable[[int, dict[str, float]], bool | None]


def default_step(model: nn.Module, batch: Sequence[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """Run ``model(*inputs)`` on a batch ``(*inputs, target)``; return ``(output, target)``."""
    if not isinstance(batch, (tuple, list)) or len(batch) < 2:
        raise TypeError("a batch must be a tuple (*inputs, target); pass step=... for other layouts")
    *inputs, target = batch
    return model(*inputs), target


def _to_device(batch: Batch, device: torch.device) -> Batch:
    if isinstance(batch, torch.Tensor):
        return batch.to(device)
    if isinstance(batch, (tuple, list)):
        return type(batch)(_to_device(b, device) for b in batch)
    return batch


def _size(target: torch.Tensor) -> int:
    return len(target) if isinstance(target, torch.Tensor) and target.dim() > 0 else 1


def _check_common(model: nn.Module, loss_fn: Callable, metrics: Mapping[str, Metric] | None) -> None:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not callable(loss_fn):
        raise TypeError("loss_fn must be callable: loss_fn(output, target) -> scalar tensor")
    if metrics is not None and not all(callable(m) for m in dict(metrics).values()):
        raise TypeError("metrics must map names to callables metric(output, target) -> float")


@torch.no_grad()
def evaluate(model: nn.Module, data: Iterable[Batch], loss_fn: Callable | None = None,
             metrics: Mapping[str, Metric] | None = None, *, step: Step = default_step,
             device: torch.device | str | None = None) -> dict[str, float]:
    """Average loss and metrics over ``data`` in eval mode (batches weighted by their size)."""
    _check_common(model, loss_fn or (lambda o, t: 0), metrics)
    device = torch.device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    sums: dict[str, float] = {}
    n = 0
    for batch in data:
        output, target = step(model, _to_device(batch, device))
        k = _size(target)
        values = {name: m(output, target) for name, m in (metrics or {}).items()}
        if loss_fn is not None:
            values["loss"] = loss_fn(output, target).item()
        for name, v in values.items():
            sums[name] = sums.get(name, 0.0) + float(v) * k
        n += k
    model.train(was_training)
    if n == 0:
        raise ValueError("data yielded no batches")
    return {name: s / n for name, s in sums.items()}


def fit(model: nn.Module, train_data: Iterable[Batch], loss_fn: Callable, optimizer: torch.optim.Optimizer, *,
        epochs: int, val_data: Iterable[Batch] | None = None, metrics: Mapping[str, Metric] | None = None,
        step: Step = default_step, clip_grad_norm: float | None = None, callbacks: Sequence[Callback] = (),
        scheduler: torch.optim.lr_scheduler.LRScheduler | None = None, device: torch.device | str | None = None,
        progress: bool = True, desc: str = "Entrenando") -> dict[str, list[float]]:
    """Train ``model`` for ``epochs`` and return the history ``{"train_loss": [...], "val_acc": [...], …}``.

    Every epoch logs ``train_loss`` and ``train_<metric>`` (measured on the training batches as they
    pass), and ``val_loss`` / ``val_<metric>`` when ``val_data`` is given. Each callback is called as
    ``callback(epoch, logs)`` after an epoch; returning ``True`` stops training. A ``scheduler`` (for
    example ``OneCycleLR``) is stepped after every optimizer step, that is once per batch; a scheduler
    meant to step once per epoch goes in a callback instead.
    """
    _check_common(model, loss_fn, metrics)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be an int >= 1, got {epochs!r}")
    if clip_grad_norm is not None and not clip_grad_norm > 0:
        raise ValueError(f"clip_grad_norm must be positive or None, got {clip_grad_norm!r}")
    if not hasattr(optimizer, "step") or not hasattr(optimizer, "zero_grad"):
        raise TypeError(f"optimizer must be a torch optimizer, got {type(optimizer).__name__}")
    if scheduler is not None and not hasattr(scheduler, "step"):
        raise TypeError(f"scheduler must be a torch learning-rate scheduler, got {type(scheduler).__name__}")
    device = torch.device(device) if device is not None else next(model.parameters()).device
    model.to(device)
    history: dict[str, list[float]] = {}
    n_batches = len(train_data) if hasattr(train_data, "__len__") else None
    bar = tqdm(total=epochs * n_batches if n_batches else None, desc=desc, unit="lote", disable=not progress)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        sums, n = {"loss": 0.0}, 0
        for batch in train_data:
            output, target = step(model, _to_device(batch, device))
            loss = loss_fn(output, target)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if clip_grad_norm is not None:
                nn.utils.clip_grad_norm_(model.parameters(), clip_grad_norm)
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            k = _size(target)
            sums["loss"] += loss.item() * k
            with torch.no_grad():
                for name, m in (metrics or {}).items():
                    sums[name] = sums.get(name, 0.0) + float(m(output, target)) * k
            n += k
            bar.set_postfix({"época": f"{epoch}/{epochs}", "pérdida": f"{sums['loss'] / n:.4g}"}, refresh=False)
            bar.update()
        if n == 0:
            raise ValueError("train_data yielded no batches")
        logs = {f"train_{name}": s / n for name, s in sums.items()}
        if val_data is not None:
            val = evaluate(model, val_data, loss_fn, metrics, step=step, device=device)
            logs.update({f"val_{name}": v for name, v in val.items()})
        for name, v in logs.items():
            history.setdefault(name, []).append(v)
        if any([cb(epoch, logs) for cb in callbacks]):
            break
    bar.close()
    if progress:  # a plain line that stays readable where the widget is not rendered (GitHub, nbviewer)
        print(f"{desc}: {epoch} épocas en {time.perf_counter() - start:.1f} s · "
              + " · ".join(f"{name} {v:.4g}" for name, v in logs.items()))
    return history
