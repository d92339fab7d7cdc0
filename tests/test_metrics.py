import pytest
import torch
import torch.nn.functional as F

from seq2seq_lib import PAD_ID, accuracy, sequence_cross_entropy


def test_accuracy_classification_and_sequences():
    logits = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 0.0]])
    assert accuracy(logits, torch.tensor([0, 1, 1])) == pytest.approx(2 / 3)
    seq_logits = torch.zeros(2, 3, 4)
    seq_logits[..., 2] = 1.0  # always predicts 2
    target = torch.tensor([[2, 2, PAD_ID], [1, PAD_ID, PAD_ID]])
    assert accuracy(seq_logits, target) == pytest.approx(2 / 6)
    assert accuracy(seq_logits, target, ignore_index=PAD_ID) == pytest.approx(2 / 3)


def test_accuracy_errors():
    with pytest.raises(ValueError, match="shape"):
        accuracy(torch.zeros(3, 4), torch.zeros(4, dtype=torch.long))
    with pytest.raises(TypeError, match="torch.long"):
        accuracy(torch.zeros(3, 4), torch.zeros(3))
    with pytest.raises(TypeError, match="tensors"):
        accuracy([[0.0]], torch.zeros(1, dtype=torch.long))
    with pytest.raises(ValueError, match="nothing to score"):
        accuracy(torch.zeros(2, 4), torch.zeros(2, dtype=torch.long), ignore_index=0)


def test_sequence_cross_entropy_ignores_padding():
    torch.manual_seed(0)
    logits = torch.randn(2, 3, 5)
    target = torch.tensor([[1, 4, PAD_ID], [2, PAD_ID, PAD_ID]])
    keep = target != PAD_ID
    expected = F.cross_entropy(logits[keep], target[keep])
    assert torch.allclose(sequence_cross_entropy(logits, target), expected)
    changed = logits.clone()
    changed[0, 2] = 100.0  # scores at a padded position must not matter
    assert torch.allclose(sequence_cross_entropy(changed, target), expected)


def test_sequence_cross_entropy_errors():
    with pytest.raises(ValueError, match="shape"):
        sequence_cross_entropy(torch.zeros(2, 3, 5), torch.zeros(2, 4, dtype=torch.long))
