"""Checkable exercises of notebook 02 (LSTM y GRU). The wrong answers they catch are in tests/."""

from __future__ import annotations

import math

import torch
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta
from .exercises import number_answer as _number


# q1 ------------------------------------------------------------------------------------------
def parametros_celda(celda: str, I: int, H: int) -> int:
    bloques = {"rnn": 1, "gru": 3, "lstm": 4}[celda]    # candidate + gates, each a full RNN block
    return bloques * (H * I + H * H + 2 * H)


def _check_parametros_celda(f) -> str:
    modules = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
    for celda, I, H in [("rnn", 3, 5), ("lstm", 3, 5), ("gru", 3, 5), ("lstm", 10, 2), ("gru", 1, 8)]:
        expected = sum(p.numel() for p in modules[celda](I, H).parameters())
        got = _number(f(celda, I, H), "el número de parámetros")
        if got == expected:
            continue
        where = f"parametros_celda({celda!r}, I={I}, H={H}) da {got:g} y nn.{celda.upper()} tiene {expected}."
        if celda != "rnn" and got == expected // (4 if celda == "lstm" else 3):
            raise RespuestaIncorrecta(f"{where} Cada compuerta y el candidato tienen su propio bloque de pesos: "
                                      "la LSTM tiene 4 bloques y la GRU 3.")
        raise RespuestaIncorrecta(f"{where} Un bloque son W_ih (H, I), W_hh (H, H), b_ih y b_hh (H,).")
    return "Coincide con nn.RNN, nn.LSTM y nn.GRU."


# q2 ------------------------------------------------------------------------------------------
def sesgo_olvido(lstm: nn.LSTM, valor: float) -> None:
    H = lstm.hidden_size
    with torch.no_grad():
        for capa in range(lstm.num_layers):
            getattr(lstm, f"bias_ih_l{capa}")[H : 2 * H] = valor   # bloques i, f, g, o: f es el segundo
            getattr(lstm, f"bias_hh_l{capa}")[H : 2 * H] = 0.0     # PyTorch suma los dos sesgos


def _check_sesgo_olvido(f) -> str:
    torch.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True)
    before = {name: p.detach().clone() for name, p in lstm.named_parameters()}
    f(lstm, 2.5)
    H = 4
    for layer in range(2):
        b_ih, b_hh = getattr(lstm, f"bias_ih_l{layer}"), getattr(lstm, f"bias_hh_l{layer}")
        blocks = (b_ih + b_hh).detach().chunk(4)
        if not torch.allclose(blocks[1], torch.full((H,), 2.5)):
            if torch.allclose(blocks[0], torch.full((H,), 2.5)) or torch.allclose(b_ih[:H], torch.full((H,), 2.5)):
                raise RespuestaIncorrecta("cambiaste el primer bloque, que es la compuerta de entrada: PyTorch apila "
                                          "i, f, g, o, así que el de olvido es [H:2H].")
            if torch.allclose(blocks[1], torch.full((H,), 5.0)):
                raise RespuestaIncorrecta("el sesgo efectivo es bias_ih + bias_hh: si pones 2.5 en los dos, la "
                                          "compuerta ve 5. Pon el valor en uno y 0 en el otro.")
            raise RespuestaIncorrecta(f"en la capa {layer} el sesgo efectivo de olvido (bias_ih + bias_hh, bloque "
                                      f"[H:2H]) no es 2.5. ¿Cambiaste todas las capas (bias_ih_l0, bias_ih_l1, …)?")
        for name in (f"bias_ih_l{layer}", f"bias_hh_l{layer}"):
            p, old = getattr(lstm, name).detach(), before[name]
            if not (torch.equal(p[:H], old[:H]) and torch.equal(p[2 * H :], old[2 * H :])):
                raise RespuestaIncorrecta(f"cambiaste otros bloques de {name}: solo hay que tocar [H:2H].")
    for name, p in lstm.named_parameters():
        if name.startswith("weight") and not torch.equal(p, before[name]):
            raise RespuestaIncorrecta(f"cambiaste {name}: solo hay que tocar los sesgos.")
    return "Compuerta de olvido a 2.5 en las dos capas, el resto intacto."


# q3 ------------------------------------------------------------------------------------------
def pasos_para_olvidar(b_f: float, umbral: float = 0.01) -> int:
    retiene = 1 / (1 + math.exp(-b_f))                  # σ(b_f): lo que queda de c en cada paso
    return math.ceil(math.log(umbral) / math.log(retiene))


def _check_pasos(f) -> str:
    for b_f, umbral in [(0.0, 0.01), (1.0, 0.01), (4.0, 0.01), (2.0, 0.5), (-1.0, 0.1), (3.0, 1e-3)]:
        expected = pasos_para_olvidar(b_f, umbral)
        got = _number(f(b_f, umbral), "el número de pasos")
        if got == expected:
            continue
        where = f"pasos_para_olvidar({b_f}, {umbral}) da {got:g}; esperábamos {expected}."
        if got == expected - 1:
            raise RespuestaIncorrecta(f"{where} Tras n pasos queda σ(b_f)^n: busca el primer n con σ(b_f)^n < umbral "
                                      "(redondea hacia arriba).")
        raise RespuestaIncorrecta(f"{where} Lo que se conserva en cada paso es σ(b_f) = 1 / (1 + e^(−b_f)), no b_f.")
    return f"Con b_f = 4, la memoria tarda {pasos_para_olvidar(4.0)} pasos en bajar del 1 %."


# q4 ------------------------------------------------------------------------------------------
def ultimo_real(output: torch.Tensor, longitudes: torch.Tensor) -> torch.Tensor:
    filas = torch.arange(output.shape[0])               # (B,)
    return output[filas, longitudes - 1]                # (B, H): el último paso que no es relleno


def _check_ultimo_real(f) -> str:
    g = torch.Generator().manual_seed(3)
    for B, T, H in [(5, 7, 3), (1, 4, 2), (8, 12, 6)]:
        output = torch.randn(B, T, H, generator=g)
        longitudes = torch.randint(1, T + 1, (B,), generator=g)
        longitudes[0] = T                                # one full row, and at least one short one
        if B > 1:
            longitudes[1] = 1
        got = f(output.clone(), longitudes.clone())
        expected = ultimo_real(output, longitudes)
        if not isinstance(got, torch.Tensor) or got.shape != (B, H):
            raise RespuestaIncorrecta(f"devuelve un tensor (B, H) = ({B}, {H}); devolviste "
                                      f"{getattr(got, 'shape', type(got).__name__)}.")
        if torch.allclose(got, expected):
            continue
        if torch.equal(got, output[:, -1]):
            raise RespuestaIncorrecta("devuelves output[:, -1]: en las secuencias cortas el último paso es relleno. "
                                      "Usa longitudes - 1 como índice de tiempo de cada fila.")
        raise RespuestaIncorrecta("alguna fila no es la de su último paso real (longitudes[b] − 1; los índices "
                                  "empiezan en 0).")
    return "Sin bucles sobre el lote, si usaste indexación avanzada."


EXERCISES = [
    Exercise("q1", "Parámetros de RNN, LSTM y GRU", _check_parametros_celda, parametros_celda, [
        "Una RNN tiene un bloque: W_ih (H, I), W_hh (H, H), b_ih y b_hh (H,).",
        "La LSTM repite el bloque para i, f, g, o; la GRU para r, z, n.",
        "parametros = bloques × (H·I + H·H + 2·H), con bloques 1, 4 o 3.",
    ]),
    Exercise("q2", "Abrir la compuerta de olvido", _check_sesgo_olvido, sesgo_olvido, [
        "Los sesgos de nn.LSTM son bias_ih_l{k} y bias_hh_l{k}, de tamaño 4H, en bloques i, f, g, o.",
        "El bloque de olvido es [H:2H]; modifícalo dentro de torch.no_grad().",
        "PyTorch suma bias_ih y bias_hh: pon el valor en uno, 0 en el otro, y recorre todas las capas.",
    ]),
    Exercise("q3", "¿Cuánto dura la memoria?", _check_pasos, pasos_para_olvidar, [
        "Si las entradas no aportan nada, c_t ≈ f · c_{t−1} con f = σ(b_f).",
        "Tras n pasos queda σ(b_f)^n; despeja n de σ(b_f)^n = umbral con logaritmos.",
        "n = ⌈log(umbral) / log σ(b_f)⌉ (math.ceil).",
    ]),
    Exercise("q4", "El último paso real de un lote con relleno", _check_ultimo_real, ultimo_real, [
        "La fila b termina en el paso longitudes[b] − 1.",
        "Indexación avanzada: output[filas, pasos] con dos tensores de índices (B,).",
        "filas = torch.arange(B); pasos = longitudes - 1.",
    ]),
]
