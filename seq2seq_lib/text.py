"""Vocabularies, tokenisation and padding.

The special tokens have fixed ids in every vocabulary of the course::

    <pad> = 0   relleno: fills short sequences in a batch; losses ignore it
    <sos> = 1   inicio de secuencia (start of sequence)
    <eos> = 2   fin de secuencia (end of sequence)
    <unk> = 3   desconocido: any token not in the vocabulary
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import torch

__all__ = [
    "PAD", "SOS", "EOS", "UNK", "PAD_ID", "SOS_ID", "EOS_ID", "UNK_ID", "SPECIALS",
    "Vocab", "tokenize_words", "tokenize_chars", "pad_batch",
]

PAD, SOS, EOS, UNK = "<pad>", "<sos>", "<eos>", "<unk>"
PAD_ID, SOS_ID, EOS_ID, UNK_ID = 0, 1, 2, 3
SPECIALS = (PAD, SOS, EOS, UNK)

_WORD_RE = re.compile(r"\w+|[^\w\s]")


def tokenize_words(text: str, lower: bool = True) -> list[str]:
    """Split ``text`` into words and punctuation marks: ``"¡Hola, mundo!"`` → ``['¡', 'hola', ',', 'mundo', '!']``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _WORD_RE.findall(text.lower() if lower else text)


def tokenize_chars(text: str) -> list[str]:
    """Split ``text`` into characters, spaces included: ``"sí no"`` → ``['s', 'í', ' ', 'n', 'o']``."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return list(text)


class Vocab:
    """A token ↔ id mapping whose first four ids are the special tokens (see the module doc)."""

    def __init__(self, tokens: Iterable[str] = ()):
        self.itos: list[str] = list(SPECIALS)
        self.stoi: dict[str, int] = {tok: i for i, tok in enumerate(SPECIALS)}
        for tok in tokens:
            if not isinstance(tok, str):
                raise TypeError(f"tokens must be str, got {type(tok).__name__}: {tok!r}")
            if tok not in self.stoi:
                self.stoi[tok] = len(self.itos)
                self.itos.append(tok)

    @classmethod
    def build(cls, sequences: Iterable[Sequence[str]], min_freq: int = 1) -> "Vocab":
        """Build from token sequences; most frequent first (ties alphabetical), dropping rarer than ``min_freq``."""
        if isinstance(min_freq, bool) or not isinstance(min_freq, int) or min_freq < 1:
            raise ValueError(f"min_freq must be an int >= 1, got {min_freq!r}")
        counts: Counter[str] = Counter()
        for seq in sequences:
            if isinstance(seq, str):
                raise TypeError("sequences must hold token lists, not strings; tokenise first, "
                                "e.g. Vocab.build(tokenize_chars(t) for t in texts)")
            counts.update(seq)
        ordered = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        return cls(ordered)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: object) -> bool:
        return token in self.stoi

    def __getitem__(self, token: str) -> int:
        return self.stoi.get(token, UNK_ID)

    def __repr__(self) -> str:
        preview = ", ".join(repr(t) for t in self.itos[4:12])
        return f"Vocab(size={len(self)}, tokens=[{preview}{', …' if len(self) > 12 else ''}])"

    def encode(self, tokens: Sequence[str], add_sos: bool = False, add_eos: bool = False) -> list[int]:
        """Map tokens to ids (unknown → ``<unk>``), optionally framed by ``<sos>`` … ``<eos>``."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a list of tokens, not a str; use "
                            "vocab.encode(tokenize_chars(text)) or vocab.encode(tokenize_words(text))")
        ids = [self[tok] for tok in tokens]
        return ([SOS_ID] if add_sos else []) + ids + ([EOS_ID] if add_eos else [])

    def decode(self, ids: Iterable[int] | torch.Tensor, skip_specials: bool = True) -> list[str]:
        """Map ids back to tokens; stop at ``<eos>`` and drop the specials unless ``skip_specials=False``."""
        if isinstance(ids, torch.Tensor):
            if ids.dim() > 1:
                raise ValueError(f"decode expects a 1-D sequence of ids, got a tensor of shape {tuple(ids.shape)}")
            ids = ids.tolist()
        tokens = []
        for i in ids:
            if isinstance(i, bool) or not isinstance(i, int):
                raise TypeError(f"ids must be ints, got {type(i).__name__}: {i!r}")
            if not 0 <= i < len(self):
                raise ValueError(f"id {i} is out of range for a vocabulary of size {len(self)}")
            if skip_specials and i == EOS_ID:
                break
            if skip_specials and i < len(SPECIALS):
                continue
            tokens.append(self.itos[i])
        return tokens


def pad_batch(sequences: Sequence[Sequence[int] | torch.Tensor], pad_id: int = PAD_ID) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad id sequences to the longest one: returns ``ids (B, T)`` and ``lengths (B,)``, both int64."""
    if isinstance(sequences, torch.Tensor) or len(sequences) == 0:
        raise ValueError("sequences must be a non-empty list of id sequences")
    rows = [torch.as_tensor(s, dtype=torch.long) for s in sequences]
    for i, row in enumerate(rows):
        if row.dim() != 1:
            raise ValueError(f"sequence {i} must be 1-D, got shape {tuple(row.shape)}")
        if row.numel() == 0:
            raise ValueError(f"sequence {i} is empty; every sequence needs at least one token")
    lengths = torch.tensor([len(r) for r in rows], dtype=torch.long)  # (B,)
    padded = torch.full((len(rows), int(lengths.max())), pad_id, dtype=torch.long)  # (B, T)
    for i, row in enumerate(rows):
        padded[i, : len(row)] = row
    return padded, lengths
