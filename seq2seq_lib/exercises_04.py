"""Checkable exercises of notebook 04 (LSTM muchos a muchos). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta, tensor_answer
from .exercises import build_answer as _build
from .series import make_windows, ramp_series


# q1 ------------------------------------------------------------------------------------------
def objetivos_alineados(X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return torch.cat([X[:, 1:], y.unsqueeze(-1)], dim=1)   # (B, T, 1): el valor siguiente de cada paso


def _check_alineados(f) -> str:
    for serie, T in [(ramp_series(12), 4), (torch.randn(40, generator=torch.Generator().manual_seed(5)), 6)]:
        X, y, _ = make_windows(serie, T)                     # (B, T, 1), (B, 1)
        expected = objetivos_alineados(X, y)
        got = tensor_answer(f(X.clone(), y.clone()), None, "el objetivo")
        if got.shape != expected.shape:
            raise RespuestaIncorrecta(f"para X {tuple(X.shape)} e y {tuple(y.shape)} el objetivo alineado es "
                                      f"(B, T, 1) = {tuple(expected.shape)}: uno por paso de entrada. Devolviste "
                                      f"{tuple(got.shape)}.")
        if torch.equal(got, X):
            raise RespuestaIncorrecta("devuelves la propia entrada: en cada paso el objetivo es el valor "
                                      "**siguiente**, así que hay que desplazar un paso.")
        if torch.equal(got, torch.cat([X[:, :1], X[:, :-1]], dim=1)):
            raise RespuestaIncorrecta("desplazas hacia el pasado: el objetivo del paso t es x[t+1], no x[t-1].")
        if not torch.equal(got, expected):
            raise RespuestaIncorrecta("los valores no coinciden: el objetivo del último paso es y, el valor "
                                      "que sigue a la ventana.")
    return "Un objetivo por paso, desplazado uno hacia el futuro."


# q2 ------------------------------------------------------------------------------------------
def naive_estacional_h(X: torch.Tensor, periodo: int, H: int) -> torch.Tensor:
    indices = X.shape[1] - periodo + torch.arange(H) % periodo   # (H,): la última temporada, repetida
    return X[:, indices, 0]                                      # (B, H)


def _check_naive_h(f) -> str:
    g = torch.Generator().manual_seed(6)
    for B, T, periodo, H in [(3, 21, 7, 5), (2, 28, 7, 14), (4, 10, 3, 8)]:
        X = torch.randn(B, T, 1, generator=g)
        expected = naive_estacional_h(X, periodo, H)
        got = tensor_answer(f(X.clone(), periodo, H), None, "la predicción")
        if got.shape != expected.shape:
            raise RespuestaIncorrecta(f"para X {tuple(X.shape)} y H = {H} devuelve (B, H) = {tuple(expected.shape)}; "
                                      f"devolviste {tuple(got.shape)}.")
        if torch.equal(got, expected):
            continue
        if H <= periodo:
            raise RespuestaIncorrecta(f"con periodo {periodo} y H = {H} el paso h (1 … H) debe copiar el valor de "
                                      "hace un periodo: la posición T - periodo + h - 1 de la ventana.")
        raise RespuestaIncorrecta(f"con H = {H} mayor que el periodo ({periodo}) hay que repetir la última "
                                  "temporada: usa el resto de la división (h % periodo).")
    return "Correcta también cuando el horizonte es más largo que el periodo."


# q3 ------------------------------------------------------------------------------------------
def recursivo(modelo, X: torch.Tensor, H: int) -> torch.Tensor:
    ventana, predicciones = X, []
    for _ in range(H):
        siguiente = modelo(ventana)                              # (B, 1)
        predicciones.append(siguiente)
        ventana = torch.cat([ventana[:, 1:], siguiente.unsqueeze(-1)], dim=1)   # desliza: (B, T, 1)
    return torch.cat(predicciones, dim=1)                        # (B, H)


def _check_recursivo(f) -> str:
    pesos = torch.tensor([0.1, 0.2, 0.3, 0.4])

    def modelo(ventana):                                         # a fixed one-step model of the last 4 values
        if ventana.dim() != 3 or ventana.shape[1] != 6:
            raise RespuestaIncorrecta(f"el modelo recibe ventanas (B, T, 1) con T = 6; le pasaste "
                                      f"{tuple(ventana.shape)}: ¿mantienes la longitud de la ventana al deslizarla?")
        return (ventana[:, -4:, 0] * pesos).sum(dim=1, keepdim=True) + 1.0

    X = torch.randn(3, 6, 1, generator=torch.Generator().manual_seed(7))
    expected = recursivo(modelo, X, 5)
    got = tensor_answer(f(modelo, X.clone(), 5), None, "la predicción")
    if got.shape != expected.shape:
        raise RespuestaIncorrecta(f"devuelve (B, H) = {tuple(expected.shape)}; devolviste {tuple(got.shape)}.")
    if torch.allclose(got, modelo(X).expand(-1, 5)):
        raise RespuestaIncorrecta("repites la primera predicción H veces: después de cada paso, añade la "
                                  "predicción al final de la ventana y quita el valor más antiguo.")
    if not torch.allclose(got, expected, atol=1e-6):
        raise RespuestaIncorrecta("la primera predicción está bien pero las siguientes no: la ventana nueva es "
                                  "ventana[:, 1:] seguida de la predicción, en ese orden.")
    return "Cada predicción alimenta a la siguiente."


# q4 ------------------------------------------------------------------------------------------
class LSTMDirecto(nn.Module):
    def __init__(self, H: int, horizonte: int):
        super().__init__()
        self.lstm = nn.LSTM(1, H, batch_first=True)
        self.salida = nn.Linear(H, horizonte)                    # los H_futuros valores de una vez

    def forward(self, x):                                        # x: (B, T, 1)
        out, _ = self.lstm(x)                                    # (B, T, H)
        return self.salida(out[:, -1])                           # (B, horizonte): desde el último estado


def _check_directo(cls) -> str:
    torch.manual_seed(0)
    model = _build(cls, 8, 5).eval()
    x = torch.randn(4, 12, 1)
    with torch.no_grad():
        out = model(x)
        if not isinstance(out, torch.Tensor) or tuple(out.shape) != (4, 5):
            raise RespuestaIncorrecta(f"la salida debe ser (B, horizonte) = (4, 5); es "
                                      f"{getattr(out, 'shape', type(out).__name__)}.")
        changed = x.clone()
        changed[:, -1] += 10.0                                   # change only the last value of the window
        if torch.allclose(model(changed), out):
            raise RespuestaIncorrecta("cambiar el último valor de la ventana no cambia la predicción: lees un paso "
                                      "anterior de output (¿out[:, -horizonte]?). Usa el último: out[:, -1].")
    first = nn.functional.mse_loss(model.train()(x), torch.ones(4, 5)).item()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(30):
        loss = nn.functional.mse_loss(model(x), torch.ones(4, 5))
        opt.zero_grad()
        loss.backward()
        opt.step()
    if not loss.item() < 0.5 * first:
        raise RespuestaIncorrecta(f"en 30 pasos la pérdida pasó de {first:.2f} a {loss.item():.2f}: no aprende.")
    return "Usa el último estado y emite todo el horizonte a la vez."


EXERCISES = [
    Exercise("q1", "Objetivos alineados", _check_alineados, objetivos_alineados, [
        "En muchos a muchos alineado, el objetivo del paso t es el valor del paso t + 1.",
        "Para los pasos 1 … T-1 ese valor está en la propia ventana: X[:, 1:].",
        "Para el último paso es y; concaténalos en el eje del tiempo (dim=1), con y.unsqueeze(-1).",
    ]),
    Exercise("q2", "Estacional ingenua a H pasos", _check_naive_h, naive_estacional_h, [
        "El paso h copia el valor de hace un periodo; si h > periodo, el de hace dos periodos…",
        "Es lo mismo que repetir la última temporada: las posiciones T - periodo … T - 1.",
        "Índices: X.shape[1] - periodo + torch.arange(H) % periodo.",
    ]),
    Exercise("q3", "Predicción recursiva", _check_recursivo, recursivo, [
        "Llama al modelo H veces; cada vez predice un solo valor (B, 1).",
        "Tras cada paso, la ventana pierde su primer valor y gana la predicción al final.",
        "torch.cat([ventana[:, 1:], siguiente.unsqueeze(-1)], dim=1); al final, torch.cat de las predicciones.",
    ]),
    Exercise("q4", "Estrategia directa sin el error del original", _check_directo, LSTMDirecto, [
        "La capa lineal pasa de H a horizonte salidas: todas las predicciones a la vez.",
        "¿Qué paso de output resume la ventana entera?",
        "out[:, -1] (o h_n[-1]); out[:, -horizonte] ignora los últimos horizonte - 1 valores.",
    ]),
]
