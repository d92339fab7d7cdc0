"""Plausible wrong answers to notebook 08's exercises fail with the message they deserve."""

import pytest
import torch

from seq2seq_lib import ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_reference_solutions_pass_and_unanswered_is_silent(capsys):
    ej = ejercicios("08")
    for exercise in ej:
        exercise.comprobar(exercise.solution)
        assert "correcto" in capsys.readouterr().out
        exercise.comprobar(None)
        assert "sin responder" in capsys.readouterr().out

    def not_yet(*args):
        raise NotImplementedError

    ej.q1.comprobar(not_yet)
    assert "sin responder" in capsys.readouterr().out


def test_q1_masked_softmax_wrong_answers():
    q1 = ejercicios("08").q1
    _fails(q1, lambda s, n: s.softmax(1), "el relleno recibe peso")

    def tiny_but_not_zero(s, n):
        mask = torch.arange(s.shape[1]) < n.unsqueeze(1)
        return s.masked_fill(~mask, -15.0).softmax(1) * 0 + torch.where(
            mask, s.masked_fill(~mask, float("-inf")).softmax(1), torch.full_like(s, 1e-9))

    _fails(q1, tiny_but_not_zero, "no cero")

    def off_by_one(s, n):
        mask = torch.arange(s.shape[1]) <= n.unsqueeze(1)
        return s.masked_fill(~mask, float("-inf")).softmax(1)

    _fails(q1, off_by_one, "t < longitudes")

    def not_normalised(s, n):
        mask = torch.arange(s.shape[1]) < n.unsqueeze(1)
        return s.softmax(1) * mask

    _fails(q1, not_normalised, "sumar 1")
    _fails(q1, lambda s, n: s[0], "forma")


def test_q2_context_wrong_answers():
    q2 = ejercicios("08").q2
    _fails(q2, lambda w, s: s.mean(1, keepdim=True).expand(-1, w.shape[1], -1), "media simple")
    _fails(q2, lambda w, s: w.transpose(1, 2)[:, :, : w.shape[1]] @ s[:, : w.shape[1]], "forma|no coincide")
    _fails(q2, lambda w, s: (w.softmax(-1) @ s), "no coincide")


def test_q3_general_score_wrong_answers():
    q3 = ejercicios("08").q3
    _fails(q3, lambda h, s, W: h @ W.T @ s.transpose(1, 2), "Wᵀ")
    _fails(q3, lambda h, s, W: h @ s.transpose(1, 2), "falta W")
    _fails(q3, lambda h, s, W: (h @ W @ s.transpose(1, 2)).transpose(1, 2), "forma")


def test_q4_reorder_state_wrong_answers():
    q4 = ejercicios("08").q4

    def batch_on_dim0(state, index):
        out, mask, (h, c) = state
        return out[index], mask[index], (h[index.clamp(max=h.shape[0] - 1)], c[index.clamp(max=c.shape[0] - 1)])

    _fails(q4, batch_on_dim0, "dimensión 1")

    def forgets_h(state, index):
        out, mask, hc = state
        return out[index], mask[index], hc

    _fails(q4, forgets_h, "no cambió")
    _fails(q4, lambda state, index: state[0][index], "misma estructura")

    def wrong_rows(state, index):
        out, mask, (h, c) = state
        index = index.flip(0)
        return out[index], mask[index], (h[:, index], c[:, index])

    _fails(q4, wrong_rows, "fila indice")
