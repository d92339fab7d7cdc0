"""Checkable exercises of notebook 05 (recurrent autoencoder). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .anomaly import roc_auc
from .exercises import Exercise, RespuestaIncorrecta, number_answer, tensor_answer
from .metrics import sequence_cross_entropy
from .text import PAD_ID


def _padded_batch(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    lengths = torch.tensor([6, 2, 4, 1, 5, 3])
    target = torch.randint(4, 12, (6, 6), generator=g)                      # (B, T)
    target[torch.arange(6).unsqueeze(0) >= lengths.unsqueeze(1)] = PAD_ID   # <pad> after each row
    logits = torch.randn(6, 6, 12, generator=g) * 2                         # (B, T, V)
    return logits, target


# q1 ------------------------------------------------------------------------------------------
def perdida_sin_relleno(logits: torch.Tensor, objetivo: torch.Tensor) -> torch.Tensor:
    por_posicion = F.cross_entropy(logits.transpose(1, 2), objetivo, reduction="none")   # (B, T)
    mascara = (objetivo != PAD_ID).float()                                                # (B, T)
    return (por_posicion * mascara).sum() / mascara.sum()                                 # media sobre los reales


def _check_perdida(f) -> str:
    logits, target = _padded_batch(3)
    got = number_answer(f(logits.clone(), target.clone()), "la pérdida")
    expected = sequence_cross_entropy(logits, target).item()
    if abs(got - expected) < 1e-5:
        return "Coincide con sequence_cross_entropy: el relleno no cuenta."
    with_pad = F.cross_entropy(logits.reshape(-1, 12), target.reshape(-1)).item()
    if abs(got - with_pad) < 1e-5:
        raise RespuestaIncorrecta("cuentas también las posiciones de <pad>: la red aprendería a predecir relleno. "
                                  "Multiplica por la máscara objetivo != PAD_ID.")
    mask = (target != PAD_ID).float()
    per_pos = F.cross_entropy(logits.transpose(1, 2), target, reduction="none")
    if abs(got - (per_pos * mask).sum().item() / mask.numel()) < 1e-5:
        raise RespuestaIncorrecta("enmascaras bien, pero divides por todas las posiciones (B·T) y no por las "
                                  "reales: la pérdida depende de cuánto relleno tenga el lote.")
    raise RespuestaIncorrecta(f"esperábamos {expected:.4f} y devolviste {got:.4f}; calcula la entropía cruzada "
                              "por posición (reduction='none') y promedia solo donde objetivo != PAD_ID.")


# q2 ------------------------------------------------------------------------------------------
def secuencias_exactas(logits: torch.Tensor, objetivo: torch.Tensor) -> torch.Tensor:
    acierto = (logits.argmax(-1) == objetivo) | (objetivo == PAD_ID)      # (B, T): el relleno no puede fallar
    return acierto.all(dim=1)                                             # (B,)


def _check_exactas(f) -> str:
    logits, target = _padded_batch(4)
    logits[[0, 2, 4]] = F.one_hot(target[[0, 2, 4]], 12).float() * 10    # three rows reconstructed exactly…
    logits[4, 1] = F.one_hot(torch.tensor(5 if target[4, 1] != 5 else 6), 12).float() * 10  # …then one wrong
    logits[..., PAD_ID] = -20.0                                           # like a trained model: never <pad>
    got = tensor_answer(f(logits.clone(), target.clone()), (6,), "la respuesta")
    expected = secuencias_exactas(logits, target)
    if torch.equal(got.bool(), expected):
        return "Una secuencia cuenta como exacta solo si acierta todos sus pasos reales."
    if torch.equal(got.bool(), (logits.argmax(-1) == target).all(dim=1)):
        raise RespuestaIncorrecta("exiges acertar también el relleno, y en las filas cortas la red nunca predice "
                                  "<pad>: ignora las posiciones donde objetivo == PAD_ID.")
    raise RespuestaIncorrecta(f"esperábamos {expected.tolist()} y devolviste {got.tolist()}; compara argmax con el "
                              "objetivo en los pasos reales y exige que acierten todos (all sobre T).")


# q3 ------------------------------------------------------------------------------------------
def auc_a_mano(puntuaciones: torch.Tensor, etiquetas: torch.Tensor) -> float:
    anomalas = puntuaciones[etiquetas == 1].unsqueeze(1)                  # (P, 1)
    normales = puntuaciones[etiquetas == 0].unsqueeze(0)                  # (1, N)
    gana = (anomalas > normales).float() + 0.5 * (anomalas == normales).float()   # (P, N)
    return gana.mean().item()                                             # P(anómala > normal), empates ½


def _check_auc(f) -> str:
    g = torch.Generator().manual_seed(5)
    labels = (torch.rand(60, generator=g) < 0.4).long()
    scores = (torch.randn(60, generator=g) + 1.2 * labels).round(decimals=1)       # with ties
    got = number_answer(f(scores.clone(), labels.clone()), "el AUC")
    expected = roc_auc(scores, labels)
    if abs(got - expected) < 1e-6:
        return "Es el área bajo la curva ROC (la de roc_auc)."
    if abs(got - (1 - expected)) < 1e-6:
        raise RespuestaIncorrecta("te salió 1 − AUC: cuenta los pares en que la ventana anómala puntúa MÁS alto "
                                  "que la normal.")
    a, n = scores[labels == 1].unsqueeze(1), scores[labels == 0].unsqueeze(0)
    if abs(got - (a > n).float().mean().item()) < 1e-6 or abs(got - (a >= n).float().mean().item()) < 1e-6:
        raise RespuestaIncorrecta("casi: los empates (misma puntuación) cuentan medio punto, ni cero ni uno.")
    raise RespuestaIncorrecta(f"esperábamos {expected:.4f} y devolviste {got:.4f}; compara cada ventana anómala "
                              "con cada normal (difusión (P, 1) contra (1, N)).")


# q4 ------------------------------------------------------------------------------------------
def pca_2d(codigos: torch.Tensor) -> torch.Tensor:
    centrados = codigos - codigos.mean(dim=0)                             # (N, C)
    _, _, Vh = torch.linalg.svd(centrados, full_matrices=False)           # Vh: (C, C), direcciones por filas
    return centrados @ Vh[:2].T                                           # (N, 2)


def _check_pca(f) -> str:
    g = torch.Generator().manual_seed(6)
    codes = torch.randn(80, 6, generator=g) @ torch.diag(torch.tensor([5.0, 3, 1, 0.5, 0.2, 0.1])) + 4.0
    got = tensor_answer(f(codes.clone()), (80, 2), "la proyección")
    expected = pca_2d(codes)
    signs = torch.sign((got * expected).sum(0))                           # each axis is defined up to sign
    if torch.allclose(got * signs, expected, atol=1e-3):
        return "Las dos direcciones de mayor varianza (el signo de cada eje es arbitrario)."
    raw = codes @ torch.linalg.svd(codes, full_matrices=False)[2][:2].T
    if torch.allclose(got * torch.sign((got * raw).sum(0)), raw, atol=1e-3):
        raise RespuestaIncorrecta("falta centrar: resta la media de cada columna antes de la SVD, o la primera "
                                  "dirección apunta hacia la media en lugar de hacia la mayor varianza.")
    raise RespuestaIncorrecta("no coincide con las dos primeras componentes principales; centra, usa "
                              "torch.linalg.svd y proyecta sobre las dos primeras filas de Vh.")


EXERCISES = [
    Exercise("q1", "Una pérdida que ignora el relleno", _check_perdida, perdida_sin_relleno, [
        "F.cross_entropy espera las clases en la dimensión 1: logits.transpose(1, 2) es (B, V, T).",
        "Con reduction='none' obtienes una pérdida por posición (B, T); la máscara es objetivo != PAD_ID.",
        "Suma pérdida · máscara y divide por el número de posiciones reales, mascara.sum().",
    ]),
    Exercise("q2", "¿Qué secuencias se reconstruyen exactas?", _check_exactas, secuencias_exactas, [
        "Empieza por acierto = logits.argmax(-1) == objetivo: (B, T).",
        "En las posiciones de relleno el resultado no debe importar: trátalas como acierto.",
        "(acierto | (objetivo == PAD_ID)).all(dim=1).",
    ]),
    Exercise("q3", "El AUC sin dibujar la curva", _check_auc, auc_a_mano, [
        "El AUC es la probabilidad de que una ventana anómala puntúe más alto que una normal.",
        "Separa las puntuaciones por etiqueta y compáralas todas con todas con difusión: (P, 1) contra (1, N).",
        "Cuenta 1 si la anómala gana, 0.5 si empatan, y promedia sobre los P·N pares.",
    ]),
    Exercise("q4", "PCA de los códigos en dos líneas", _check_pca, pca_2d, [
        "PCA busca las direcciones de mayor varianza de los datos centrados.",
        "Resta la media de cada columna y aplica torch.linalg.svd(centrados, full_matrices=False).",
        "Las filas de Vh son las direcciones: proyecta con centrados @ Vh[:2].T.",
    ]),
]
