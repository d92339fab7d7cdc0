"""Checkable exercises of notebook 01 (RNN y TextRNN). The wrong answers they catch are in tests/."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta, build_answer as _build, number_answer as _number
from .text import PAD_ID


# q1 ------------------------------------------------------------------------------------------
def parametros_rnn(I: int, H: int, num_layers: int = 1, bidirectional: bool = False) -> int:
    directions = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        inputs = I if layer == 0 else H * directions  # from layer 2 on, the input is the layer below
        total += directions * (H * inputs + H * H + 2 * H)  # W_ih, W_hh, b_ih, b_hh per direction
    return total


def _check_parametros(f) -> str:
    cases = [(3, 5, 1, False), (10, 7, 1, False), (4, 6, 2, False), (5, 3, 3, False), (4, 6, 1, True), (2, 5, 2, True)]
    for I, H, L, bi in cases:
        expected = sum(p.numel() for p in nn.RNN(I, H, num_layers=L, bidirectional=bi).parameters())
        got = _number(f(I, H, num_layers=L, bidirectional=bi), "el número de parámetros")
        if got == expected:
            continue
        where = f"parametros_rnn(I={I}, H={H}, num_layers={L}, bidirectional={bi}) da {got:g} y nn.RNN tiene {expected}."
        if L == 1 and not bi and got == H * I + H * H + H:
            raise RespuestaIncorrecta(f"{where} PyTorch usa dos vectores de sesgo, b_ih y b_hh, no uno.")
        if L > 1:
            raise RespuestaIncorrecta(f"{where} A partir de la segunda capa, la entrada de cada capa es la salida "
                                      "de la anterior: tamaño H (o 2·H si es bidireccional), no I.")
        if bi:
            raise RespuestaIncorrecta(f"{where} Una RNN bidireccional tiene un juego completo de pesos por dirección.")
        raise RespuestaIncorrecta(f"{where} Repasa las formas de W_ih (H, I), W_hh (H, H), b_ih y b_hh (H,).")
    return f"Coincide con nn.RNN en {len(cases)} configuraciones."


# q2 ------------------------------------------------------------------------------------------
def exhaustividad(logits: torch.Tensor, objetivo: torch.Tensor, clase: int) -> float:
    reales = objetivo != PAD_ID                        # the padding does not count
    de_la_clase = reales & (objetivo == clase)         # positions whose right answer is `clase`
    acertadas = de_la_clase & (logits.argmax(dim=-1) == clase)
    return (acertadas.sum() / de_la_clase.sum()).item()


def _recall_cases():
    g = torch.Generator().manual_seed(1)
    for B, T, V, clase in [(4, 9, 6, 5), (3, 12, 8, 4), (6, 5, 7, 6)]:
        objetivo = torch.randint(4, V, (B, T), generator=g)
        objetivo[:, -3:] = PAD_ID                      # padding at the end of every row
        logits = torch.randn(B, T, V, generator=g)
        logits[..., PAD_ID] -= 1.0
        logits[:, -3:, clase] += 5.0                   # the model "predicts" clase on padded positions
        yield logits, objetivo, clase


def _check_exhaustividad(f) -> str:
    for logits, objetivo, clase in _recall_cases():
        expected = exhaustividad(logits, objetivo, clase)
        got = _number(f(logits.clone(), objetivo.clone(), clase), "la exhaustividad")
        if math.isclose(got, expected, abs_tol=1e-6):
            continue
        predicted = (logits.argmax(-1) == clase) & (objetivo != PAD_ID)
        precision = ((objetivo == clase) & predicted).sum().item() / max(1, predicted.sum().item())
        if math.isclose(got, precision, abs_tol=1e-6):
            raise RespuestaIncorrecta("has calculado la precisión (de las veces que el modelo dice «clase», "
                                      "¿cuántas acierta?). La exhaustividad divide entre las posiciones cuya "
                                      "respuesta correcta es «clase».")
        raise RespuestaIncorrecta(f"en un caso de prueba esperábamos {expected:.4f} y obtuvimos {got:.4f}. "
                                  "¿Excluyes las posiciones de relleno (objetivo == PAD_ID)?")
    return "Probada en lotes con relleno."


# q3 ------------------------------------------------------------------------------------------
def softmax_con_temperatura(logits: torch.Tensor, tau: float) -> torch.Tensor:
    z = logits / tau
    z = z - z.max(dim=-1, keepdim=True).values         # subtract the max: exp never overflows
    e = torch.exp(z)
    return e / e.sum(dim=-1, keepdim=True)


def _check_softmax(f) -> str:
    g = torch.Generator().manual_seed(2)
    cases = [(torch.randn(5, 7, generator=g), 1.0), (torch.randn(2, 3, 4, generator=g), 0.5),
             (torch.randn(6, generator=g) * 3, 2.0), (torch.tensor([[1000.0, 999.0, 0.0]]), 1.0)]
    for logits, tau in cases:
        got = f(logits.clone(), tau)
        if not isinstance(got, torch.Tensor) or got.shape != logits.shape:
            raise RespuestaIncorrecta(f"para logits de forma {tuple(logits.shape)} devuelve un tensor de la misma "
                                      f"forma; devolviste {getattr(got, 'shape', type(got).__name__)}.")
        if torch.isnan(got).any() or torch.isinf(got).any():
            raise RespuestaIncorrecta("con logits grandes (p. ej. 1000) obtienes NaN o infinito: exp(1000) desborda. "
                                      "Resta el máximo de cada fila antes de exponenciar; el resultado no cambia.")
        if not torch.allclose(got.sum(dim=-1), torch.ones(()), atol=1e-5):
            raise RespuestaIncorrecta("las probabilidades de cada fila deben sumar 1: normaliza dividiendo por la suma.")
        if not torch.allclose(got, torch.softmax(logits / tau, dim=-1), atol=1e-6):
            if torch.allclose(got, torch.softmax(logits * tau, dim=-1), atol=1e-6):
                raise RespuestaIncorrecta("multiplicas por la temperatura; hay que dividir: con τ grande la "
                                          "distribución debe aplanarse, no afilarse.")
            raise RespuestaIncorrecta(f"con τ = {tau} el resultado no coincide con softmax(logits / τ).")
    return "Estable también con logits de 1000."


# q4 ------------------------------------------------------------------------------------------
class CharRNNDropout(nn.Module):
    def __init__(self, V: int, E: int, H: int, p: float):
        super().__init__()
        self.embedding = nn.Embedding(V, E, padding_idx=PAD_ID)
        self.dropout = nn.Dropout(p)                    # active in train(), identity in eval()
        self.rnn = nn.RNN(E, H, batch_first=True)
        self.salida = nn.Linear(H, V)

    def forward(self, ids):                             # ids: (B, T)
        output, _ = self.rnn(self.dropout(self.embedding(ids)))  # (B, T, H)
        return self.salida(self.dropout(output))       # (B, T, V)


def _check_dropout(cls) -> str:
    torch.manual_seed(0)
    V, E, H = 12, 5, 16
    model = _build(cls, V, E, H, 0.5)
    ids = torch.randint(4, V, (3, 7))
    out = model.train()(ids)
    if tuple(out.shape) != (3, 7, V):
        raise RespuestaIncorrecta(f"la salida debe ser (B, T, V) = (3, 7, {V}); es {tuple(out.shape)}.")
    if torch.equal(out, model(ids)):
        raise RespuestaIncorrecta("dos pasadas en modo entrenamiento dan exactamente lo mismo: ¿dónde aplicas el "
                                  "dropout? Con p = 0.5 debería apagar unidades al azar.")
    model.eval()
    if not torch.equal(model(ids), model(ids)):
        raise RespuestaIncorrecta("en modo evaluación (model.eval()) el dropout debe desactivarse: usa nn.Dropout "
                                  "(o F.dropout(x, p, training=self.training)).")
    model_p0 = _build(cls, V, E, H, 0.0).train()
    if not torch.equal(model_p0(ids), model_p0(ids)):
        raise RespuestaIncorrecta("con p = 0 el modelo no debería apagar nada: ¿usas el argumento p?")
    return "Activo al entrenar, apagado al evaluar."


# q5 ------------------------------------------------------------------------------------------
class CharLSTM(nn.Module):
    def __init__(self, V: int, E: int, H: int):
        super().__init__()
        self.embedding = nn.Embedding(V, E, padding_idx=PAD_ID)
        self.rnn = nn.LSTM(E, H, batch_first=True)
        self.salida = nn.Linear(H, V)

    def forward(self, ids):                             # ids: (B, T)
        output, (h_n, c_n) = self.rnn(self.embedding(ids))  # the LSTM also returns c_n
        return self.salida(output)                      # (B, T, V)


def _check_lstm(cls) -> str:
    torch.manual_seed(0)
    V, E, H = 10, 6, 24
    model = _build(cls, V, E, H)
    if not any(isinstance(m, nn.LSTM) for m in model.modules()):
        raise RespuestaIncorrecta("el modelo no contiene ninguna nn.LSTM.")
    expected = V * E + 4 * (E * H + H * H + 2 * H) + H * V + V
    got = sum(p.numel() for p in model.parameters())
    if got != expected:
        raise RespuestaIncorrecta(f"esperábamos {expected} parámetros (embedding, una LSTM de una capa y la capa "
                                  f"lineal) y tiene {got}.")
    ids = torch.randint(4, V, (8, 9))                   # a tiny "copy the previous token" task
    target = torch.roll(ids, 1, dims=1)
    out = model(ids)
    if tuple(out.shape) != (8, 9, V):
        raise RespuestaIncorrecta(f"la salida debe ser (B, T, V) = (8, 9, {V}), una predicción por paso; es "
                                  f"{tuple(out.shape)}. ¿Usaste h_n en lugar de output?")
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    loss_fn = nn.CrossEntropyLoss()
    first = loss_fn(out[:, 1:].reshape(-1, V), target[:, 1:].reshape(-1)).item()
    for _ in range(30):
        loss = loss_fn(model(ids)[:, 1:].reshape(-1, V), target[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    if not loss.item() < 0.5 * first:
        raise RespuestaIncorrecta(f"en 30 pasos de Adam la pérdida pasó de {first:.2f} a {loss.item():.2f}: "
                                  "el modelo no aprende. ¿Conectaste la salida de la LSTM con la capa lineal?")
    return f"Forma correcta, {got} parámetros, y aprende (pérdida {first:.2f} → {loss.item():.2f})."


EXERCISES = [
    Exercise("q1", "Contar los parámetros de una RNN", _check_parametros, parametros_rnn, [
        "Empieza por una capa y una dirección: mira las formas que imprime la sección 2.",
        "Por capa y dirección: W_ih (H, I), W_hh (H, H), b_ih (H,) y b_hh (H,).",
        "En la capa 2 y siguientes, la entrada es la salida de la capa anterior: H, o 2·H si es bidireccional.",
    ]),
    Exercise("q2", "Exhaustividad (recall) de una clase", _check_exhaustividad, exhaustividad, [
        "Exhaustividad = aciertos de la clase / veces que la clase era la respuesta correcta.",
        "Construye máscaras booleanas: objetivo != PAD_ID, objetivo == clase y logits.argmax(-1) == clase.",
        "Combínalas con & y cuenta con .sum(); devuelve un float con .item().",
    ]),
    Exercise("q3", "Softmax con temperatura, estable", _check_softmax, softmax_con_temperatura, [
        "La temperatura divide los logits antes del softmax.",
        "softmax(z) = exp(z) / suma(exp(z)) sobre el último eje (dim=-1, keepdim=True).",
        "exp(1000) es infinito en float32: resta antes el máximo de cada fila; el cociente no cambia.",
    ]),
    Exercise("q4", "CharRNN con dropout", _check_dropout, CharRNNDropout, [
        "Añade un nn.Dropout(p) en __init__ y aplícalo en forward.",
        "Buenos sitios: tras el embedding y tras la RNN, antes de la capa lineal.",
        "nn.Dropout se apaga solo con model.eval(); no uses F.dropout sin training=self.training.",
    ]),
    Exercise("q5", "De nn.RNN a nn.LSTM", _check_lstm, CharLSTM, [
        "Copia CharRNN y cambia nn.RNN por nn.LSTM; los tamaños no cambian.",
        "La LSTM devuelve output, (h_n, c_n): desempaqueta una tupla más.",
        "La capa lineal se aplica a output (B, T, H), no a h_n.",
    ]),
]
