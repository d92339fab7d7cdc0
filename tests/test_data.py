import pytest
import torch
from torch.utils.data import DataLoader

from seq2seq_lib import (EOS_ID, PAD_ID, SOS_ID, Vocab, first_token_recall, is_grammatical, lm_pairs, pad_collate,
                         spanish_sentences, tokenize_chars, train_val_split)


def test_spanish_sentences_are_distinct_grammatical_and_seeded():
    a = spanish_sentences(2000, seed=1)
    assert len(set(a)) == 2000 and a == spanish_sentences(2000, seed=1) and a != spanish_sentences(2000, seed=2)
    assert all(is_grammatical(s) for s in a)
    assert all(s.endswith(".") and s == s.lower() for s in a)
    assert any("ñ" in s for s in a) and any("á" in s or "é" in s or "í" in s for s in a)


@pytest.mark.parametrize("sentence", [
    "la niña curioso busca el paraguas.",      # adjective disagrees in gender
    "los gatos come el pan.",                   # verb disagrees in number
    "el gato lee un libro.",                    # animals do not read in this grammar
    "el perro come el pan",                     # no final period
    "la niña come.",                            # no object
    "la niña come el pan por la tarde en casa.",  # place after time
])
def test_is_grammatical_rejects_broken_sentences(sentence):
    assert not is_grammatical(sentence)


def test_is_grammatical_accepts_full_sentence_and_checks_type():
    assert is_grammatical("las niñas jóvenes comen el pan en casa por la tarde.")
    with pytest.raises(TypeError, match="sentence"):
        is_grammatical(3)


def test_spanish_sentences_errors():
    for bad in (0, -3, 1.5, 10**6):
        with pytest.raises(ValueError, match="n must"):
            spanish_sentences(bad)


def test_train_val_split_is_disjoint_complete_and_seeded():
    items = spanish_sentences(500)
    train, val = train_val_split(items, 0.2, seed=3)
    assert len(val) == 100 and len(train) == 400
    assert not set(train) & set(val) and set(train) | set(val) == set(items)
    assert (train, val) == train_val_split(items, 0.2, seed=3)


def test_train_val_split_errors():
    with pytest.raises(ValueError, match="duplicates"):
        train_val_split(["a", "b", "a"], 0.5)
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(["a", "b"], 1.0)
    with pytest.raises(ValueError, match="empty split"):
        train_val_split(["a", "b", "c"], 0.1)


def test_lm_pairs_shift_by_one_and_collate_pads():
    texts = ["hola", "sí"]
    vocab = Vocab.build(tokenize_chars(t) for t in texts)
    pairs = lm_pairs(texts, vocab, tokenize_chars)
    x, y = pairs[0]
    assert x[0] == SOS_ID and y[-1] == EOS_ID and torch.equal(x[1:], y[:-1])
    X, Y = next(iter(DataLoader(pairs, batch_size=2, collate_fn=pad_collate)))
    assert X.shape == Y.shape == (2, 5)
    assert Y[1].tolist()[-2:] == [PAD_ID, PAD_ID] and vocab.decode(Y[1]) == ["s", "í"]
    with pytest.raises(TypeError, match="list of strings"):
        lm_pairs("hola", vocab, tokenize_chars)
    with pytest.raises(ValueError, match="empty batch"):
        pad_collate([])


def test_first_token_recall_shapes_labels_and_seed():
    (X, y), (Xt, yt) = first_token_recall(300, 100, length=12, n_classes=4, n_noise=3, seed=5)
    assert X.shape == (300, 12) and y.shape == (300,) and Xt.shape == (100, 12) and yt.shape == (100,)
    assert X.dtype == y.dtype == torch.long
    assert torch.equal(y, X[:, 0]) and torch.equal(yt, Xt[:, 0])
    assert int(X[:, 0].max()) < 4 and int(X[:, 1:].min()) >= 4 and int(X[:, 1:].max()) < 7
    assert set(y.tolist()) == {0, 1, 2, 3}                           # every class occurs
    again = first_token_recall(300, 100, length=12, n_classes=4, n_noise=3, seed=5)
    assert torch.equal(again[0][0], X) and not torch.equal(first_token_recall(300, 100, 12, seed=6)[0][0], X)


def test_first_token_recall_test_split_is_disjoint_from_train():
    # Short sequences (4 * 2**5 = 128 possible) make collisions certain if the generator did not prevent them.
    (X, _), (Xt, _) = first_token_recall(40, 24, length=6, n_classes=4, n_noise=2, seed=0)
    train_rows, test_rows = set(map(tuple, X.tolist())), set(map(tuple, Xt.tolist()))
    assert len(train_rows) == 40 and len(test_rows) == 24 and not train_rows & test_rows


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(n_train=0), ValueError, "n_train"),
    (dict(n_test=2.5), TypeError, "n_test"),
    (dict(length=0), ValueError, "length"),
    (dict(n_classes=1), ValueError, "n_classes"),
    (dict(n_noise=True), TypeError, "n_noise"),
    (dict(length=3, n_noise=2), ValueError, "distinct sequences"),
])
def test_first_token_recall_errors(kwargs, error, match):
    args = dict(n_train=50, n_test=20, length=8) | kwargs
    with pytest.raises(error, match=match):
        first_token_recall(**args)


def test_later_marker_tagging_tags_and_disjoint_split():
    from seq2seq_lib import later_marker_tagging

    train, test = later_marker_tagging(300, 100, min_length=3, max_length=12, seed=4)
    assert len(train) == 300 and len(test) == 100
    assert not {t for t, _ in train} & {t for t, _ in test}               # held-out texts never seen
    assert len({t for t, _ in train + test}) == 400
    for text, tags in train + test:
        assert 3 <= len(text) <= 12 and len(tags) == len(text) and set(text) <= set("abcdex")
        assert tags == "".join("s" if "x" in text[t + 1 :] else "n" for t in range(len(text)))
    assert any("s" in tags for _, tags in train) and any("x" in text and tags[-1] == "n" for text, tags in train)
    assert later_marker_tagging(300, 100, 3, 12, seed=4) == (train, test)
    assert later_marker_tagging(300, 100, 3, 12, seed=5) != (train, test)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_train": 1.5}, TypeError, "n_train must be an int"),
    ({"n_test": 0}, ValueError, "n_test must be >= 1"),
    ({"min_length": 5, "max_length": 3}, ValueError, "max_length must be >= min_length"),
    ({"symbols": 5}, TypeError, "symbols must be a str"),
    ({"symbols": "aa"}, ValueError, "symbols must hold"),
    ({"marker": "a"}, ValueError, "marker must be one character"),
    ({"marker_prob": 1.0}, ValueError, "marker_prob"),
    ({"max_length": 2, "min_length": 1}, ValueError, "allows only 36 texts"),
])
def test_later_marker_tagging_errors(kwargs, error, message):
    from seq2seq_lib import later_marker_tagging

    args = {"n_train": 10, "n_test": 5, **kwargs}
    with pytest.raises(error, match=message):
        later_marker_tagging(**args)
