"""seq2seq_lib.autoencoder: pseudo-lexicon, corruption, padded batches, the two autoencoders, metrics."""

import random

import pytest
import torch

from seq2seq_lib.autoencoder import (LETTERS, VOWELS, RecurrentAutoencoder, SeriesAutoencoder, WordDataset,
                                     corrupt_word, letter_vocab, pseudo_lexicon, pseudo_word,
                                     reconstruct, word_loader)
from seq2seq_lib.seq2seq import seq2seq_collate
from seq2seq_lib.text import EOS_ID, PAD_ID, SOS_ID


def test_pseudo_lexicon_splits_are_disjoint_distinct_and_in_range():
    train, val, test = pseudo_lexicon(3000, 300, 500, min_len=3, max_len=8, seed=1)
    assert (len(train), len(val), len(test)) == (3000, 300, 500)
    words = train + val + test
    assert len(set(words)) == len(words)                      # distinct, hence no word in two splits
    assert not set(test) & set(train) and not set(val) & set(train) and not set(test) & set(val)
    assert all(3 <= len(w) <= 8 for w in words)
    assert set("".join(words)) <= set(LETTERS)


def test_pseudo_lexicon_is_reproducible_and_seed_dependent():
    assert pseudo_lexicon(50, 5, 5, seed=3) == pseudo_lexicon(50, 5, 5, seed=3)
    assert pseudo_lexicon(50, 5, 5, seed=3)[0] != pseudo_lexicon(50, 5, 5, seed=4)[0]


def test_pseudo_words_never_put_two_vowels_together():
    rng = random.Random(0)
    for _ in range(2000):
        w = pseudo_word(rng)
        assert not any(a in VOWELS and b in VOWELS for a, b in zip(w, w[1:])), w


@pytest.mark.parametrize("kwargs, error", [
    (dict(n_train=0, n_val=1, n_test=1), ValueError), (dict(n_train=1.5, n_val=1, n_test=1), TypeError),
    (dict(n_train=5, n_val=1, n_test=1, min_len=5, max_len=4), ValueError),
    (dict(n_train=5, n_val=1, n_test=1, max_len=2), ValueError),
    (dict(n_train=2000, n_val=0, n_test=0, min_len=3, max_len=3), ValueError),   # not that many 3-letter words
])
def test_pseudo_lexicon_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        pseudo_lexicon(**kwargs)


def test_corrupt_word_inserts_letters():
    rng = random.Random(0)
    for w in ["casa", "sol", "a"]:
        c = corrupt_word(w, rng, n_insertions=2)
        assert len(c) == len(w) + 2
        it = iter(c)
        assert all(ch in it for ch in w)                      # w is a subsequence of c
    assert corrupt_word("casa", rng, n_insertions=0) == "casa"
    with pytest.raises(ValueError):
        corrupt_word("", rng)
    with pytest.raises(ValueError):
        corrupt_word("casa", rng, n_insertions=-1)


def test_word_batches_frame_targets_with_sos_eos_and_pads():
    vocab = letter_vocab()
    src, src_len, tgt_in, tgt_out = next(iter(word_loader(["casa", "sol"], vocab, batch_size=2)))
    assert src_len.tolist() == [4, 3]
    assert src[1, 3].item() == PAD_ID
    assert tgt_in[:, 0].tolist() == [SOS_ID, SOS_ID]
    assert tgt_out[0, 4].item() == EOS_ID and tgt_out[1, 3].item() == EOS_ID and tgt_out[1, 4].item() == PAD_ID
    assert torch.equal(tgt_in[:, 1:][tgt_out[:, :-1] != EOS_ID], tgt_out[:, :-1][tgt_out[:, :-1] != EOS_ID])
    # the collate function and the pre-padded fast path give the same batch
    same = seq2seq_collate([WordDataset(["casa", "sol"], vocab)[i] for i in range(2)])
    assert all(torch.equal(a, b) for a, b in zip(same, (src, src_len, tgt_in, tgt_out)))


def test_word_dataset_corrupts_sources_but_not_targets():
    vocab = letter_vocab()
    data = WordDataset(["casa"] * 50, vocab, n_insertions=1, p_corrupt=0.5, seed=0)
    items = [data[i] for i in range(50)]
    assert all(vocab.decode(t) == list("casa") for _, t in items)
    lengths = {len(s) for s, _ in items}
    assert lengths == {4, 5}                                  # some corrupted, some clean
    with pytest.raises(ValueError):
        WordDataset(["casa"], vocab, n_insertions=1, p_corrupt=1.5)
    with pytest.raises(ValueError):
        WordDataset([], vocab)
    with pytest.raises(ValueError):
        WordDataset(["a", "b"], vocab, sources=["a"])


def test_recurrent_autoencoder_shapes_and_padding_independence():
    torch.manual_seed(0)
    vocab = letter_vocab()
    model = RecurrentAutoencoder(len(vocab), emb_dim=8, hidden=16, code_dim=6).eval()
    src, src_len, tgt_in, _ = seq2seq_collate([WordDataset(["casa", "sol"], vocab)[i] for i in range(2)])
    code = model.encode(src, src_len)
    assert code.shape == (2, 6) and code.abs().max() < 1
    assert model(src, src_len, tgt_in).shape == (2, tgt_in.shape[1], len(vocab))
    # extra padding changes nothing: the encoder reads only real steps
    padded = torch.cat([src, torch.zeros(2, 3, dtype=torch.long)], dim=1)
    assert torch.allclose(model.encode(padded, src_len), code, atol=1e-6)
    out = model.generate(code, max_len=5)
    assert len(out) == 2 and all(len(r) <= 5 and PAD_ID not in r and SOS_ID not in r for r in out)
    assert all(isinstance(w, str) for w in reconstruct(model, ["casa", "sol"], vocab))
    with pytest.raises(TypeError):
        reconstruct(model, "casa", vocab)
    with pytest.raises(ValueError):
        RecurrentAutoencoder(0)


def test_recurrent_autoencoder_learns_to_copy_a_few_words():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)                                  # tiny model: one thread is fastest
    try:
        torch.manual_seed(0)
        vocab = letter_vocab()
        words = ["casa", "sol", "trigo", "luna", "pan"]
        model = RecurrentAutoencoder(len(vocab), emb_dim=8, hidden=32, code_dim=16)
        opt = torch.optim.Adam(model.parameters(), lr=3e-2)
        batch = next(iter(word_loader(words, vocab, batch_size=5)))
        for _ in range(80):
            loss = torch.nn.functional.cross_entropy(model(*batch[:3]).transpose(1, 2), batch[3],
                                                     ignore_index=PAD_ID)
            opt.zero_grad()
            loss.backward()
            opt.step()
        assert reconstruct(model, words, vocab) == words
    finally:
        torch.set_num_threads(threads)


def test_series_autoencoder_shapes_and_errors():
    model = SeriesAutoencoder(hidden=8, code_dim=3)
    x = torch.randn(4, 20)
    assert model.encode(x).shape == (4, 3)
    assert model(x).shape == (4, 20)
    with pytest.raises(ValueError):
        model(torch.randn(4, 20, 1))
    with pytest.raises(TypeError):
        SeriesAutoencoder(hidden=8.0)

