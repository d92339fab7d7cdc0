from collections import Counter

import pytest

from seq2seq_lib.translation import (ADJECTIVES, NOUNS, PREPOSITIONS, PRONOUNS, VERBS, reference_translation,
                                     translation_pairs, translation_split)


def _t(sentence: str) -> str:
    return " ".join(reference_translation(sentence.split()))


@pytest.mark.parametrize("spanish, english", [
    ("el gato come la manzana", "the cat eats the apple"),                        # verb agreement, singular
    ("los gatos comen las manzanas", "the cats eat the apples"),                  # plural
    ("yo como un huevo", "i eat an egg"),                                         # person, a/an
    ("tú ves una casa", "you see a house"),
    ("nosotras tenemos unos libros", "we have some books"),
    ("ellas llevan una caja", "they carry a box"),
    ("la niña tiene una caja", "the girl has a box"),
    ("el gato negro pequeño come un huevo viejo", "the small black cat eats an old egg"),   # mirrored adjectives
    ("las vacas blancas bonitas lavan la casa roja grande", "the pretty white cows wash the big red house"),
    ("el hombre abre la puerta en la casa grande", "the man opens the door in the big house"),
    ("las ovejas ven el paraguas", "the sheep see the umbrella"),                  # number from the verb/determiner
    ("la oveja ve los paraguas", "the sheep sees the umbrellas"),
    ("los ratones que rompen la caja quieren un pastel", "the mice that break the box want a cake"),
    ("el niño usa la llave que la mujer compra y ellos cierran la ventana",
     "the boy uses the key that the woman buys and they close the window"),
])
def test_reference_translation_hand_examples(spanish, english):
    assert _t(spanish) == english


def test_generated_pairs_match_the_reference_and_are_grammatical():
    pairs = translation_pairs(2000, seed=7)
    assert pairs == translation_pairs(2000, seed=7) and pairs != translation_pairs(2000, seed=8)
    assert len({tuple(s) for s, _ in pairs}) == 2000
    for es, en in pairs:
        assert reference_translation(es) == en
        assert all(w == w.lower() and w.isalpha() for w in es + en)
    lengths = Counter(len(es) for es, _ in pairs)
    assert min(lengths) == 4 and max(lengths) >= 25 and sum(v for k, v in lengths.items() if k >= 15) > 500


def test_lexicon_sizes_and_no_ambiguous_word():
    assert len(NOUNS) >= 25 and {n[2] for n in NOUNS} == {"m", "f"}
    assert len(ADJECTIVES) >= 15 and len(VERBS) >= 15
    roles: dict[str, set] = {}
    for sg, pl, *_ in NOUNS:
        roles.setdefault(sg, set()).add("noun")
        roles.setdefault(pl, set()).add("noun")
    for forms, _, _ in ADJECTIVES:
        for f in forms:
            roles.setdefault(f, set()).add("adj")
    for forms, _ in VERBS:
        for person, f in enumerate(forms):
            roles.setdefault(f, set()).add(("verb", forms[0]))
    for w, *_ in PRONOUNS + PREPOSITIONS:
        roles.setdefault(w, set()).add("other")
    for w in ("el", "la", "los", "las", "un", "una", "unos", "unas", "que", "y"):
        roles.setdefault(w, set()).add("other")
    assert {w: r for w, r in roles.items() if len(r) > 1} == {}


def test_one_english_per_spanish_sentence():
    seen = {}
    for es, en in translation_pairs(3000, seed=1) + translation_pairs(3000, seed=2):
        assert seen.setdefault(tuple(es), tuple(en)) == tuple(en)


def test_length_limits_and_exclude():
    pairs = translation_pairs(300, seed=0, min_words=12, max_words=14)
    assert all(12 <= len(es) <= 14 for es, _ in pairs)
    first = translation_pairs(50, seed=3)
    again = translation_pairs(50, seed=3, exclude=[es for es, _ in first[:10]])
    assert not {tuple(es) for es, _ in first[:10]} & {tuple(es) for es, _ in again}


def test_split_is_disjoint_and_seeded():
    train, test = translation_split(3000, 500, seed=4)
    assert (train, test) == translation_split(3000, 500, seed=4)
    assert len(train) == 3000 and len(test) == 500
    assert not {tuple(es) for es, _ in train} & {tuple(es) for es, _ in test}
    train, test = translation_split(100, 50, seed=0, max_words=8)
    assert all(len(es) <= 8 for es, _ in train + test)


@pytest.mark.parametrize("call, error, msg", [
    (lambda: translation_pairs(0), ValueError, "n must be >= 1"),
    (lambda: translation_pairs("5"), TypeError, "n must be an int"),
    (lambda: translation_pairs(5, min_words=10, max_words=5), ValueError, "min_words <= max_words"),
    (lambda: translation_pairs(5, max_words=3), ValueError, "max_words"),
    (lambda: translation_pairs(5, min_words=2.0), TypeError, "min_words must be an int"),
    (lambda: translation_pairs(5, exclude="el gato"), TypeError, "exclude"),
    (lambda: translation_pairs(3, min_words=40), ValueError, "could not draw"),
    (lambda: translation_split(5, 0), ValueError, "n_test must be >= 1"),
    (lambda: translation_split(5, 5, seed=-1), ValueError, "seed must be >= 0"),
    (lambda: reference_translation("el gato come"), TypeError, "not a str"),
    (lambda: reference_translation(["el", "perro", "ladra"]), ValueError, "lexicon"),
    (lambda: reference_translation(["el", "gatos", "come", "la", "casa"]), ValueError, "determiner and a noun"),
])
def test_argument_validation(call, error, msg):
    with pytest.raises(error, match=msg):
        call()
