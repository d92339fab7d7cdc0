"""Checkable exercises of notebook 08 (attention). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch

from .exercises import Exercise, RespuestaIncorrecta, tensor_answer


# q1 ------------------------------------------------------------------------------------------
def pesos_atencion(puntuaciones: torch.Tensor, longitudes: torch.Tensor) -> torch.Tensor:
    S = puntuaciones.shape[1]
    reales = torch.arange(S).unsqueeze(0) < longitudes.unsqueeze(1)          # (B, S): True en las posiciones reales
    return puntuaciones.masked_fill(~reales, float("-inf")).softmax(dim=1)   # exp(-inf) = 0 exactamente


def _check_pesos(f) -> str:
    g = torch.Generator().manual_seed(8)
    puntuaciones = torch.randn(5, 7, generator=g) * 3
    longitudes = torch.tensor([7, 3, 1, 5, 2])
    puntuaciones[1, 3:] = 40.0                                   # large scores at padded positions
    got = tensor_answer(f(puntuaciones.clone(), longitudes.clone()), (5, 7), "los pesos")
    expected = pesos_atencion(puntuaciones, longitudes)
    if torch.allclose(got, puntuaciones.softmax(dim=1), atol=1e-6):
        raise RespuestaIncorrecta("es el softmax de todas las posiciones: el relleno recibe peso. Pon -inf en las "
                                  "puntuaciones del relleno antes del softmax.")
    if torch.allclose(got, expected, atol=1e-6):
        reales = torch.arange(7).unsqueeze(0) < longitudes.unsqueeze(1)
        if (got[~reales] != 0).any():
            raise RespuestaIncorrecta("el relleno recibe un peso muy pequeño pero no cero: usa -inf (o "
                                      "masked_fill después del softmax) para que sea exactamente 0.")
        return "El relleno recibe exactamente 0 y los pesos reales suman 1."
    if torch.allclose(got.sum(1), torch.ones(5), atol=1e-5):
        raise RespuestaIncorrecta(f"los pesos suman 1 pero no son los esperados; para longitudes {longitudes.tolist()} "
                                  "las posiciones reales de la fila b son t < longitudes[b].")
    raise RespuestaIncorrecta("los pesos de cada fila deben sumar 1: normaliza con softmax sobre la dimensión 1 (S).")


# q2 ------------------------------------------------------------------------------------------
def contexto(pesos: torch.Tensor, salidas: torch.Tensor) -> torch.Tensor:
    return pesos @ salidas                                        # (B, T, S) @ (B, S, H) → (B, T, H)


def _check_contexto(f) -> str:
    g = torch.Generator().manual_seed(9)
    B, T, S, H = 3, 4, 6, 5
    pesos = torch.rand(B, T, S, generator=g).softmax(-1)
    salidas = torch.randn(B, S, H, generator=g)
    got = tensor_answer(f(pesos.clone(), salidas.clone()), (B, T, H), "el contexto")
    if torch.allclose(got, contexto(pesos, salidas), atol=1e-5):
        return "Una media ponderada de las salidas del codificador por cada paso del decodificador."
    if torch.allclose(got, salidas.mean(1, keepdim=True).expand(B, T, H), atol=1e-5):
        raise RespuestaIncorrecta("es la media simple de las salidas: el contexto usa los pesos, Σ_j α_tj s_j.")
    raise RespuestaIncorrecta("no coincide con Σ_j α_tj s_j; con torch.bmm o @: (B, T, S) @ (B, S, H).")


# q3 ------------------------------------------------------------------------------------------
def puntuacion_general(h: torch.Tensor, salidas: torch.Tensor, W: torch.Tensor) -> torch.Tensor:
    return h @ W @ salidas.transpose(1, 2)                        # (B, T, H) @ (H, H) @ (B, H, S) → (B, T, S)


def _check_general(f) -> str:
    g = torch.Generator().manual_seed(10)
    B, T, S, H = 2, 3, 5, 4
    h, salidas, W = torch.randn(B, T, H, generator=g), torch.randn(B, S, H, generator=g), torch.randn(H, H, generator=g)
    got = tensor_answer(f(h.clone(), salidas.clone(), W.clone()), (B, T, S), "las puntuaciones")
    if torch.allclose(got, puntuacion_general(h, salidas, W), atol=1e-5):
        return "Con W = I sería la puntuación dot."
    if torch.allclose(got, h @ W.T @ salidas.transpose(1, 2), atol=1e-5):
        raise RespuestaIncorrecta("usas Wᵀ en lugar de W: e_tj = h_tᵀ W s_j, es decir h @ W @ salidasᵀ.")
    if torch.allclose(got, h @ salidas.transpose(1, 2), atol=1e-5):
        raise RespuestaIncorrecta("es la puntuación dot (falta W): e_tj = h_tᵀ W s_j.")
    raise RespuestaIncorrecta("no coincide con h_tᵀ W s_j; comprueba las formas: (B, T, H) @ (H, H) @ (B, H, S).")


# q4 ------------------------------------------------------------------------------------------
def reordena(estado, indice: torch.Tensor):
    salidas, mascara, (h, c) = estado
    return (salidas[indice], mascara[indice],                     # (K, S, H), (K, S): el lote es la dimensión 0
            (h[:, indice], c[:, indice]))                        # (L, K, H): aquí es la dimensión 1


def _check_reordena(f) -> str:
    g = torch.Generator().manual_seed(11)
    B, S, H, L = 3, 4, 5, 2
    estado = (torch.randn(B, S, H, generator=g), torch.rand(B, S, generator=g) > 0.3,
              (torch.randn(L, B, H, generator=g), torch.randn(L, B, H, generator=g)))
    indice = torch.tensor([2, 0, 0, 1, 2])
    got = f(estado, indice.clone())
    expected = reordena(estado, indice)
    try:
        salidas, mascara, (h, c) = got
    except (TypeError, ValueError):
        raise RespuestaIncorrecta("devuelve el estado con la misma estructura: (salidas, mascara, (h, c)).") from None
    tensor_answer(salidas, (5, S, H), "salidas")
    tensor_answer(mascara, (5, S), "mascara")
    if isinstance(h, torch.Tensor) and tuple(h.shape) == (L, B, H) and B != 5:
        raise RespuestaIncorrecta("h no cambió de forma: reordena también h y c.")
    if isinstance(h, torch.Tensor) and h.shape[0] == 5:
        raise RespuestaIncorrecta("h y c son (L, B, H): el lote es la dimensión 1, no la 0. Usa h[:, indice].")
    tensor_answer(h, (L, 5, H), "h")
    tensor_answer(c, (L, 5, H), "c")
    if not (torch.equal(salidas, expected[0]) and torch.equal(mascara, expected[1])):
        raise RespuestaIncorrecta("las salidas o la máscara no siguen a indice: la fila k debe ser la fila indice[k].")
    if not (torch.equal(h, expected[2][0]) and torch.equal(c, expected[2][1])):
        raise RespuestaIncorrecta("h o c no siguen a indice en la dimensión del lote (la 1).")
    return "Es lo que hace AttentionDecoder.reorder_state en cada paso de la búsqueda en haz."


EXERCISES = [
    Exercise("q1", "Softmax con máscara", _check_pesos, pesos_atencion, [
        "Construye la máscara (B, S) comparando torch.arange(S) con las longitudes.",
        "Antes del softmax, pon -inf en las puntuaciones del relleno: masked_fill(~mascara, float('-inf')).",
        "puntuaciones.masked_fill(~reales, float('-inf')).softmax(dim=1).",
    ]),
    Exercise("q2", "El vector de contexto", _check_contexto, contexto, [
        "Para cada paso t, c_t = Σ_j α_tj s_j: una suma ponderada sobre S.",
        "Es un producto de matrices por lotes: (B, T, S) por (B, S, H).",
        "pesos @ salidas (o torch.bmm(pesos, salidas)).",
    ]),
    Exercise("q3", "La puntuación general de Luong", _check_general, puntuacion_general, [
        "e_tj = h_tᵀ W s_j: primero W actúa sobre s_j (o h_tᵀ W sobre todas las s_j).",
        "Las salidas transpuestas son (B, H, S).",
        "h @ W @ salidas.transpose(1, 2).",
    ]),
    Exercise("q4", "Reordenar el estado para la búsqueda en haz", _check_reordena, reordena, [
        "Cada pieza del estado tiene el lote en una dimensión: búscala.",
        "salidas (B, S, H) y mascara (B, S) lo tienen en la 0; h y c (L, B, H), en la 1.",
        "(salidas[indice], mascara[indice], (h[:, indice], c[:, indice])).",
    ]),
]
