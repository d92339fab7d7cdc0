"""Notebook 05's exercises: the reference solutions pass, plausible wrong answers fail with the message they deserve."""

import pytest
import torch
import torch.nn.functional as F

from seq2seq_lib import PAD_ID, ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_reference_solutions_pass_and_unanswered_is_silent(capsys):
    ej = ejercicios("05")
    assert len(ej) == 4
    for exercise in ej:
        exercise.comprobar(exercise.solution)
        exercise.comprobar(None)
    out = capsys.readouterr().out
    assert out.count("✅") == 4 and out.count("sin responder") == 4


def test_unanswered_by_not_implemented(capsys):
    def todavia_no(*args):
        raise NotImplementedError

    ejercicios("05").q1.comprobar(todavia_no)
    assert "sin responder" in capsys.readouterr().out


def test_q1_masked_loss_wrong_answers():
    q1 = ejercicios("05").q1
    _fails(q1, lambda logits, objetivo: F.cross_entropy(logits.reshape(-1, logits.shape[-1]), objetivo.reshape(-1)),
           "cuentas también")

    def divides_by_all(logits, objetivo):
        por_posicion = F.cross_entropy(logits.transpose(1, 2), objetivo, reduction="none")
        return (por_posicion * (objetivo != PAD_ID)).sum() / objetivo.numel()

    _fails(q1, divides_by_all, "divides por todas")
    _fails(q1, lambda logits, objetivo: torch.tensor(0.0), "esperábamos")
    _fails(q1, lambda logits, objetivo: "cero", "número")


def test_q2_exact_sequences_wrong_answers():
    q2 = ejercicios("05").q2
    _fails(q2, lambda logits, objetivo: (logits.argmax(-1) == objetivo).all(dim=1), "también el relleno")
    _fails(q2, lambda logits, objetivo: (logits.argmax(-1) == objetivo).any(dim=1), "esperábamos")
    _fails(q2, lambda logits, objetivo: logits.argmax(-1) == objetivo, "forma")


def test_q3_auc_wrong_answers():
    q3 = ejercicios("05").q3

    def pairs(s, y):
        return s[y == 1].unsqueeze(1), s[y == 0].unsqueeze(0)

    _fails(q3, lambda s, y: ((lambda a, n: (a > n).float().mean().item())(*pairs(s, y))), "empates")
    _fails(q3, lambda s, y: ((lambda a, n: (a < n).float().mean() + 0.5 * (a == n).float().mean())(*pairs(s, y))),
           "1 − AUC")
    _fails(q3, lambda s, y: 0.5, "esperábamos")


def test_q4_pca_wrong_answers():
    q4 = ejercicios("05").q4
    _fails(q4, lambda z: z @ torch.linalg.svd(z, full_matrices=False)[2][:2].T, "centrar")
    _fails(q4, lambda z: z[:, :2], "no coincide")
    _fails(q4, lambda z: z, "forma")
    # the sign of each axis is arbitrary
    q4.comprobar(lambda z: -ejercicios("05").q4.solution(z))
