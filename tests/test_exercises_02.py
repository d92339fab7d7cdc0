"""Plausible wrong answers to notebook 02's exercises fail with the message they deserve."""

import math

import pytest
import torch

from seq2seq_lib import ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_q1_parameter_count_wrong_answers():
    q1 = ejercicios("02").q1
    _fails(q1, lambda celda, I, H: H * I + H * H + 2 * H, "propio bloque")
    _fails(q1, lambda celda, I, H: {"rnn": 1, "gru": 3, "lstm": 4}[celda] * (H * I + H * H + H), "Un bloque son")


def test_q2_forget_bias_wrong_answers():
    q2 = ejercicios("02").q2

    def first_block(lstm, valor):
        with torch.no_grad():
            for k in range(lstm.num_layers):
                getattr(lstm, f"bias_ih_l{k}")[: lstm.hidden_size] = valor
                getattr(lstm, f"bias_hh_l{k}")[: lstm.hidden_size] = 0.0

    def both_biases(lstm, valor):
        H = lstm.hidden_size
        with torch.no_grad():
            for k in range(lstm.num_layers):
                getattr(lstm, f"bias_ih_l{k}")[H : 2 * H] = valor
                getattr(lstm, f"bias_hh_l{k}")[H : 2 * H] = valor

    def first_layer_only(lstm, valor):
        H = lstm.hidden_size
        with torch.no_grad():
            lstm.bias_ih_l0[H : 2 * H] = valor
            lstm.bias_hh_l0[H : 2 * H] = 0.0

    def whole_bias(lstm, valor):
        with torch.no_grad():
            for k in range(lstm.num_layers):
                getattr(lstm, f"bias_ih_l{k}").fill_(valor)
                getattr(lstm, f"bias_hh_l{k}").zero_()

    _fails(q2, first_block, "compuerta de entrada")
    _fails(q2, both_biases, "la compuerta ve 5")
    _fails(q2, first_layer_only, "capa 1")
    _fails(q2, whole_bias, "otros bloques")


def test_q3_memory_horizon_wrong_answers():
    q3 = ejercicios("02").q3
    _fails(q3, lambda b_f, umbral=0.01: math.floor(math.log(umbral) / math.log(1 / (1 + math.exp(-b_f)))),
           "redondea hacia arriba")
    _fails(q3, lambda b_f, umbral=0.01: math.ceil(math.log(umbral) / math.log(abs(b_f) + 0.5)), "no b_f")


def test_q4_last_real_step_wrong_answers():
    q4 = ejercicios("02").q4
    _fails(q4, lambda output, longitudes: output[:, -1], r"output\[:, -1\]")
    _fails(q4, lambda output, longitudes: output[torch.arange(len(output)), longitudes.clamp(max=output.shape[1] - 1)],
           "empiezan en 0")
    _fails(q4, lambda output, longitudes: output[:, longitudes - 1], r"tensor \(B, H\)")
