"""Checkable exercises of notebook 09 (Transformer). The wrong answers they catch are in tests/."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta, tensor_answer
from .transformer import sinusoidal_positional_encoding


# q1 ------------------------------------------------------------------------------------------
def mascara_causal(T: int) -> torch.Tensor:
    futuro = torch.ones(T, T, dtype=torch.bool).triu(1)           # (T, T): True encima de la diagonal
    return torch.zeros(T, T).masked_fill(futuro, -math.inf)        # 0 se puede mirar, -inf no


def _check_mascara_causal(f) -> str:
    for T in (1, 4, 7):
        got = tensor_answer(f(T), (T, T), f"mascara_causal({T})")
        expected = nn.Transformer.generate_square_subsequent_mask(T)
        if got.dtype == torch.bool:
            raise RespuestaIncorrecta("devuelves una máscara booleana; aquí se pide la aditiva (float): 0.0 donde se "
                                      "puede mirar y -inf donde no. Convierte con masked_fill.")
        if torch.equal(got, expected):
            continue
        if torch.isinf(got).all():
            raise RespuestaIncorrecta("todas las entradas son -inf: es el error del cuaderno clásico. Ninguna consulta "
                                      "puede mirar nada y el softmax da NaN. Solo el futuro (encima de la diagonal) es -inf.")
        if T > 1 and torch.equal(got, expected.T):
            raise RespuestaIncorrecta("la máscara está traspuesta: tapas el pasado y dejas ver el futuro. Las filas son "
                                      "consultas y las columnas claves; -inf donde columna > fila (triu(1)).")
        if T > 1 and torch.equal(got, torch.zeros(T, T).masked_fill(torch.ones(T, T, dtype=torch.bool).triu(0), -math.inf)):
            raise RespuestaIncorrecta("tapas también la diagonal: cada posición debe poder mirarse a sí misma "
                                      "(triu con diagonal=1).")
        raise RespuestaIncorrecta(f"para T={T} esperábamos\n{expected}\ny devolviste\n{got}")
    return "Es nn.Transformer.generate_square_subsequent_mask."


# q2 ------------------------------------------------------------------------------------------
def mascara_relleno(longitudes: torch.Tensor, S: int) -> torch.Tensor:
    return torch.arange(S).unsqueeze(0) >= longitudes.unsqueeze(1)   # (B, S): True en el relleno


def _check_mascara_relleno(f) -> str:
    longitudes = torch.tensor([5, 2, 7, 1])
    S = 7
    got = tensor_answer(f(longitudes.clone(), S), (4, S), "la máscara")
    expected = mascara_relleno(longitudes, S)
    if got.dtype != torch.bool:
        raise RespuestaIncorrecta(f"la máscara debe ser booleana (torch.bool); es {got.dtype}.")
    if torch.equal(got, expected):
        return "Se pasa como key_padding_mask: True = relleno, que nadie debe mirar."
    if torch.equal(got, ~expected):
        raise RespuestaIncorrecta("está al revés: key_padding_mask vale True en el relleno (lo que se ignora), no en "
                                  "las posiciones reales.")
    if torch.equal(got, torch.arange(S).unsqueeze(0) > longitudes.unsqueeze(1)):
        raise RespuestaIncorrecta("te quedas corto por una posición: con longitud L las posiciones reales son 0…L−1, "
                                  "así que el relleno empieza en L (usa >=).")
    raise RespuestaIncorrecta(f"para longitudes {longitudes.tolist()} y S={S} esperábamos "
                              f"{expected.int().tolist()}; compara torch.arange(S) con las longitudes.")


# q3 ------------------------------------------------------------------------------------------
def codificacion_posicional(max_len: int, D: int) -> torch.Tensor:
    p = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)                  # (max_len, 1)
    frecuencias = 10000.0 ** (-torch.arange(0, D, 2, dtype=torch.float32) / D)    # (D/2,)
    pe = torch.zeros(max_len, D)
    pe[:, 0::2] = torch.sin(p * frecuencias)
    pe[:, 1::2] = torch.cos(p * frecuencias)
    return pe


def _check_codificacion(f) -> str:
    max_len, D = 30, 16
    got = tensor_answer(f(max_len, D), (max_len, D), f"codificacion_posicional({max_len}, {D})")
    expected = sinusoidal_positional_encoding(max_len, D)
    if torch.allclose(got.float(), expected, atol=1e-5):
        return "Igual que sinusoidal_positional_encoding del paquete."
    swapped = torch.zeros_like(expected)
    swapped[:, 0::2], swapped[:, 1::2] = expected[:, 1::2], expected[:, 0::2]
    if torch.allclose(got.float(), swapped, atol=1e-5):
        raise RespuestaIncorrecta("senos y cosenos están intercambiados: el seno va en las dimensiones pares (0::2) y "
                                  "el coseno en las impares (1::2).")
    i = torch.arange(D // 2, dtype=torch.float32)
    p = torch.arange(max_len, dtype=torch.float32).unsqueeze(1)
    wrong = torch.zeros_like(expected)
    wrong[:, 0::2], wrong[:, 1::2] = torch.sin(p / 10000 ** (i / D)), torch.cos(p / 10000 ** (i / D))
    if torch.allclose(got.float(), wrong, atol=1e-5):
        raise RespuestaIncorrecta("el exponente es 2i/D, no i/D: con i/D las frecuencias bajan la mitad de rápido. "
                                  "Usa torch.arange(0, D, 2) / D.")
    raise RespuestaIncorrecta("no coincide con PE[p, 2i] = sin(p / 10000^(2i/D)), PE[p, 2i+1] = cos(…); "
                              "mira la fila p = 1 de tu resultado.")


# q4 ------------------------------------------------------------------------------------------
def atencion_booleana(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, puede_mirar: torch.Tensor) -> torch.Tensor:
    puntuaciones = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])              # (…, Tq, Tk)
    puntuaciones = puntuaciones.masked_fill(~puede_mirar, -math.inf)
    return puntuaciones.softmax(dim=-1) @ v                                      # (…, Tq, d_v)


def _check_atencion(f) -> str:
    g = torch.Generator().manual_seed(9)
    q, k, v = (torch.randn(2, 3, n, 8, generator=g) for n in (5, 6, 6))
    puede = torch.rand(5, 6, generator=g) < 0.6
    puede[:, 0] = True
    got = tensor_answer(f(q.clone(), k.clone(), v.clone(), puede.clone()), (2, 3, 5, 8), "la salida")
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=puede)
    if torch.allclose(got, expected, atol=1e-5):
        return "Igual que F.scaled_dot_product_attention con una máscara booleana."
    sin_escala = (q @ k.transpose(-2, -1)).masked_fill(~puede, -math.inf).softmax(-1) @ v
    if torch.allclose(got, sin_escala, atol=1e-5):
        raise RespuestaIncorrecta("falta dividir las puntuaciones por √d_k (q.shape[-1] ** 0.5).")
    if torch.allclose(got, F.scaled_dot_product_attention(q, k, v, attn_mask=~puede), atol=1e-5):
        raise RespuestaIncorrecta("la máscara está al revés: True = se puede mirar, así que el -inf va donde "
                                  "puede_mirar es False (masked_fill(~puede_mirar, -inf)).")
    otra = (q @ k.transpose(-2, -1) / math.sqrt(8)).masked_fill(~puede, -math.inf).softmax(-2)
    if torch.allclose(got, otra @ v, atol=1e-5, equal_nan=True):
        raise RespuestaIncorrecta("el softmax va sobre las claves (la última dimensión, dim=-1), no sobre las consultas.")
    raise RespuestaIncorrecta("no coincide con F.scaled_dot_product_attention(q, k, v, attn_mask=puede_mirar); "
                              "revisa el orden: puntuaciones, escala, máscara, softmax, por v.")


EXERCISES = [
    Exercise("q1", "La máscara causal", _check_mascara_causal, mascara_causal, [
        "Las filas son consultas y las columnas claves: la consulta t puede mirar las claves 0…t.",
        "torch.ones(T, T, dtype=torch.bool).triu(1) marca el futuro (encima de la diagonal).",
        "torch.zeros(T, T).masked_fill(futuro, -math.inf).",
    ]),
    Exercise("q2", "La máscara de relleno", _check_mascara_relleno, mascara_relleno, [
        "La posición s de la fila b es relleno si s >= longitudes[b].",
        "Compara torch.arange(S) (1, S) con longitudes (B, 1): el broadcasting hace el resto.",
        "torch.arange(S).unsqueeze(0) >= longitudes.unsqueeze(1).",
    ]),
    Exercise("q3", "La codificación posicional sinusoidal", _check_codificacion, codificacion_posicional, [
        "Cada par de dimensiones (2i, 2i+1) comparte una frecuencia 1 / 10000^(2i/D).",
        "Las frecuencias: 10000 ** (-torch.arange(0, D, 2) / D); las posiciones: torch.arange(max_len).unsqueeze(1).",
        "pe[:, 0::2] = sin(p · frecuencias) y pe[:, 1::2] = cos(p · frecuencias).",
    ]),
    Exercise("q4", "Atención con máscara booleana", _check_atencion, atencion_booleana, [
        "Empieza como la atención de la sección 1: q @ kᵀ / √d_k.",
        "Con una máscara booleana no se suma: se pone -inf donde NO se puede mirar con masked_fill.",
        "masked_fill(~puede_mirar, -math.inf), softmax(dim=-1) y multiplica por v.",
    ]),
]
