"""Recurrent autoencoders for notebook 05: a generated Spanish pseudo-lexicon, padded word batches, the model.

A word is a string of lowercase characters; the model reads it as a sequence of character ids. The
pseudo-lexicon is built from Spanish-like syllables (onset + vowel + optional coda), so it has
structure to learn and no end of fresh, never-seen words for held-out tests.

Batches follow the course's sequence-to-sequence layout ``(src, src_len, tgt_in, tgt_out)``:
``tgt_in = <sos> y`` and ``tgt_out = y <eos>``, padded with ``<pad>`` (id 0), which losses ignore.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, TensorDataset

from .core import check_int
from .rnn import run_packed
from .seq2seq import seq2seq_collate
from .text import EOS_ID, PAD_ID, SOS_ID, SPECIALS, Vocab, pad_batch

__all__ = ["ONSETS", "VOWELS", "CODAS", "LETTERS", "pseudo_word", "pseudo_lexicon", "letter_vocab",
           "corrupt_word", "WordDataset", "word_loader", "RecurrentAutoencoder", "SeriesAutoencoder",
           "reconstruct"]

# Spanish-like phonotactics: a syllable is (onset) + vowel (+ coda). Clusters such as "br" or "tr" are onsets.
ONSETS = ("", "b", "c", "d", "f", "g", "j", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "ll", "ñ",
          "br", "bl", "cr", "cl", "dr", "fr", "fl", "gr", "pl", "pr", "tr")
VOWELS = ("a", "e", "i", "o", "u")
CODAS = ("", "", "", "n", "s", "r", "l")           # open syllables are the most common
LETTERS = "abcdefghijlmnoprstuvñ"                   # every letter the syllables can produce


def pseudo_word(rng: random.Random, min_syllables: int = 1, max_syllables: int = 3) -> str:
    """One pseudo-word of ``min_syllables``–``max_syllables`` syllables (never a vowel right after a vowel)."""
    word = ""
    for _ in range(rng.randint(min_syllables, max_syllables)):
        onset = rng.choice(ONSETS)
        if not onset and word and word[-1] in VOWELS:   # no hiatus: a vowel cannot follow a vowel
            onset = rng.choice(ONSETS[1:])
        word += onset + rng.choice(VOWELS) + rng.choice(CODAS)
    return word


def pseudo_lexicon(n_train: int, n_val: int, n_test: int, *, min_len: int = 3, max_len: int = 10,
                   seed: int = 0) -> tuple[list[str], list[str], list[str]]:
    """Distinct pseudo-words of ``min_len``–``max_len`` letters split into train / val / test (no word in two splits)."""
    check_int(n_train, "n_train", 1)
    check_int(n_val, "n_val", 0)
    check_int(n_test, "n_test", 0)
    check_int(min_len, "min_len", 1)
    check_int(max_len, "max_len", min_len)
    if max_len < 3:
        raise ValueError(f"max_len must be >= 3 (the shortest syllables are 1–3 letters), got {max_len}")
    rng = random.Random(seed)
    total, words, seen, tries = n_train + n_val + n_test, [], set(), 0
    while len(words) < total:
        tries += 1
        if tries > 50 * total + 10_000:
            raise ValueError(f"could not find {total} distinct words of {min_len}–{max_len} letters; "
                             "ask for fewer words or widen the lengths")
        word = pseudo_word(rng, 1, max(1, max_len // 2))
        if min_len <= len(word) <= max_len and word not in seen:
            seen.add(word)
            words.append(word)
    return words[:n_train], words[n_train:n_train + n_val], words[n_train + n_val:]


def letter_vocab(letters: str = LETTERS) -> Vocab:
    """The character vocabulary of the pseudo-words: the four specials, then ``letters`` in order."""
    if not isinstance(letters, str) or not letters:
        raise ValueError("letters must be a non-empty str")
    return Vocab(letters)


def corrupt_word(word: str, rng: random.Random, n_insertions: int = 1, letters: str = LETTERS) -> str:
    """``word`` with ``n_insertions`` random letters inserted at random positions (a typo of extra keys)."""
    if not isinstance(word, str) or not word:
        raise ValueError(f"word must be a non-empty str, got {word!r}")
    check_int(n_insertions, "n_insertions", 0)
    chars = list(word)
    for _ in range(n_insertions):
        chars.insert(rng.randint(0, len(chars)), rng.choice(letters))
    return "".join(chars)


class WordDataset(Dataset):
    """Words as ``(src_ids, tgt_ids)``. With ``n_insertions > 0``, each read corrupts the source with
    probability ``p_corrupt`` (afresh every time, so every epoch sees new typos); the target stays clean."""

    def __init__(self, words: Sequence[str], vocab: Vocab, n_insertions: int = 0, p_corrupt: float = 1.0,
                 seed: int = 0, sources: Sequence[str] | None = None):
        if isinstance(words, str) or not words:
            raise ValueError("words must be a non-empty list of str")
        if sources is not None and len(sources) != len(words):
            raise ValueError(f"sources has {len(sources)} items but words has {len(words)}")
        self.words, self.vocab = list(words), vocab
        self.sources = list(sources) if sources is not None else self.words
        self.n_insertions = check_int(n_insertions, "n_insertions", 0)
        if isinstance(p_corrupt, bool) or not isinstance(p_corrupt, (int, float)) or not 0 <= p_corrupt <= 1:
            raise ValueError(f"p_corrupt must be a probability in [0, 1], got {p_corrupt!r}")
        self.p_corrupt = float(p_corrupt)
        self.rng = random.Random(seed)
        self._targets = [torch.tensor(vocab.encode(list(w)), dtype=torch.long) for w in self.words]
        self._sources = [torch.tensor(vocab.encode(list(w)), dtype=torch.long) for w in self.sources]

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        if not self.n_insertions or self.rng.random() >= self.p_corrupt:
            return self._sources[i], self._targets[i]
        source = corrupt_word(self.sources[i], self.rng, self.n_insertions)
        return torch.tensor(self.vocab.encode(list(source)), dtype=torch.long), self._targets[i]


def word_loader(words: Sequence[str], vocab: Vocab, batch_size: int = 128, shuffle: bool = False,
                n_insertions: int = 0, p_corrupt: float = 1.0, seed: int = 0,
                sources: Sequence[str] | None = None) -> DataLoader:
    """A ``DataLoader`` of padded reconstruction batches ``(src, src_len, tgt_in, tgt_out)``; see ``WordDataset``."""
    check_int(batch_size, "batch_size", 1)
    dataset = WordDataset(words, vocab, n_insertions, p_corrupt, seed, sources)
    generator = torch.Generator().manual_seed(seed)
    if n_insertions == 0:   # nothing changes between epochs: pad everything once (same batches, less work per step)
        dataset = TensorDataset(*seq2seq_collate([dataset[i] for i in range(len(dataset))]))
        return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, collate_fn=seq2seq_collate, generator=generator)


class RecurrentAutoencoder(nn.Module):
    """Embedding → LSTM encoder → code ``(B, C)`` → LSTM decoder (teacher forcing) → logits over the vocabulary.

    The code is the only path from the input to the output (the bottleneck): it sets the decoder's
    initial state and is also fed to the decoder at every step, next to the previous token.
    """

    def __init__(self, vocab_size: int, emb_dim: int = 32, hidden: int = 128, code_dim: int = 64):
        super().__init__()
        for name, value in (("vocab_size", vocab_size), ("emb_dim", emb_dim), ("hidden", hidden),
                            ("code_dim", code_dim)):
            check_int(value, name, 1)
        self.code_dim, self.hidden = code_dim, hidden
        self.src_emb = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
        self.encoder = nn.LSTM(emb_dim, hidden, batch_first=True, bidirectional=True)
        self.to_code = nn.Linear(2 * hidden, code_dim)
        self.from_code = nn.Linear(code_dim, 2 * hidden)               # initial (h_0, c_0) of the decoder
        self.tgt_emb = nn.Embedding(vocab_size, emb_dim, padding_idx=PAD_ID)
        self.decoder = nn.LSTM(emb_dim + code_dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def encode(self, src: torch.Tensor, src_len: torch.Tensor) -> torch.Tensor:
        """Read ``src (B, S)`` (real steps only) and return the code ``(B, C)``."""
        _, (h_n, _) = run_packed(self.encoder, self.src_emb(src), src_len)   # h_n: (2, B, H)
        return torch.tanh(self.to_code(torch.cat([h_n[0], h_n[1]], dim=-1)))  # (B, C), in (-1, 1)

    def init_state(self, code: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The decoder's initial ``(h_0, c_0)``, each ``(1, B, H)``, computed from the code ``(B, C)``."""
        h0, c0 = torch.tanh(self.from_code(code)).chunk(2, dim=-1)       # (B, H) each
        return h0.unsqueeze(0).contiguous(), c0.unsqueeze(0).contiguous()

    def decode(self, code: torch.Tensor, tgt_in: torch.Tensor, state=None):
        """Logits ``(B, T, V)`` for the inputs ``tgt_in (B, T)`` given the code; returns ``(logits, state)``."""
        if state is None:
            state = self.init_state(code)
        x = self.tgt_emb(tgt_in)                                              # (B, T, E)
        x = torch.cat([x, code.unsqueeze(1).expand(-1, x.shape[1], -1)], dim=-1)  # (B, T, E + C)
        output, state = self.decoder(x, state)                                # (B, T, H)
        return self.out(output), state                                        # (B, T, V)

    def forward(self, src: torch.Tensor, src_len: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        """Teacher forcing: ``src (B, S)``, ``src_len (B,)``, ``tgt_in (B, T)`` → logits ``(B, T, V)``."""
        return self.decode(self.encode(src, src_len), tgt_in)[0]

    @torch.no_grad()
    def generate(self, code: torch.Tensor, max_len: int) -> list[list[int]]:
        """Greedy decoding from codes ``(B, C)``: the ids of each sequence, without ``<sos>``/``<eos>``."""
        check_int(max_len, "max_len", 1)
        B = code.shape[0]
        token = torch.full((B, 1), SOS_ID, dtype=torch.long, device=code.device)   # (B, 1)
        state, steps = None, []
        done = torch.zeros(B, dtype=torch.bool, device=code.device)
        for _ in range(max_len):
            logits, state = self.decode(code, token, state)                  # (B, 1, V)
            logits[..., PAD_ID] = logits[..., SOS_ID] = float("-inf")        # never emit <pad> or <sos>
            token = logits.argmax(-1)                                        # (B, 1)
            steps.append(token.squeeze(1))
            done |= token.squeeze(1) == EOS_ID
            if done.all():
                break
        ids = torch.stack(steps, dim=1).tolist()                             # (B, T')
        return [row[: row.index(EOS_ID)] if EOS_ID in row else row for row in ids]


class SeriesAutoencoder(nn.Module):
    """LSTM autoencoder for windows of a real-valued series: ``x (B, T)`` → code ``(B, C)`` → reconstruction ``(B, T)``.

    The decoder gets no past values, only the code, repeated at every step (and as its initial
    state): whatever it reconstructs had to pass through the bottleneck.
    """

    def __init__(self, hidden: int = 64, code_dim: int = 16):
        super().__init__()
        check_int(hidden, "hidden", 1)
        check_int(code_dim, "code_dim", 1)
        self.encoder = nn.LSTM(1, hidden, batch_first=True)
        self.to_code = nn.Linear(hidden, code_dim)
        self.from_code = nn.Linear(code_dim, 2 * hidden)
        self.decoder = nn.LSTM(code_dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Windows ``(B, T)`` → codes ``(B, C)``."""
        if not isinstance(x, torch.Tensor) or x.dim() != 2:
            raise ValueError(f"x must be a (B, T) tensor of windows, got {getattr(x, 'shape', type(x).__name__)}")
        _, (h_n, _) = self.encoder(x.unsqueeze(-1))                 # h_n: (1, B, H)
        return torch.tanh(self.to_code(h_n[-1]))                    # (B, C)

    def decode(self, code: torch.Tensor, steps: int) -> torch.Tensor:
        """Codes ``(B, C)`` → reconstructed windows ``(B, steps)``."""
        h0, c0 = torch.tanh(self.from_code(code)).chunk(2, dim=-1)  # (B, H) each
        state = (h0.unsqueeze(0).contiguous(), c0.unsqueeze(0).contiguous())
        output, _ = self.decoder(code.unsqueeze(1).expand(-1, steps, -1).contiguous(), state)  # (B, T, H)
        return self.out(output).squeeze(-1)                         # (B, T)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Reconstruct ``x (B, T)``."""
        return self.decode(self.encode(x), x.shape[1])


@torch.no_grad()
def reconstruct(model: RecurrentAutoencoder, words: Sequence[str], vocab: Vocab, max_len: int | None = None,
                batch_size: int = 512) -> list[str]:
    """Encode and greedily decode ``words``; returns the reconstructed strings."""
    if isinstance(words, str):
        raise TypeError("words must be a list of str, not a str")
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    out = []
    for i in range(0, len(words), batch_size):
        chunk = list(words[i:i + batch_size])
        src, src_len = pad_batch([vocab.encode(list(w)) for w in chunk])
        code = model.encode(src.to(device), src_len.to(device))
        limit = max_len if max_len is not None else int(src_len.max()) + 5
        out += ["".join(vocab.decode(ids)) for ids in model.generate(code, limit)]
    model.train(was_training)
    return out

