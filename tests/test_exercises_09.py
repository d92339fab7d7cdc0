"""Plausible wrong answers to notebook 09's exercises fail with the message they deserve."""

import math

import pytest
import torch

from seq2seq_lib import ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_reference_solutions_pass(capsys):
    for exercise in ejercicios("09"):
        exercise.comprobar(exercise.solution)
    assert capsys.readouterr().out.count("✅") == 4


def test_q1_causal_mask_wrong_answers():
    q1 = ejercicios("09").q1

    def original(T):  # the classic notebook's "no teacher forcing" construction
        tri = torch.tril(torch.zeros(T, T) == 1).float()
        return tri.masked_fill(tri == 0, -math.inf).masked_fill(tri == 1, 0.0)

    _fails(q1, original, "error del cuaderno clásico")
    _fails(q1, lambda T: torch.zeros(T, T).masked_fill(torch.ones(T, T, dtype=torch.bool).tril(-1), -math.inf),
           "traspuesta")
    _fails(q1, lambda T: torch.zeros(T, T).masked_fill(torch.ones(T, T, dtype=torch.bool).triu(0), -math.inf),
           "diagonal")
    _fails(q1, lambda T: torch.ones(T, T, dtype=torch.bool).tril(), "booleana")
    _fails(q1, lambda T: torch.zeros(T, T), "esperábamos")


def test_q2_padding_mask_wrong_answers():
    q2 = ejercicios("09").q2
    _fails(q2, lambda L, S: torch.arange(S).unsqueeze(0) < L.unsqueeze(1), "al revés")
    _fails(q2, lambda L, S: torch.arange(S).unsqueeze(0) > L.unsqueeze(1), "una posición")
    _fails(q2, lambda L, S: (torch.arange(S).unsqueeze(0) >= L.unsqueeze(1)).int(), "booleana")
    _fails(q2, lambda L, S: torch.zeros(len(L), S, dtype=torch.bool), "esperábamos")


def test_q3_positional_encoding_wrong_answers():
    q3 = ejercicios("09").q3

    def build(max_len, D, exponent, swap=False):
        p = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
        freq = 10000.0 ** (-exponent(D))
        pe = torch.zeros(max_len, D)
        first, second = (torch.cos, torch.sin) if swap else (torch.sin, torch.cos)
        pe[:, 0::2], pe[:, 1::2] = first(p * freq), second(p * freq)
        return pe

    _fails(q3, lambda m, D: build(m, D, lambda D: torch.arange(0, D, 2) / D, swap=True), "intercambiados")
    _fails(q3, lambda m, D: build(m, D, lambda D: torch.arange(D // 2) / D), "2i/D")
    _fails(q3, lambda m, D: torch.zeros(m, D), "no coincide")
    _fails(q3, lambda m, D: torch.zeros(m), "forma")


def test_q4_boolean_attention_wrong_answers():
    q4 = ejercicios("09").q4
    _fails(q4, lambda q, k, v, m: (q @ k.transpose(-2, -1)).masked_fill(~m, -math.inf).softmax(-1) @ v, "√d_k")
    _fails(q4, lambda q, k, v, m: (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(m, -math.inf)
           .softmax(-1) @ v, "al revés")
    _fails(q4, lambda q, k, v, m: (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(~m, -math.inf)
           .softmax(-2) @ v, "claves")
    _fails(q4, lambda q, k, v, m: v[..., :5, :], "no coincide")
