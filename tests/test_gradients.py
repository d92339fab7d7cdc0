import pytest
import torch
from torch import nn

from seq2seq_lib import hidden_gradient_norms


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_matches_autograd_on_the_unrolled_layer(cls):
    torch.manual_seed(0)
    rnn = cls(3, 5, num_layers=2, batch_first=True)
    x = torch.randn(2, 6, 3)
    head = nn.Linear(5, 1)
    norms = hidden_gradient_norms(rnn, x, lambda h: head(h).sum())
    assert norms.shape == (6,)
    # Reference: differentiate w.r.t. the top layer's output, which for t = T is h_T; and the
    # whole-sequence forward must give the same final state as the stepwise one.
    out, _ = rnn(x)
    h_T = out[:, -1].detach().requires_grad_(True)
    (g,) = torch.autograd.grad(head(h_T).sum(), h_T)
    assert torch.allclose(norms[-1], g.norm(dim=-1).mean(), atol=1e-6)
    assert (norms > 0).all()


def test_plain_rnn_gradient_vanishes_with_distance():
    torch.manual_seed(0)
    rnn = nn.RNN(4, 16, batch_first=True)
    norms = hidden_gradient_norms(rnn, torch.randn(4, 40, 4), lambda h: h.sum())
    assert norms[0] < 1e-3 * norms[-1]


def test_errors():
    with pytest.raises(TypeError, match="nn.RNN"):
        hidden_gradient_norms(nn.Linear(2, 2), torch.zeros(1, 2, 2), lambda h: h.sum())
    with pytest.raises(ValueError, match="batch_first"):
        hidden_gradient_norms(nn.RNN(2, 2), torch.zeros(1, 2, 2), lambda h: h.sum())
    with pytest.raises(ValueError, match="batch_first"):
        hidden_gradient_norms(nn.RNN(2, 2, batch_first=True, bidirectional=True), torch.zeros(1, 2, 2), lambda h: h.sum())
    with pytest.raises(ValueError, match="shape"):
        hidden_gradient_norms(nn.RNN(2, 2, batch_first=True), torch.zeros(1, 2, 3), lambda h: h.sum())
    with pytest.raises(ValueError, match="scalar"):
        hidden_gradient_norms(nn.RNN(2, 2, batch_first=True), torch.zeros(1, 2, 2), lambda h: h)
