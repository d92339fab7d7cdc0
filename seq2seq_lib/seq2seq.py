"""Encoder–decoder models: the interfaces, an LSTM encoder and decoder, batches of pairs, decoding, metrics.

The three interfaces follow the course notebook the series grows from:

* ``Encoder.forward(src, src_len, *args)`` reads the source and returns ``enc_outputs`` (any structure);
* ``Decoder.init_state(enc_outputs, src_len, *args)`` turns them into the decoder's first state, and
  ``Decoder.forward(X, state) -> (logits, state)`` reads target ids ``X (B, T)`` (``T`` may be 1);
* ``EncoderDecoder(encoder, decoder)`` chains them.

Every model that implements them (07's LSTMs, 08's attention decoder, 09's Transformer) trains with
``fit`` on :func:`pair_loader` batches and decodes with :func:`greedy_decode`, :func:`beam_search`
and :func:`translate`.

A data set of pairs is ``list[tuple[list[str], list[str]]]``: source tokens and target tokens, without
special tokens. A batch is ``(src (B, S), src_len (B,), tgt_in (B, T), tgt_out (B, T))`` where
``tgt_in = <sos> y₁ … y_n`` and ``tgt_out = y₁ … y_n <eos>``, padded with ``<pad>``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from .rnn import run_packed
from .text import EOS_ID, PAD_ID, SOS_ID, Vocab, pad_batch

__all__ = ["Encoder", "Decoder", "EncoderDecoder", "LSTMEncoder", "LSTMDecoder", "PairDataset",
           "seq2seq_collate", "pair_loader", "greedy_decode", "beam_search", "translate", "exact_match",
           "token_accuracy"]

Pairs = Sequence[tuple[Sequence[str], Sequence[str]]]


# --------------------------------------------------------------------------------------------- interfaces
class Encoder(nn.Module):
    """Reads a padded source batch. Subclasses implement ``forward(src (B, S), src_len (B,), *args)``."""

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement forward(src, src_len, *args)")


class Decoder(nn.Module):
    """Generates target logits step by step from a state built out of the encoder's outputs."""

    def init_state(self, enc_outputs: Any, src_len: torch.Tensor, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement init_state(enc_outputs, src_len, *args)")

    def forward(self, X: torch.Tensor, state: Any) -> tuple[torch.Tensor, Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement forward(X, state) -> (logits, state)")

    def reorder_state(self, state: Any, index: torch.Tensor) -> Any:
        """Select (or repeat) batch rows of ``state``: row ``k`` of the result is row ``index[k]``.

        Beam search uses it to follow the surviving hypotheses. The default indexes every tensor of a
        (nested tuple, list or dict) state on dimension 0; ``None`` and non-tensors pass through.
        Override it when the batch is another dimension (as :class:`LSTMDecoder` does for ``(L, B, H)``).
        """
        return _map_tensors(state, lambda t: t.index_select(0, index.to(t.device)))


def _map_tensors(state: Any, fn) -> Any:
    if isinstance(state, torch.Tensor):
        return fn(state)
    if isinstance(state, tuple):
        return tuple(_map_tensors(s, fn) for s in state)
    if isinstance(state, list):
        return [_map_tensors(s, fn) for s in state]
    if isinstance(state, dict):
        return {k: _map_tensors(v, fn) for k, v in state.items()}
    return state


def _check_ids(name: str, X: Any, dim: int = 2) -> None:
    if not isinstance(X, torch.Tensor) or X.dim() != dim or X.dtype != torch.long:
        shape = tuple(X.shape) if isinstance(X, torch.Tensor) else type(X).__name__
        raise ValueError(f"{name} must be a {dim}-D tensor of token ids (torch.long), got {shape}"
                         + (f" with dtype {X.dtype}" if isinstance(X, torch.Tensor) else ""))


class EncoderDecoder(nn.Module):
    """``encoder`` → ``decoder.init_state`` → ``decoder``; returns the logits for ``tgt_in``.

    ``teacher_forcing`` is the probability that, during training, the decoder reads the true previous
    token rather than its own prediction; the coin is tossed per example and per step. At 1.0 (the
    default) the whole target is read in one call; in eval mode the model always teacher-forces, so
    validation losses are comparable — use :func:`greedy_decode` or :func:`beam_search` to generate.
    """

    def __init__(self, encoder: Encoder, decoder: Decoder, teacher_forcing: float = 1.0):
        super().__init__()
        if not isinstance(encoder, nn.Module) or not isinstance(decoder, Decoder):
            raise TypeError("EncoderDecoder needs an encoder (nn.Module) and a Decoder")
        self.encoder = encoder
        self.decoder = decoder
        self.teacher_forcing = teacher_forcing

    @property
    def teacher_forcing(self) -> float:
        return self._teacher_forcing

    @teacher_forcing.setter
    def teacher_forcing(self, ratio: float) -> None:
        if isinstance(ratio, bool) or not isinstance(ratio, (int, float)) or not 0.0 <= ratio <= 1.0:
            raise ValueError(f"teacher_forcing must be a probability in [0, 1], got {ratio!r}")
        self._teacher_forcing = float(ratio)

    def start(self, src: torch.Tensor, src_len: torch.Tensor, *args: Any) -> Any:
        """Encode the source and return the decoder's initial state."""
        _check_ids("src", src)
        if not isinstance(src_len, torch.Tensor) or src_len.shape != (src.shape[0],):
            raise ValueError(f"src_len must be a (B,) tensor of lengths with B = {src.shape[0]}")
        return self.decoder.init_state(self.encoder(src, src_len, *args), src_len, *args)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        _check_ids("tgt_in", tgt_in)
        state = self.start(src, src_len)
        if not self.training or self.teacher_forcing >= 1.0:
            logits, _ = self.decoder(tgt_in, state)                        # (B, T, V)
            return logits
        steps, inp = [], tgt_in[:, :1]                                       # (B, 1): <sos>
        for t in range(tgt_in.shape[1]):
            logits, state = self.decoder(inp, state)                        # (B, 1, V)
            steps.append(logits)
            if t + 1 < tgt_in.shape[1]:
                own = logits.argmax(-1)                                      # (B, 1)
                coin = torch.rand(own.shape, device=own.device) < self.teacher_forcing
                inp = torch.where(coin, tgt_in[:, t + 1:t + 2], own)
        return torch.cat(steps, dim=1)                                       # (B, T, V)


# ----------------------------------------------------------------------------------------- LSTM models
def _check_sizes(**sizes: Any) -> None:
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")


class LSTMEncoder(Encoder):
    """Embedding → LSTM over the real steps only (packed). Returns ``(outputs (B, S, H), (h_n, c_n))``."""

    def __init__(self, vocab_size: int, emb_dim: int, hidden: int, num_layers: int = 1, dropout: float = 0.0):
        super().__init__()
        _check_sizes(vocab_size=vocab_size, emb_dim=emb_dim, hidden=hidden, num_layers=num_layers)
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
        self.rnn = nn.LSTM(emb_dim, hidden, num_layers, batch_first=True, dropout=dropout if num_layers > 1 else 0.0)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, *args: Any):
        _check_ids("src", src)
        outputs, state = run_packed(self.rnn, self.embedding(src), src_len)  # (B, S, H), ((L, B, H), (L, B, H))
        return outputs, state


class LSTMDecoder(Decoder):
    """Embedding → LSTM → linear layer over the target vocabulary; its first state is the encoder's.

    The encoder and decoder must have the same ``hidden`` and ``num_layers``.
    """

    def __init__(self, vocab_size: int, emb_dim: int, hidden: int, num_layers: int = 1, dropout: float = 0.0):
        super().__init__()
        _check_sizes(vocab_size=vocab_size, emb_dim=emb_dim, hidden=hidden, num_layers=num_layers)
        self.embedding = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
        self.rnn = nn.LSTM(emb_dim, hidden, num_layers, batch_first=True, dropout=dropout if num_layers > 1 else 0.0)
        self.output = nn.Linear(hidden, vocab_size)

    def init_state(self, enc_outputs, src_len: torch.Tensor, *args: Any):
        _, (h_n, c_n) = enc_outputs
        if h_n.shape[0] != self.rnn.num_layers or h_n.shape[-1] != self.rnn.hidden_size:
            raise ValueError(f"the encoder's state has shape {tuple(h_n.shape)}; this decoder needs "
                             f"({self.rnn.num_layers}, B, {self.rnn.hidden_size}): use the same hidden and num_layers")
        return h_n, c_n

    def forward(self, X: torch.Tensor, state):
        _check_ids("X", X)
        out, state = self.rnn(self.embedding(X), state)   # (B, T, H)
        return self.output(out), state                    # (B, T, V)

    def reorder_state(self, state, index: torch.Tensor):
        h, c = state                                      # (L, B, H) each: the batch is dimension 1
        index = index.to(h.device)
        return h.index_select(1, index), c.index_select(1, index)


# ------------------------------------------------------------------------------------------------ data
class PairDataset(Dataset):
    """Pairs of token lists encoded with a source and a target vocabulary; item = ``(src_ids, tgt_ids)``."""

    def __init__(self, pairs: Pairs, src_vocab: Vocab, tgt_vocab: Vocab):
        if not isinstance(src_vocab, Vocab) or not isinstance(tgt_vocab, Vocab):
            raise TypeError("src_vocab and tgt_vocab must be Vocab objects (seq2seq_lib.Vocab)")
        pairs = list(pairs)
        for i, pair in enumerate(pairs):
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                    and all(isinstance(side, (list, tuple)) and len(side) > 0 for side in pair)):
                raise ValueError(f"pair {i} must be (source tokens, target tokens), two non-empty lists; got {pair!r}")
        self.pairs = pairs
        self.src = [torch.tensor(src_vocab.encode(s), dtype=torch.long) for s, _ in pairs]
        self.tgt = [torch.tensor(tgt_vocab.encode(t), dtype=torch.long) for _, t in pairs]

    def __len__(self) -> int:
        return len(self.pairs)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.src[i], self.tgt[i]


def seq2seq_collate(batch: Sequence[tuple[torch.Tensor, torch.Tensor]]):
    """``collate_fn``: ``[(src_ids, tgt_ids), …]`` → ``(src, src_len, tgt_in, tgt_out)``, padded with ``<pad>``."""
    if len(batch) == 0:
        raise ValueError("cannot collate an empty batch")
    srcs, tgts = zip(*batch)
    src, src_len = pad_batch(list(srcs))                                            # (B, S), (B,)
    sos = torch.tensor([SOS_ID], dtype=torch.long)
    eos = torch.tensor([EOS_ID], dtype=torch.long)
    tgt_in, _ = pad_batch([torch.cat([sos, t]) for t in tgts])                      # (B, T)
    tgt_out, _ = pad_batch([torch.cat([t, eos]) for t in tgts])                     # (B, T)
    return src, src_len, tgt_in, tgt_out


def pair_loader(pairs: Pairs, src_vocab: Vocab, tgt_vocab: Vocab, batch_size: int, shuffle: bool = False,
                seed: int = 0) -> DataLoader:
    """A ``DataLoader`` of :func:`seq2seq_collate` batches, ready for ``fit(model, loader, sequence_cross_entropy, …)``."""
    _check_sizes(batch_size=batch_size)
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(PairDataset(pairs, src_vocab, tgt_vocab), batch_size=batch_size, shuffle=shuffle,
                      collate_fn=seq2seq_collate, generator=generator)


# -------------------------------------------------------------------------------------------- decoding
def _never(logp: torch.Tensor) -> torch.Tensor:
    """Forbid ``<pad>`` and ``<sos>``: they are never a correct output."""
    logp[..., PAD_ID] = -math.inf
    logp[..., SOS_ID] = -math.inf
    return logp


def _check_decoding(model: nn.Module, src: torch.Tensor, src_len: torch.Tensor, max_len: int) -> None:
    if not isinstance(model, EncoderDecoder):
        raise TypeError(f"model must be an EncoderDecoder, got {type(model).__name__}")
    _check_ids("src", src)
    if not isinstance(src_len, torch.Tensor) or src_len.shape != (src.shape[0],):
        raise ValueError(f"src_len must be a (B,) tensor of lengths with B = {src.shape[0]}")
    _check_sizes(max_len=max_len)


@torch.no_grad()
def greedy_decode(model: EncoderDecoder, src: torch.Tensor, src_len: torch.Tensor, max_len: int) -> list[list[int]]:
    """Most probable token at each step, for the whole batch at once, until ``<eos>`` or ``max_len`` tokens.

    Returns one list of ids per example, without ``<sos>`` and ``<eos>``.
    """
    _check_decoding(model, src, src_len, max_len)
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    src, src_len = src.to(device), src_len.to(device)
    state = model.start(src, src_len)
    B = src.shape[0]
    inp = torch.full((B, 1), SOS_ID, dtype=torch.long, device=device)             # (B, 1)
    done = torch.zeros(B, dtype=torch.bool, device=device)
    out = []
    for _ in range(max_len):
        logits, state = model.decoder(inp, state)                                   # (B, 1, V)
        inp = _never(logits.log_softmax(-1)).argmax(-1)                              # (B, 1)
        out.append(inp.squeeze(1))
        done |= inp.squeeze(1) == EOS_ID
        if done.all():
            break
    model.train(was_training)
    ids = torch.stack(out, dim=1).tolist()                                          # (B, ≤ max_len)
    return [row[:row.index(EOS_ID)] if EOS_ID in row else row for row in ids]


@torch.no_grad()
def beam_search(model: EncoderDecoder, src: torch.Tensor, src_len: torch.Tensor, max_len: int,
                beam_width: int = 4, length_penalty: float = 1.0) -> list[list[tuple[list[int], float]]]:
    """Beam search, one source at a time with its ``beam_width`` hypotheses as a batch.

    A hypothesis ends when it emits ``<eos>`` or reaches ``max_len`` tokens (``<eos>`` included). Its score
    is ``sum(log p) / len ** length_penalty`` with ``len`` the number of tokens it emitted (``<eos>``
    included): 0 ranks by total log-probability (which favours short outputs), 1 by the mean per token.
    Returns, per example, the finished hypotheses best first as ``(ids without <sos>/<eos>, score)``.
    """
    _check_decoding(model, src, src_len, max_len)
    _check_sizes(beam_width=beam_width)
    if isinstance(length_penalty, bool) or not isinstance(length_penalty, (int, float)) or length_penalty < 0:
        raise ValueError(f"length_penalty must be a number >= 0, got {length_penalty!r}")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    results = []
    for b in range(src.shape[0]):
        one_len = src_len[b:b + 1].to(device)
        state = model.start(src[b:b + 1, :int(one_len)].to(device), one_len)
        prefixes: list[list[int]] = [[]]                                            # alive hypotheses
        scores = torch.zeros(1, device=device)                                      # (K,) sum of log p
        finished: list[tuple[list[int], float, float]] = []                         # (ids, sum log p, length)
        for step in range(1, max_len + 1):
            inp = torch.tensor([[p[-1] if p else SOS_ID] for p in prefixes], device=device)   # (K, 1)
            logits, state = model.decoder(inp, state)                                         # (K, 1, V)
            logp = _never(logits[:, -1].log_softmax(-1))                                      # (K, V)
            total = (scores.unsqueeze(1) + logp).flatten()                                    # (K·V,)
            V = logp.shape[1]
            top = total.topk(min(beam_width, int(torch.isfinite(total).sum()))).indices
            keep_rows, keep_prefixes, keep_scores = [], [], []
            for flat in top.tolist():
                row, token = divmod(flat, V)
                s = float(total[flat])
                if token == EOS_ID or step == max_len:
                    ids = prefixes[row] if token == EOS_ID else prefixes[row] + [token]
                    finished.append((ids, s, step))
                else:
                    keep_rows.append(row)
                    keep_prefixes.append(prefixes[row] + [token])
                    keep_scores.append(s)
            if not keep_rows:
                break
            # stop once no alive hypothesis can beat the best finished one: log p only decreases, and
            # with length_penalty = 0 the score of an alive hypothesis can only go down
            if length_penalty == 0 and len(finished) >= beam_width and \
                    max(keep_scores) < sorted(f[1] for f in finished)[-beam_width]:
                break
            index = torch.tensor(keep_rows, device=device)
            state = model.decoder.reorder_state(state, index)
            prefixes, scores = keep_prefixes, torch.tensor(keep_scores, device=device)
        ranked = sorted(((ids, s / length ** length_penalty) for ids, s, length in finished),
                        key=lambda h: h[1], reverse=True)
        results.append(ranked)
    model.train(was_training)
    return results


def translate(model: EncoderDecoder, sources: Sequence[Sequence[str]], src_vocab: Vocab, tgt_vocab: Vocab,
              max_len: int, beam_width: int | None = None, batch_size: int = 256,
              length_penalty: float = 1.0) -> list[list[str]]:
    """Decode token sequences: greedy (``beam_width=None``, batched) or beam search; returns target tokens."""
    if isinstance(sources, (str, bytes)) or not all(isinstance(s, (list, tuple)) and len(s) for s in sources):
        raise ValueError("sources must be a list of non-empty token lists, e.g. [['3', '1', '4'], …]")
    _check_sizes(batch_size=batch_size)
    out: list[list[str]] = []
    for start in range(0, len(sources), batch_size):
        chunk = sources[start:start + batch_size]
        src, src_len = pad_batch([torch.tensor(src_vocab.encode(s), dtype=torch.long) for s in chunk])
        if beam_width is None:
            ids = greedy_decode(model, src, src_len, max_len)
        else:
            ids = [hyps[0][0] for hyps in beam_search(model, src, src_len, max_len, beam_width, length_penalty)]
        out.extend(tgt_vocab.decode(row) for row in ids)
    return out


# --------------------------------------------------------------------------------------------- metrics
def _check_pairs_of_sequences(predictions: Sequence, references: Sequence) -> None:
    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} predictions but {len(references)} references")
    if len(references) == 0:
        raise ValueError("there is nothing to score: no references")


def exact_match(predictions: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    """Fraction of predictions equal to their reference, token by token and in length."""
    _check_pairs_of_sequences(predictions, references)
    return sum(list(p) == list(r) for p, r in zip(predictions, references)) / len(references)


def token_accuracy(predictions: Sequence[Sequence], references: Sequence[Sequence]) -> float:
    """Fraction of reference tokens predicted at their position (a missing position counts as an error).

    Extra predicted tokens beyond the reference's length are not counted, but they already fail
    :func:`exact_match`.
    """
    _check_pairs_of_sequences(predictions, references)
    total = sum(len(r) for r in references)
    if total == 0:
        raise ValueError("every reference is empty: there is nothing to score")
    hits = sum(sum(a == b for a, b in zip(p, r)) for p, r in zip(predictions, references))
    return hits / total
