"""Spanish date normalisation: a date written in many Spanish ways → its ISO form ``YYYY-MM-DD``.

Sources and targets are character tokens (spaces included)::

    (list("dom. 22 nov. 2026"), list("2026-11-22"))

Dates run from 1950-01-01 to 2049-12-31. Numeric formats are always day first (Spanish order).
Two-digit years use a pivot: ``50``–``99`` mean 1950–1999 and ``00``–``49`` mean 2000–2049, so every
written date maps to exactly one calendar date within the range.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .core import check_int

__all__ = ["FIRST_DATE", "LAST_DATE", "DATE_FORMATS", "MONTHS", "MONTHS_ABBR", "WEEKDAYS", "WEEKDAYS_ABBR",
           "format_date", "date_pairs", "date_split"]

Pair = tuple[list[str], list[str]]
FIRST_DATE, LAST_DATE = date(1950, 1, 1), date(2049, 12, 31)
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")
MONTHS_ABBR = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")  # date.weekday() order
WEEKDAYS_ABBR = ("lun.", "mar.", "mié.", "jue.", "vie.", "sáb.", "dom.")

# name → template; {d} day, {dd} day with zero, {m} month, {mm} month with zero, {mes} month name,
# {mes3} month abbreviation, {yyyy} year, {yy} two-digit year, {dia} weekday name, {dia3} its abbreviation.
_TEMPLATES = {
    "largo": "{d} de {mes} de {yyyy}",                       # 22 de noviembre de 2026
    "largo_el_del": "el {d} de {mes} del {yyyy}",             # el 3 de enero del 2001
    "largo_semana": "{dia}, {d} de {mes} de {yyyy}",          # domingo, 22 de noviembre de 2026
    "largo_mayusculas": "{D} DE {MES} DE {yyyy}",             # 22 DE NOVIEMBRE DE 2026
    "semana_abreviado": "{dia3} {d} {mes3}. {yyyy}",          # dom. 22 nov. 2026
    "abreviado": "{d} {mes3} {yyyy}",                         # 3 ene 2001
    "abreviado_ceros": "{dd} {mes3} {yyyy}",                  # 03 ene 2001
    "mes_primero": "{mes} {d}, {yyyy}",                       # enero 3, 2001
    "mes_abreviado_primero": "{mes3} {d}, {yyyy}",            # ene 3, 2001
    "barra": "{d}/{m}/{yyyy}",                                # 3/1/2001
    "barra_ceros": "{dd}/{mm}/{yyyy}",                        # 03/01/2001
    "barra_corto": "{dd}/{mm}/{yy}",                          # 03/01/01
    "barra_corto_sin_ceros": "{d}/{m}/{yy}",                  # 3/1/01
    "guion": "{dd}-{mm}-{yyyy}",                              # 03-01-2001
    "punto": "{d}.{m}.{yyyy}",                                # 3.1.2001
    "año_primero": "{yyyy}/{mm}/{dd}",                        # 2001/01/03 (four-digit year first)
}
DATE_FORMATS: tuple[str, ...] = tuple(_TEMPLATES)


def format_date(d: date, fmt: str) -> str:
    """Write ``d`` in the Spanish format named ``fmt`` (one of ``DATE_FORMATS``): ``'dom. 22 nov. 2026'``."""
    if not isinstance(d, date):
        raise TypeError(f"d must be a datetime.date, got {type(d).__name__}: {d!r}")
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a str (a name in DATE_FORMATS), got {type(fmt).__name__}")
    if fmt not in _TEMPLATES:
        raise ValueError(f"unknown date format {fmt!r}; expected one of {DATE_FORMATS}")
    if not FIRST_DATE <= d <= LAST_DATE:
        raise ValueError(f"d must be between {FIRST_DATE} and {LAST_DATE} (two-digit years pivot), got {d}")
    return _TEMPLATES[fmt].format(
        d=d.day, D=d.day, dd=f"{d.day:02d}", m=d.month, mm=f"{d.month:02d}", mes=MONTHS[d.month - 1],
        MES=MONTHS[d.month - 1].upper(), mes3=MONTHS_ABBR[d.month - 1], yyyy=d.year, yy=f"{d.year % 100:02d}",
        dia=WEEKDAYS[d.weekday()], dia3=WEEKDAYS_ABBR[d.weekday()])


def _check_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    if formats is None:
        return DATE_FORMATS
    if isinstance(formats, str):
        raise TypeError(f"formats must be a list of format names, not a single str; did you mean [{formats!r}]?")
    formats = tuple(formats)
    if not formats:
        raise ValueError("formats must name at least one format")
    unknown = [f for f in formats if f not in _TEMPLATES]
    if unknown:
        raise ValueError(f"unknown date formats {unknown}; expected names from {DATE_FORMATS}")
    return tuple(dict.fromkeys(formats))


def _check_dates(dates: Iterable[date], name: str) -> set[date]:
    if isinstance(dates, (str, date)):
        raise TypeError(f"{name} must be a collection of datetime.date, got a single {type(dates).__name__}")
    out = set(dates)
    bad = [d for d in out if not isinstance(d, date)]
    if bad:
        raise TypeError(f"{name} must contain datetime.date objects, got {bad[0]!r}")
    return out


_N_DAYS = (LAST_DATE - FIRST_DATE).days + 1


def _draw(n: int, rng: random.Random, formats: tuple[str, ...], banned: set[date],
          seen: set[str]) -> list[tuple[date, str]]:
    """``n`` (date, written) items with a uniform random date not in ``banned`` and a new written form."""
    n_free = _N_DAYS - sum(FIRST_DATE <= d <= LAST_DATE for d in banned)
    if n > n_free * len(formats) - len(seen):
        raise ValueError(f"only {n_free} allowed dates × {len(formats)} formats exist, cannot draw {n} distinct pairs")
    out = []
    while len(out) < n:
        d = FIRST_DATE + timedelta(days=rng.randrange(_N_DAYS))
        if d in banned:
            continue
        text = format_date(d, rng.choice(formats))
        if text not in seen:
            seen.add(text)
            out.append((d, text))
    return out


def _pairs(items: list[tuple[date, str]]) -> list[Pair]:
    return [(list(text), list(d.isoformat())) for d, text in items]


def date_pairs(n: int, seed: int = 0, formats: Sequence[str] | None = None,
               exclude_dates: Iterable[date] = ()) -> list[Pair]:
    """``n`` pairs ``(characters of a Spanish date, characters of its ISO form)``, distinct sources.

    Each pair draws a date uniformly from 1950-01-01…2049-12-31 (skipping ``exclude_dates``) and a
    format uniformly from ``formats`` (default: all of ``DATE_FORMATS``).
    """
    check_int(n, "n", 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    formats = _check_formats(formats)
    banned = _check_dates(exclude_dates, "exclude_dates")
    return _pairs(_draw(n, random.Random(seed), formats, banned, set()))


def date_split(n_train: int, n_test: int, seed: int = 0,
               formats: Sequence[str] | None = None) -> tuple[list[Pair], list[Pair]]:
    """``(train, test)`` date pairs; a test date never appears in training, in any format.

    The test pairs are drawn first (distinct sources, dates possibly repeated in two formats);
    then the training pairs are drawn among all the other calendar dates.
    """
    check_int(n_train, "n_train", 1)
    check_int(n_test, "n_test", 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    formats = _check_formats(formats)
    rng = random.Random(seed)
    test = _draw(n_test, rng, formats, set(), set())
    train = _draw(n_train, rng, formats, {d for d, _ in test}, set())
    return _pairs(train), _pairs(test)
