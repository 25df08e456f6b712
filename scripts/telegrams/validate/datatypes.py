"""Datatypes for RELAX NG `data` and `value`: the built-in library and the XML Schema (XSD) library.

The XSD lexical checks reuse xmlschema's built-in type validators and elementpath's XSD-regex translator, so
this module only adds what RELAX NG needs on top: facets given as `param`, value equality and a plain-words
description of each type for the explainer's messages.

Its verdicts follow the XSD specification as Jing applies it where libxml2 departs from it (the RELAX NG layer
then takes this module's verdict): a pattern is matched against the value after whitespace processing (" 1951-06-13 "
is a date), a leap second (23:59:60) is a time and the hour 24 is not; a double needs digits after its exponent
sign ("3e" is no number, which xmlschema already knows). For anyURI and base64Binary it reads values as libxml2
does, a leniency Jing shares.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

BUILTIN_LIBRARY = ""
XSD_LIBRARY = "http://www.w3.org/2001/XMLSchema-datatypes"

# What each XSD type means to an editor; the examples follow the edition's own conventions.
_WORDS = {
    "string": "any text",
    "normalizedString": "text on one line",
    "token": "a word or phrase without leading, trailing or doubled spaces",
    "date": "an ISO date such as 1951-06-21",
    "dateTime": "an ISO date and time with seconds such as 1950-11-08T02:00:00",
    "time": "a time with seconds such as 02:00:00",
    "gYear": "a year such as 1951",
    "gYearMonth": "a year and month such as 1951-06",
    "gMonth": "a month such as --06",
    "gDay": "a day of the month such as ---21",
    "gMonthDay": "a month and day such as --06-21",
    "duration": "an ISO duration such as P3D or PT2H30M",
    "boolean": "true or false",
    "decimal": "a decimal number such as 12.5",
    "integer": "a whole number such as 42",
    "nonNegativeInteger": "a whole number, 0 or more",
    "positiveInteger": "a whole number, 1 or more",
    "nonPositiveInteger": "a whole number, 0 or less",
    "negativeInteger": "a whole number below 0",
    "long": "a whole number", "int": "a whole number", "short": "a whole number", "byte": "a whole number",
    "unsignedLong": "a whole number, 0 or more", "unsignedInt": "a whole number, 0 or more",
    "unsignedShort": "a whole number, 0 or more", "unsignedByte": "a whole number, 0 or more",
    "double": "a number such as 3.5 or 1E6",
    "float": "a number such as 3.5 or 1E6",
    "anyURI": "a URI such as registers.xml#pers-stalin",
    "NCName": "a name without spaces or colons, such as pers-stalin",
    "Name": "an XML name without spaces",
    "QName": "a prefixed name such as tei:persName",
    "ID": "an identifier without spaces or colons, used only once in the document",
    "IDREF": "the xml:id of an element of this document",
    "IDREFS": "one or more xml:id values of elements of this document",
    "NMTOKEN": "a single word (letters, digits, . - _ :)",
    "NMTOKENS": "one or more words (letters, digits, . - _ :) separated by spaces",
    "ENTITY": "an entity name", "ENTITIES": "entity names",
    "NOTATION": "a notation name",
    "language": "a language tag such as en, ru or zh-Hant",
    "hexBinary": "hexadecimal digits in pairs",
    "base64Binary": "base64-encoded data",
}

# XSD's whiteSpace facet of the types above: string keeps its whitespace, normalizedString replaces it, every
# other type collapses it (tests/validate_explain/test_quick_datatypes.py checks this against xmlschema).
_WHITE_SPACE = {"string": "preserve", "normalizedString": "replace"}
_LENGTH_PARAMS = {"length", "minLength", "maxLength"}
_ORDER_PARAMS = {"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"}
_DIGIT_PARAMS = {"totalDigits", "fractionDigits"}
_CLOCK = re.compile(r"(?:^|T)(\d\d):\d\d:(\d\d)")
_NAME = re.compile(r"^[^\W\d][\w.\-\u00b7\u0300-\u036f\u203f\u2040]*$")


def known_datatype(library: str, name: str) -> bool:
    """Whether this module supports a datatype (checked when a schema loads, before any is built)."""
    if library == BUILTIN_LIBRARY:
        return name in ("string", "token")
    return library == XSD_LIBRARY and name in _WORDS


class DatatypeError(ValueError):
    """The schema names a datatype or parameter this module does not know."""


def _xsd_types():
    import xmlschema  # heavy: imported only when a schema uses XSD datatypes

    return xmlschema.XMLSchema.builtin_types()


_BARE_ESCAPES = {"s": r"[\s]", "S": r"[^\s]", "d": r"[\d]", "D": r"[^\d]", "w": r"[\w]", "W": r"[^\w]"}


@functools.lru_cache(maxsize=None)
def _translate(pattern: str):
    """Compile an XSD regular expression for Python (whole-string matching is up to the caller)."""
    cache = _translations()
    if pattern not in cache:
        cache[pattern] = _translate_anew(pattern)
        _save_translations(cache)
    return re.compile(cache[pattern], re.S)


# Translating \p{...} classes takes elementpath a tenth of a second each; the translations are kept in
# build/cache so that each `make validate` does not pay for them again.
def _translations_path():
    from ..project import BUILD_DIR

    return BUILD_DIR / "cache" / f"xsd-regex-elementpath-{_elementpath_version()}.json"


def _elementpath_version() -> str:
    """elementpath's version, read from its source: importing it costs a tenth of a second, needed only when a
    translation is not cached."""
    import importlib.util

    spec = importlib.util.find_spec("elementpath")
    try:
        found = re.search(r"""__version__\s*=\s*['"]([^'"]+)""", Path(spec.origin).read_text(encoding="utf-8"))
    except (AttributeError, OSError, TypeError):
        found = None
    if found is None:
        import elementpath

        return elementpath.__version__
    return found[1]


@functools.lru_cache(maxsize=None)
def _translations() -> dict:
    import json

    try:
        data = json.loads(_translations_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_translations(cache: dict) -> None:
    import json

    from ..xmlio import write_atomic

    try:
        write_atomic(_translations_path(), json.dumps(cache, ensure_ascii=False, sort_keys=True))
    except OSError:
        pass  # a read-only checkout still validates, only more slowly


def _translate_anew(pattern: str) -> str:
    from elementpath.regex import translate_pattern

    # elementpath keeps a bare \s \S \d \w as Python escapes, which are wider than XSD's (\s is only
    # space, tab, newline and return in XSD); inside brackets it spells them out, so put them in brackets.
    out, depth, i = [], 0, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            out.append(_BARE_ESCAPES[escape] if depth == 0 and escape in _BARE_ESCAPES else char + escape)
            i += 2
            continue
        depth += 1 if char == "[" else -1 if char == "]" and depth else 0
        out.append(char)
        i += 1
    try:
        return translate_pattern("".join(out))
    except Exception as err:  # elementpath raises its own error types for a malformed expression
        raise DatatypeError(f"the pattern {pattern!r} is not a valid XML Schema regular expression: {err}") from None


_UNCOLLAPSED = re.compile(r"[\t\n\r]|  |^ | $")


def collapse(text: str) -> str:
    """Collapse XML whitespace (space, tab, newline, return) as the `token` type does."""
    if not _UNCOLLAPSED.search(text):  # most values: nothing to do
        return text
    return " ".join(part for part in re.split(r"[ \t\n\r]+", text) if part)


def _whitespace(text: str, mode: str) -> str:
    if mode == "collapse":
        return collapse(text)
    if mode == "replace":
        return re.sub(r"[\t\n\r]", " ", text)
    return text


class Datatype:
    """One datatype with its parameters: says whether a string is allowed and whether two values are equal."""

    def __init__(self, library: str, name: str, params: tuple[tuple[str, str], ...] = ()):
        self.library = library
        self.name = name
        self.params = params
        self.needs_context = library == XSD_LIBRARY and name in ("QName", "NOTATION")
        self._checked: dict = {}
        if library == BUILTIN_LIBRARY:
            if name not in ("string", "token"):
                raise DatatypeError(f"the built-in datatype library has no type '{name}'")
            if params:
                raise DatatypeError("the built-in datatype library takes no parameters")
            self.builtin = True
            self.white_space = "preserve" if name == "string" else "collapse"
        elif library == XSD_LIBRARY:
            if name not in _WORDS:
                raise DatatypeError(f"XML Schema has no datatype '{name}'")
            self.builtin = False
            self._xsd = None  # xmlschema's type, loaded when a value needs it (its import costs ~0.3 s)
            self.white_space = _WHITE_SPACE.get(name, "collapse")
            self._patterns = [_translate(value) for key, value in params if key == "pattern"]
            for key, _ in params:
                if key not in _LENGTH_PARAMS | _ORDER_PARAMS | _DIGIT_PARAMS | {"pattern"}:
                    raise DatatypeError(f"unknown parameter '{key}' for datatype '{name}'")
        else:
            raise DatatypeError(f"unknown datatype library '{library}'")

    @property
    def _type(self):
        if self._xsd is None:
            self._xsd = _xsd_types()[self.name]
        return self._xsd

    @property
    def is_list(self) -> bool:
        return self.name in ("NMTOKENS", "IDREFS", "ENTITIES")

    def allows(self, text: str, context=None) -> bool:
        """Return True when the string is a lexical value of this datatype with its parameters."""
        key = (text, context) if self.needs_context else text
        known = self._checked.get(key)
        if known is None:
            known = self._allows(text, context)
            if len(self._checked) > 50_000:
                self._checked.clear()
            self._checked[key] = known
        return known

    def _allows(self, text: str, context) -> bool:
        if self.builtin:
            return True
        value = _whitespace(text, self.white_space)
        if self.name in ("QName", "NOTATION"):
            if not _qname_in_context(value, context):
                return False
        elif self.name == "anyURI":
            if not _uri_like_libxml2(value):
                return False
        elif self.name == "base64Binary":  # libxml2 skips characters outside the base64 alphabet
            if not self._type.is_valid(re.sub(r"[^A-Za-z0-9+/=]", "", value)):
                return False
        elif self.name == "IDREFS" and not value:  # libxml2 accepts an empty IDREFS
            pass
        elif self.name in ("time", "dateTime"):
            clock = _CLOCK.search(value)
            if clock and clock[1] == "24":  # XSD 1.0 as Jing reads it: no hour 24 (libxml2 allows 24:00:00)
                return False
            if clock and clock[2] == "60":  # a leap second is a time (libxml2 refuses it)
                value = value[:clock.start(2)] + "59" + value[clock.end(2):]
            if not self._lexical(value):
                return False
        elif not self._lexical(value):
            return False
        # a pattern constrains the value after whitespace processing (XSD Part 2, 4.3.6), whatever libxml2 does
        return all(pattern.fullmatch(value) for pattern in self._patterns) and self._facets_hold(value)

    def _lexical(self, value: str) -> bool:
        """Whether a (whitespace-processed) value is in the type's lexical space: the common shapes of TEI values
        decided here (xmlschema's validators cost ~0.1 ms a value, most of a cold run's RELAX NG time), any other
        by xmlschema."""
        quick = _quick_lexical(self.name, value)
        return quick if quick is not None else self._type.is_valid(value)

    def _facets_hold(self, value: str) -> bool:
        for key, limit in self.params:
            if key in _LENGTH_PARAMS:
                size = self._length(value)
                if size is None:
                    continue
                wanted = int(limit)
                if (key == "length" and size != wanted) or (key == "minLength" and size < wanted) or (
                        key == "maxLength" and size > wanted):
                    return False
            elif key in _ORDER_PARAMS:
                try:
                    mine, bound = self._type.decode(value), self._type.decode(_whitespace(limit, "collapse"))
                    ok = {"minInclusive": mine >= bound, "maxInclusive": mine <= bound,
                          "minExclusive": mine > bound, "maxExclusive": mine < bound}[key]
                except (ValueError, TypeError):
                    return False
                if not ok:
                    return False
            elif key in _DIGIT_PARAMS:
                try:
                    digits = Decimal(value).normalize().as_tuple()
                except InvalidOperation:
                    return False
                fraction = max(0, -digits.exponent)
                total = max(len(digits.digits), fraction)
                if (key == "totalDigits" and total > int(limit)) or (key == "fractionDigits" and fraction > int(limit)):
                    return False
        return True

    def _length(self, value: str):
        if self.is_list:
            return len(value.split())
        if self.name == "hexBinary":
            return len(value) // 2
        if self.name == "base64Binary":
            import base64
            import binascii

            try:
                return len(base64.b64decode(value.replace(" ", "")))
            except (binascii.Error, ValueError):
                return None
        if self.name in ("QName", "NOTATION"):
            return None
        return len(value)

    def equal(self, text: str, context, wanted: str, wanted_context) -> bool:
        """Return True when a document string equals a schema `value` under this datatype."""
        if self.builtin:
            return text == wanted if self.name == "string" else collapse(text) == collapse(wanted)
        if self.name in ("QName", "NOTATION"):
            return _expand_qname(collapse(text), context) == _expand_qname(collapse(wanted), wanted_context)
        try:
            return self._type.decode(_whitespace(text, self.white_space)) == self._type.decode(
                _whitespace(wanted, self.white_space))
        except (ValueError, TypeError):
            return False

    def words(self) -> str:
        """Say in plain words what this datatype accepts."""
        if self.builtin:
            return "any text" if self.name == "string" else "a word or phrase"
        text = _WORDS[self.name]
        for key, value in self.params:
            if key == "pattern":
                text += _pattern_words(value)
            elif key in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
                text += {"minInclusive": f", at least {value}", "minExclusive": f", above {value}",
                         "maxInclusive": f", at most {value}", "maxExclusive": f", below {value}"}[key]
            elif key in _LENGTH_PARAMS:
                text += {"length": f", exactly {value} long", "minLength": f", at least {value} long",
                         "maxLength": f", at most {value} long"}[key]
            else:
                text += f" ({key} {value})"
        return text


def _pattern_words(pattern: str) -> str:
    if pattern in (r"[^\p{C}\p{Z}]+", r"\S+"):
        return " (a single word: no spaces)"
    return f" matching the pattern {pattern}"


def _qname_in_context(value: str, context) -> bool:
    prefix, _, local = value.rpartition(":")
    if value.startswith(":") or not _NAME.match(local) or (prefix and not _NAME.match(prefix)):
        return False
    return not prefix or (context is not None and prefix in dict(context))


def _expand_qname(value: str, context):
    prefix, _, local = value.rpartition(":")
    namespaces = dict(context or ())
    return namespaces.get(prefix or None, namespaces.get("", "") if not prefix else None), local


# RFC 3986 URI-reference, which libxml2 checks anyURI against once it has replaced characters that URIs
# must escape (spaces, non-ASCII, <>"{}|\^`') by '_'; matching its verdict matters more than XSD's wording.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT_NC = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})"
_HOST = rf"(?:\[[0-9A-Fa-f:.vV{_UNRESERVED}{_SUB_DELIMS}]*\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)"
_AUTHORITY = rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?{_HOST}(?::[0-9]*)?"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_ABSOLUTE = rf"/(?:{_PCHAR}+{_ABEMPTY})?"
_URI = re.compile(rf"[A-Za-z][A-Za-z0-9+\-.]*:(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}|{_PCHAR}+{_ABEMPTY}|){_TAIL}")
_RELATIVE = re.compile(rf"(?://{_AUTHORITY}{_ABEMPTY}|{_ABSOLUTE}|{_SEGMENT_NC}+{_ABEMPTY}|){_TAIL}")
_URI_ESCAPED = re.compile(r"[\x00-\x20\x7f-\U0010ffff<>\"{}|\\^`']")


def _uri_like_libxml2(value: str) -> bool:
    value = _URI_ESCAPED.sub("_", value)
    return bool(_URI.fullmatch(value) or _RELATIVE.fullmatch(value))


# --- the common shapes of values, decided without xmlschema (tests/validate_explain prove them equal to it) -------

_ASCII_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_ASCII_NMTOKEN = re.compile(r"[A-Za-z0-9_.:\-]+")
_DIGITS = re.compile(r"[0-9]+")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")  # XSD 1.0's pattern for language
_UNSIGNED_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ANY_TEXT = {"string", "normalizedString", "token"}  # every text is one, once its whitespace is processed
_NAME_TYPES = {"NCName", "ID", "IDREF", "ENTITY"}
_NAME_LISTS = {"IDREFS", "ENTITIES"}
# ISO shapes without sign, timezone or fraction, and a four-digit year from 1000: the shape alone tells which of
# these types a value can be (their lexical spaces are disjoint), the numbers whether it is one.
_TEMPORAL = {
    "date": re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})"),
    "gYearMonth": re.compile(r"([1-9][0-9]{3})-([0-9]{2})"),
    "gYear": re.compile(r"[1-9][0-9]{3}"),
    "dateTime": re.compile(r"([1-9][0-9]{3})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"),
    "time": re.compile(r"([0-9]{2}):([0-9]{2}):([0-9]{2})"),
}


def _quick_lexical(name: str, value: str) -> bool | None:
    """The verdict on a value of a common shape, or on one holding a character the type never has; None when
    xmlschema must decide."""
    if name in _ANY_TEXT:
        return True
    impossible = _IMPOSSIBLE.get(name)
    if impossible is not None and (not value or impossible.search(value)):
        return False
    if name in _NAME_TYPES:
        return True if _ASCII_NCNAME.fullmatch(value) else None
    if name in _NAME_LISTS:
        tokens = value.split(" ")
        return True if all(_ASCII_NCNAME.fullmatch(token) for token in tokens) else None
    if name == "NMTOKEN":
        return True if _ASCII_NMTOKEN.fullmatch(value) else None
    if name == "language":
        return True if _LANGUAGE.fullmatch(value) else None
    if name in ("integer", "nonNegativeInteger"):
        return True if _DIGITS.fullmatch(value) else None
    if name in ("decimal", "double", "float"):
        return True if _UNSIGNED_DECIMAL.fullmatch(value) else None
    if name in _TEMPORAL:
        return _quick_temporal(name, value)
    return None


# ASCII characters a type's lexical space never holds (after whitespace processing): a value with one is not of
# the type. Only ASCII, and never a space: xmlschema reads other scripts' digits as digits and "3 4" as a decimal,
# and its verdict is the one kept.
def _ascii_except(allowed: str, first: str = "") -> re.Pattern:
    return re.compile(rf"(?![{allowed}])[\x00-\x7f]" + (rf"|^[{first}]" if first else ""))


_NUMBER_CHARACTERS = _ascii_except(" 0-9+\\-.EeINFa")  # double, float: digits, sign, point, exponent, INF, NaN
_IMPOSSIBLE = {
    "double": _NUMBER_CHARACTERS, "float": _NUMBER_CHARACTERS,
    "decimal": _ascii_except(" 0-9+\\-."),
    "integer": _ascii_except(" 0-9+\\-"), "nonNegativeInteger": _ascii_except(" 0-9+\\-"),
    **dict.fromkeys(_TEMPORAL, _ascii_except(" 0-9\\-:TZ.+")),
    **dict.fromkeys(_NAME_TYPES, _ascii_except("A-Za-z0-9._\\-", first="0-9.\\-")),  # a name starts with neither
}


def _quick_temporal(name: str, value: str) -> bool | None:
    shape, match = name, _TEMPORAL[name].fullmatch(value)  # the type's own shape first: the common case
    if match is None:
        shape, match = next(((kind, found) for kind, pattern in _TEMPORAL.items()
                             if (found := pattern.fullmatch(value))), (None, None))
    if shape is None:
        return None
    if shape != name:
        return False
    numbers = [int(part) for part in match.groups()]
    if shape == "gYearMonth":
        return 1 <= numbers[1] <= 12
    if shape in ("date", "dateTime") and not _real_day(*numbers[:3]):
        return False
    if shape in ("time", "dateTime"):
        hour, minute, second = numbers[-3:]
        if hour == 24:  # 24:00:00 is XSD 1.0's end of day, a matter for xmlschema (and the caller's rule)
            return None
        return hour <= 23 and minute <= 59 and second <= 59
    return True


def _real_day(year: int, month: int, day: int) -> bool:
    import calendar

    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]
