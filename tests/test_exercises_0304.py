"""Plausible wrong answers to the checkable exercises of notebooks 03 and 04, each failing with the
message it deserves (the generic checks — reference solutions pass, stubs stay silent — are in
tests/test_exercises.py)."""

import pytest
import torch
from torch import nn

from seq2seq_lib import ejercicios
from seq2seq_lib.exercises import RespuestaIncorrecta
from seq2seq_lib.exercises_03 import LSTMPorVentana


def _fails(exercise, answer, message):
    with pytest.raises(RespuestaIncorrecta, match=message):
        exercise.comprobar(answer)


# --- notebook 03 ---------------------------------------------------------------------------------
def test_03_has_four_checkable_exercises():
    assert [e.key for e in ejercicios("03")] == ["q1", "q2", "q3", "q4"]


def test_03_q1_wrong_answers():
    q1 = ejercicios("03").q1
    _fails(q1, lambda I, H, num_layers=1: H * I + H * H + 2 * H, "cuatro compuertas")
    _fails(q1, lambda I, H, num_layers=1: 4 * (H * I + H * H + H), "dos vectores de sesgo")
    _fails(q1, lambda I, H, num_layers=1: num_layers * 4 * (H * I + H * H + 2 * H), "segunda capa")
    _fails(q1, lambda I, H, num_layers=1: 3 * (H * I + H * H + 2 * H), "weight_ih_l0")
    _fails(q1, lambda I, H, num_layers=1: None if False else "mucho", "debe ser un número")


def test_03_q2_wrong_answers():
    q2 = ejercicios("03").q2

    def no_feature_axis(serie, T):
        b = serie.unfold(0, T + 1, 1)
        return b[:, :T], b[:, T:]

    def target_is_last_input(serie, T):
        b = serie.unfold(0, T, 1)[:-1]
        return b.unsqueeze(-1), b[:, -1:]

    def one_window_too_many(serie, T):
        b = serie.unfold(0, T, 1)
        return b.unsqueeze(-1), torch.cat([serie[T:], serie[-1:]]).unsqueeze(-1)

    def shuffled(serie, T):
        b = serie.unfold(0, T + 1, 1).flip(0)
        return b[:, :T].unsqueeze(-1), b[:, T:]

    _fails(q2, no_feature_axis, "unsqueeze")
    _fails(q2, target_is_last_input, "el siguiente")
    _fails(q2, one_window_too_many, "Cuántas ventanas")
    _fails(q2, shuffled, "los valores no")
    _fails(q2, lambda serie, T: serie, "tupla")


def test_03_q3_wrong_answers():
    q3 = ejercicios("03").q3
    _fails(q3, lambda X, periodo: X[:, -periodo - 1], "un paso de más")
    _fails(q3, lambda X, periodo: X[:, -periodo, 0], r"\(B, 1\)")
    _fails(q3, lambda X, periodo: X[:, -1], "no coincide")


def test_03_q4_wrong_answers():
    q4 = ejercicios("03").q4

    class Raw(LSTMPorVentana):
        def forward(self, x):
            return self.salida(self.lstm(x)[0][:, -1])

    class OnlyMean(LSTMPorVentana):
        def forward(self, x):
            media = x.mean(dim=1)
            return media + self.salida(self.lstm(x - media.unsqueeze(1))[0][:, -1])

    class AllSteps(LSTMPorVentana):
        def forward(self, x):
            return super().forward(x).unsqueeze(1).expand(-1, x.shape[1], -1)

    class Frozen(LSTMPorVentana):
        def forward(self, x):
            media, desv = x.mean(dim=1), x.std(dim=1) + 1e-6
            out = self.lstm((x - media.unsqueeze(1)) / desv.unsqueeze(1))[0][:, -1].detach() * 0
            return media + desv * (self.salida(out) - 1.0)

    _fails(q4, Raw, "sumas 1000")
    _fails(q4, OnlyMean, "multiplicas la ventana por 3")
    _fails(q4, AllSteps, r"\(B, 1\)")
    _fails(q4, Frozen, "aprende")
    _fails(q4, LSTMPorVentana(4), "pasa la clase")


# --- notebook 04 ---------------------------------------------------------------------------------
from seq2seq_lib.exercises_04 import LSTMDirecto  # noqa: E402


def test_04_has_four_checkable_exercises():
    assert [e.key for e in ejercicios("04")] == ["q1", "q2", "q3", "q4"]


def test_04_q1_wrong_answers():
    q1 = ejercicios("04").q1
    _fails(q1, lambda X, y: X, "desplazar")
    _fails(q1, lambda X, y: torch.cat([X[:, :1], X[:, :-1]], dim=1), "hacia el pasado")
    _fails(q1, lambda X, y: torch.cat([X[:, 1:], X[:, -1:]], dim=1), "es y")
    _fails(q1, lambda X, y: torch.cat([X[:, 1:, 0], y], dim=1), r"\(B, T, 1\)")
    _fails(q1, lambda X, y: [1, 2], "debe ser un tensor")


def test_04_q2_wrong_answers():
    q2 = ejercicios("04").q2
    _fails(q2, lambda X, periodo, H: X[:, -periodo - 1:-periodo - 1 + H, 0], "T - periodo")
    _fails(q2, lambda X, periodo, H: X[:, -periodo:, 0].repeat(1, 3)[:, -H:], "T - periodo")
    _fails(q2, lambda X, periodo, H: X[:, X.shape[1] - periodo + torch.arange(H).clamp(max=periodo - 1), 0],
           "resto de la división")
    _fails(q2, lambda X, periodo, H: X[:, -periodo:], r"\(B, H\)")


def test_04_q3_wrong_answers():
    q3 = ejercicios("04").q3

    def repeats_first(modelo, X, H):
        return modelo(X).repeat(1, H)

    def growing_window(modelo, X, H):
        ventana, preds = X, []
        for _ in range(H):
            preds.append(modelo(ventana))
            ventana = torch.cat([ventana, preds[-1].unsqueeze(-1)], dim=1)
        return torch.cat(preds, dim=1)

    def overwrites_last(modelo, X, H):
        ventana, preds = X, []
        for _ in range(H):
            preds.append(modelo(ventana))
            ventana = torch.cat([ventana[:, :-1], preds[-1].unsqueeze(-1)], dim=1)
        return torch.cat(preds, dim=1)

    _fails(q3, repeats_first, "repites la primera")
    _fails(q3, growing_window, "mantienes la longitud")
    _fails(q3, overwrites_last, "en ese orden")
    _fails(q3, lambda modelo, X, H: torch.stack([modelo(X)] * H, dim=1), r"\(B, H\)")


def test_04_q4_wrong_answers():
    q4 = ejercicios("04").q4

    class OriginalBug(LSTMDirecto):
        def forward(self, x):
            return self.salida(self.lstm(x)[0][:, -self.salida.out_features])

    class AllSteps(LSTMDirecto):
        def forward(self, x):
            return self.salida(self.lstm(x)[0])

    class Frozen(LSTMDirecto):
        def forward(self, x):
            return self.salida(self.lstm(x)[0][:, -1]) * 0 + x[:, -1]

    _fails(q4, OriginalBug, r"out\[:, -horizonte\]")
    _fails(q4, AllSteps, r"\(B, horizonte\)")
    _fails(q4, Frozen, "no aprende")
    _fails(q4, LSTMDirecto(4, 2), "pasa la clase")
