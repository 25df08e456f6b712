"""The date and number readers, driven by tables of text -> value in tests/validate/tables/."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from telegrams.validate import dates, numbers

TABLES = Path(__file__).parent / "tables"


def rows(name: str) -> list[list[str]]:
    lines = (TABLES / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("text,readings", rows("dates.tsv"), ids=lambda v: v)
def test_date_text_is_read(text, readings):
    expected = sorted(r.strip() for r in readings.split("|") if r.strip())
    assert sorted(str(r) for r in dates.read_date_text(text)) == expected


@pytest.mark.parametrize("text,when,verdict", rows("date-agreement.tsv"), ids=lambda v: v)
def test_date_text_against_when(text, when, verdict):
    message = dates.disagreement(text, when)
    if verdict == "disagree":
        assert message and text in message and when in message
    else:
        assert message is None
    readable = bool(dates.read_date_text(text)) and dates.read_when(when) is not None
    assert readable == (verdict != "unread")


@pytest.mark.parametrize("text,value", rows("numbers.tsv"), ids=lambda v: v)
def test_number_text_is_read(text, value):
    read = numbers.read_part(text)
    assert (read[0] if read else None) == (Fraction(value) if value else None)


@pytest.mark.parametrize("text,value,verdict", rows("number-agreement.tsv"), ids=lambda v: v)
def test_number_text_against_value(text, value, verdict):
    message = numbers.disagreement(text, value)
    assert (message is not None) == (verdict == "disagree")
    if verdict == "unread":
        assert all(numbers.read_part(p) is None for p in numbers.parts(text)) or numbers.read_value(value) is None


def test_month_names_in_every_form():
    assert [dates.month_number(w) for w in ("June", "jun.", "июня", "июнь", "июне", "Sept.", "декабря")] == \
        [6, 6, 6, 6, 6, 9, 12]
    assert dates.month_number("Juni") is None
