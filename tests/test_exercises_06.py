"""Plausible wrong answers to notebook 06's exercises fail with the message they deserve."""

import pytest
import torch

from seq2seq_lib import ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


def test_q1_h_n_row_wrong_answers():
    q1 = ejercicios("06").q1
    _fails(q1, lambda h_n, capa, direccion: h_n[capa + (h_n.shape[0] // 2) * direccion], "capa a capa")
    _fails(q1, lambda h_n, capa, direccion: h_n[-1], "fila correcta")
    _fails(q1, lambda h_n, capa, direccion: h_n, "forma")


def test_q2_marker_later_wrong_answers():
    q2 = ejercicios("06").q2
    _fails(q2, lambda ids, marca: (ids == marca).flip(1).cumsum(1).flip(1) > 0, "estrictamente")
    _fails(q2, lambda ids, marca: (ids == marca).cumsum(1) > 0, "miras hacia atrás")
    _fails(q2, lambda ids, marca: torch.zeros_like(ids, dtype=torch.bool), "alguna posición")


def test_q3_backward_reading_wrong_answers():
    q3 = ejercicios("06").q3
    _fails(q3, lambda ids, longitudes: ids.flip(1), "relleno y lo pone delante")
    _fails(q3, lambda ids, longitudes: ids, "L − 1 − t")


def test_q4_bidirectional_summary_wrong_answers():
    q4 = ejercicios("06").q4
    _fails(q4, lambda output, longitudes: output[:, -1], r"output\[:, -1\]")
    _fails(q4, lambda output, longitudes: output[torch.arange(len(output)), longitudes - 1], "paso 0")

    def swapped(output, longitudes):
        H = output.shape[-1] // 2
        rows = torch.arange(len(output))
        return torch.cat([output[:, 0, H:], output[rows, longitudes - 1, :H]], dim=-1)

    _fails(q4, swapped, "al revés")
    _fails(q4, lambda output, longitudes: output[:, 0], "no coincide")
