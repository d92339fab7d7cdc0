"""Attention for encoder–decoders: masked softmax, three score functions, an attention decoder, heatmaps.

Notation (shapes): ``B`` batch, ``T`` decoder steps (queries), ``S`` source positions (keys),
``Hq`` query size, ``Hk`` key size, ``A`` size of the additive score's hidden layer.

For a query ``q`` (a decoder state) and the encoder outputs ``k_1 … k_S``:

* scores ``e_j = score(q, k_j)``:

  - ``"additive"`` (Bahdanau et al., 2015): ``v · tanh(W [q; k_j])`` — a one-hidden-layer MLP;
  - ``"dot"`` (Luong et al., 2015): ``q · k_j`` (needs ``Hq == Hk``);
  - ``"general"`` (Luong et al., 2015): ``q · W k_j``;

* weights ``α_j = softmax_j(e_j)`` over the **real** source positions only (padding gets exactly 0);
* context ``c = Σ_j α_j k_j``, a weighted mean of the encoder outputs.

:class:`AttentionDecoder` is a :class:`~seq2seq_lib.seq2seq.Decoder` in Luong's arrangement: the LSTM reads
the target embeddings (all steps in one call when teacher-forcing), each output ``h_t`` attends over
the encoder outputs, and ``tanh(W_c [h_t; c_t])`` goes to the output layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from .rnn import length_mask
from .seq2seq import Decoder, EncoderDecoder, _check_ids, _check_sizes
from .text import PAD_ID, SOS_ID, Vocab

__all__ = ["SCORES", "masked_softmax", "AdditiveScore", "DotScore", "GeneralScore", "Attention",
           "AttentionDecoder", "attention_map", "plot_attention"]

SCORES = ("additive", "dot", "general")


def masked_softmax(scores: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Softmax over the last dimension where ``mask`` is True; masked positions get exactly 0.

    ``scores (…, S)``; ``mask`` is a boolean tensor broadcastable to ``scores`` (``True`` = real position),
    e.g. ``(B, 1, S)`` for scores ``(B, T, S)``. A row without any real position is all zeros.
    """
    if not isinstance(scores, torch.Tensor) or not scores.is_floating_point():
        raise TypeError(f"scores must be a floating-point tensor, got {type(scores).__name__}"
                        + (f" of dtype {scores.dtype}" if isinstance(scores, torch.Tensor) else ""))
    if mask is None:
        return scores.softmax(dim=-1)
    if not isinstance(mask, torch.Tensor) or mask.dtype != torch.bool:
        raise TypeError("mask must be a boolean tensor (True at the real positions), got "
                        + (f"dtype {mask.dtype}" if isinstance(mask, torch.Tensor) else type(mask).__name__))
    try:
        torch.broadcast_shapes(mask.shape, scores.shape)
    except RuntimeError:
        raise ValueError(f"mask of shape {tuple(mask.shape)} does not broadcast to scores "
                         f"{tuple(scores.shape)}") from None
    weights = scores.masked_fill(~mask, float("-inf")).softmax(dim=-1)   # exp(-inf) = 0 exactly
    return weights.masked_fill(~mask, 0.0)                                # rows with no real position: 0, not nan


# ---------------------------------------------------------------------------------------------- scores
class AdditiveScore(nn.Module):
    """Bahdanau's score ``v · tanh(W [q; k_j])``: queries ``(B, T, Hq)``, keys ``(B, S, Hk)`` → ``(B, T, S)``.

    ``W [q; k] = W_q q + W_k k``: the two halves of ``W`` are kept as two linear layers, so the keys are
    projected once for every query instead of concatenating ``q`` to each ``k_j``.
    """

    def __init__(self, query_dim: int, key_dim: int, attn_dim: int):
        super().__init__()
        _check_sizes(query_dim=query_dim, key_dim=key_dim, attn_dim=attn_dim)
        self.W_q = nn.Linear(query_dim, attn_dim)               # the bias of W lives here
        self.W_k = nn.Linear(key_dim, attn_dim, bias=False)
        self.v = nn.Linear(attn_dim, 1, bias=False)

    def forward(self, queries: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        hidden = self.W_q(queries).unsqueeze(2) + self.W_k(keys).unsqueeze(1)     # (B, T, 1, A) + (B, 1, S, A)
        return self.v(torch.tanh(hidden)).squeeze(-1)                               # (B, T, S)


class DotScore(nn.Module):
    """Luong's dot score ``q · k_j`` (no parameters; ``Hq == Hk``): ``(B, T, H)``, ``(B, S, H)`` → ``(B, T, S)``."""

    def forward(self, queries: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        if queries.shape[-1] != keys.shape[-1]:
            raise ValueError(f"the dot score needs queries and keys of the same size, got {queries.shape[-1]} "
                             f"and {keys.shape[-1]}; use score='general' or 'additive'")
        return queries @ keys.transpose(1, 2)                                       # (B, T, S)


class GeneralScore(nn.Module):
    """Luong's general score ``q · W k_j``: ``(B, T, Hq)``, ``(B, S, Hk)`` → ``(B, T, S)``."""

    def __init__(self, query_dim: int, key_dim: int):
        super().__init__()
        _check_sizes(query_dim=query_dim, key_dim=key_dim)
        self.W = nn.Linear(key_dim, query_dim, bias=False)

    def forward(self, queries: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        return queries @ self.W(keys).transpose(1, 2)                               # (B, T, Hq) @ (B, Hq, S)


class Attention(nn.Module):
    """Scores → masked softmax over the source → context: ``forward(queries, keys, mask) -> (context, weights)``.

    ``queries (B, T, Hq)`` (or ``(B, Hq)`` for one step), ``keys (B, S, Hk)`` (they are also the values),
    ``mask (B, S)`` boolean, True at real source positions (or ``None``). Returns ``context (B, T, Hk)``
    and ``weights (B, T, S)`` (without the ``T`` dimension when the query had none).
    """

    def __init__(self, query_dim: int, key_dim: int, score: str = "general", attn_dim: int | None = None):
        super().__init__()
        if score not in SCORES:
            raise ValueError(f"score must be one of {SCORES}, got {score!r}")
        _check_sizes(query_dim=query_dim, key_dim=key_dim)
        if score == "dot" and query_dim != key_dim:
            raise ValueError(f"score='dot' needs query_dim == key_dim, got {query_dim} and {key_dim}")
        self.score_name = score
        if score == "additive":
            self.score = AdditiveScore(query_dim, key_dim, attn_dim or query_dim)
        elif score == "dot":
            self.score = DotScore()
        else:
            self.score = GeneralScore(query_dim, key_dim)

    def forward(self, queries: torch.Tensor, keys: torch.Tensor, mask: torch.Tensor | None = None):
        if not isinstance(keys, torch.Tensor) or keys.dim() != 3:
            raise ValueError(f"keys must be a (B, S, Hk) tensor, got {getattr(keys, 'shape', type(keys).__name__)}")
        one_step = isinstance(queries, torch.Tensor) and queries.dim() == 2
        if one_step:
            queries = queries.unsqueeze(1)                                          # (B, 1, Hq)
        if not isinstance(queries, torch.Tensor) or queries.dim() != 3 or queries.shape[0] != keys.shape[0]:
            raise ValueError(f"queries must be (B, T, Hq) or (B, Hq) with B = {keys.shape[0]}, "
                             f"got {getattr(queries, 'shape', type(queries).__name__)}")
        if mask is not None:
            if not isinstance(mask, torch.Tensor) or mask.shape != keys.shape[:2]:
                raise ValueError(f"mask must be a boolean (B, S) = {tuple(keys.shape[:2])} tensor, "
                                 f"got {getattr(mask, 'shape', type(mask).__name__)}")
            mask = mask.unsqueeze(1)                                                # (B, 1, S)
        weights = masked_softmax(self.score(queries, keys), mask)                   # (B, T, S)
        context = weights @ keys                                                    # (B, T, S) @ (B, S, Hk)
        if one_step:
            return context.squeeze(1), weights.squeeze(1)                           # (B, Hk), (B, S)
        return context, weights


# --------------------------------------------------------------------------------------------- decoder
class AttentionDecoder(Decoder):
    """LSTM decoder with attention over the encoder outputs (Luong's arrangement), for :class:`LSTMEncoder`.

    ``AttentionDecoder(vocab_size, emb_dim, hidden, score="general")`` with an ``LSTMEncoder`` of the same
    ``hidden`` and ``num_layers``. Per step ``t``: ``h_t = LSTM(embedding(y_{t-1}), h_{t-1})`` (the first
    state is the encoder's final one), ``α_t = softmax(score(h_t, enc_outputs))`` over real source
    positions, ``c_t = α_t · enc_outputs``, ``logits_t = W_o tanh(W_c [h_t; c_t])``.

    The state is ``(enc_outputs (B, S, H), src_mask (B, S), (h (L, B, H), c (L, B, H)))``. After each call
    ``attention_weights`` holds that call's weights ``(B, T, S)`` (detached).
    """

    def __init__(self, vocab_size: int, emb_dim: int, hidden: int, score: str = "general", num_layers: int = 1,
                 dropout: float = 0.0, attn_dim: int | None = None):
        super().__init__()
        _check_sizes(vocab_size=vocab_size, emb_dim=emb_dim, hidden=hidden, num_layers=num_layers)
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
        self.rnn = nn.LSTM(emb_dim, hidden, num_layers, batch_first=True, dropout=dropout if num_layers > 1 else 0.0)
        self.attention = Attention(hidden, hidden, score, attn_dim)
        self.combine = nn.Linear(2 * hidden, hidden)
        self.output = nn.Linear(hidden, vocab_size)
        self.attention_weights: torch.Tensor | None = None

    def init_state(self, enc_outputs, src_len: torch.Tensor, *args: Any):
        outputs, (h_n, c_n) = enc_outputs                                           # (B, S, H), (L, B, H) each
        if h_n.shape[0] != self.rnn.num_layers or h_n.shape[-1] != self.rnn.hidden_size \
                or outputs.shape[-1] != self.rnn.hidden_size:
            raise ValueError(f"the encoder gives outputs {tuple(outputs.shape)} and h_n {tuple(h_n.shape)}; this "
                             f"decoder needs (B, S, {self.rnn.hidden_size}) and ({self.rnn.num_layers}, B, "
                             f"{self.rnn.hidden_size}): use an LSTMEncoder with the same hidden and num_layers")
        mask = length_mask(src_len.to(outputs.device), outputs.shape[1])            # (B, S)
        return outputs, mask, (h_n, c_n)

    def forward(self, X: torch.Tensor, state):
        _check_ids("X", X)
        enc_outputs, mask, hc = state
        out, hc = self.rnn(self.embedding(X), hc)                                   # (B, T, H)
        context, weights = self.attention(out, enc_outputs, mask)                   # (B, T, H), (B, T, S)
        self.attention_weights = weights.detach()
        attended = torch.tanh(self.combine(torch.cat([out, context], dim=-1)))     # (B, T, H)
        return self.output(attended), (enc_outputs, mask, hc)                       # (B, T, V)

    def reorder_state(self, state, index: torch.Tensor):
        enc_outputs, mask, (h, c) = state
        index = index.to(enc_outputs.device)
        return (enc_outputs.index_select(0, index), mask.index_select(0, index),   # batch is dimension 0 here…
                (h.index_select(1, index), c.index_select(1, index)))              # …and dimension 1 in (L, B, H)


@torch.no_grad()
def attention_map(model: EncoderDecoder, source: Sequence[str], target: Sequence[str], src_vocab: Vocab,
                  tgt_vocab: Vocab) -> torch.Tensor:
    """Attention weights ``(len(target) + 1, len(source))`` of ``model`` reading ``<sos> target``.

    Row ``t`` is the step that predicts ``target[t]`` (the last row predicts ``<eos>``). Pass the model's own
    prediction as ``target`` to see how it attended while decoding: without input feeding the decoder's
    steps only depend on the tokens read, so they are the same as in greedy decoding.
    """
    if not isinstance(model, EncoderDecoder) or not hasattr(model.decoder, "attention_weights"):
        raise TypeError("model must be an EncoderDecoder whose decoder records attention_weights")
    for name, seq in (("source", source), ("target", target)):
        if isinstance(seq, str) or not isinstance(seq, Sequence):
            raise TypeError(f"{name} must be a list of tokens, got {type(seq).__name__}")
    if len(source) == 0:
        raise ValueError("source must have at least one token")
    device = next(model.parameters()).device
    src = torch.tensor([src_vocab.encode(list(source))], device=device)                  # (1, S)
    tgt_in = torch.tensor([[SOS_ID] + tgt_vocab.encode(list(target))], device=device)    # (1, T + 1)
    was_training = model.training
    model.eval()
    model(src, torch.tensor([len(source)], device=device), tgt_in)
    model.train(was_training)
    return model.decoder.attention_weights[0].cpu()                                      # (T + 1, S)


def plot_attention(weights: torch.Tensor, src_tokens: Sequence[str], tgt_tokens: Sequence[str], ax=None,
                   title: str | None = None):
    """Heatmap of ``weights (T, S)``: source tokens on the x axis, target tokens on the y axis. Returns the axes."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    if isinstance(weights, torch.Tensor):
        weights = weights.detach().cpu().float().numpy()
    if getattr(weights, "ndim", None) != 2:
        raise ValueError(f"weights must be a 2-D (T, S) array, got shape {getattr(weights, 'shape', None)}")
    T, S = weights.shape
    if len(src_tokens) != S or len(tgt_tokens) != T:
        raise ValueError(f"weights have shape ({T}, {S}) but there are {len(tgt_tokens)} target tokens and "
                         f"{len(src_tokens)} source tokens")
    if ax is None:
        _, ax = plt.subplots(figsize=(max(3.0, 0.32 * S + 1.5), max(2.0, 0.32 * T + 1.0)))
    sns.heatmap(weights, ax=ax, vmin=0.0, vmax=1.0, cmap="viridis", square=False, cbar=True,
                xticklabels=["␣" if t == " " else t for t in src_tokens], yticklabels=list(tgt_tokens))
    ax.set(xlabel="entrada (codificador)", ylabel="salida (decodificador)", title=title or "Pesos de atención")
    ax.tick_params(axis="x", labelrotation=90)
    ax.tick_params(axis="y", labelrotation=0)
    return ax
