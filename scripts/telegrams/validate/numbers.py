"""Read the visible text of a `num` (digits, English or Russian number words, fractions) and compare it with @value.

"36 (thirty-six)" is read part by part; each part that can be read must give @value. A part that cannot be read
is left alone: the check reports only what it is sure of.

Every reading has a bounded cost: no more than `MAX_DIGITS` digits and exponents of at most `MAX_EXPONENT` are
turned into exact values ("3E100000000" is a valid xsd:double, but its exact value has a hundred million digits).
"""

from __future__ import annotations

import re
from fractions import Fraction

from .dates import Problem

MAX_DIGITS = 1000
MAX_EXPONENT = 1000
MAX_PART = 2 * MAX_DIGITS + 500  # digits with their separators, or words
_LARGEST = 10 ** MAX_DIGITS


class TooLarge(ValueError):
    """A value with more digits or a larger exponent than can be compared exactly at a bounded cost."""


_ENGLISH_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                  "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_ENGLISH_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9}


def _russian_words() -> dict[str, int]:
    """Every case form of the Russian cardinal numbers the telegrams use, with their values."""
    words = {
        "ноль": 0, "нуль": 0,
        **dict.fromkeys(["один", "одна", "одно", "одного", "одной", "одному", "одним", "одном", "одну"], 1),
        **dict.fromkeys(["два", "две", "двух", "двум", "двумя"], 2),
        **dict.fromkeys(["три", "трех", "трёх", "трем", "трём", "тремя"], 3),
        **dict.fromkeys(["четыре", "четырех", "четырёх", "четырем", "четырём", "четырьмя"], 4),
        **dict.fromkeys(["восемь", "восьми", "восемью", "восьмью"], 8),
        **dict.fromkeys(["сорок", "сорока"], 40),
        **dict.fromkeys(["девяносто", "девяноста"], 90),
        **dict.fromkeys(["сто", "ста"], 100),
    }
    soft = {5: "пять", 6: "шесть", 7: "семь", 9: "девять", 10: "десять", 11: "одиннадцать", 12: "двенадцать",
            13: "тринадцать", 14: "четырнадцать", 15: "пятнадцать", 16: "шестнадцать", 17: "семнадцать",
            18: "восемнадцать", 19: "девятнадцать", 20: "двадцать", 30: "тридцать"}
    for value, word in soft.items():  # -ь nouns: nominative, genitive/dative/prepositional -и, instrumental -ью
        words.update({word: value, word[:-1] + "и": value, word + "ю": value})
    tens = {50: ("пятьдесят", "пятидесяти"), 60: ("шестьдесят", "шестидесяти"), 70: ("семьдесят", "семидесяти"),
            80: ("восемьдесят", "восьмидесяти")}
    for value, forms in tens.items():
        words.update(dict.fromkeys(forms, value))
    hundreds = {200: ("двести", "двухсот"), 300: ("триста", "трехсот", "трёхсот"),
                400: ("четыреста", "четырехсот", "четырёхсот"), 500: ("пятьсот", "пятисот"),
                600: ("шестьсот", "шестисот"), 700: ("семьсот", "семисот"), 800: ("восемьсот", "восьмисот"),
                900: ("девятьсот", "девятисот")}
    for value, forms in hundreds.items():
        words.update(dict.fromkeys(forms, value))
    return words


_RUSSIAN = _russian_words()
_RUSSIAN_SCALES = {"тысяч": 1000, "миллион": 10**6, "миллиард": 10**9}


_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth"]


def _word_value(word: str) -> tuple[str, int] | None:
    """Return ("scale", n) or ("number", n) for one number word, or None."""
    if word in _ORDINALS:  # "First", "Second": numbered points of a telegram
        return "number", _ORDINALS.index(word) + 1
    if word in _ENGLISH_UNITS:
        return "number", _ENGLISH_UNITS.index(word)
    if word in _ENGLISH_TENS:
        return "number", 20 + 10 * _ENGLISH_TENS.index(word)
    if word == "hundred":
        return "hundred", 100
    if word in _SCALES:
        return "scale", _SCALES[word]
    if word in _RUSSIAN:
        return "number", _RUSSIAN[word]
    for stem, value in _RUSSIAN_SCALES.items():
        if word.startswith(stem):
            return "scale", value
    if re.fullmatch(r"\d{1,%d}" % MAX_DIGITS, word):
        return "number", int(word)
    return None


def read_words(text: str) -> int | None:
    """Return the value of number words ("one hundred and forty thousand", "сорока четырех"), or None."""
    words = [w for w in re.split(r"[\s\-\u2010-\u2014]+", text.lower().strip(" .,;")) if w and w not in ("and", "и")]
    if not words:
        return None
    total = current = 0
    for word in words:
        kind_value = _word_value(word)
        if kind_value is None:
            return None
        kind, value = kind_value
        if max(total, current) > _LARGEST:
            return None  # "hundred hundred hundred ...": no number anyone writes
        if kind == "number":
            current += value
        elif kind == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * value
            current = 0
    return total + current if total + current <= _LARGEST else None


def read_digits(text: str) -> tuple[Fraction, int] | None:
    """Return (value, decimals) of written digits: 140,000 / 58 000 000 / 1.5 / 1/6 / -3; None otherwise."""
    text = text.strip().rstrip(".")
    fraction = re.fullmatch(r"(\d{1,%d})\s*/\s*(\d{1,%d})" % (MAX_DIGITS, MAX_DIGITS), text)
    if fraction:
        return (Fraction(int(fraction[1]), int(fraction[2])), 0) if int(fraction[2]) else None
    grouped = re.fullmatch(r"([+\-−]?)(\d{1,3}(?:[,\s\u00a0\u202f]\d{3})+|\d+)(?:[.,](\d+))?", text)
    if grouped is None:
        return None
    sign, whole, decimals = grouped.groups()
    if len(whole) + len(decimals or "") > 2 * MAX_DIGITS:
        return None
    if decimals and "," in whole and "," in text[grouped.start(3) - 1]:
        return None  # "1,000,5": a separator used both ways
    value = Fraction(int(re.sub(r"\D", "", whole)))  # from an int: Fraction's own parse of a string is slow
    if decimals:
        value += Fraction(int(decimals), 10 ** len(decimals))
    return (-value if sign else value), len(decimals or "")


def read_part(text: str) -> tuple[Fraction, int] | None:
    """Return (value, decimals) of one part of a num's text, written in digits or words; None when unreadable
    (as is a part longer than MAX_PART: no number is written at such length)."""
    if len(text) > MAX_PART:
        return None
    digits = read_digits(text)
    if digits is not None:
        return digits
    if text.strip(" .,;").lower() in ("half", "a half", "one half", "половина", "половину"):
        return Fraction(1, 2), 0
    words = read_words(text)
    return (Fraction(words), 0) if words is not None else None


def parts(text: str) -> list[str]:
    """Split "36 (thirty-six)" into its parts; "(six)" is one part."""
    text = " ".join(text.split())
    return [p.strip() for p in re.split(r"[()]", text) if p.strip(" .,;")]


_DECIMAL = re.compile(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?")


def read_value(value: str) -> tuple[Fraction, int] | None:
    """Return (value, decimals) of a TEI @value (integer, decimal, double or n/m), or None.

    Raise TooLarge for a value that cannot be made exact at a bounded cost."""
    value = value.strip()
    if value.isdecimal() and len(value) <= MAX_DIGITS:  # the usual @value, an integer: no arithmetic on fractions
        return Fraction(int(value)), 0
    if re.fullmatch(r"[+-]?\d+/[+-]?\d+", value):
        numerator, denominator = value.split("/")
        if len(value) > 2 * MAX_DIGITS:
            raise TooLarge(value)
        return (Fraction(int(numerator), int(denominator)), 0) if int(denominator) else None
    match = _DECIMAL.fullmatch(value)
    if match is None or not (match[2] or match[3]):
        return None  # INF, NaN, "3e", "1.5E-": nothing a text could say
    sign, whole, decimals, exponent = match.groups()
    if len(whole) + len(decimals or "") > MAX_DIGITS or (exponent and (
            len(exponent.lstrip("+-0")) > 4 or abs(int(exponent)) > MAX_EXPONENT)):
        raise TooLarge(value)
    number = Fraction(int((whole or "0") + (decimals or "")), 10 ** len(decimals or "")) * Fraction(10) ** int(
        exponent or 0)
    return (-number if sign == "-" else number), len(decimals or "")


def _close(a: tuple[Fraction, int], b: tuple[Fraction, int]) -> bool:
    """True when two values are equal up to the rounding of the one written with decimals (1/6 and 0.167)."""
    decimals = max(a[1], b[1])
    return a[0] == b[0] or (decimals > 0 and abs(a[0] - b[0]) <= Fraction(1, 2 * 10**decimals))


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{value.numerator:,}".replace(",", "\u2009") if abs(value) >= 10000 else str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def check(text: str, value: str) -> Problem | None:
    """Compare a num's visible text with its @value: a `num-text` error when a part of the text reads as another
    number, a `num-unread` warning when @value is too large to compare; None otherwise (agree, or unreadable)."""
    try:
        stated = read_value(value)
    except TooLarge:
        return Problem("num-unread", "warning", f"@value \"{_quote(value)}\" is too large or too long to compare with "
                       f"the number's text (more than {MAX_DIGITS:,} digits or an exponent beyond "
                       f"{MAX_EXPONENT:,}): check it by eye, or write the number as the text states it")
    if stated is None:
        return None
    for part in parts(text):
        read = read_part(part)
        if read is not None and not _close(read, stated):
            return Problem("num-text", "error", f"the number's text \"{_quote(part)}\" reads as {_show(read[0])}, "
                           f"but @value says {value.strip()}: correct one of them")
    return None


def _quote(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
