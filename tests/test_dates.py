import re
from datetime import date

import pytest

from seq2seq_lib.dates import (DATE_FORMATS, FIRST_DATE, LAST_DATE, MONTHS, MONTHS_ABBR, WEEKDAYS, WEEKDAYS_ABBR,
                               date_pairs, date_split, format_date)


def _year(text: str) -> int:
    y = int(text)
    return y if len(text) == 4 else (1900 + y if y >= 50 else 2000 + y)


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return (MONTHS.index(name) if name in MONTHS else MONTHS_ABBR.index(name)) + 1


def parse_spanish_date(text: str) -> date:
    """An independent reference parser: day-first numbers, Spanish month names, two-digit year pivot 1950."""
    text = text.lower()
    weekday = None
    m = re.match(r"^(\w+\.?),? (.*)$", text)
    if m and (m.group(1) in WEEKDAYS or m.group(1) in WEEKDAYS_ABBR):
        weekday, text = m.group(1), m.group(2)
    if m := re.fullmatch(r"(\d{4})/(\d{2})/(\d{2})", text):
        d = date(int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", text):
        d = date(_year(m[3]), int(m[2]), int(m[1]))
    elif m := re.fullmatch(r"(?:el )?(\d{1,2}) (?:de )?([a-z]+\.?) (?:de |del )?(\d{4})", text):
        d = date(int(m[3]), _month(m[2]), int(m[1]))
    elif m := re.fullmatch(r"([a-z]+) (\d{1,2}), (\d{4})", text):
        d = date(int(m[3]), _month(m[1]), int(m[2]))
    else:
        raise ValueError(f"unparsed: {text!r}")
    if weekday is not None:
        assert weekday in (WEEKDAYS[d.weekday()], WEEKDAYS_ABBR[d.weekday()]), (weekday, d)
    return d


def test_hand_examples():
    d = date(2026, 11, 22)  # a Sunday
    assert format_date(d, "largo") == "22 de noviembre de 2026"
    assert format_date(d, "semana_abreviado") == "dom. 22 nov. 2026"
    assert format_date(d, "largo_semana") == "domingo, 22 de noviembre de 2026"
    assert format_date(d, "barra_corto") == "22/11/26"
    assert format_date(d, "barra") == "22/11/2026"
    assert format_date(d, "guion") == "22-11-2026"
    assert format_date(d, "largo_mayusculas") == "22 DE NOVIEMBRE DE 2026"
    e = date(2001, 1, 3)  # a Wednesday
    assert format_date(e, "largo_el_del") == "el 3 de enero del 2001"
    assert format_date(e, "abreviado") == "3 ene 2001"
    assert format_date(e, "mes_abreviado_primero") == "ene 3, 2001"
    assert format_date(e, "mes_primero") == "enero 3, 2001"
    assert format_date(e, "año_primero") == "2001/01/03"
    assert format_date(e, "barra_ceros") == "03/01/2001" and format_date(e, "barra") == "3/1/2001"
    assert format_date(e, "semana_abreviado") == "mié. 3 ene. 2001"
    assert format_date(date(1950, 6, 7), "barra_corto_sin_ceros") == "7/6/50"


@pytest.mark.parametrize("fmt", DATE_FORMATS)
def test_every_format_parses_back_over_the_range(fmt):
    for d in [FIRST_DATE, LAST_DATE, date(1999, 12, 31), date(2000, 1, 1), date(2024, 2, 29), date(1987, 9, 9)]:
        assert parse_spanish_date(format_date(d, fmt)) == d


def test_pairs_target_is_iso_of_the_written_date():
    pairs = date_pairs(3000, seed=5)
    assert pairs == date_pairs(3000, seed=5) and pairs != date_pairs(3000, seed=6)
    assert len({tuple(s) for s, _ in pairs}) == 3000
    for src, tgt in pairs:
        assert "".join(tgt) == parse_spanish_date("".join(src)).isoformat() and len(tgt) == 10
    assert len({"".join(s)[:1].isdigit() for s, _ in pairs}) == 2  # both numeric and worded sources


def test_formats_and_exclude_dates():
    pairs = date_pairs(200, seed=1, formats=["guion"])
    assert all(re.fullmatch(r"\d\d-\d\d-\d{4}", "".join(s)) for s, _ in pairs)
    banned = {date(2000, 1, 1) + (date(2000, 1, 2) - date(2000, 1, 1)) * i for i in range(30000)}
    pairs = date_pairs(500, seed=1, exclude_dates=banned)
    assert not {"".join(t) for _, t in pairs} & {d.isoformat() for d in banned}


def test_split_is_disjoint_by_calendar_date():
    train, test = date_split(5000, 800, seed=2)
    assert (train, test) == date_split(5000, 800, seed=2)
    assert len(train) == 5000 and len(test) == 800
    assert not {"".join(t) for _, t in train} & {"".join(t) for _, t in test}
    assert not {tuple(s) for s, _ in train} & {tuple(s) for s, _ in test}


@pytest.mark.parametrize("call, error, msg", [
    (lambda: format_date("2020-01-01", "largo"), TypeError, "datetime.date"),
    (lambda: format_date(date(2020, 1, 1), "long"), ValueError, "unknown date format"),
    (lambda: format_date(date(2020, 1, 1), 3), TypeError, "fmt must be a str"),
    (lambda: format_date(date(1949, 12, 31), "largo"), ValueError, "between 1950-01-01"),
    (lambda: date_pairs(0), ValueError, "n must be >= 1"),
    (lambda: date_pairs(2.5), TypeError, "n must be an int"),
    (lambda: date_pairs(5, formats="largo"), TypeError, "not a single str"),
    (lambda: date_pairs(5, formats=[]), ValueError, "at least one"),
    (lambda: date_pairs(5, formats=["largo", "x"]), ValueError, "unknown date formats"),
    (lambda: date_pairs(5, exclude_dates=["2020-01-01"]), TypeError, "datetime.date"),
    (lambda: date_pairs(5, seed="0"), TypeError, "seed"),
    (lambda: date_pairs(40000, formats=["guion"]), ValueError, "cannot draw"),
    (lambda: date_split(5, 0), ValueError, "n_test must be >= 1"),
])
def test_argument_validation(call, error, msg):
    with pytest.raises(error, match=msg):
        call()
