"""Measuring how gradients flow back through time in a recurrent layer."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

__all__ = ["hidden_gradient_norms"]


def hidden_gradient_norms(rnn: nn.RNNBase, x: torch.Tensor,
                          readout: Callable[[torch.Tensor], torch.Tensor]) -> torch.Tensor:
    """Return ``‖∂L/∂h_t‖`` for every step t (mean over the batch): shape ``(T,)``.

    ``rnn`` is an ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` with ``batch_first=True`` (one direction);
    ``x`` is ``(B, T, I)``; ``readout`` maps the last output ``(B, H)`` to the scalar loss ``L``.
    The layer is stepped one time step at a time so that every ``h_t`` is a node of the graph.
    """
    if not isinstance(rnn, nn.RNNBase):
        raise TypeError(f"rnn must be nn.RNN, nn.LSTM or nn.GRU, got {type(rnn).__name__}")
    if not rnn.batch_first or rnn.bidirectional:
        raise ValueError("rnn must be built with batch_first=True and bidirectional=False")
    if not isinstance(x, torch.Tensor) or x.dim() != 3 or x.shape[-1] != rnn.input_size:
        raise ValueError(f"x must have shape (B, T, {rnn.input_size}), got "
                         f"{tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__}")
    state, hidden = None, []
    with torch.enable_grad():
        for t in range(x.shape[1]):
            _, state = rnn(x[:, t : t + 1], state)
            hidden.append(state[0] if isinstance(state, tuple) else state)  # h_t of every layer: (L, B, H)
        loss = readout(hidden[-1][-1])  # the top layer's last state, (B, H), equals output[:, -1]
        if not isinstance(loss, torch.Tensor) or loss.dim() != 0:
            raise ValueError("readout must return a scalar tensor (the loss)")
        grads = torch.autograd.grad(loss, hidden)
    return torch.stack([g[-1].norm(dim=-1).mean() for g in grads]).detach()  # (T,)
