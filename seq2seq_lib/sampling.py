"""Sampling from a language model's scores, with temperature."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from .text import EOS_ID, SOS_ID, Vocab

__all__ = ["sample_from_logits", "generate"]


def sample_from_logits(logits: torch.Tensor, temperature: float = 1.0,
                       generator: torch.Generator | None = None) -> torch.Tensor:
    """Draw one id per row from ``softmax(logits / temperature)``: ``(…, V)`` → ``(…)``.

    ``temperature=0`` picks the arg max (greedy); below 1 sharpens, above 1 flattens.
    """
    if not isinstance(logits, torch.Tensor) or logits.dim() == 0:
        raise TypeError("logits must be a tensor of shape (..., V)")
    if not isinstance(temperature, (int, float)) or isinstance(temperature, bool) or temperature < 0:
        raise ValueError(f"temperature must be a number >= 0, got {temperature!r}")
    if temperature == 0:
        return logits.argmax(dim=-1)
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    flat = probs.reshape(-1, probs.shape[-1])  # (N, V)
    return torch.multinomial(flat, 1, generator=generator).reshape(probs.shape[:-1])


@torch.no_grad()
def generate(model: nn.Module, vocab: Vocab, prefix: Sequence[str], *, max_len: int = 80,
             temperature: float = 1.0, generator: torch.Generator | None = None,
             add_sos: bool = True) -> list[str]:
    """Continue ``prefix`` (a token list) one token at a time until ``<eos>`` or ``max_len`` new tokens.

    ``model(ids (1, T))`` must return next-token scores ``(1, T, V)``; the whole sequence is re-read at
    every step, which is simple and fast enough for the short texts of the course.
    """
    if isinstance(prefix, str):
        raise TypeError("prefix must be a list of tokens, e.g. tokenize_chars('el gato')")
    if isinstance(max_len, bool) or not isinstance(max_len, int) or max_len < 1:
        raise ValueError(f"max_len must be an int >= 1, got {max_len!r}")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    ids = ([SOS_ID] if add_sos else []) + vocab.encode(prefix)
    if not ids:
        raise ValueError("the prefix is empty and add_sos=False: there is nothing to condition on")
    new: list[int] = []
    for _ in range(max_len):
        x = torch.tensor([ids + new], device=device)  # (1, T)
        nxt = int(sample_from_logits(model(x)[0, -1], temperature, generator))
        if nxt == EOS_ID:
            break
        new.append(nxt)
    model.train(was_training)
    return vocab.decode(new)
