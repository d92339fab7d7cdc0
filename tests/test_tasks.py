import pytest

from seq2seq_lib.tasks import DIGIT_TASKS, digit_pairs, digit_split, digit_target, shifted_windows


def test_digit_target_hand_examples():
    src = ["3", "1", "2", "1"]
    assert digit_target("copy", src) == ["3", "1", "2", "1"]
    assert digit_target("reverse", src) == ["1", "2", "1", "3"]
    assert digit_target("sort", src) == ["1", "1", "2", "3"]


@pytest.mark.parametrize("task", DIGIT_TASKS)
def test_digit_pairs_are_seeded_distinct_and_in_range(task):
    pairs = digit_pairs(task, 500, 2, 6, seed=3)
    assert pairs == digit_pairs(task, 500, 2, 6, seed=3) and pairs != digit_pairs(task, 500, 2, 6, seed=4)
    assert len({tuple(s) for s, _ in pairs}) == 500
    assert {len(s) for s, _ in pairs} == {2, 3, 4, 5, 6}
    assert all(set(s) <= set("0123456789") and t == digit_target(task, s) for s, t in pairs)


def test_digit_pairs_exclude_and_exhausted_lengths():
    exclude = {tuple(str(d)) for d in range(10)}  # every one-digit string
    pairs = digit_pairs("copy", 50, 1, 2, exclude=exclude)
    assert all(len(s) == 2 for s, _ in pairs)
    assert len(digit_pairs("copy", 110, 1, 2)) == 110  # all strings of length 1 and 2
    with pytest.raises(ValueError, match="distinct digit strings"):
        digit_pairs("copy", 111, 1, 2)
    with pytest.raises(ValueError, match="distinct digit strings"):
        digit_pairs("copy", 108, 1, 2, exclude=[["5"], ["7"], ["1", "2"], ["x"]])


@pytest.mark.parametrize("balance", [True, False])
def test_digit_split_is_disjoint_and_seeded(balance):
    train, test = digit_split("reverse", 3000, 400, 1, 7, seed=1, balance_test=balance)
    assert (train, test) == digit_split("reverse", 3000, 400, 1, 7, seed=1, balance_test=balance)
    assert len(train) == 3000 and len(test) == 400
    train_src = {tuple(s) for s, _ in train}
    assert len(train_src) == 3000 and not train_src & {tuple(s) for s, _ in test}
    assert all(t == s[::-1] for s, t in train + test)


def test_digit_split_balances_test_lengths():
    _, test = digit_split("sort", 1000, 700, 1, 7, seed=0)
    counts = {L: sum(len(s) == L for s, _ in test) for L in range(1, 8)}
    assert counts[1] == 5 and counts[2] == 50  # at most half of the strings of a length are held out
    assert max(counts[L] for L in range(3, 8)) - min(counts[L] for L in range(3, 8)) <= 1
    _, test = digit_split("sort", 10, 7, 3, 5)
    assert sorted(len(s) for s, _ in test) == [3, 3, 3, 4, 4, 5, 5]


def test_digit_split_capacity_errors():
    with pytest.raises(ValueError, match="n_train \\+ n_test"):
        digit_split("copy", 100, 20, 1, 2)
    with pytest.raises(ValueError, match="balanced"):
        digit_split("copy", 3, 6, 1, 1)


@pytest.mark.parametrize("call, error, msg", [
    (lambda: digit_pairs("copia", 5, 1, 3), ValueError, "task must be one of"),
    (lambda: digit_pairs(3, 5, 1, 3), TypeError, "task must be a str"),
    (lambda: digit_pairs("copy", 0, 1, 3), ValueError, "n must be >= 1"),
    (lambda: digit_pairs("copy", 5.0, 1, 3), TypeError, "n must be an int"),
    (lambda: digit_pairs("copy", 5, 4, 3), ValueError, "min_len must be <= max_len"),
    (lambda: digit_pairs("copy", 5, 0, 3), ValueError, "min_len must be between"),
    (lambda: digit_pairs("copy", 5, 1, 3, exclude="12"), TypeError, "exclude"),
    (lambda: digit_split("copy", 5, 2, 1, 3, balance_test=1), TypeError, "balance_test"),
    (lambda: digit_target("copy", "123"), TypeError, "not a single str"),
    (lambda: shifted_windows(5, 2, window=0), ValueError, "window must be >= 1"),
    (lambda: shifted_windows(900, 200), ValueError, "fewer than n_train"),
])
def test_argument_validation(call, error, msg):
    with pytest.raises(error, match=msg):
        call()


def test_shifted_windows_hand_example_and_disjoint_starts():
    train, test = shifted_windows(800, 150, window=10, shift=5, n_tokens=1000, seed=2)
    assert (train, test) == shifted_windows(800, 150, window=10, shift=5, n_tokens=1000, seed=2)
    assert len(train) == 800 and len(test) == 150
    for src, tgt in train + test:
        s = int(src[0])
        assert src == [str(i) for i in range(s, s + 10)] and tgt == [str(i) for i in range(s + 5, s + 15)]
        assert int(tgt[-1]) <= 999
    train_starts, test_starts = {s[0] for s, _ in train}, {s[0] for s, _ in test}
    assert not train_starts & test_starts
    assert {t for s, _ in test for t in s} <= {t for s, _ in train for t in s}
    assert {t for _, g in test for t in g} <= {t for _, g in train for t in g}
    small_train, _ = shifted_windows(3, 1, window=2, shift=1, n_tokens=6)
    assert all(int(t) - int(s) == 1 for src, tgt in small_train for s, t in zip(src, tgt))
