"""Read the visible text of a `date` (English, Russian, Soviet numeric forms, times, relative words) and compare it
with @when.

A text is read into one or more `Reading`s (alternatives, because "1900" is a year or 19:00 and "21.06" is
21 June or 21:06); it disagrees with @when only when no alternative agrees. A text that cannot be read entirely
is reported as unread (a warning), never guessed at. "today", "this year", "сегодня", "в текущем году" are read
against the document's own date (the date it was sent).

Reading is linear in the text: the pieces are found in one scan and their alternatives merged one piece at a time
into a set of readings that can only shrink or stay small (each reading states at most five parts).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import NamedTuple

FIELDS = ("year", "month", "day", "hour", "minute")
_MAX_READINGS = 64  # more alternatives than this at once: the text is not a date anyone wrote
MAX_LENGTH = 300    # nor is a text longer than this ("22 час. 30 мин. 21 июня 1951 г." has 31 characters)


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


class Problem(NamedTuple):
    """What a check of a text against its attribute found (dates here, numbers too): rule, severity, plain words."""

    rule: str
    severity: str
    message: str


# --- month names -----------------------------------------------------------------------------------------------------

_ENGLISH = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"]
# Russian month stems and their declension: январь января январю январе январём; март марта марту марте мартом
_RUSSIAN = [("январ", "ь"), ("феврал", "ь"), ("март", ""), ("апрел", "ь"), ("ма", "й"), ("июн", "ь"), ("июл", "ь"),
            ("август", ""), ("сентябр", "ь"), ("октябр", "ь"), ("ноябр", "ь"), ("декабр", "ь")]
_ENDINGS = {"ь": ("ь", "я", "ю", "е", "ём", "ем"), "": ("", "а", "у", "е", "ом"), "й": ("й", "я", "ю", "е", "ем")}
_RUSSIAN_ABBREVIATIONS = ("янв", "фев", "февр", "мар", "апр", "авг", "сен", "сент", "окт", "ноя", "нояб", "дек")


def _month_words() -> dict[str, int]:
    """Every written form of each month: English names and their abbreviations, Russian names in every case."""
    words: dict[str, int] = {}
    for number, (name, (stem, kind)) in enumerate(zip(_ENGLISH, _RUSSIAN), start=1):
        words.update({name[:length]: number for length in range(3, len(name) + 1)})  # jun, sept, janu, june
        words.update(dict.fromkeys((stem + ending for ending in _ENDINGS[kind]), number))
    for word in _RUSSIAN_ABBREVIATIONS:
        words[word] = next(n for n, (stem, _) in enumerate(_RUSSIAN, start=1) if stem.startswith(word[:3]))
    return words


_MONTHS = _month_words()
MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?![a-zа-яё])"


def month_number(word: str) -> int | None:
    """Return 1-12 for an English or Russian month name in any case or abbreviation."""
    return _MONTHS.get(word.lower().rstrip("."))


# --- the pieces a date text is made of -------------------------------------------------------------------------------

def _year(text: str) -> int:
    return int(text) + 1900 if len(text) == 2 else int(text)


def _date(day=None, month=None, year=None) -> list[Reading]:
    day = int(day) if day else None
    month = int(month) if month else None
    if (day is not None and not 1 <= day <= 31) or (month is not None and not 1 <= month <= 12):
        return []
    return [Reading(year=_year(year) if year else None, month=month, day=day)]


def _time(hour, minute) -> list[Reading]:
    hour, minute = int(hour), int(minute or 0)
    return [Reading(hour=hour, minute=minute)] if hour <= 24 and minute < 60 else []


def _twelve_hour(hour, minute, half) -> list[Reading]:
    """1 p.m. is 13:00, 12 p.m. noon, 12 a.m. midnight."""
    hour = int(hour)
    if not 1 <= hour <= 12:
        return []
    return _time(hour % 12 + (12 if half.lower() == "p" else 0), minute)


# Relative words, read against the document's own date: (pattern, part, offset).
_RELATIVE = [
    (r"today|this day|сегодня(?:шн[а-я]+)?|сего числа", "day", 0),
    (r"yesterday|вчера(?:шн[а-я]+)?", "day", -1),
    (r"tomorrow|завтра(?:шн[а-я]+)?", "day", 1),
    (r"(?:the\s+)?(?:this|present|current)\s+year|(?:текущ|эт|нынешн)(?:ем|ий|ого|ом)\s+год[ау]?", "year", 0),
    (r"(?:the\s+)?(?:next|coming|following)\s+year|(?:будущ|следующ)(?:ем|ий|его)\s+год[ау]?", "year", 1),
    (r"(?:the\s+)?(?:last|past|previous)\s+year|прошл(?:ом|ый|ого)\s+год[ау]?", "year", -1),
]
RELATIVE = re.compile(r"(?<!\w)(?:" + "|".join(p for p, _, _ in _RELATIVE) + r")(?!\w)", re.I)


def _relative(word: str, sent: Reading | None) -> list[Reading]:
    """The reading of a relative word against the document's date; [] when that date does not say enough."""
    part, offset = next((part, offset) for pattern, part, offset in _RELATIVE if re.fullmatch(pattern, word, re.I))
    if sent is None or sent.year is None:
        return []
    if part == "year":
        return [Reading(year=sent.year + offset)]
    if sent.month is None or sent.day is None:
        return []
    day = datetime.date(sent.year, sent.month, sent.day) + datetime.timedelta(days=offset)
    return [Reading(year=day.year, month=day.month, day=day.day)]


# Each form: a regex and a function of its groups returning the alternative readings (relative words: `_relative`).
_FORMS = [
    (r"(\d{1,2})\s*(?:hours?|hrs?\.?|час(?:а|ов)?\.?|ч\.)\s*(\d{1,2})\s*(?:minutes?|mins?\.?|мин(?:ут[аы]?)?\.?)",
     lambda h, m: _time(h, m)),
    (r"(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m(?:\.|(?![\w]))", _twelve_hour),
    (r"(?:12\s*)?(?:noon|midday|полдень|полдня)", lambda: _time(12, 0)),
    (r"(?:12\s*)?(?:midnight|полночь|полночи)", lambda: _time(0, 0) + _time(24, 0)),
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
    (r"(\d{1,2})\s*(?:hours?|hrs?\.?|o'clock|час(?:а|ов)?\.?|ч\.)", lambda h: _time(h, 0)),
    (r"(\d{1,2})(?:st|nd|rd|th)?(?![\d.:])", lambda d: _date(d, None, None)),  # "of 5 and 7 June": the day
]
_SCANNER = re.compile("|".join(f"(?P<f{i}>(?<![\\w]){form})" for i, (form, _) in enumerate(_FORMS)) +
                      f"|(?P<relative>{RELATIVE.pattern})", re.I)
_COMPILED = [re.compile(form, re.I) for form, _ in _FORMS]
_FILLER = re.compile(r"(?:\b(?:at|on|the|of|in|by|from|received|sent|year|hours?|"
                     r"г|гг|года?|в|от|час(?:ов|а)?)\b|[\s.,;:()/\-–—]+)", re.I)


def read_date_text(text: str, sent: Reading | None = None) -> list[Reading]:
    """Return the alternative readings of a date's visible text; [] when any part of it cannot be read.

    `sent` is the document's own date, against which "today" or "this year" are read."""
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        return []
    merged = {Reading()}
    leftover = []
    position = 0
    for match in _SCANNER.finditer(text):
        leftover.append(text[position:match.start()])
        position = match.end()
        if match.lastgroup == "relative":
            readings = _relative(" ".join(match.group().split()), sent)
        else:
            index = int(match.lastgroup[1:])
            readings = _FORMS[index][1](*_COMPILED[index].fullmatch(match.group()).groups())
        merged = {combined for reading in merged for part in readings if (combined := reading.merge(part))}
        if not merged or len(merged) > _MAX_READINGS:
            return []
    leftover.append(text[position:])
    if position == 0 or _FILLER.sub("", "".join(leftover)).strip():
        return []
    return sorted(merged, key=str)


# --- @when -----------------------------------------------------------------------------------------------------------

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


# --- the check -------------------------------------------------------------------------------------------------------

def check(text: str, when: str, sent: str | None = None) -> Problem | None:
    """Compare a date's visible text with its @when; `sent` is the @when of the document's own date.

    Returns a `date-text` error when they disagree, a `date-unread` warning when the text cannot be read (so that
    no date escapes the check unseen), None when they agree, the text is empty or @when is not a real date."""
    stated = read_when(when)
    shown = " ".join(text.split())
    if stated is None or not shown:
        return None
    anchor = read_when(sent) if sent else None
    readings = read_date_text(text, anchor)
    if not readings:
        if RELATIVE.search(shown) and (anchor is None or anchor.day is None):
            return Problem("date-unread", "warning", f"the date's text \"{shown}\" is relative, and this document "
                           "states no full date of its own to read it against (a correspAction type=\"sent\" with "
                           "a date @when): check @when by eye")
        if len(shown) > MAX_LENGTH:
            return Problem("date-unread", "warning", f"the date's text (\"{shown[:40]}…\", {len(shown):,} "
                           f"characters) is too long to be read as a date, so it is not compared with @when: "
                           f"check them by eye")
        return Problem("date-unread", "warning", f"the date's text \"{shown}\" cannot be read as a date, so it is "
                       f"not compared with @when=\"{when.strip()}\": check them by eye (a span of time takes "
                       "@notBefore/@notAfter or @from/@to instead of @when)")
    if any(r.agrees(stated) for r in readings):
        return None
    return Problem("date-text", "error", f"the date's text \"{shown}\" reads as {' or '.join(map(str, readings))}, "
                   f"but @when says {when.strip()}: correct one of them")

