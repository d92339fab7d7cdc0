"""Data the notebooks generate offline: a small Spanish corpus, splits, language-model pairs, a recall task."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import TypeVar

import torch

from .core import check_int
from .text import EOS_ID, SOS_ID, Vocab, pad_batch

__all__ = ["spanish_sentences", "is_grammatical", "train_val_split", "lm_pairs", "pad_collate",
           "first_token_recall", "later_marker_tagging"]

T = TypeVar("T")

# A tiny grammar of Spanish sentences with gender and number agreement:
#   determinante + sustantivo [+ adjetivo] + verbo + objeto [+ lugar] [+ momento] + "."
_DETS = {("m", "s"): ["el", "un", "mi", "este"], ("m", "p"): ["los", "unos", "mis", "estos"],
         ("f", "s"): ["la", "una", "mi", "esta"], ("f", "p"): ["las", "unas", "mis", "estas"]}
# (singular, plural, gender, is_animal)
_NOUNS = [("gato", "gatos", "m", True), ("perro", "perros", "m", True), ("niño", "niños", "m", False),
          ("abuelo", "abuelos", "m", False), ("vecino", "vecinos", "m", False), ("pintor", "pintores", "m", False),
          ("maestro", "maestros", "m", False), ("hermano", "hermanos", "m", False),
          ("gata", "gatas", "f", True), ("niña", "niñas", "f", False), ("abuela", "abuelas", "f", False),
          ("vecina", "vecinas", "f", False), ("doctora", "doctoras", "f", False),
          ("cocinera", "cocineras", "f", False), ("maestra", "maestras", "f", False), ("hermana", "hermanas", "f", False)]
# Adjectives by (gender, number); "feliz" and "joven" only change with number.
_ADJS = [{("m", "s"): a + "o", ("m", "p"): a + "os", ("f", "s"): a + "a", ("f", "p"): a + "as"}
         for a in ("pequeñ", "simpátic", "cansad", "content", "alt", "curios")]
_ADJS += [{(g, n): sing if n == "s" else plur for g in "mf" for n in "sp"}
          for sing, plur in (("feliz", "felices"), ("joven", "jóvenes"))]
_OBJECTS = {
    "comida": ["una manzana", "el pan", "la sopa", "unas galletas", "el pescado", "un pastel", "las uvas", "el arroz"],
    "lectura": ["un libro", "el periódico", "una carta", "un cuento", "la revista", "unos poemas"],
    "cosas": ["la llave", "una silla", "el sombrero", "la pelota", "unas flores", "el paraguas"],
    "pintura": ["la puerta", "un cuadro", "la pared", "una mesa", "la valla"],
    "lavado": ["los platos", "la ropa", "el coche", "las tazas", "la ventana"],
}
# (singular, plural, object kinds, animals may do it)
_VERBS = [("come", "comen", ("comida",), True), ("prepara", "preparan", ("comida",), False),
          ("lee", "leen", ("lectura",), False), ("escribe", "escriben", ("lectura",), False),
          ("mira", "miran", ("comida", "cosas", "pintura"), True), ("busca", "buscan", ("cosas", "comida"), True),
          ("compra", "compran", ("comida", "lectura", "cosas"), False), ("pinta", "pintan", ("pintura",), False),
          ("lava", "lavan", ("lavado",), False)]
_PLACES = ["en la cocina", "en el parque", "en la escuela", "en casa", "junto al río", "en el jardín",
           "en la plaza", "en la biblioteca"]
_TIMES = ["por la mañana", "por la tarde", "todos los días", "cada domingo", "los sábados", "esta noche"]


def _sentence(rng: random.Random) -> str:
    sing, plur, gender, animal = rng.choice(_NOUNS)
    number = rng.choice("sp")
    words = [rng.choice(_DETS[gender, number]), sing if number == "s" else plur]
    if rng.random() < 0.5:
        words.append(rng.choice(_ADJS)[gender, number])
    verb = rng.choice([v for v in _VERBS if v[3] or not animal])
    words.append(verb[0] if number == "s" else verb[1])
    words.append(rng.choice(_OBJECTS[rng.choice(verb[2])]))
    if rng.random() < 0.5:
        words.append(rng.choice(_PLACES))
    if rng.random() < 0.4:
        words.append(rng.choice(_TIMES))
    return " ".join(words) + "."


def spanish_sentences(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` distinct generated Spanish sentences, e.g. ``'las niñas felices leen un cuento.'``."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 100_000:
        raise ValueError(f"n must be an int between 1 and 100000, got {n!r}")
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.setdefault(_sentence(rng))
    return list(seen)


def _match(words: list[str], i: int, options: list[str]) -> int | None:
    """Index after the longest phrase of ``options`` found at ``words[i:]``, or None."""
    best = None
    for phrase in options:
        n = len(phrase.split())
        if words[i : i + n] == phrase.split() and (best is None or i + n > best):
            best = i + n
    return best


def is_grammatical(sentence: str) -> bool:
    """Tell whether ``spanish_sentences``' grammar can produce ``sentence`` (agreement included)."""
    if not isinstance(sentence, str):
        raise TypeError(f"sentence must be a str, got {type(sentence).__name__}")
    if not sentence.endswith(".") or sentence != sentence.strip():
        return False
    words = sentence[:-1].split(" ")
    if len(words) < 4:
        return False
    for sing, plur, gender, animal in _NOUNS:
        for number, noun in (("s", sing), ("p", plur)):
            if words[0] not in _DETS[gender, number] or words[1] != noun:
                continue
            i = 3 if any(a[gender, number] == words[2] for a in _ADJS) else 2
            for verb in _VERBS:
                if words[i : i + 1] != [verb[0] if number == "s" else verb[1]] or (animal and not verb[3]):
                    continue
                j = _match(words, i + 1, [o for kind in verb[2] for o in _OBJECTS[kind]])
                if j is None:
                    continue
                j = _match(words, j, _PLACES) or j
                j = _match(words, j, _TIMES) or j
                if j == len(words):
                    return True
    return False


def train_val_split(items: Sequence[T], val_fraction: float = 0.1, seed: int = 0) -> tuple[list[T], list[T]]:
    """Shuffle and split distinct ``items`` into ``(train, val)``; duplicates are refused (they would leak)."""
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be in (0, 1), got {val_fraction!r}")
    items = list(items)
    if len(set(map(repr, items))) != len(items):
        raise ValueError("items contain duplicates: the same item could land in both splits; deduplicate first")
    n_val = round(len(items) * val_fraction)
    if n_val == 0 or n_val == len(items):
        raise ValueError(f"{len(items)} items with val_fraction={val_fraction} leave an empty split")
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [items[i] for i in order[n_val:]], [items[i] for i in order[:n_val]]


def lm_pairs(texts: Sequence[str], vocab: Vocab, tokenize: Callable[[str], list[str]]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Next-token pairs: input ``<sos> t1 … tn`` and target ``t1 … tn <eos>`` (the target is the input shifted by one)."""
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not one string")
    pairs = []
    for text in texts:
        ids = vocab.encode(tokenize(text))
        pairs.append((torch.tensor([SOS_ID] + ids), torch.tensor(ids + [EOS_ID])))
    return pairs


def pad_collate(batch: Sequence[tuple[torch.Tensor, ...]]) -> tuple[torch.Tensor, ...]:
    """``collate_fn`` for a ``DataLoader`` of variable-length tuples: pads each field to ``(B, T)`` with ``<pad>``."""
    if len(batch) == 0:
        raise ValueError("cannot collate an empty batch")
    return tuple(pad_batch(list(field))[0] for field in zip(*batch))


def first_token_recall(n_train: int, n_test: int, length: int, n_classes: int = 4, n_noise: int = 4,
                       seed: int = 0) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """Long-range recall: a class symbol, then ``length - 1`` noise symbols; the label is the first symbol.

    Ids ``0 … n_classes-1`` are classes and ``n_classes … n_classes+n_noise-1`` noise. Returns
    ``(X_train (N, T), y_train (N,)), (X_test (M, T), y_test (M,))``, int64; every sequence is distinct,
    so no test sequence occurs in the training split.
    """
    for name, value, low in (("n_train", n_train, 1), ("n_test", n_test, 1), ("length", length, 1),
                             ("n_classes", n_classes, 2), ("n_noise", n_noise, 1), ("seed", seed, 0)):
        check_int(value, name, low)
    n = n_train + n_test
    if n_classes * n_noise ** (length - 1) < 2 * n:
        raise ValueError(f"length={length} with n_classes={n_classes}, n_noise={n_noise} allows only "
                         f"{n_classes * n_noise ** (length - 1)} distinct sequences; n_train + n_test = {n} "
                         "needs at least twice as many: raise length or n_noise")
    g = torch.Generator().manual_seed(seed)
    seen: dict[tuple[int, ...], None] = {}
    while len(seen) < n:
        x = torch.randint(n_classes, n_classes + n_noise, (n, length), generator=g)  # (n, T)
        x[:, 0] = torch.randint(n_classes, (n,), generator=g)
        for row in x.tolist():
            if len(seen) < n:
                seen.setdefault(tuple(row))
    X = torch.tensor(list(seen), dtype=torch.long)  # (n, T), distinct rows
    return (X[:n_train], X[:n_train, 0].clone()), (X[n_train:], X[n_train:, 0].clone())


def later_marker_tagging(n_train: int, n_test: int, min_length: int = 4, max_length: int = 20,
                         symbols: str = "abcde", marker: str = "x", marker_prob: float = 0.1, seed: int = 0,
                         ) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Sequence labelling whose answer lies to the right: tag each character by whether ``marker`` occurs later.

    Each item is ``(text, tags)``, two strings of the same length L (``min_length <= L <= max_length``):
    ``text`` mixes ``symbols`` with ``marker`` (probability ``marker_prob`` per position) and ``tags[t]`` is
    ``"s"`` when ``marker`` occurs at some position after ``t`` and ``"n"`` otherwise, e.g.
    ``("caxbe", "ssnnn")`` (the last position is always ``"n"``). Returns ``(train, test)`` lists of
    ``n_train`` and ``n_test`` items; every text is distinct, so no test text occurs in training.
    """
    for name, value, low in (("n_train", n_train, 1), ("n_test", n_test, 1), ("min_length", min_length, 1),
                             ("max_length", max_length, 1), ("seed", seed, 0)):
        check_int(value, name, low)
    if max_length < min_length:
        raise ValueError(f"max_length must be >= min_length, got max_length={max_length}, min_length={min_length}")
    for name, value in (("symbols", symbols), ("marker", marker)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if len(symbols) < 2 or len(set(symbols)) != len(symbols):
        raise ValueError(f"symbols must hold at least two distinct characters, got {symbols!r}")
    if len(marker) != 1 or marker in symbols:
        raise ValueError(f"marker must be one character not in symbols, got {marker!r} with symbols={symbols!r}")
    if isinstance(marker_prob, bool) or not isinstance(marker_prob, (int, float)) or not 0 < marker_prob < 1:
        raise ValueError(f"marker_prob must be a number in (0, 1), got {marker_prob!r}")
    n = n_train + n_test
    possible = (len(symbols) + 1) ** max_length
    if possible < 4 * n:
        raise ValueError(f"max_length={max_length} with {len(symbols) + 1} characters allows only {possible} texts; "
                         f"n_train + n_test = {n} needs at least four times as many: raise max_length or add symbols")
    rng = random.Random(seed)
    seen: dict[str, None] = {}
    while len(seen) < n:
        length = rng.randint(min_length, max_length)
        seen.setdefault("".join(marker if rng.random() < marker_prob else rng.choice(symbols) for _ in range(length)))
    items = []
    for text in seen:
        last = text.rfind(marker)                                   # -1 when the marker never occurs
        items.append((text, "s" * max(last, 0) + "n" * (len(text) - max(last, 0))))
    return items[:n_train], items[n_train:]
