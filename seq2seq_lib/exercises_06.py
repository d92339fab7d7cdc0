"""Checkable exercises of notebook 06 (Bi-LSTM). The wrong answers they catch are in tests/."""

from __future__ import annotations

import torch
from torch import nn

from .exercises import Exercise, RespuestaIncorrecta, tensor_answer
from .rnn import join_directions, run_packed


# q1 ------------------------------------------------------------------------------------------
def estado_final(h_n: torch.Tensor, capa: int, direccion: int) -> torch.Tensor:
    return h_n[2 * capa + direccion]        # (B, H): capa a capa, y en cada capa adelante (0) antes que atrás (1)


def _check_estado_final(f) -> str:
    torch.manual_seed(0)
    L, B, H = 3, 2, 4
    lstm = nn.LSTM(5, H, num_layers=L, bidirectional=True, batch_first=True)
    with torch.no_grad():
        _, (h_n, _) = lstm(torch.randn(B, 6, 5))
    por_capa = h_n.view(L, 2, B, H)                              # documented layout of PyTorch
    for capa in range(L):
        for direccion in (0, 1):
            got = tensor_answer(f(h_n, capa, direccion), (B, H), f"estado_final(h_n, {capa}, {direccion})")
            if torch.equal(got, por_capa[capa, direccion]):
                continue
            if torch.equal(got, h_n[capa + L * direccion]):
                raise RespuestaIncorrecta("h_n no va primero por dirección: va capa a capa y, dentro de cada capa, "
                                          "adelante antes que atrás. La fila es 2·capa + dirección.")
            raise RespuestaIncorrecta(f"con capa={capa}, direccion={direccion} no devuelves la fila correcta de "
                                      "h_n (L·2, B, H); mira h_n.view(L, 2, B, H).")
    return "h_n.view(L, 2, B, H)[capa, direccion] es lo mismo."


# q2 ------------------------------------------------------------------------------------------
def aparece_despues(ids: torch.Tensor, marca: int) -> torch.Tensor:
    es_marca = (ids == marca).long()                              # (B, T)
    desde_t = es_marca.flip(1).cumsum(1).flip(1)                  # (B, T): marcas en los pasos t, t+1, …
    return (desde_t - es_marca) > 0                               # (B, T): solo las de después de t


def _check_aparece_despues(f) -> str:
    g = torch.Generator().manual_seed(6)
    ids = torch.randint(4, 10, (12, 9), generator=g)              # (B, T)
    ids[0] = torch.tensor([9, 4, 5, 9, 6, 7, 9, 5, 4])           # several markers, not at the end
    ids[1, -1] = 9                                                # a marker at the very end
    ids[2, 6:] = 0                                                # padding at the end of a row
    got = f(ids.clone(), 9)
    expected = aparece_despues(ids, 9)
    got = tensor_answer(got, tuple(ids.shape), "la respuesta")
    if torch.equal(got.bool(), expected):
        return "Sin bucles: el futuro de cada paso en una sola pasada."
    if torch.equal(got.bool(), (ids == 9).flip(1).cumsum(1).flip(1) > 0):
        raise RespuestaIncorrecta("cuentas también la marca del propio paso t: la etiqueta es «aparece estrictamente "
                                  "después». Resta la del paso t o desplaza un paso.")
    antes = (ids == 9).long().cumsum(1)
    if torch.equal(got.bool(), antes > 0) or torch.equal(got.bool(), (antes - (ids == 9).long()) > 0):
        raise RespuestaIncorrecta("miras hacia atrás (lo que ya apareció): para el futuro, invierte el tiempo con "
                                  "flip(1), acumula con cumsum(1) y vuelve a invertir.")
    raise RespuestaIncorrecta("alguna posición no coincide; prueba tu función con ids = torch.tensor([[9, 4, 9, 5]]) "
                              "y marca 9: debe dar [[True, True, False, False]].")


# q3 ------------------------------------------------------------------------------------------
def invierte_reales(ids: torch.Tensor, longitudes: torch.Tensor) -> torch.Tensor:
    T = ids.shape[1]
    t = torch.arange(T).unsqueeze(0)                              # (1, T)
    L = longitudes.unsqueeze(1)                                   # (B, 1)
    origen = torch.where(t < L, L - 1 - t, t)                     # (B, T): los reales al revés; el relleno, en su sitio
    return ids.gather(1, origen)


def _check_invierte_reales(f) -> str:
    g = torch.Generator().manual_seed(7)
    longitudes = torch.tensor([6, 2, 4, 1, 5])
    ids = torch.randint(4, 20, (5, 6), generator=g)
    ids[torch.arange(6).unsqueeze(0) >= longitudes.unsqueeze(1)] = 0       # <pad> after each row
    got = tensor_answer(f(ids.clone(), longitudes.clone()), (5, 6), "la respuesta")
    expected = invierte_reales(ids, longitudes)
    if torch.equal(got, expected):
        return "Es lo que lee la dirección hacia atrás con pack_padded_sequence."
    if torch.equal(got, ids.flip(1)):
        raise RespuestaIncorrecta("flip(1) invierte también el relleno y lo pone delante: la dirección hacia atrás "
                                  "leería primero <pad>. Invierte solo los longitudes[b] primeros pasos.")
    raise RespuestaIncorrecta(f"para ids {ids[1].tolist()} y longitud 2 esperábamos {expected[1].tolist()}; revisa "
                              "el índice L − 1 − t en los pasos reales (t < L).")


# q4 ------------------------------------------------------------------------------------------
def resumen_bidireccional(output: torch.Tensor, longitudes: torch.Tensor) -> torch.Tensor:
    H = output.shape[-1] // 2
    filas = torch.arange(output.shape[0])                          # (B,)
    adelante = output[filas, longitudes - 1, :H]                   # (B, H): ha leído la fila entera
    atras = output[:, 0, H:]                                       # (B, H): también, en sentido contrario
    return torch.cat([adelante, atras], dim=-1)                   # (B, 2H)


def _check_resumen(f) -> str:
    torch.manual_seed(8)
    B, T, H = 5, 7, 3
    lstm = nn.LSTM(4, H, bidirectional=True, batch_first=True)
    longitudes = torch.tensor([7, 3, 1, 5, 2])
    with torch.no_grad():
        output, (h_n, _) = run_packed(lstm, torch.randn(B, T, 4), longitudes)
    expected = join_directions(h_n)                                # (B, 2H)
    got = tensor_answer(f(output.clone(), longitudes.clone()), (B, 2 * H), "el resumen")
    if torch.allclose(got, expected, atol=1e-6):
        return "Coincide con h_n de pack_padded_sequence: [h_n[-2], h_n[-1]]."
    if torch.allclose(got, output[:, -1]):
        raise RespuestaIncorrecta("output[:, -1] es relleno en las filas cortas, y ahí la dirección hacia atrás solo "
                                  "ha visto relleno. Toma adelante en el último paso real y atrás en el paso 0.")
    rows = torch.arange(B)
    if torch.allclose(got, output[rows, longitudes - 1]):
        raise RespuestaIncorrecta("en el último paso real la dirección hacia atrás acaba de empezar (ha leído un "
                                  "solo elemento): su resumen de la fila está en el paso 0, output[:, 0, H:].")
    if torch.allclose(got, expected.roll(H, dims=-1)):
        raise RespuestaIncorrecta("las mitades están al revés: primero adelante (output[..., :H]), luego atrás.")
    raise RespuestaIncorrecta("no coincide con [h_n[-2], h_n[-1]]; revisa los índices (longitudes − 1, paso 0) y "
                              "las mitades :H y H:.")


EXERCISES = [
    Exercise("q1", "La fila de h_n de cada capa y dirección", _check_estado_final, estado_final, [
        "h_n tiene forma (L·2, B, H): dos filas por capa.",
        "Las dos filas de una capa son adelante (0) y atrás (1), y las capas van en orden.",
        "La fila es 2·capa + direccion.",
    ]),
    Exercise("q2", "¿Aparece la marca más adelante?", _check_aparece_despues, aparece_despues, [
        "Empieza por es_marca = (ids == marca): (B, T).",
        "Una suma acumulada hacia la izquierda cuenta las marcas desde t hasta el final: flip(1), cumsum(1), flip(1).",
        "Resta la marca del propio paso y compara con 0.",
    ]),
    Exercise("q3", "Lo que lee la dirección hacia atrás", _check_invierte_reales, invierte_reales, [
        "En la fila b solo los longitudes[b] primeros pasos son reales; el relleno debe quedarse al final.",
        "El paso t < L toma el elemento L − 1 − t; el relleno se queda donde está.",
        "Construye los índices con torch.where y léelos con ids.gather(1, indices).",
    ]),
    Exercise("q4", "Resumir una capa bidireccional sin h_n", _check_resumen, resumen_bidireccional, [
        "La dirección hacia adelante termina de leer la fila en el paso longitudes[b] − 1.",
        "La dirección hacia atrás termina de leer la fila en el paso 0.",
        "Concatena output[filas, longitudes − 1, :H] y output[:, 0, H:].",
    ]),
]
