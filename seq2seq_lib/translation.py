"""Toy Spanish → English translation generated from a small grammar with agreement.

Both sides are lowercase word tokens without punctuation. The grammar::

    oración  → cláusula ("y" cláusula)*                 English: clauses joined by "and"
    cláusula → sujeto verbo objeto [preposición frase]*
    sujeto   → pronombre | frase_animada ["que" verbo objeto]
    objeto   → frase_inanimada ["que" sujeto_simple verbo]
    frase    → determinante sustantivo adjetivo{0,2}

Agreement rules the model must learn:

* determiners and adjectives agree with the noun in gender and number
  (``la casa roja`` / ``los gatos negros``); English ``the`` / ``a`` / ``an`` / ``some``
  (``an`` before a vowel letter: ``un huevo viejo`` → ``an old egg``);
* the verb agrees with its subject in person and number (``yo como`` → ``i eat``,
  ``el gato come`` → ``the cat eats``, ``los gatos comen`` → ``the cats eat``);
* Spanish adjectives follow the noun, English ones precede it, **in mirrored order**:
  ``el gato negro pequeño`` → ``the small black cat``. The generator writes two adjectives in
  the Spanish order color, age, size, opinion (nearest the noun first), so the mirrored English
  order is the natural one (opinion, size, age, color);
* relative clauses keep their word order: ``el pan que la niña compra`` → ``the bread that the girl buys``.

Every Spanish word has one English translation in context (the determiner settles number for
``paraguas``; ``un``/``una`` become ``a`` or ``an`` by the next English word), so each Spanish
sentence has exactly one correct English sentence, which ``reference_translation`` computes word by
word from the lexicon (a rule-based translator: the generator's English side must equal it).
English ``I`` is written ``i`` (all lowercase).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence

from .core import check_int

__all__ = ["NOUNS", "ADJECTIVES", "VERBS", "PRONOUNS", "PREPOSITIONS", "reference_translation", "translation_pairs",
           "translation_split"]

Pair = tuple[list[str], list[str]]

# Spanish singular, Spanish plural, gender, English singular, English plural.
_ANIMATE = [
    ("gato", "gatos", "m", "cat", "cats"), ("perro", "perros", "m", "dog", "dogs"),
    ("niño", "niños", "m", "boy", "boys"), ("niña", "niñas", "f", "girl", "girls"),
    ("hombre", "hombres", "m", "man", "men"), ("mujer", "mujeres", "f", "woman", "women"),
    ("ratón", "ratones", "m", "mouse", "mice"), ("vaca", "vacas", "f", "cow", "cows"),
    ("oveja", "ovejas", "f", "sheep", "sheep"), ("abuela", "abuelas", "f", "grandmother", "grandmothers"),
    ("maestro", "maestros", "m", "teacher", "teachers"), ("pájaro", "pájaros", "m", "bird", "birds"),
    ("gallina", "gallinas", "f", "hen", "hens"),
]
_INANIMATE = [
    ("casa", "casas", "f", "house", "houses"), ("mesa", "mesas", "f", "table", "tables"),
    ("libro", "libros", "m", "book", "books"), ("manzana", "manzanas", "f", "apple", "apples"),
    ("pastel", "pasteles", "m", "cake", "cakes"), ("carta", "cartas", "f", "letter", "letters"),
    ("llave", "llaves", "f", "key", "keys"), ("puerta", "puertas", "f", "door", "doors"),
    ("ventana", "ventanas", "f", "window", "windows"), ("coche", "coches", "m", "car", "cars"),
    ("silla", "sillas", "f", "chair", "chairs"), ("caja", "cajas", "f", "box", "boxes"),
    ("huevo", "huevos", "m", "egg", "eggs"), ("paraguas", "paraguas", "m", "umbrella", "umbrellas"),
]
NOUNS = tuple(_ANIMATE + _INANIMATE)

# Spanish forms (m sg, f sg, m pl, f pl), English, category (the generator's order, nearest the noun first).
_COLOR, _AGE, _SIZE, _OPINION = 0, 1, 2, 3


def _adj(stem_or_forms: str | tuple[str, str], english: str, category: int) -> tuple[tuple[str, ...], str, int]:
    if isinstance(stem_or_forms, tuple):  # same form for both genders: (singular, plural)
        sg, pl = stem_or_forms
        return (sg, sg, pl, pl), english, category
    s = stem_or_forms
    return (s + "o", s + "a", s + "os", s + "as"), english, category


ADJECTIVES = (
    _adj("negr", "black", _COLOR), _adj("blanc", "white", _COLOR), _adj("roj", "red", _COLOR),
    _adj("amarill", "yellow", _COLOR), _adj(("azul", "azules"), "blue", _COLOR),
    _adj(("verde", "verdes"), "green", _COLOR), _adj(("gris", "grises"), "gray", _COLOR),
    _adj("viej", "old", _AGE), _adj("nuev", "new", _AGE),
    _adj(("grande", "grandes"), "big", _SIZE), _adj("pequeñ", "small", _SIZE), _adj("larg", "long", _SIZE),
    _adj("bonit", "pretty", _OPINION), _adj("fe", "ugly", _OPINION), _adj("buen", "good", _OPINION),
)

# Spanish (yo, tú, él/ella, nosotros, ellos/ellas), English (base, third person singular).
VERBS = (
    (("como", "comes", "come", "comemos", "comen"), ("eat", "eats")),
    (("veo", "ves", "ve", "vemos", "ven"), ("see", "sees")),
    (("tengo", "tienes", "tiene", "tenemos", "tienen"), ("have", "has")),
    (("encuentro", "encuentras", "encuentra", "encontramos", "encuentran"), ("find", "finds")),
    (("compro", "compras", "compra", "compramos", "compran"), ("buy", "buys")),
    (("vendo", "vendes", "vende", "vendemos", "venden"), ("sell", "sells")),
    (("llevo", "llevas", "lleva", "llevamos", "llevan"), ("carry", "carries")),
    (("abro", "abres", "abre", "abrimos", "abren"), ("open", "opens")),
    (("cierro", "cierras", "cierra", "cerramos", "cierran"), ("close", "closes")),
    (("lavo", "lavas", "lava", "lavamos", "lavan"), ("wash", "washes")),
    (("pinto", "pintas", "pinta", "pintamos", "pintan"), ("paint", "paints")),
    (("miro", "miras", "mira", "miramos", "miran"), ("watch", "watches")),
    (("rompo", "rompes", "rompe", "rompemos", "rompen"), ("break", "breaks")),
    (("dibujo", "dibujas", "dibuja", "dibujamos", "dibujan"), ("draw", "draws")),
    (("quiero", "quieres", "quiere", "queremos", "quieren"), ("want", "wants")),
    (("uso", "usas", "usa", "usamos", "usan"), ("use", "uses")),
)
# Spanish pronoun, person index into the verb forms above, English pronoun.
PRONOUNS = (("yo", 0, "i"), ("tú", 1, "you"), ("él", 2, "he"), ("ella", 2, "she"),
            ("nosotros", 3, "we"), ("nosotras", 3, "we"), ("ellos", 4, "they"), ("ellas", 4, "they"))
PREPOSITIONS = (("en", "in"), ("con", "with"), ("sobre", "on"), ("sin", "without"), ("para", "for"))
_DETS = {("def", "m", "s"): "el", ("def", "f", "s"): "la", ("def", "m", "p"): "los", ("def", "f", "p"): "las",
         ("ind", "m", "s"): "un", ("ind", "f", "s"): "una", ("ind", "m", "p"): "unos", ("ind", "f", "p"): "unas"}


class _Gen:
    """One sentence drawn as parallel Spanish and English word lists; ``size`` extra pieces to place."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def phrase(self, nouns: list, n_adj: int) -> tuple[list[str], list[str], int]:
        """Determiner + noun + adjectives; returns (spanish, english, verb person index)."""
        rng = self.rng
        sg, pl, gender, en_sg, en_pl = rng.choice(nouns)
        number, kind = rng.choice("sp"), rng.choice(("def", "def", "ind"))
        adjs = sorted(rng.sample(ADJECTIVES, n_adj), key=lambda a: a[2])
        while len({a[2] for a in adjs}) < len(adjs):  # two adjectives of different categories
            adjs = sorted(rng.sample(ADJECTIVES, n_adj), key=lambda a: a[2])
        slot = (gender == "f") + 2 * (number == "p")
        es = [_DETS[kind, gender, number], sg if number == "s" else pl] + [a[0][slot] for a in adjs]
        en_words = [a[1] for a in reversed(adjs)] + [en_sg if number == "s" else en_pl]
        if kind == "def":
            det = "the"
        elif number == "p":
            det = "some"
        else:
            det = "an" if en_words[0][0] in "aeiou" else "a"
        return es, [det] + en_words, 2 if number == "s" else 4

    def verb(self, person: int) -> tuple[list[str], list[str]]:
        es_forms, (base, third) = self.rng.choice(VERBS)
        return [es_forms[person]], [third if person == 2 else base]

    def simple_subject(self, n_adj: int) -> tuple[list[str], list[str], int]:
        if self.rng.random() < 0.3:
            es, person, en = self.rng.choice(PRONOUNS)
            return [es], [en], person
        return self.phrase(_ANIMATE, n_adj)

    def clause(self, extras: list[str]) -> tuple[list[str], list[str]]:
        """A clause; ``extras`` lists the optional pieces to include ("adj", "rel_s", "rel_o", "pp")."""
        rng = self.rng

        def n_adj() -> int:  # each noun phrase takes 0, 1 or 2 of the adjectives still to place
            k = rng.randint(0, min(2, extras.count("adj")))
            for _ in range(k):
                extras.remove("adj")
            return k

        if "rel_s" in extras:
            extras.remove("rel_s")
            s_es, s_en, person = self.phrase(_ANIMATE, n_adj())
            v_es, v_en = self.verb(2 if person == 2 else 4)
            o_es, o_en, _ = self.phrase(_INANIMATE, n_adj())
            s_es, s_en = s_es + ["que"] + v_es + o_es, s_en + ["that"] + v_en + o_en
        else:
            s_es, s_en, person = self.simple_subject(n_adj())
        v_es, v_en = self.verb(person)
        o_es, o_en, _ = self.phrase(_INANIMATE, n_adj())
        if "rel_o" in extras:
            extras.remove("rel_o")
            r_es, r_en, r_person = self.simple_subject(n_adj())
            rv_es, rv_en = self.verb(r_person)
            o_es, o_en = o_es + ["que"] + r_es + rv_es, o_en + ["that"] + r_en + rv_en
        es, en = s_es + v_es + o_es, s_en + v_en + o_en
        while "pp" in extras:
            extras.remove("pp")
            p_es, p_en = rng.choice(PREPOSITIONS)
            n_es, n_en, _ = self.phrase(rng.choice((_ANIMATE, _INANIMATE)), n_adj())
            es, en = es + [p_es] + n_es, en + [p_en] + n_en
            if rng.random() < 0.5:
                break
        return es, en

    def sentence(self) -> Pair:
        rng = self.rng
        n_clauses = rng.choice((1, 1, 2))
        pieces = ["adj"] * 4 + ["rel_s", "rel_o", "pp", "pp"]
        es: list[str] = []
        en: list[str] = []
        for i in range(n_clauses):
            extras = rng.sample(pieces, rng.randint(0, len(pieces) // n_clauses))
            c_es, c_en = self.clause(extras)
            es, en = (es + ["y"] + c_es, en + ["and"] + c_en) if i else (c_es, c_en)
        return es, en


def _lexicon() -> dict[str, tuple]:
    """Spanish word → its role and English data, for ``reference_translation``."""
    lex: dict[str, tuple] = {}
    for (kind, gender, number), word in _DETS.items():
        lex[word] = ("det", kind, number)
    for sg, pl, _, en_sg, en_pl in NOUNS:
        lex[sg] = ("noun", {"s": en_sg, "p": en_pl} if sg == pl else {"s": en_sg})
        if sg != pl:
            lex[pl] = ("noun", {"p": en_pl})
    for forms, en, _ in ADJECTIVES:
        for form in forms:
            lex[form] = ("adj", en)
    for forms, (base, third) in VERBS:
        for person, form in enumerate(forms):
            lex[form] = ("word", third if person == 2 else base)
    for word, _, en in PRONOUNS:
        lex[word] = ("word", en)
    for word, en in PREPOSITIONS + (("que", "that"), ("y", "and")):
        lex[word] = ("word", en)
    return lex


_LEXICON = _lexicon()


def reference_translation(spanish: Sequence[str]) -> list[str]:
    """Translate a sentence of the grammar word by word: ``'la casa roja grande'`` → ``'the big red house'`` (word lists)."""
    if isinstance(spanish, str):
        raise TypeError("spanish must be a sequence of words, not a str; use sentence.split()")
    words, out, i = list(spanish), [], 0
    unknown = [w for w in words if w not in _LEXICON]
    if unknown:
        raise ValueError(f"words outside the grammar's lexicon: {unknown}")
    while i < len(words):
        entry = _LEXICON[words[i]]
        if entry[0] == "word":
            out.append(entry[1])
            i += 1
            continue
        noun = _LEXICON[words[i + 1]] if entry[0] == "det" and i + 1 < len(words) else None
        if noun is None or noun[0] != "noun" or entry[2] not in noun[1]:
            raise ValueError(f"expected a determiner and a noun of its number at word {i}: {words[i:i + 2]}")
        _, kind, number = entry
        i += 2
        adjs = []
        while i < len(words) and _LEXICON[words[i]][0] == "adj":
            adjs.append(_LEXICON[words[i]][1])
            i += 1
        phrase = adjs[::-1] + [noun[1][number]]
        det = "the" if kind == "def" else "some" if number == "p" else "an" if phrase[0][0] in "aeiou" else "a"
        out += [det] + phrase
    return out


def _draw(n: int, rng: random.Random, lo: int, hi: int, taken: set[tuple[str, ...]]) -> list[Pair]:
    gen, out, tries = _Gen(rng), [], 0
    while len(out) < n:
        tries += 1
        if tries > 200 * n + 10_000:
            raise ValueError(f"could not draw {n} distinct sentences of {lo}..{hi} words; widen the range or lower n")
        es, en = gen.sentence()
        if lo <= len(es) <= hi and tuple(es) not in taken:
            taken.add(tuple(es))
            out.append((es, en))
    return out


def _check_range(min_words: int | None, max_words: int | None) -> tuple[int, int]:
    lo = 4 if min_words is None else check_int(min_words, "min_words", 1)
    hi = 10_000 if max_words is None else check_int(max_words, "max_words", 1)
    if hi < 4 or lo > 40 or lo > hi:
        raise ValueError(f"need 4 <= max_words, min_words <= 40 and min_words <= max_words (sentences have "
                         f"4 to about 40 words), got min_words={min_words}, max_words={max_words}")
    return lo, hi


def translation_pairs(n: int, seed: int = 0, min_words: int | None = None, max_words: int | None = None,
                      exclude: Iterable[Sequence[str]] = ()) -> list[Pair]:
    """``n`` distinct (Spanish words, English words) sentence pairs, e.g. ``el gato negro pequeño come la manzana``
    → ``the small black cat eats the apple`` (each side a list of words).
    Sources have ``min_words``…``max_words`` words (defaults: no limit; the grammar gives 4 to
    about 40, mostly 4 to 25); sources in ``exclude`` (word sequences) are skipped.
    """
    check_int(n, "n", 1)
    check_int(seed, "seed", 0)
    lo, hi = _check_range(min_words, max_words)
    if isinstance(exclude, str):
        raise TypeError("exclude must be a collection of word sequences, not a str")
    return _draw(n, random.Random(seed), lo, hi, {tuple(s) for s in exclude})


def translation_split(n_train: int, n_test: int, seed: int = 0, min_words: int | None = None,
                      max_words: int | None = None) -> tuple[list[Pair], list[Pair]]:
    """``(train, test)`` sentence pairs; no test source sentence appears in training (test drawn first)."""
    check_int(n_train, "n_train", 1)
    check_int(n_test, "n_test", 1)
    check_int(seed, "seed", 0)
    lo, hi = _check_range(min_words, max_words)
    rng, taken = random.Random(seed), set()
    test = _draw(n_test, rng, lo, hi, taken)
    train = _draw(n_train, rng, lo, hi, taken)
    return train, test
