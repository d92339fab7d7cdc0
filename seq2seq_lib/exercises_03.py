"""Checkable exercises of notebook 03 (LSTM muchos a uno). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta
from .exercises import build_answer as _build, number_answer as _number
from .series import make_windows, ramp_series


# q1 ------------------------------------------------------------------------------------------
def parametros_lstm(I: int, H: int, num_layers: int = 1) -> int:
    total = 0
    for layer in range(num_layers):
        inputs = I if layer == 0 else H                 # from layer 2 on, the input is the layer below
        total += 4 * (H * inputs + H * H + 2 * H)       # four gates (i, f, g, o), each like an RNN cell
    return total


def _check_parametros(f) -> str:
    cases = [(1, 32, 1), (3, 5, 1), (1, 16, 2), (4, 8, 3)]
    for I, H, L in cases:
        expected = sum(p.numel() for p in nn.LSTM(I, H, num_layers=L).parameters())
        got = _number(f(I, H, num_layers=L), "el número de parámetros")
        if got == expected:
            continue
        where = f"parametros_lstm(I={I}, H={H}, num_layers={L}) da {got:g} y nn.LSTM tiene {expected}."
        single = H * I + H * H + 2 * H
        if L == 1 and got == single:
            raise RespuestaIncorrecta(f"{where} Has contado una celda RNN: la LSTM tiene cuatro compuertas "
                                      "(entrada, olvido, candidata y salida), cada una con sus pesos.")
        if L == 1 and got == 4 * (H * I + H * H + H):
            raise RespuestaIncorrecta(f"{where} PyTorch usa dos vectores de sesgo por compuerta, b_ih y b_hh.")
        if L > 1:
            raise RespuestaIncorrecta(f"{where} A partir de la segunda capa, la entrada es la salida de la capa "
                                      "anterior: tamaño H, no I.")
        raise RespuestaIncorrecta(f"{where} Mira las formas de weight_ih_l0 (4·H, I) y weight_hh_l0 (4·H, H).")
    return f"Coincide con nn.LSTM en {len(cases)} configuraciones."


# q2 ------------------------------------------------------------------------------------------
def ventanas(serie: torch.Tensor, T: int) -> tuple[torch.Tensor, torch.Tensor]:
    bloques = serie.unfold(0, T + 1, 1)                 # (B, T + 1): T entradas y el valor siguiente
    return bloques[:, :T].unsqueeze(-1), bloques[:, T:]  # (B, T, 1), (B, 1)


def _check_ventanas(f) -> str:
    for serie, T in [(ramp_series(12), 3), (torch.randn(50, generator=torch.Generator().manual_seed(3)), 7)]:
        X, y, _ = make_windows(serie, T)
        got = f(serie.clone(), T)
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise RespuestaIncorrecta("devuelve una tupla (X, y).")
        gx, gy = got
        if not isinstance(gx, torch.Tensor) or not isinstance(gy, torch.Tensor):
            raise RespuestaIncorrecta("X e y deben ser tensores.")
        if gx.shape == X.shape[:2]:
            raise RespuestaIncorrecta(f"X tiene forma {tuple(gx.shape)}: a la LSTM le falta el eje de "
                                      "características; usa .unsqueeze(-1) para obtener (B, T, 1).")
        if gx.shape != X.shape or gy.shape != y.shape:
            raise RespuestaIncorrecta(f"con una serie de {len(serie)} valores y T = {T} esperábamos X {tuple(X.shape)} "
                                      f"e y {tuple(y.shape)}; obtuvimos {tuple(gx.shape)} y {tuple(gy.shape)}. "
                                      "¿Cuántas ventanas caben? La última termina justo antes del último valor.")
        if torch.equal(gy, X[:, -1]):
            raise RespuestaIncorrecta("el objetivo es el último valor de la ventana: debe ser el siguiente, "
                                      "el que la ventana no contiene.")
        if not (torch.equal(gx, X) and torch.equal(gy, y)):
            raise RespuestaIncorrecta("las formas son correctas pero los valores no: la ventana i son los valores "
                                      "i … i+T-1 y su objetivo es el valor i+T.")
    return "Mismas ventanas que make_windows."


# q3 ------------------------------------------------------------------------------------------
def naive_estacional(X: torch.Tensor, periodo: int) -> torch.Tensor:
    return X[:, -periodo]                               # (B, 1): el valor de hace un periodo


def _check_naive(f) -> str:
    g = torch.Generator().manual_seed(4)
    for B, T, periodo in [(5, 14, 7), (3, 30, 12), (4, 9, 1)]:
        X = torch.randn(B, T, 1, generator=g)
        expected = X[:, T - periodo]                    # the step that lies `periodo` before the target T
        got = f(X.clone(), periodo)
        if not isinstance(got, torch.Tensor) or got.shape != expected.shape:
            raise RespuestaIncorrecta(f"para X de forma {tuple(X.shape)} devuelve (B, 1) = {tuple(expected.shape)}; "
                                      f"devolviste {getattr(got, 'shape', type(got).__name__)}.")
        if torch.equal(got, expected):
            continue
        if periodo < T and torch.equal(got, X[:, T - periodo - 1]):
            raise RespuestaIncorrecta("te desplazas un paso de más: el objetivo está en la posición T, así que "
                                      "«hace un periodo» es la posición T - periodo, es decir X[:, -periodo].")
        raise RespuestaIncorrecta(f"con periodo = {periodo} no coincide con el valor de hace un periodo.")
    return "Probada con periodos 7, 12 y 1 (con periodo 1 es la persistencia)."


# q4 ------------------------------------------------------------------------------------------
class LSTMPorVentana(nn.Module):
    def __init__(self, H: int):
        super().__init__()
        self.lstm = nn.LSTM(1, H, batch_first=True)
        self.salida = nn.Linear(H, 1)

    def forward(self, x):                               # x: (B, T, 1)
        media = x.mean(dim=1)                           # (B, 1): estadísticas de cada ventana
        desviacion = x.std(dim=1) + 1e-6                # (B, 1); + 1e-6 por si la ventana es constante
        out, _ = self.lstm((x - media.unsqueeze(1)) / desviacion.unsqueeze(1))   # (B, T, H)
        return media + desviacion * self.salida(out[:, -1])                      # (B, 1)


def _check_por_ventana(cls) -> str:
    torch.manual_seed(0)
    model = _build(cls, 16).eval()
    x = torch.randn(6, 10, 1).cumsum(dim=1) + 5           # (B, T, 1): paseos aleatorios
    with torch.no_grad():
        out = model(x)
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (6, 1):
            raise RespuestaIncorrecta(f"la salida debe ser (B, 1) = (6, 1); es {getattr(out, 'shape', type(out).__name__)}.")
        shifted, scaled = model(x + 1000.0), model(3.0 * x)
    if not torch.allclose(shifted, out + 1000.0, atol=1e-2):
        raise RespuestaIncorrecta("si sumas 1000 a toda la ventana, la predicción debería subir exactamente 1000 "
                                  "y no lo hace: resta a cada ventana su propia media (x.mean(dim=1)) antes de la "
                                  "LSTM y súmala a la salida.")
    if not torch.allclose(scaled, 3.0 * out, atol=1e-2, rtol=1e-3):
        raise RespuestaIncorrecta("si multiplicas la ventana por 3, la predicción debería multiplicarse por 3: "
                                  "divide también por la desviación típica de cada ventana y multiplica la salida "
                                  "por ella.")
    X, y, _ = make_windows(ramp_series(200), 5)
    opt = torch.optim.Adam(model.train().parameters(), lr=0.02)
    for _ in range(40):
        loss = nn.functional.mse_loss(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    Xf, yf, _ = make_windows(ramp_series(100, start=5000), 5)
    with torch.no_grad():
        error = (model.eval()(Xf) - yf).abs().mean().item()
    if error > 1.0:
        raise RespuestaIncorrecta(f"entrenado con la rampa 0…199, su error medio en ventanas que empiezan en 5000 es "
                                  f"{error:.1f}: ¿aprende? Comprueba que la salida de la LSTM llega a la capa lineal.")
    return f"Invariante al nivel y a la escala; extrapola (error medio {error:.3f} en ventanas desde 5000)."


EXERCISES = [
    Exercise("q1", "Contar los parámetros de una LSTM", _check_parametros, parametros_lstm, [
        "Una LSTM es como cuatro celdas RNN en paralelo, una por compuerta.",
        "Por capa: weight_ih (4·H, I), weight_hh (4·H, H), bias_ih (4·H,) y bias_hh (4·H,).",
        "En la capa 2 y siguientes, la entrada mide H (la salida de la capa de abajo).",
    ]),
    Exercise("q2", "Ventanas de un paso", _check_ventanas, ventanas, [
        "Con N valores y ventanas de T, caben N - T ventanas: la última necesita un valor después.",
        "serie.unfold(0, T + 1, 1) devuelve todos los trozos de T + 1 valores consecutivos.",
        "Los T primeros de cada trozo son la entrada (añade .unsqueeze(-1)) y el último, el objetivo.",
    ]),
    Exercise("q3", "Línea base estacional ingenua", _check_naive, naive_estacional, [
        "El objetivo está en la posición T (justo después de la ventana, que va de 0 a T-1).",
        "Un periodo antes del objetivo es la posición T - periodo de la ventana.",
        "X[:, -periodo] tiene forma (B, 1) porque X es (B, T, 1).",
    ]),
    Exercise("q4", "Normalizar cada ventana", _check_por_ventana, LSTMPorVentana, [
        "Calcula la media y la desviación de cada ventana sobre el eje del tiempo: dim=1, forma (B, 1).",
        "Normaliza con .unsqueeze(1) para que (B, 1, 1) se difunda sobre (B, T, 1); suma un 1e-6 a la desviación.",
        "Salida = media + desviación × capa_lineal(out[:, -1]): deshace la normalización.",
    ]),
]
