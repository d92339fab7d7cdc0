"""Synthetic sequence-to-sequence tasks: digit strings (copy, reverse, sort) and shifted windows.

Every generator is deterministic given ``seed`` and returns pairs in the format shared by the
course's sequence-to-sequence notebooks::

    list[tuple[list[str], list[str]]]      # (source tokens, target tokens), no special tokens

The ``*_split`` functions return ``(train, test)`` whose test sources never appear in training.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from .core import check_int

__all__ = ["DIGIT_TASKS", "digit_target", "digit_pairs", "digit_split", "shifted_windows"]

Pair = tuple[list[str], list[str]]
DIGITS = tuple("0123456789")
DIGIT_TASKS = ("copy", "reverse", "sort")


def _check_task(task: object) -> str:
    if not isinstance(task, str):
        raise TypeError(f"task must be a str, one of {DIGIT_TASKS}, got {type(task).__name__}")
    if task not in DIGIT_TASKS:
        raise ValueError(f"task must be one of {DIGIT_TASKS}, got {task!r}")
    return task


def _check_lengths(min_len: object, max_len: object) -> tuple[int, int]:
    check_int(min_len, "min_len", 1, 30)
    check_int(max_len, "max_len", 1, 30)
    if min_len > max_len:  # type: ignore[operator]
        raise ValueError(f"min_len must be <= max_len, got min_len={min_len}, max_len={max_len}")
    return min_len, max_len  # type: ignore[return-value]


def digit_target(task: str, source: Sequence[str]) -> list[str]:
    """The target of a digit task: ``copy`` keeps ``source``, ``reverse`` flips it, ``sort`` sorts it ascending."""
    _check_task(task)
    if isinstance(source, str) or not all(isinstance(t, str) for t in source):
        raise TypeError("source must be a sequence of str tokens such as ['3', '1', '2'], not a single str")
    if task == "copy":
        return list(source)
    if task == "reverse":
        return list(reversed(source))
    return sorted(source)


def _normalise_exclude(exclude: Iterable[Sequence[str]]) -> set[tuple[str, ...]]:
    if isinstance(exclude, str):
        raise TypeError("exclude must be a collection of token sequences, not a str")
    return {tuple(seq) for seq in exclude}


def _digit_sources(lengths: list[int], rng: random.Random, taken: set[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Draw one new distinct digit string per entry of ``lengths``, avoiding (and then adding to) ``taken``."""
    out = []
    for length in lengths:
        while True:  # capacity was checked by the caller, so this terminates
            src = tuple(rng.choice(DIGITS) for _ in range(length))
            if src not in taken:
                break
        taken.add(src)
        out.append(src)
    return out


def _free_per_length(min_len: int, max_len: int, taken: set[tuple[str, ...]]) -> dict[int, int]:
    """How many digit strings of each length in ``[min_len, max_len]`` are not in ``taken``."""
    used: dict[int, int] = {}
    for seq in taken:
        if min_len <= len(seq) <= max_len and all(t in DIGITS for t in seq):
            used[len(seq)] = used.get(len(seq), 0) + 1
    return {L: 10 ** L - used.get(L, 0) for L in range(min_len, max_len + 1)}


def _uniform_lengths(n: int, free: dict[int, int], rng: random.Random) -> list[int]:
    """``n`` lengths drawn uniformly among those that still have free strings (exhausted lengths are dropped)."""
    free = dict(free)
    lengths = []
    for _ in range(n):
        length = rng.choice([L for L, k in free.items() if k > 0])
        free[length] -= 1
        lengths.append(length)
    return lengths


def _balanced_lengths(n: int, free: dict[int, int]) -> list[int]:
    """``n`` lengths spread as evenly as possible, taking at most half of the free strings of each length."""
    caps = {L: k // 2 for L, k in free.items()}
    if sum(caps.values()) < n:
        raise ValueError(f"a balanced test set takes at most half the strings of each length ({sum(caps.values())} "
                         f"here), cannot hold out n_test={n}; widen the lengths, lower n_test "
                         "or use balance_test=False")
    counts = dict.fromkeys(free, 0)
    remaining = n
    while remaining:
        open_lengths = [L for L in counts if counts[L] < caps[L]]
        share = max(1, remaining // len(open_lengths))
        for L in open_lengths:
            take = min(share, caps[L] - counts[L], remaining)
            counts[L] += take
            remaining -= take
    return [L for L, k in counts.items() for _ in range(k)]


def digit_pairs(task: str, n: int, min_len: int, max_len: int, seed: int = 0,
                exclude: Iterable[Sequence[str]] = ()) -> list[Pair]:
    """``n`` pairs of a digit task with distinct random sources of length uniform in ``[min_len, max_len]``.

    Tokens are the characters ``"0"``…``"9"``; e.g. ``(['3', '1', '2'], ['1', '2', '3'])`` for ``"sort"``.
    Sources in ``exclude`` (token sequences) are never produced. When a length runs out of distinct
    strings (there are only 10 of length 1) the remaining lengths are drawn instead.
    """
    _check_task(task)
    check_int(n, "n", 1)
    min_len, max_len = _check_lengths(min_len, max_len)
    check_int(seed, "seed", 0)
    taken = _normalise_exclude(exclude)
    free = _free_per_length(min_len, max_len, taken)
    if sum(free.values()) < n:
        raise ValueError(f"only {sum(free.values())} distinct digit strings of length {min_len}..{max_len} "
                         f"are available (after exclude), cannot draw n={n}; widen the lengths or lower n")
    rng = random.Random(seed)
    sources = _digit_sources(_uniform_lengths(n, free, rng), rng, taken)
    return [(list(s), digit_target(task, s)) for s in sources]


def digit_split(task: str, n_train: int, n_test: int, min_len: int, max_len: int, seed: int = 0,
                balance_test: bool = True) -> tuple[list[Pair], list[Pair]]:
    """``(train, test)`` pairs of a digit task; no test source appears in training.

    The test set is drawn first. With ``balance_test=True`` (default) it holds the same number of
    examples of every length in ``[min_len, max_len]`` (the shorter lengths get one more when
    ``n_test`` does not divide evenly), so accuracy per length is measured on equal-sized groups;
    a length never gives the test set more than half of its strings (only 10 strings have one
    digit: at most 5 are held out), the rest going to the other lengths;
    with ``False`` its lengths are uniform at random like the training set's. The training set is
    then drawn among the remaining strings; both are shuffled.
    """
    _check_task(task)
    check_int(n_train, "n_train", 1)
    check_int(n_test, "n_test", 1)
    min_len, max_len = _check_lengths(min_len, max_len)
    check_int(seed, "seed", 0)
    if not isinstance(balance_test, bool):
        raise TypeError(f"balance_test must be a bool, got {type(balance_test).__name__}")
    free = _free_per_length(min_len, max_len, set())
    if sum(free.values()) < n_train + n_test:
        raise ValueError(f"only {sum(free.values())} distinct digit strings of length {min_len}..{max_len}, "
                         f"cannot draw n_train + n_test = {n_train + n_test}; widen the lengths or lower n")
    rng = random.Random(seed)
    if balance_test:
        lengths = _balanced_lengths(n_test, free)
        rng.shuffle(lengths)
    else:
        lengths = _uniform_lengths(n_test, free, rng)
    taken: set[tuple[str, ...]] = set()
    test = _digit_sources(lengths, rng, taken)
    free = _free_per_length(min_len, max_len, taken)
    if sum(free.values()) < n_train:
        raise ValueError(f"after holding out the test set only {sum(free.values())} strings are left, "
                         f"cannot draw n_train={n_train}")
    train = _digit_sources(_uniform_lengths(n_train, free, rng), rng, taken)
    return ([(list(s), digit_target(task, s)) for s in train],
            [(list(s), digit_target(task, s)) for s in test])


def shifted_windows(n_train: int, n_test: int, window: int = 10, shift: int = 5, n_tokens: int = 1000,
                    seed: int = 0) -> tuple[list[Pair], list[Pair]]:
    """``(train, test)`` windows of the sequence ``0, 1, …, n_tokens - 1`` and the same window shifted ahead.

    A window starting at ``s`` has source tokens ``str(s) … str(s + window - 1)`` and target tokens
    ``str(s + shift) … str(s + shift + window - 1)``; valid starts are ``0 … n_tokens - window - shift``.
    ``n_test`` starts drawn at random are held out: no training window starts there (training
    windows may still overlap them, as they overlap each other). The draw is repeated, with the same
    random generator, until every token of the test sources and targets also occurs in the training
    sources and targets respectively, so a test window never needs a token the model cannot know.
    Both lists are sorted by start position.
    """
    check_int(n_train, "n_train", 1)
    check_int(n_test, "n_test", 1)
    check_int(window, "window", 1)
    check_int(shift, "shift", 1)
    check_int(n_tokens, "n_tokens", 2)
    check_int(seed, "seed", 0)
    n_starts = n_tokens - window - shift + 1
    if n_starts < n_train + n_test:
        raise ValueError(f"n_tokens={n_tokens}, window={window}, shift={shift} give {max(n_starts, 0)} windows, "
                         f"fewer than n_train + n_test = {n_train + n_test}")
    rng = random.Random(seed)
    for _ in range(100):
        starts = rng.sample(range(n_starts), n_train + n_test)
        test_starts, train_starts = sorted(starts[:n_test]), sorted(starts[n_test:])
        train = [_window(s, window, shift) for s in train_starts]
        test = [_window(s, window, shift) for s in test_starts]
        src_seen = {t for src, _ in train for t in src}
        tgt_seen = {t for _, tgt in train for t in tgt}
        if all(set(src) <= src_seen and set(tgt) <= tgt_seen for src, tgt in test):
            return train, test
    raise ValueError("could not hold out test windows whose tokens all occur in training; "
                     "raise n_train or lower n_test")


def _window(start: int, window: int, shift: int) -> Pair:
    return ([str(i) for i in range(start, start + window)],
            [str(i) for i in range(start + shift, start + shift + window)])
