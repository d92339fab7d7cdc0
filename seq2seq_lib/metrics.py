"""Accuracy and the sequence loss shared by the notebooks."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .text import PAD_ID

__all__ = ["accuracy", "sequence_cross_entropy"]


def _check_pair(output: torch.Tensor, target: torch.Tensor) -> None:
    if not isinstance(output, torch.Tensor) or not isinstance(target, torch.Tensor):
        raise TypeError("output and target must be tensors")
    if output.dim() != target.dim() + 1 or output.shape[:-1] != target.shape:
        raise ValueError(f"output must have shape target.shape + (C,): got output {tuple(output.shape)} "
                         f"and target {tuple(target.shape)}")
    if target.dtype != torch.long:
        raise TypeError(f"target must hold class ids (torch.long), got {target.dtype}")


def accuracy(output: torch.Tensor, target: torch.Tensor, ignore_index: int | None = None) -> float:
    """Fraction of positions where ``output.argmax(-1) == target``: ``(…, C)`` scores vs ``(…)`` ids.

    Positions whose target equals ``ignore_index`` (e.g. ``PAD_ID``) are not counted.
    """
    _check_pair(output, target)
    correct = output.argmax(dim=-1) == target
    if ignore_index is not None:
        keep = target != ignore_index
        if not keep.any():
            raise ValueError("every target equals ignore_index: there is nothing to score")
        return correct[keep].float().mean().item()
    return correct.float().mean().item()


def sequence_cross_entropy(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = PAD_ID) -> torch.Tensor:
    """Mean cross-entropy over the positions that are not ``ignore_index``: logits ``(…, V)``, target ``(…)``."""
    _check_pair(logits, target)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=ignore_index)
