import pytest
import torch
from torch import nn

from seq2seq_lib import join_directions, last_real_step, length_mask, run_packed


def test_length_mask_marks_real_steps():
    mask = length_mask(torch.tensor([3, 1, 2]))
    assert mask.tolist() == [[True, True, True], [True, False, False], [True, True, False]]
    assert length_mask(torch.tensor([2]), max_len=4).tolist() == [[True, True, False, False]]


def test_length_mask_errors():
    with pytest.raises(TypeError, match="lengths"):
        length_mask([3, 1])
    with pytest.raises(ValueError, match="lengths must be a 1-D integer"):
        length_mask(torch.tensor([2.0, 1.0]))
    with pytest.raises(ValueError, match=">= 1"):
        length_mask(torch.tensor([2, 0]))
    with pytest.raises(ValueError, match="only 2 time steps"):
        length_mask(torch.tensor([3, 1]), max_len=2)
    with pytest.raises(TypeError, match="max_len"):
        length_mask(torch.tensor([3, 1]), max_len=3.0)


def test_last_real_step_picks_each_rows_end():
    output = torch.arange(2 * 4 * 3, dtype=torch.float).reshape(2, 4, 3)  # (B, T, D)
    got = last_real_step(output, torch.tensor([4, 2]))
    assert torch.equal(got, torch.stack([output[0, 3], output[1, 1]]))


def test_last_real_step_errors():
    output = torch.zeros(2, 4, 3)
    with pytest.raises(ValueError, match="output must be a"):
        last_real_step(torch.zeros(2, 4), torch.tensor([1, 2]))
    with pytest.raises(ValueError, match="3 entries but the batch has 2"):
        last_real_step(output, torch.tensor([1, 2, 3]))
    with pytest.raises(ValueError, match="only 4 time steps"):
        last_real_step(output, torch.tensor([5, 2]))
    with pytest.raises(ValueError, match=">= 1"):
        last_real_step(output, torch.tensor([0, 2]))


@pytest.mark.parametrize("cell", [nn.LSTM, nn.GRU])
def test_run_packed_matches_each_sequence_alone(cell):
    torch.manual_seed(0)
    rnn = cell(3, 4, num_layers=2, bidirectional=True, batch_first=True)
    lengths = torch.tensor([2, 5, 3])                       # unsorted on purpose
    x = torch.randn(3, 5, 3)
    x[0, 2:] = 99.0                                          # padding with garbage must not matter
    output, state = run_packed(rnn, x, lengths)
    h_n = state[0] if cell is nn.LSTM else state
    assert output.shape == (3, 5, 8) and h_n.shape == (4, 3, 4)
    assert torch.all(output[~length_mask(lengths, 5)] == 0)
    for b, n in enumerate(lengths.tolist()):
        alone, alone_state = rnn(x[b : b + 1, :n])
        alone_h = alone_state[0] if cell is nn.LSTM else alone_state
        assert torch.allclose(output[b, :n], alone[0], atol=1e-6)
        assert torch.allclose(h_n[:, b], alone_h[:, 0], atol=1e-6)
        assert torch.allclose(join_directions(h_n)[b], torch.cat([alone[0, n - 1, :4], alone[0, 0, 4:]]), atol=1e-6)


def test_run_packed_errors():
    rnn = nn.LSTM(3, 4, batch_first=True)
    x, lengths = torch.zeros(2, 5, 3), torch.tensor([5, 2])
    with pytest.raises(TypeError, match="rnn must be"):
        run_packed(nn.Linear(3, 4), x, lengths)
    with pytest.raises(ValueError, match="batch_first=True"):
        run_packed(nn.LSTM(3, 4), x, lengths)
    with pytest.raises(ValueError, match="x must be a"):
        run_packed(rnn, torch.zeros(2, 5), lengths)
    with pytest.raises(ValueError, match="only 5 time steps"):
        run_packed(rnn, x, torch.tensor([6, 2]))
    with pytest.raises(TypeError, match="lengths"):
        run_packed(rnn, x, [5, 2])


def test_join_directions_takes_last_layer_forward_then_backward():
    h_n = torch.arange(4 * 2 * 3, dtype=torch.float).reshape(4, 2, 3)  # (L·2, B, H) with L = 2
    assert torch.equal(join_directions(h_n), torch.cat([h_n[2], h_n[3]], dim=-1))
    with pytest.raises(ValueError, match="two per layer"):
        join_directions(torch.zeros(3, 2, 3))
    with pytest.raises(ValueError, match="h_n must be"):
        join_directions((torch.zeros(2, 2, 3), torch.zeros(2, 2, 3)))
