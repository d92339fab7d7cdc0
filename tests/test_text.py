import pytest
import torch

from seq2seq_lib import (EOS_ID, PAD_ID, SOS_ID, SPECIALS, UNK_ID, Vocab, pad_batch, tokenize_chars,
                         tokenize_words)


def test_special_ids_are_fixed_and_documented():
    assert (PAD_ID, SOS_ID, EOS_ID, UNK_ID) == (0, 1, 2, 3)
    assert SPECIALS == ("<pad>", "<sos>", "<eos>", "<unk>")
    vocab = Vocab(["hola", "<eos>"])
    assert vocab.itos[:4] == list(SPECIALS) and vocab["<eos>"] == EOS_ID and len(vocab) == 5


def test_tokenizers():
    assert tokenize_words("¡Hola, Mundo!") == ["¡", "hola", ",", "mundo", "!"]
    assert tokenize_words("Año NUEVO", lower=False) == ["Año", "NUEVO"]
    assert tokenize_chars("sí no") == ["s", "í", " ", "n", "o"]
    for tokenize in (tokenize_words, tokenize_chars):
        with pytest.raises(TypeError, match="text must be a str"):
            tokenize(["hola"])


def test_build_orders_by_frequency_then_alphabet_and_filters():
    vocab = Vocab.build([["b", "a", "c"], ["c", "a"], ["c"]])
    assert vocab.itos[4:] == ["c", "a", "b"]
    assert Vocab.build([["b", "a", "c"], ["c", "a"]], min_freq=2).itos[4:] == ["a", "c"]


def test_build_errors():
    with pytest.raises(TypeError, match="not strings"):
        Vocab.build(["hola", "adiós"])
    with pytest.raises(ValueError, match="min_freq"):
        Vocab.build([["a"]], min_freq=0)
    with pytest.raises(TypeError, match="tokens must be str"):
        Vocab(["a", 3])


def test_encode_decode_round_trip_with_unknown_and_specials():
    vocab = Vocab(tokenize_chars("hola"))
    ids = vocab.encode(tokenize_chars("ola!"), add_sos=True, add_eos=True)
    assert ids[0] == SOS_ID and ids[-1] == EOS_ID and ids[-2] == UNK_ID
    assert vocab.decode(ids) == ["o", "l", "a"]
    assert vocab.decode(ids, skip_specials=False) == ["<sos>", "o", "l", "a", "<unk>", "<eos>"]
    assert vocab.decode([vocab["h"], EOS_ID, vocab["a"]]) == ["h"]  # stops at <eos>
    assert vocab.decode(torch.tensor([vocab["h"], PAD_ID])) == ["h"]
    assert "h" in vocab and "x" not in vocab and "Vocab(size=8" in repr(vocab)


def test_encode_decode_errors():
    vocab = Vocab(["a"])
    with pytest.raises(TypeError, match="not a str"):
        vocab.encode("a")
    with pytest.raises(ValueError, match="out of range"):
        vocab.decode([7])
    with pytest.raises(TypeError, match="ids must be ints"):
        vocab.decode([1.0])
    with pytest.raises(ValueError, match="1-D"):
        vocab.decode(torch.zeros(2, 2, dtype=torch.long))


def test_pad_batch_pads_and_returns_lengths():
    padded, lengths = pad_batch([[5, 6, 7], [8], torch.tensor([9, 10])])
    assert padded.tolist() == [[5, 6, 7], [8, 0, 0], [9, 10, 0]]
    assert lengths.tolist() == [3, 1, 2] and padded.dtype == lengths.dtype == torch.long
    assert pad_batch([[1, 2], [3]], pad_id=-1)[0].tolist() == [[1, 2], [3, -1]]


@pytest.mark.parametrize("bad, message", [([], "non-empty"), ([[1], []], "sequence 1 is empty"),
                                          ([torch.zeros(2, 2)], "1-D"), (torch.zeros(2, 2), "non-empty list")])
def test_pad_batch_errors(bad, message):
    with pytest.raises(ValueError, match=message):
        pad_batch(bad)
