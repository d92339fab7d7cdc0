"""Helpers for recurrent layers on padded batches: masks, the last real step, packing, bidirectional states.

A padded batch is ``ids (B, T)`` plus ``lengths (B,)``; row ``b`` is real up to ``lengths[b] - 1`` and
``<pad>`` after. A bidirectional layer of hidden size H returns ``output (B, T, 2H)`` with the forward
direction in ``output[..., :H]`` and the backward one in ``output[..., H:]``, and ``h_n (L·2, B, H)``
ordered layer by layer, forward before backward: ``h_n[2 * layer + direction]``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

__all__ = ["length_mask", "last_real_step", "run_packed", "join_directions"]


def _check_lengths(lengths: torch.Tensor, batch: int | None = None, max_len: int | None = None) -> None:
    if not isinstance(lengths, torch.Tensor):
        raise TypeError(f"lengths must be a tensor of shape (B,), got {type(lengths).__name__}")
    if lengths.dim() != 1 or lengths.dtype.is_floating_point or lengths.dtype == torch.bool:
        raise ValueError(f"lengths must be a 1-D integer tensor (B,), got shape {tuple(lengths.shape)} "
                         f"and dtype {lengths.dtype}")
    if batch is not None and len(lengths) != batch:
        raise ValueError(f"lengths has {len(lengths)} entries but the batch has {batch} rows")
    if len(lengths) and int(lengths.min()) < 1:
        raise ValueError(f"every length must be >= 1, got {int(lengths.min())}")
    if max_len is not None and len(lengths) and int(lengths.max()) > max_len:
        raise ValueError(f"lengths go up to {int(lengths.max())} but there are only {max_len} time steps")


def length_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    """Boolean mask ``(B, T)``: True at the real steps ``t < lengths[b]``; T is ``max_len`` or ``lengths.max()``."""
    _check_lengths(lengths)
    if max_len is None:
        max_len = int(lengths.max())
    elif isinstance(max_len, bool) or not isinstance(max_len, int):
        raise TypeError(f"max_len must be an int or None, got {type(max_len).__name__}")
    _check_lengths(lengths, max_len=max_len)
    steps = torch.arange(max_len, device=lengths.device)  # (T,)
    return steps.unsqueeze(0) < lengths.unsqueeze(1)       # (B, T)


def last_real_step(output: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    """The vector at each row's last real step: ``output (B, T, D)``, ``lengths (B,)`` → ``(B, D)``."""
    if not isinstance(output, torch.Tensor) or output.dim() != 3:
        raise ValueError(f"output must be a (B, T, D) tensor, got {getattr(output, 'shape', type(output).__name__)}")
    _check_lengths(lengths, batch=output.shape[0], max_len=output.shape[1])
    rows = torch.arange(output.shape[0], device=output.device)     # (B,)
    return output[rows, lengths.to(output.device) - 1]              # (B, D)


def run_packed(rnn: nn.RNNBase, x: torch.Tensor, lengths: torch.Tensor, state=None):
    """Run ``rnn`` (``batch_first=True``) on a padded ``x (B, T, I)`` reading only the real steps.

    Returns ``(output, state)`` like the layer itself: ``output (B, T, D·H)`` with zeros at the padded
    steps, and ``h_n`` (or ``(h_n, c_n)``) taken at each row's last real step (forward) and first step
    (backward). Rows need not be sorted by length.
    """
    if not isinstance(rnn, nn.RNNBase):
        raise TypeError(f"rnn must be an nn.RNN, nn.LSTM or nn.GRU, got {type(rnn).__name__}")
    if not rnn.batch_first:
        raise ValueError("rnn must be built with batch_first=True, as everywhere in the course")
    if not isinstance(x, torch.Tensor) or x.dim() != 3:
        raise ValueError(f"x must be a (B, T, I) tensor, got {getattr(x, 'shape', type(x).__name__)}")
    _check_lengths(lengths, batch=x.shape[0], max_len=x.shape[1])
    packed = pack_padded_sequence(x, lengths.cpu(), batch_first=True, enforce_sorted=False)
    output, state = rnn(packed, state)
    output, _ = pad_packed_sequence(output, batch_first=True, total_length=x.shape[1])  # (B, T, D·H)
    return output, state


def join_directions(h_n: torch.Tensor) -> torch.Tensor:
    """Last layer's forward and backward final states side by side: ``h_n (L·2, B, H)`` → ``(B, 2H)``.

    After ``run_packed`` this is the forward state at each row's last real step next to the backward
    state at its first step, i.e. each direction after reading the whole real sequence.
    """
    if not isinstance(h_n, torch.Tensor) or h_n.dim() != 3:
        raise ValueError(f"h_n must be a (L·2, B, H) tensor, got {getattr(h_n, 'shape', type(h_n).__name__)}")
    if h_n.shape[0] % 2:
        raise ValueError(f"h_n has {h_n.shape[0]} rows: a bidirectional layer has two per layer (L·2); "
                         "for an LSTM pass h_n, not the tuple (h_n, c_n)")
    return torch.cat([h_n[-2], h_n[-1]], dim=-1)  # (B, 2H): forward, then backward
