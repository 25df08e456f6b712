"""Read the visible text of a `date` (English, Russian, Soviet numeric forms, times) and compare it with @when.

A text is read into one or more `Reading`s (alternatives, because "1900" is a year or 19:00 and "21.06" is
21 June or 21:06); it disagrees with @when only when no alternative agrees. Text that cannot be read entirely
gives no reading, and so no finding: the check never guesses.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import dataclass

FIELDS = ("year", "month", "day", "hour", "minute")


@dataclass(frozen=True)
class Reading:
    """The parts of a date or time that a text or a @when states; None where it says nothing."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None

    def agrees(self, other: "Reading") -> bool:
        """True when every part stated by both is the same."""
        return all(a is None or b is None or a == b
                   for a, b in ((getattr(self, f), getattr(other, f)) for f in FIELDS))

    def merge(self, other: "Reading") -> "Reading | None":
        """Return the two readings combined, or None when they state one part differently."""
        if not self.agrees(other):
            return None
        return Reading(*(getattr(self, f) if getattr(self, f) is not None else getattr(other, f) for f in FIELDS))

    def __str__(self) -> str:
        date = ""
        if self.year is not None or self.month is not None or self.day is not None:
            date = f"{self.year:04d}" if self.year is not None else "-"
            if self.month is not None:
                date += f"-{self.month:02d}"
                if self.day is not None:
                    date += f"-{self.day:02d}"
            elif self.day is not None:
                date += f"--{self.day:02d}"
        if self.hour is not None:
            date += f"T{self.hour:02d}:{self.minute or 0:02d}"
        return date


_MONTH_STEMS = [  # English names and abbreviations; Russian stems, which cover every case ending
    ("jan", "январ"), ("feb", "феврал"), ("mar", "март"), ("apr", "апрел"), ("may", "ма[йяе]"), ("jun", "июн"),
    ("jul", "июл"), ("aug", "август"), ("sep", "сентябр"), ("oct", "октябр"), ("nov", "ноябр"), ("dec", "декабр"),
]
_ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"]
MONTH = r"(?:" + "|".join(
    f"{full}|{stem}[a-z]?\\.?|{ru}[а-яё]*" for full, (stem, ru) in zip(_ENGLISH, _MONTH_STEMS)) + r")(?![a-zа-яё])"


def month_number(word: str) -> int | None:
    """Return 1-12 for an English or Russian month name in any case or abbreviation."""
    word = word.lower().rstrip(".")
    for number, (full, (stem, ru)) in enumerate(zip(_ENGLISH, _MONTH_STEMS), start=1):
        if word == full or (word.startswith(stem) and full.startswith(word)) or re.fullmatch(ru + "[а-яё]*", word):
            return number
    return None


def _year(text: str) -> int:
    return int(text) + 1900 if len(text) == 2 else int(text)


def _date(day=None, month=None, year=None) -> list[Reading]:
    day = int(day) if day else None
    month = int(month) if month else None
    if (day is not None and not 1 <= day <= 31) or (month is not None and not 1 <= month <= 12):
        return []
    return [Reading(year=_year(year) if year else None, month=month, day=day)]


def _time(hour, minute) -> list[Reading]:
    hour, minute = int(hour), int(minute)
    return [Reading(hour=hour, minute=minute)] if hour <= 24 and minute < 60 else []


# Each form: a regex and a function of its groups returning the alternative readings.
_FORMS = [
    (r"(\d{1,2})\s*(?:hours?|hrs?\.?|час(?:а|ов)?\.?|ч\.)\s*(\d{1,2})\s*(?:minutes?|mins?\.?|мин(?:ут[аы]?)?\.?)",
     lambda h, m: _time(h, m)),
    (r"(\d{4})-(\d{2})-(\d{2})", lambda y, m, d: _date(d, m, y)),
    (r"(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d.]*\d)", lambda d, m, y: _date(d, m, y)),
    (r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + MONTH + r")\s*,?\s*(\d{4})?(?!\d)",
     lambda d, m, y: _date(d, month_number(m), y)),
    (r"(" + MONTH + r")\s*,?\s+(\d{4})(?!\d)", lambda m, y: _date(None, month_number(m), y)),
    (r"(" + MONTH + r")\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*,\s*(\d{4}))?(?!\d)",
     lambda m, d, y: _date(d, month_number(m), y)),
    (r"(" + MONTH + r")", lambda m: _date(None, month_number(m), None)),
    (r"(\d{1,2}):(\d{2})", lambda h, m: _time(h, m)),
    (r"(\d{1,2})\.(\d{1,2})(?![\d])", lambda a, b: _date(a, b, None) + _time(a, b)),
    (r"(\d{4})(?!\d)", lambda n: [Reading(year=int(n))] + _time(n[:2], n[2:])),
]
_SCANNER = re.compile("|".join(f"(?P<f{i}>(?<![\\w]){form})" for i, (form, _) in enumerate(_FORMS)), re.I)
_FILLER = re.compile(r"(?:\b(?:at|on|the|of|in|by|from|received|sent|year|hours?|a\.m\.|p\.m\.|"
                     r"г|гг|года?|в|от|час(?:ов|а)?)\b|[\s.,;:()/\-–—]+)", re.I)


def read_date_text(text: str) -> list[Reading]:
    """Return the alternative readings of a date's visible text; [] when any part of it cannot be read."""
    text = " ".join(text.split())
    chunks: list[list[Reading]] = []
    leftover = []
    position = 0
    for match in _SCANNER.finditer(text):
        leftover.append(text[position:match.start()])
        position = match.end()
        form, read = _FORMS[int(match.lastgroup[1:])]
        readings = read(*re.fullmatch(form, match.group(), re.I).groups())
        if not readings:
            return []
        chunks.append(readings)
    leftover.append(text[position:])
    if not chunks or _FILLER.sub("", "".join(leftover)).strip():
        return []
    merged = set()
    for combination in itertools.product(*chunks):
        reading = Reading()
        for part in combination:
            reading = reading.merge(part) if reading else None
        if reading:
            merged.add(reading)
    return sorted(merged, key=str)


_WHEN = re.compile(r"(?P<year>-?\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
                   r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?")
_WHEN_PARTIAL = re.compile(r"--(?P<month>\d{2})(?:-(?P<day>\d{2}))?|---(?P<day2>\d{2})|"
                           r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?")


def read_when(value: str) -> Reading | None:
    """Return the parts an ISO 8601 / W3C @when states, or None when it is not such a value or names no real
    day or time (1951-6-5, 1951-06-31: the RELAX NG layer reports those; comparing them with the text would
    only repeat the finding)."""
    value = value.strip()
    match = _WHEN.fullmatch(value) or _WHEN_PARTIAL.fullmatch(value)
    if match is None:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    if "day2" in parts:
        parts["day"] = parts.pop("day2")
    reading = Reading(**parts)
    return reading if _possible(reading) else None


def _possible(reading: Reading) -> bool:
    if reading.month is not None and not 1 <= reading.month <= 12:
        return False
    if reading.day is not None:
        year = reading.year if reading.year and 1 <= reading.year <= 9999 else 2000  # a leap year: --02-29 is possible
        days = calendar.monthrange(year, reading.month)[1] if reading.month is not None else 31
        if not 1 <= reading.day <= days:
            return False
    return (reading.hour is None or reading.hour <= 24) and (reading.minute is None or reading.minute <= 59)


def disagreement(text: str, when: str) -> str | None:
    """Return plain words saying how a date's text and its @when disagree, or None (agree, or unreadable)."""
    stated = read_when(when)
    readings = read_date_text(text)
    if stated is None or not readings or any(r.agrees(stated) for r in readings):
        return None
    shown = " or ".join(str(r) for r in readings)
    return (f"the date's text \"{' '.join(text.split())}\" reads as {shown}, but @when says {when}: "
            f"correct one of them")

