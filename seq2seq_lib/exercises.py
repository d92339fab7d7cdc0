"""Self-checking exercises: statement, hints, a reference solution and a behavioural check.

In a notebook::

    ej = ejercicios("01")
    ej.q1.pista()                   # the next hint
    ej.q1.comprobar(mi_funcion)     # ✅, or AssertionError saying what is wrong
    ej.q1.solucion()                # prints the reference solution (only when asked)

An unanswered exercise (``None``, ``...`` or code that raises ``NotImplementedError``) only prints
"sin responder", so the shipped notebook runs; a wrong answer raises ``RespuestaIncorrecta``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Exercise", "ExerciseSet", "RespuestaIncorrecta", "ejercicios", "number_answer", "build_answer"]


class RespuestaIncorrecta(AssertionError):
    """Raised by a check, in Spanish, when an answer is wrong: says what failed and where to look."""


class _Unanswered(Exception):
    pass


def _is_unanswered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


@dataclass
class Exercise:
    """One checkable exercise; ``check(answer)`` raises ``RespuestaIncorrecta`` when it is wrong."""

    key: str
    title: str
    check: Callable[[Any], str | None]
    solution: Callable | type
    hints: Sequence[str]
    _hints_shown: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if not self.hints:
            raise ValueError(f"exercise {self.key!r} needs at least one hint")

    def pista(self) -> None:
        """Print the next hint (they come in order, from gentle to explicit)."""
        i = min(self._hints_shown, len(self.hints) - 1)
        self._hints_shown += 1
        print(f"💡 {self.key} · pista {i + 1}/{len(self.hints)}: {self.hints[i]}")

    def solucion(self) -> None:
        """Print the reference solution's source code."""
        print(f"📖 {self.key} · solución de referencia:\n\n{inspect.getsource(self.solution)}")

    def comprobar(self, respuesta: Any = None) -> None:
        """Check an answer: print ✅ if right, "sin responder" if empty, raise ``RespuestaIncorrecta`` if wrong."""
        try:
            if _is_unanswered(respuesta):
                raise _Unanswered
            detail = self.check(respuesta)
        except (_Unanswered, NotImplementedError):
            print(f"⏳ {self.key} · {self.title}: sin responder. Escribe tu respuesta y vuelve a ejecutar la "
                  f"celda (¿atascado? ej.{self.key}.pista()).")
            return
        except RespuestaIncorrecta as error:
            raise RespuestaIncorrecta(f"❌ {self.key} · {self.title}: {error}") from None
        except Exception as error:  # the learner's code crashed on one of our cases
            raise RespuestaIncorrecta(f"❌ {self.key} · {self.title}: tu código lanzó "
                                      f"{type(error).__name__}: {error}") from error
        print(f"✅ {self.key} · {self.title}: ¡correcto!" + (f" {detail}" if detail else ""))


class ExerciseSet:
    """The exercises of one notebook, reachable as attributes: ``ej.q1``, ``ej.q2``…"""

    def __init__(self, notebook: str, exercises: Sequence[Exercise]):
        self.notebook = notebook
        self._by_key = {e.key: e for e in exercises}
        if len(self._by_key) != len(exercises):
            raise ValueError(f"duplicate exercise keys in notebook {notebook}")

    def __getattr__(self, key: str) -> Exercise:
        by_key = self.__dict__.get("_by_key", {})
        if key in by_key:
            return by_key[key]
        raise AttributeError(f"el cuaderno {self.__dict__.get('notebook')} no tiene el ejercicio {key!r}; "
                             f"hay: {', '.join(by_key)}")

    def __iter__(self):
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)

    def __repr__(self) -> str:
        lines = [f"Ejercicios con comprobación del cuaderno {self.notebook}:"]
        lines += [f"  ej.{e.key}: {e.title}" for e in self]
        lines.append("Para cada uno: .comprobar(respuesta), .pista() y, si te rindes, .solucion().")
        return "\n".join(lines)


def ejercicios(notebook: str) -> ExerciseSet:
    """Load the checkable exercises of a notebook: ``ejercicios("01")``."""
    if not isinstance(notebook, str) or not (len(notebook) == 2 and notebook.isdigit()):
        raise ValueError(f"notebook must be a two-digit string such as '01', got {notebook!r}")
    try:
        module = importlib.import_module(f"{__package__}.exercises_{notebook}")
    except ModuleNotFoundError as error:
        if error.name != f"{__package__}.exercises_{notebook}":
            raise
        raise ValueError(f"notebook {notebook} has no checkable exercises") from None
    return ExerciseSet(notebook, module.EXERCISES)


def number_answer(value: Any, what: str) -> float:
    """The learner's answer as a float (a Python number or a one-element tensor), or a clear verdict."""
    import torch
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RespuestaIncorrecta(f"{what} debe ser un número, y devolviste {type(value).__name__}.")
    return float(value)


def tensor_answer(value: Any, shape: tuple[int, ...] | None, what: str):
    """The learner's answer if it is a tensor (of ``shape``, unless it is None), or a clear verdict."""
    import torch
    if not isinstance(value, torch.Tensor):
        got = type(value).__name__
    elif shape is not None and tuple(value.shape) != tuple(shape):
        got = str(tuple(value.shape))
    else:
        return value
    if shape is None:
        raise RespuestaIncorrecta(f"{what} debe ser un tensor; devolviste {got}.")
    raise RespuestaIncorrecta(f"{what} debe ser un tensor de forma {tuple(shape)}; devolviste {got}.")


def build_answer(cls, *args):
    """Instantiate the learner's model class with ``args``; a clear verdict if it is not an nn.Module class."""
    from torch import nn
    if not isinstance(cls, type) or not issubclass(cls, nn.Module):
        raise RespuestaIncorrecta("pasa la clase (un nn.Module), no una instancia ni una función.")
    return cls(*args)
