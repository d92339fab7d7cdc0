"""Checkable exercises of notebook 07 (seq2seq). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch

from .exercises import Exercise, RespuestaIncorrecta, tensor_answer
from .text import EOS_ID, PAD_ID, SOS_ID


# q1 ------------------------------------------------------------------------------------------
def entrada_y_objetivo(objetivos: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    T = max(len(y) for y in objetivos) + 1                             # un especial más en cada lado
    tgt_in = torch.full((len(objetivos), T), PAD_ID, dtype=torch.long)   # (B, T)
    tgt_out = torch.full((len(objetivos), T), PAD_ID, dtype=torch.long)  # (B, T)
    for b, y in enumerate(objetivos):
        tgt_in[b, :len(y) + 1] = torch.tensor([SOS_ID] + list(y))
        tgt_out[b, :len(y) + 1] = torch.tensor(list(y) + [EOS_ID])
    return tgt_in, tgt_out


def _check_entrada_y_objetivo(f) -> str:
    objetivos = [[7, 4, 9], [5], [8, 8, 6, 11, 4], [10, 12]]
    answer = f([list(y) for y in objetivos])
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise RespuestaIncorrecta("devuelve una pareja (tgt_in, tgt_out).")
    expected_in, expected_out = entrada_y_objetivo(objetivos)
    got_in = tensor_answer(answer[0], tuple(expected_in.shape), "tgt_in")
    got_out = tensor_answer(answer[1], tuple(expected_out.shape), "tgt_out")
    if torch.equal(got_in, expected_in) and torch.equal(got_out, expected_out):
        return "Es lo que hace seq2seq_collate: tgt_in[:, t + 1] == tgt_out[:, t]."
    if torch.equal(got_in, expected_out) and torch.equal(got_out, expected_in):
        raise RespuestaIncorrecta("están intercambiados: el decodificador LEE <sos> y₁ … yₙ (tgt_in) y debe PREDECIR "
                                  "y₁ … yₙ <eos> (tgt_out).")
    if (got_out == SOS_ID).any():
        raise RespuestaIncorrecta("tgt_out contiene <sos>: el modelo nunca tiene que predecir el inicio; tgt_out es "
                                  "y₁ … yₙ <eos>.")
    if not (got_out == EOS_ID).any(1).all():
        raise RespuestaIncorrecta("a alguna fila de tgt_out le falta <eos>: sin él, el modelo no aprende a terminar.")
    if not (got_in[:, 0] == SOS_ID).all():
        raise RespuestaIncorrecta("cada fila de tgt_in empieza por <sos> (SOS_ID), no por el primer símbolo de la "
                                  "respuesta.")
    if (got_in == EOS_ID).any():
        raise RespuestaIncorrecta("tgt_in no lleva <eos>: después de leer el último símbolo real ya no hay nada que "
                                  "predecir salvo <eos>, que va en tgt_out.")
    raise RespuestaIncorrecta(f"para {objetivos[1]} esperábamos tgt_in = {expected_in[1].tolist()} y tgt_out = "
                              f"{expected_out[1].tolist()}; revisa el relleno (PAD_ID) de las filas cortas.")


# q2 ------------------------------------------------------------------------------------------
def log_prob_secuencias(logits: torch.Tensor, tgt_out: torch.Tensor) -> torch.Tensor:
    logp = logits.log_softmax(-1)                                              # (B, T, V)
    por_paso = logp.gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1)             # (B, T)
    return (por_paso * (tgt_out != PAD_ID)).sum(1)                             # (B,)


def _check_log_prob(f) -> str:
    g = torch.Generator().manual_seed(7)
    B, T, V = 4, 6, 9
    logits = torch.randn(B, T, V, generator=g) * 2
    tgt_out = torch.randint(4, V, (B, T), generator=g)
    lengths = torch.tensor([6, 3, 5, 1])
    tgt_out[torch.arange(T).unsqueeze(0) >= lengths.unsqueeze(1)] = PAD_ID
    tgt_out[torch.arange(B), lengths - 1] = EOS_ID
    got = tensor_answer(f(logits.clone(), tgt_out.clone()), (B,), "la respuesta")
    expected = log_prob_secuencias(logits, tgt_out)
    if torch.allclose(got.float(), expected, atol=1e-5):
        return "Con esto se comparan las salidas del voraz y del haz."
    logp = logits.log_softmax(-1).gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1)      # (B, T)
    if torch.allclose(got.float(), logp.sum(1), atol=1e-5):
        raise RespuestaIncorrecta("cuentas también las posiciones de relleno: multiplica por la máscara "
                                  "tgt_out != PAD_ID antes de sumar.")
    raw = logits.gather(-1, tgt_out.unsqueeze(-1)).squeeze(-1)
    if torch.allclose(got.float(), (raw * (tgt_out != PAD_ID)).sum(1), atol=1e-5):
        raise RespuestaIncorrecta("los logits no son log-probabilidades: aplica log_softmax(-1) antes de elegir el "
                                  "símbolo correcto.")
    mask = tgt_out != PAD_ID
    if torch.allclose(got.float(), (logp * mask).sum(1) / mask.sum(1), atol=1e-5):
        raise RespuestaIncorrecta("eso es la media por símbolo; la log-probabilidad de la secuencia es la SUMA "
                                  "(el logaritmo de un producto).")
    raise RespuestaIncorrecta("no coincide; toma log_softmax(-1), elige con gather(-1, tgt_out.unsqueeze(-1)) la del "
                              "símbolo correcto, pon a 0 el relleno y suma sobre T.")


# q3 ------------------------------------------------------------------------------------------
def paso_del_haz(puntuaciones: torch.Tensor, logp: torch.Tensor, K: int):
    total = (puntuaciones.unsqueeze(1) + logp).flatten()           # (K0·V,): cada hipótesis con cada símbolo
    nuevas, planos = total.topk(K)                                  # (K,), de mejor a peor
    V = logp.shape[1]
    return planos // V, planos % V, nuevas                          # fila de origen, símbolo, puntuación


def _check_paso_del_haz(f) -> str:
    g = torch.Generator().manual_seed(3)
    K0, V, K = 3, 7, 4
    puntuaciones = torch.tensor([-0.2, -1.5, -1.6])
    logp = torch.randn(K0, V, generator=g).mul(1.5).log_softmax(-1)
    logp[1, 2] = -0.01                                              # the second hypothesis has a near-sure next token
    logp[2, 5] = -0.02
    answer = f(puntuaciones.clone(), logp.clone(), K)
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise RespuestaIncorrecta("devuelve tres tensores: (filas, simbolos, nuevas).")
    filas, simbolos, nuevas = (tensor_answer(a, (K,), n) for a, n in zip(answer, ("filas", "simbolos", "nuevas")))
    exp_filas, exp_simbolos, exp_nuevas = paso_del_haz(puntuaciones, logp, K)
    if torch.equal(filas.long(), exp_filas) and torch.equal(simbolos.long(), exp_simbolos) \
            and torch.allclose(nuevas.float(), exp_nuevas):
        return "Es el corazón de beam_search: topk sobre las K·V candidatas a la vez."
    total = (puntuaciones.unsqueeze(1) + logp).flatten()                 # (K0·V,)
    if torch.allclose(nuevas.float(), logp.flatten().topk(K).values):
        raise RespuestaIncorrecta("falta sumar la puntuación acumulada de cada hipótesis: la candidata (k, v) vale "
                                  "puntuaciones[k] + logp[k, v].")
    if torch.allclose(nuevas.float(), total.topk(K, largest=False).values):
        raise RespuestaIncorrecta("esas son las K peores: las log-probabilidades son negativas y la mejor es la "
                                  "MAYOR (topk ya las da de mayor a menor).")
    if torch.allclose(nuevas.float(), exp_nuevas):
        if torch.equal(filas.long(), exp_simbolos) and torch.equal(simbolos.long(), exp_filas):
            raise RespuestaIncorrecta("filas y símbolos están intercambiados: del índice plano i de (K0·V,) salen "
                                      "fila = i // V y símbolo = i % V.")
        raise RespuestaIncorrecta(f"las puntuaciones están bien, pero esperábamos filas {exp_filas.tolist()} y "
                                  f"símbolos {exp_simbolos.tolist()}; del índice plano i salen i // V e i % V.")
    raise RespuestaIncorrecta("no son las K mejores candidatas: compara las K0·V candidatas juntas (suma, aplana con "
                              "flatten y toma topk(K)); una hipótesis puede aportar dos candidatas o ninguna.")


# q4 ------------------------------------------------------------------------------------------
def mejor_hipotesis(hipotesis: list[tuple[list[int], float]], alfa: float) -> list[int]:
    return max(hipotesis, key=lambda h: h[1] / (len(h[0]) + 1) ** alfa)[0]   # longitud = símbolos + <eos>


def _check_mejor_hipotesis(f) -> str:
    casos = [
        ([([5], -1.2), ([5, 6, 7, 8], -2.4), ([5, 6], -2.0)], 0.0),
        ([([5], -1.2), ([5, 6, 7, 8], -2.4), ([5, 6], -2.0)], 1.0),
        ([([4, 4, 4], -3.0), ([9], -1.9), ([4, 9, 9, 9, 9, 9], -5.0)], 0.5),
        ([([4, 4, 4], -3.0), ([9], -1.9), ([4, 9, 9, 9, 9, 9], -5.0)], 1.0),
    ]
    for hipotesis, alfa in casos:
        got = f([(list(ids), s) for ids, s in hipotesis], alfa)
        expected = mejor_hipotesis(hipotesis, alfa)
        if list(got) == expected:
            continue
        if list(got) == max(hipotesis, key=lambda h: h[1] / len(h[0]) ** alfa)[0]:
            raise RespuestaIncorrecta("la longitud incluye el <eos> que cerró la hipótesis: len(ids) + 1.")
        if list(got) == max(hipotesis, key=lambda h: h[1])[0]:
            raise RespuestaIncorrecta(f"con alfa = {alfa} no basta la suma de log p: divide por longitud ** alfa.")
        if list(got) == min(hipotesis, key=lambda h: h[1] / (len(h[0]) + 1) ** alfa)[0]:
            raise RespuestaIncorrecta("las log-probabilidades son negativas: la mejor es la de puntuación MAYOR "
                                      "(más cerca de 0).")
        raise RespuestaIncorrecta(f"con alfa = {alfa} esperábamos {expected} entre {hipotesis}.")
    return "Con alfa = 0 gana la corta; con alfa = 1, la de mejor media por símbolo."


EXERCISES = [
    Exercise("q1", "Entrada y objetivo del decodificador", _check_entrada_y_objetivo, entrada_y_objetivo, [
        "Cada fila da dos secuencias de longitud len(y) + 1: [SOS_ID] + y y y + [EOS_ID].",
        "T es la longitud máxima + 1; empieza con torch.full((B, T), PAD_ID) y rellena cada fila.",
        "tgt_in[b, :len(y) + 1] = [SOS_ID] + y; tgt_out[b, :len(y) + 1] = y + [EOS_ID].",
    ]),
    Exercise("q2", "La log-probabilidad de una secuencia", _check_log_prob, log_prob_secuencias, [
        "log p(y | x) = Σₜ log p(yₜ | y<ₜ, x): una suma de log-probabilidades, una por paso real.",
        "logits.log_softmax(-1) da (B, T, V); gather(-1, tgt_out.unsqueeze(-1)) toma la del símbolo correcto.",
        "Multiplica por (tgt_out != PAD_ID) y suma sobre la dimensión 1.",
    ]),
    Exercise("q3", "Un paso de la búsqueda en haz", _check_paso_del_haz, paso_del_haz, [
        "Cada candidata es (hipótesis k, símbolo v) con puntuación puntuaciones[k] + logp[k, v]: una matriz (K0, V).",
        "Aplana la matriz y toma topk(K): compara todas las candidatas juntas.",
        "Del índice plano i: fila = i // V, símbolo = i % V.",
    ]),
    Exercise("q4", "Normalización por longitud", _check_mejor_hipotesis, mejor_hipotesis, [
        "La puntuación de (ids, s) es s / longitud ** alfa, y la longitud cuenta el <eos>.",
        "Con alfa = 0 es la suma; las log p son negativas, así que la mejor es la mayor.",
        "max(hipotesis, key=lambda h: h[1] / (len(h[0]) + 1) ** alfa)[0].",
    ]),
]
