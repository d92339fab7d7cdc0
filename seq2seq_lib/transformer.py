"""The Transformer, built from its pieces: attention, positional encoding, masks, encoder and decoder.

Everything follows the package's encoder–decoder interfaces (:mod:`seq2seq_lib.seq2seq`), so a
Transformer trains with ``fit`` on ``pair_loader`` batches and decodes with ``greedy_decode``,
``beam_search`` and ``translate`` like the LSTM models::

    model = transformer_seq2seq(len(src_vocab), len(tgt_vocab), d_model=64, nhead=4, num_layers=2)

Mask conventions (the same as PyTorch's):

* ``attn_mask`` is added to the scores: ``0`` where a query may look, ``-inf`` where it may not
  (:func:`causal_mask`); a boolean ``attn_mask`` means ``True`` = *may attend*, as in
  ``torch.nn.functional.scaled_dot_product_attention``;
* ``key_padding_mask`` is boolean ``(B, S)`` with ``True`` at ``<pad>`` (:func:`padding_mask`), as in
  ``nn.MultiheadAttention`` and ``nn.Transformer``.

Layers are *pre-norm* (``LayerNorm`` before each sub-layer, as ``nn.Transformer(norm_first=True)``),
which trains without a learning-rate warm-up. The decoder caches the keys and values of the prefix
it has read, so generating token ``t`` costs one step, not a pass over the ``t`` tokens before it.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from .seq2seq import Decoder, Encoder, EncoderDecoder, _check_sizes
from .text import PAD_ID

__all__ = ["scaled_dot_product_attention", "MultiHeadAttention", "sinusoidal_positional_encoding",
           "PositionalEncoding", "causal_mask", "padding_mask", "TransformerEncoder", "TransformerDecoder",
           "transformer_seq2seq"]


# ------------------------------------------------------------------------------------------- attention
def scaled_dot_product_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                                 attn_mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """``softmax(Q Kᵀ / √d_k + mask) V``; returns ``(output (…, Tq, d_v), weights (…, Tq, Tk))``.

    ``query (…, Tq, d_k)``, ``key (…, Tk, d_k)``, ``value (…, Tk, d_v)``; ``attn_mask`` broadcasts to
    ``(…, Tq, Tk)``: a float mask is added to the scores, a boolean one keeps the ``True`` entries.
    A query row whose keys are all masked gives NaN, as in PyTorch: there is nothing to average.
    """
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, torch.Tensor) or t.dim() < 2:
            raise ValueError(f"{name} must be a tensor of at least 2 dimensions (…, T, d), got "
                             f"{tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__}")
    if query.shape[-1] != key.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ValueError(f"shapes do not fit: query {tuple(query.shape)}, key {tuple(key.shape)}, value "
                         f"{tuple(value.shape)}; need query (…, Tq, d), key (…, Tk, d), value (…, Tk, d_v)")
    scores = query @ key.transpose(-2, -1) / math.sqrt(query.shape[-1])          # (…, Tq, Tk)
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, -math.inf)
        else:
            scores = scores + attn_mask
    weights = scores.softmax(dim=-1)                                              # (…, Tq, Tk)
    return weights @ value, weights                                               # (…, Tq, d_v)


class MultiHeadAttention(nn.Module):
    """``nhead`` attentions over ``d_model / nhead``-sized projections, concatenated and projected back.

    ``forward(query (B, Tq, D), key (B, Tk, D), value (B, Tk, D))`` → ``(output (B, Tq, D), weights
    (B, nhead, Tq, Tk))``. Same computation as ``nn.MultiheadAttention(batch_first=True)``, whose
    ``in_proj_weight`` is ``[q_proj; k_proj; v_proj]``. ``project_kv`` and ``attend`` split it in two
    so that a decoder can keep the projected keys and values of what it has already read.
    """

    def __init__(self, d_model: int, nhead: int):
        super().__init__()
        _check_sizes(d_model=d_model, nhead=nhead)
        if d_model % nhead:
            raise ValueError(f"d_model must be divisible by nhead, got d_model={d_model}, nhead={nhead}")
        self.nhead, self.d_head = nhead, d_model // nhead
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        B, T, _ = x.shape
        return x.view(B, T, self.nhead, self.d_head).transpose(1, 2)                # (B, h, T, d_head)

    def project_kv(self, key: torch.Tensor, value: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Keys and values split into heads: ``(B, h, Tk, d_head)`` each."""
        return self._split(self.k_proj(key)), self._split(self.v_proj(value))

    def attend(self, query: torch.Tensor, k: torch.Tensor, v: torch.Tensor, attn_mask: torch.Tensor | None = None,
               key_padding_mask: torch.Tensor | None = None,
               need_weights: bool = True) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attention of ``query (B, Tq, D)`` over already projected ``k, v (B, h, Tk, d_head)``.

        With ``need_weights=False`` the weights are not formed (``None`` is returned in their place) and
        PyTorch's fused ``F.scaled_dot_product_attention`` does the same computation (up to twice as fast,
        forward and backward, on the small CPU batches of notebook 09): the path the layers take wherever
        nobody looks at the weights.
        """
        B, Tq, D = query.shape
        q = self._split(self.q_proj(query))                                           # (B, h, Tq, d_head)
        mask = _merge_masks(attn_mask, key_padding_mask, query.dtype)                 # (B | 1, 1, Tq | 1, Tk)
        if need_weights:
            out, weights = scaled_dot_product_attention(q, k, v, mask)                # (B, h, Tq, d_head), (B, h, Tq, Tk)
        else:
            out, weights = F.scaled_dot_product_attention(q, k, v, attn_mask=mask), None
        out = out.transpose(1, 2).reshape(B, Tq, D)                                   # (B, Tq, D): heads side by side
        return self.out_proj(out), weights                                            # (B, Tq, D), (B, h, Tq, Tk)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                attn_mask: torch.Tensor | None = None, key_padding_mask: torch.Tensor | None = None):
        for name, t in (("query", query), ("key", key), ("value", value)):
            if not isinstance(t, torch.Tensor) or t.dim() != 3 or t.shape[-1] != self.nhead * self.d_head:
                raise ValueError(f"{name} must be (B, T, {self.nhead * self.d_head}), got "
                                 f"{tuple(t.shape) if isinstance(t, torch.Tensor) else type(t).__name__}")
        k, v = self.project_kv(key, value)
        return self.attend(query, k, v, attn_mask, key_padding_mask)


def _merge_masks(attn_mask: torch.Tensor | None, key_padding_mask: torch.Tensor | None,
                 dtype: torch.dtype) -> torch.Tensor | None:
    """One additive mask ``(B | 1, 1, Tq | 1, Tk)`` out of an ``attn_mask (Tq, Tk)`` and a padding mask ``(B, Tk)``."""
    mask = None
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            attn_mask = torch.zeros(attn_mask.shape, dtype=dtype, device=attn_mask.device).masked_fill(
                ~attn_mask, -math.inf)
        mask = attn_mask.to(dtype)                                                     # (Tq, Tk)
    if key_padding_mask is not None:
        pad = torch.zeros(key_padding_mask.shape, dtype=dtype, device=key_padding_mask.device)
        pad = pad.masked_fill(key_padding_mask, -math.inf)[:, None, None, :]         # (B, 1, 1, Tk)
        mask = pad if mask is None else mask + pad
    return mask


# ------------------------------------------------------------------------------ positions and masks
def sinusoidal_positional_encoding(max_len: int, d_model: int) -> torch.Tensor:
    """``PE[p, 2i] = sin(p / 10000^(2i/d))``, ``PE[p, 2i+1] = cos(p / 10000^(2i/d))``: ``(max_len, d_model)``."""
    _check_sizes(max_len=max_len, d_model=d_model)
    if d_model % 2:
        raise ValueError(f"d_model must be even (sine and cosine pairs), got {d_model}")
    position = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)               # (max_len, 1)
    freq = torch.exp(-math.log(10000.0) * torch.arange(0, d_model, 2, dtype=torch.float32) / d_model)  # (d/2,)
    pe = torch.zeros(max_len, d_model)
    pe[:, 0::2] = torch.sin(position * freq)                                          # (max_len, d/2)
    pe[:, 1::2] = torch.cos(position * freq)
    return pe


class PositionalEncoding(nn.Module):
    """Adds the sinusoidal encoding of positions ``offset … offset + T - 1`` to ``x (B, T, D)``, then dropout."""

    def __init__(self, d_model: int, max_len: int = 512, dropout: float = 0.0):
        super().__init__()
        self.register_buffer("pe", sinusoidal_positional_encoding(max_len, d_model), persistent=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, offset: int = 0) -> torch.Tensor:
        if not isinstance(x, torch.Tensor) or x.dim() != 3 or x.shape[-1] != self.pe.shape[1]:
            raise ValueError(f"x must be (B, T, {self.pe.shape[1]}), got "
                             f"{tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__}")
        if offset + x.shape[1] > self.pe.shape[0]:
            raise ValueError(f"positions up to {offset + x.shape[1] - 1} need max_len > {self.pe.shape[0] - 1}; "
                             "build the model with a larger max_len")
        return self.dropout(x + self.pe[offset:offset + x.shape[1]])                  # (B, T, D)


def causal_mask(size: int, device: torch.device | str | None = None, offset: int = 0) -> torch.Tensor:
    """Additive mask ``(size, offset + size)``: query ``i`` (position ``offset + i``) sees keys ``0 … offset + i``.

    ``0.0`` where attention is allowed and ``-inf`` above the diagonal; with ``offset=0`` it is
    ``nn.Transformer.generate_square_subsequent_mask(size)``.
    """
    _check_sizes(size=size)
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValueError(f"offset must be an int >= 0, got {offset!r}")
    future = torch.ones(size, offset + size, dtype=torch.bool, device=device).triu(offset + 1)
    return torch.zeros(future.shape, device=device).masked_fill(future, -math.inf)   # (size, offset + size)


def padding_mask(lengths: torch.Tensor, max_len: int | None = None) -> torch.Tensor:
    """Boolean ``(B, max_len)``, ``True`` at the padding positions (``t >= lengths[b]``): a ``key_padding_mask``."""
    if not isinstance(lengths, torch.Tensor) or lengths.dim() != 1 or lengths.is_floating_point():
        raise ValueError(f"lengths must be a 1-D integer tensor (B,), got "
                         f"{tuple(lengths.shape) if isinstance(lengths, torch.Tensor) else type(lengths).__name__}")
    if len(lengths) and int(lengths.min()) < 1:
        raise ValueError("every length must be >= 1: a sequence of only padding has nothing to attend to")
    longest = int(lengths.max()) if len(lengths) else 0
    max_len = longest if max_len is None else max_len
    if max_len < longest:
        raise ValueError(f"max_len={max_len} is shorter than the longest sequence ({longest})")
    return torch.arange(max_len, device=lengths.device).unsqueeze(0) >= lengths.unsqueeze(1)   # (B, max_len)


# ---------------------------------------------------------------------------------------- layers
class _FeedForward(nn.Sequential):
    def __init__(self, d_model: int, dim_feedforward: int, dropout: float):
        super().__init__(nn.Linear(d_model, dim_feedforward), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(dim_feedforward, d_model))


class _EncoderLayer(nn.Module):
    """Pre-norm: ``x + SelfAttn(LN(x))``, then ``x + FF(LN(x))``."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int, dropout: float):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, nhead)
        self.ff = _FeedForward(d_model, dim_feedforward, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, pad: torch.Tensor) -> torch.Tensor:
        h = self.norm1(x)
        k, v = self.self_attn.project_kv(h, h)                                      # (B, h, S, d_head)
        x = x + self.dropout(self.self_attn.attend(h, k, v, key_padding_mask=pad, need_weights=False)[0])
        return x + self.dropout(self.ff(self.norm2(x)))


class _DecoderLayer(nn.Module):
    """Pre-norm: masked self-attention over the prefix, cross-attention over the memory, feed-forward."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int, dropout: float):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, nhead)
        self.cross_attn = MultiHeadAttention(d_model, nhead)
        self.ff = _FeedForward(d_model, dim_feedforward, dropout)
        self.norm1, self.norm2, self.norm3 = nn.LayerNorm(d_model), nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, past_kv, cross_kv, src_pad, self_mask, need_weights):
        h = self.norm1(x)                                                           # (B, T, D)
        k, v = self.self_attn.project_kv(h, h)                                      # (B, h, T, d_head)
        if past_kv is not None:                                                     # the prefix read before
            k, v = torch.cat([past_kv[0], k], dim=2), torch.cat([past_kv[1], v], dim=2)
        x = x + self.dropout(self.self_attn.attend(h, k, v, attn_mask=self_mask, need_weights=False)[0])
        out, weights = self.cross_attn.attend(self.norm2(x), *cross_kv, key_padding_mask=src_pad,
                                              need_weights=need_weights)
        x = x + self.dropout(out)                                                   # (B, T, D)
        return x + self.dropout(self.ff(self.norm3(x))), (k, v), weights


class _Embedding(nn.Module):
    """Token embedding × √d_model (optional) + sinusoidal positions (optional)."""

    def __init__(self, vocab_size, d_model, max_len, dropout, positional, scale_embedding):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        nn.init.normal_(self.tokens.weight, std=d_model ** -0.5)                  # × √d_model → unit variance
        with torch.no_grad():
            self.tokens.weight[PAD_ID].zero_()
        self.scale = math.sqrt(d_model) if scale_embedding else 1.0
        self.positions = PositionalEncoding(d_model, max_len, dropout) if positional else nn.Dropout(dropout)

    def forward(self, ids: torch.Tensor, offset: int = 0) -> torch.Tensor:
        x = self.tokens(ids) * self.scale                                           # (B, T, D)
        if isinstance(self.positions, PositionalEncoding):
            return self.positions(x, offset)
        return self.positions(x)


# ------------------------------------------------------------------------------ encoder and decoder
class TransformerEncoder(Encoder):
    """Embeddings (× √d_model) + positions → ``num_layers`` self-attention layers → LayerNorm.

    ``forward(src (B, S), src_len (B,))`` → ``(memory (B, S, D), src_pad (B, S))``, ``src_pad`` being the
    :func:`padding_mask` that keeps every attention away from ``<pad>``.
    """

    def __init__(self, vocab_size: int, d_model: int = 64, nhead: int = 4, num_layers: int = 2,
                 dim_feedforward: int | None = None, dropout: float = 0.0, max_len: int = 512,
                 positional: bool = True, scale_embedding: bool = True):
        super().__init__()
        _check_sizes(vocab_size=vocab_size, num_layers=num_layers)
        dim_feedforward = dim_feedforward or 4 * d_model
        self.embed = _Embedding(vocab_size, d_model, max_len, dropout, positional, scale_embedding)
        self.layers = nn.ModuleList(_EncoderLayer(d_model, nhead, dim_feedforward, dropout) for _ in range(num_layers))
        self.norm = nn.LayerNorm(d_model)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, *args: Any):
        if not isinstance(src, torch.Tensor) or src.dim() != 2 or src.dtype != torch.long:
            raise ValueError("src must be a (B, S) tensor of token ids (torch.long)")
        pad = padding_mask(src_len.to(src.device), src.shape[1])                    # (B, S) True at <pad>
        x = self.embed(src)                                                         # (B, S, D)
        for layer in self.layers:
            x = layer(x, pad)
        return self.norm(x), pad                                                    # (B, S, D), (B, S)


class TransformerDecoder(Decoder):
    """Embeddings (× √d_model) + positions → ``num_layers`` decoder layers → LayerNorm → linear over ``V``.

    The state is a dict of tensors whose batch is dimension 0 (so the default ``reorder_state`` of
    :class:`Decoder` follows beam search): ``memory (B, S, D)``, ``src_pad (B, S)``, ``prefix (B, t)``
    (the ids read so far), ``cross`` (per layer, the memory's keys and values, computed once) and,
    with ``cache=True``, ``self`` (per layer, the keys and values of the prefix). With
    ``cache=False`` each call runs again over the whole prefix, as ``nn.TransformerDecoder`` does;
    both give the same logits. In eval mode ``cross_attention`` holds the last call's cross-attention
    weights (per layer, ``(B, nhead, T, S)``); in training mode the weights are not formed (the fused
    attention is faster) and it is empty.
    """

    def __init__(self, vocab_size: int, d_model: int = 64, nhead: int = 4, num_layers: int = 2,
                 dim_feedforward: int | None = None, dropout: float = 0.0, max_len: int = 512,
                 positional: bool = True, scale_embedding: bool = True, cache: bool = True):
        super().__init__()
        _check_sizes(vocab_size=vocab_size, num_layers=num_layers)
        dim_feedforward = dim_feedforward or 4 * d_model
        self.embed = _Embedding(vocab_size, d_model, max_len, dropout, positional, scale_embedding)
        self.layers = nn.ModuleList(_DecoderLayer(d_model, nhead, dim_feedforward, dropout) for _ in range(num_layers))
        self.norm = nn.LayerNorm(d_model)
        self.output = nn.Linear(d_model, vocab_size)
        self.cache = cache
        self.cross_attention: list[torch.Tensor] = []

    def init_state(self, enc_outputs, src_len: torch.Tensor, *args: Any) -> dict:
        memory, src_pad = enc_outputs                                               # (B, S, D), (B, S)
        if memory.shape[-1] != self.norm.normalized_shape[0]:
            raise ValueError(f"the encoder's memory has size {memory.shape[-1]}; this decoder needs "
                             f"d_model = {self.norm.normalized_shape[0]}")
        cross = [layer.cross_attn.project_kv(memory, memory) for layer in self.layers]  # (B, h, S, d_head) each
        prefix = torch.zeros(memory.shape[0], 0, dtype=torch.long, device=memory.device)  # (B, 0)
        return {"memory": memory, "src_pad": src_pad, "cross": cross, "prefix": prefix,
                "self": [None] * len(self.layers)}

    def forward(self, X: torch.Tensor, state: dict):
        if not isinstance(X, torch.Tensor) or X.dim() != 2 or X.dtype != torch.long:
            raise ValueError("X must be a (B, T) tensor of token ids (torch.long)")
        prefix = torch.cat([state["prefix"], X], dim=1)                             # (B, t + T)
        offset = state["prefix"].shape[1]
        if self.cache:
            ids, pasts = X, state["self"]                                           # only the new tokens
        else:
            ids, pasts, offset = prefix, [None] * len(self.layers), 0               # the whole prefix again
        x = self.embed(ids, offset)                                                 # (B, T', D)
        T = x.shape[1]
        # one causal mask for every layer; a single new token may look at the whole prefix: no mask
        self_mask = causal_mask(T, x.device, offset) if T > 1 else None             # (T, offset + T)
        record = not self.training                                                  # heat maps, not training
        new_self, weights = [], []
        for layer, past, cross in zip(self.layers, pasts, state["cross"]):
            x, kv, w = layer(x, past, cross, state["src_pad"], self_mask, record)
            new_self.append(kv if self.cache else None)
            if record:
                weights.append(w[:, :, -X.shape[1]:].detach())                     # (B, h, T, S)
        self.cross_attention = weights
        logits = self.output(self.norm(x))[:, -X.shape[1]:]                         # (B, T, V)
        return logits, {**state, "prefix": prefix, "self": new_self}


def transformer_seq2seq(src_vocab_size: int, tgt_vocab_size: int, d_model: int = 64, nhead: int = 4,
                        num_layers: int = 2, dim_feedforward: int | None = None, dropout: float = 0.0,
                        max_len: int = 512, positional: bool = True, scale_embedding: bool = True,
                        cache: bool = True, tie_embeddings: bool = False) -> EncoderDecoder:
    """An :class:`EncoderDecoder` of a :class:`TransformerEncoder` and a :class:`TransformerDecoder`.

    ``positional=False`` and ``scale_embedding=False`` rebuild the classic mistakes (no positional
    encoding, unscaled embeddings) for comparison; ``dim_feedforward`` defaults to ``4 · d_model``.
    ``tie_embeddings=True`` (source and target share one vocabulary) makes the encoder's embedding,
    the decoder's embedding and the output layer one matrix, as in the original Transformer: the
    logit of a token is then the dot product with its own embedding, so copying a source token is
    the same operation for every token.
    """
    kwargs = dict(d_model=d_model, nhead=nhead, num_layers=num_layers, dim_feedforward=dim_feedforward,
                  dropout=dropout, max_len=max_len, positional=positional, scale_embedding=scale_embedding)
    encoder = TransformerEncoder(src_vocab_size, **kwargs)
    decoder = TransformerDecoder(tgt_vocab_size, cache=cache, **kwargs)
    if tie_embeddings:
        if src_vocab_size != tgt_vocab_size:
            raise ValueError("tie_embeddings=True needs one vocabulary for source and target, got sizes "
                             f"{src_vocab_size} and {tgt_vocab_size}")
        decoder.embed.tokens = encoder.embed.tokens
        decoder.output.weight = encoder.embed.tokens.weight                         # (V, D) shared
    return EncoderDecoder(encoder, decoder)
