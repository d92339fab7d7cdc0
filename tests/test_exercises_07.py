"""Plausible wrong answers to notebook 07's exercises fail with the message they deserve."""

import pytest
import torch

from seq2seq_lib import EOS_ID, PAD_ID, SOS_ID, ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta
from seq2seq_lib.exercises_07 import entrada_y_objetivo, log_prob_secuencias, mejor_hipotesis, paso_del_haz
from seq2seq_lib.seq2seq import seq2seq_collate


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_every_reference_solution_passes_and_unanswered_is_silent(capsys):
    ej = ejercicios("07")
    assert len(ej) == 4
    for exercise in ej:
        exercise.comprobar(exercise.solution)
        assert "correcto" in capsys.readouterr().out
        exercise.comprobar(None)
        assert "sin responder" in capsys.readouterr().out

        def todo(*args):
            raise NotImplementedError
        exercise.comprobar(todo)
        assert "sin responder" in capsys.readouterr().out


def test_q1_reference_matches_the_package_collate():
    objetivos = [[7, 4, 9], [5], [8, 8, 6, 11]]
    batch = [(torch.tensor([4]), torch.tensor(y)) for y in objetivos]
    _, _, tgt_in, tgt_out = seq2seq_collate(batch)
    got_in, got_out = entrada_y_objetivo(objetivos)
    assert torch.equal(got_in, tgt_in) and torch.equal(got_out, tgt_out)


def _collate_variant(objetivos, sos_in=True, eos_out=True, swap=False, sos_out=False):
    T = max(len(y) for y in objetivos) + 1
    tgt_in = torch.full((len(objetivos), T), PAD_ID)
    tgt_out = torch.full((len(objetivos), T), PAD_ID)
    for b, y in enumerate(objetivos):
        seq_in = ([SOS_ID] if sos_in else []) + y + ([] if sos_in else [EOS_ID])
        seq_out = ([SOS_ID] if sos_out else []) + y + ([EOS_ID] if eos_out and not sos_out else [])
        tgt_in[b, :len(seq_in)] = torch.tensor(seq_in)
        tgt_out[b, :len(seq_out)] = torch.tensor(seq_out)
    return (tgt_out, tgt_in) if swap else (tgt_in, tgt_out)


def test_q1_wrong_answers():
    q1 = ejercicios("07").q1
    _fails(q1, lambda objetivos: _collate_variant(objetivos, swap=True), "intercambiados")
    _fails(q1, lambda objetivos: _collate_variant(objetivos, sos_out=True), "tgt_out contiene <sos>")
    _fails(q1, lambda objetivos: _collate_variant(objetivos, eos_out=False), "falta <eos>")
    _fails(q1, lambda objetivos: _collate_variant(objetivos, sos_in=False), "empieza por <sos>")

    def pad_with_minus_one(objetivos):
        tgt_in, tgt_out = entrada_y_objetivo(objetivos)
        return tgt_in.masked_fill(tgt_in == PAD_ID, -1), tgt_out.masked_fill(tgt_out == PAD_ID, -1)
    _fails(q1, pad_with_minus_one, "relleno")
    _fails(q1, lambda objetivos: entrada_y_objetivo(objetivos)[0], "pareja")


def test_q2_wrong_answers():
    q2 = ejercicios("07").q2

    def with_padding(logits, tgt_out):
        return logits.log_softmax(-1).gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1).sum(1)

    def raw_logits(logits, tgt_out):
        return (logits.gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1) * (tgt_out != PAD_ID)).sum(1)

    def mean(logits, tgt_out):
        mask = tgt_out != PAD_ID
        return (logits.log_softmax(-1).gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1) * mask).sum(1) / mask.sum(1)

    _fails(q2, with_padding, "relleno")
    _fails(q2, raw_logits, "log_softmax")
    _fails(q2, mean, "SUMA")
    _fails(q2, lambda logits, tgt_out: log_prob_secuencias(logits, tgt_out).sum(), "forma")
    _fails(q2, lambda logits, tgt_out: -log_prob_secuencias(logits, tgt_out), "no coincide")


def test_q3_wrong_answers():
    q3 = ejercicios("07").q3

    def without_scores(puntuaciones, logp, K):
        return paso_del_haz(torch.zeros_like(puntuaciones), logp, K)

    def worst(puntuaciones, logp, K):
        nuevas, planos = (puntuaciones.unsqueeze(1) + logp).flatten().topk(K, largest=False)
        return planos // logp.shape[1], planos % logp.shape[1], nuevas

    def swapped(puntuaciones, logp, K):
        filas, simbolos, nuevas = paso_del_haz(puntuaciones, logp, K)
        return simbolos, filas, nuevas

    def best_of_each_then_more(puntuaciones, logp, K):        # per-row top-2, then the first K of them
        total = puntuaciones.unsqueeze(1) + logp
        values, tokens = total.topk(2, dim=1)                  # (K0, 2)
        rows = torch.arange(len(puntuaciones)).repeat_interleave(2)
        return rows[:K], tokens.flatten()[:K], values.flatten()[:K]

    _fails(q3, without_scores, "puntuación acumulada")
    _fails(q3, worst, "K peores")
    _fails(q3, swapped, "intercambiados")
    _fails(q3, best_of_each_then_more, "no son las K mejores")
    _fails(q3, lambda puntuaciones, logp, K: paso_del_haz(puntuaciones, logp, K)[:2], "tres tensores")


def test_q4_wrong_answers():
    q4 = ejercicios("07").q4
    _fails(q4, lambda hipotesis, alfa: max(hipotesis, key=lambda h: h[1] / len(h[0]) ** alfa)[0], r"len\(ids\) \+ 1")
    _fails(q4, lambda hipotesis, alfa: max(hipotesis, key=lambda h: h[1])[0], "longitud \\*\\* alfa")
    _fails(q4, lambda hipotesis, alfa: min(hipotesis, key=lambda h: h[1] / (len(h[0]) + 1) ** alfa)[0], "MAYOR")
    _fails(q4, lambda hipotesis, alfa: hipotesis[-1][0], "esperábamos")
    assert mejor_hipotesis([([5], -1.2), ([5, 6, 7, 8], -2.4)], 0.0) == [5]
    assert mejor_hipotesis([([5], -1.2), ([5, 6, 7, 8], -2.4)], 1.0) == [5, 6, 7, 8]
