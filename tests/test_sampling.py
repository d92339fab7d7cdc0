import pytest
import torch
from torch import nn

from seq2seq_lib import EOS_ID, Vocab, generate, sample_from_logits, tokenize_chars


def test_temperature_zero_is_greedy_and_high_temperature_flattens():
    logits = torch.tensor([[0.0, 3.0, 1.0], [2.0, 0.0, 0.0]])
    assert sample_from_logits(logits, 0).tolist() == [1, 0]
    g = torch.Generator().manual_seed(0)
    row = torch.tensor([0.0, 2.0, 1.0]).expand(4000, 3)
    cold = torch.bincount(sample_from_logits(row, 0.2, g), minlength=3) / 4000
    hot = torch.bincount(sample_from_logits(row, 5.0, g), minlength=3) / 4000
    exact = torch.softmax(torch.tensor([0.0, 2.0, 1.0]), 0)
    warm = torch.bincount(sample_from_logits(row, 1.0, g), minlength=3) / 4000
    assert cold[1] > 0.95 and hot.max() < 0.45 and torch.allclose(warm, exact, atol=0.03)
    assert sample_from_logits(torch.zeros(2, 3, 5), 1.0, g).shape == (2, 3)


def test_sample_from_logits_errors():
    with pytest.raises(ValueError, match="temperature"):
        sample_from_logits(torch.zeros(3), -1.0)
    with pytest.raises(TypeError, match="logits"):
        sample_from_logits([0.0, 1.0])


class _Scripted(nn.Module):
    """A fake language model that always scores the token after the last one read, then <eos>."""

    def __init__(self, vocab: Vocab, text: str):
        super().__init__()
        self.dummy = nn.Parameter(torch.zeros(1))
        self.next = {}
        ids = vocab.encode(tokenize_chars(text), add_sos=True, add_eos=True)
        for a, b in zip(ids, ids[1:]):
            self.next[a] = b
        self.size = len(vocab)

    def forward(self, x):
        out = torch.full((*x.shape, self.size), -1e9)
        for t, i in enumerate(x[0].tolist()):
            out[0, t, self.next.get(i, EOS_ID)] = 0.0
        return out


def test_generate_continues_prefix_until_eos_or_max_len():
    vocab = Vocab(tokenize_chars("hola sé"))
    model = _Scripted(vocab, "hola sé")  # every character once: the next one is unique
    assert "".join(generate(model, vocab, tokenize_chars("hola"), temperature=0)) == " sé"
    assert "".join(generate(model, vocab, [], temperature=0)) == "hola sé"
    assert "".join(generate(model, vocab, [], max_len=3, temperature=0)) == "hol"


def test_generate_errors():
    vocab = Vocab(["a"])
    model = _Scripted(vocab, "a")
    with pytest.raises(TypeError, match="prefix"):
        generate(model, vocab, "a")
    with pytest.raises(ValueError, match="max_len"):
        generate(model, vocab, [], max_len=0)
    with pytest.raises(ValueError, match="empty"):
        generate(model, vocab, [], add_sos=False)
