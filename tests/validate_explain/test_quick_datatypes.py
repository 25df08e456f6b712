"""The datatypes' quick verdicts on common value shapes equal xmlschema's, which decides every other value."""

import pytest

from telegrams.validate import datatypes


def _values() -> list[str]:
    values = {"abc", "a-b.c_d", "_x", "1abc", "-x", "a b", "a:b", "é", "pers-stalin", "tg-1950-11-07", "12", "0",
              "007", "1.5", "1.", ".5", "3e5", "+1", "-1", "1,5", "NaN", "INF", "", "a  b", "x y z", "x\ty",
              "٣", "1/6", "high", "medium", "registers.xml#pers-stalin", "#x", "a/b", "a@b", "3 4", "x:y", "-5",
              "+5", "1e5", "1E+5", "1.5E-3", "-INF", "+INF", "nan", "1.5e", ".", "-", "+", "1..2", "T", "Z",
              "1951-06-13T", "--06-13", "---13", "P1Y", "a`b", "a{b", "a[b", "a^b", "a~b", "a!b", "x\u00b7y", "ab·",
              "é1", "_", "a_", "A.B-C", "en", "zh-Hant", "ru-Latn-x-1", "toolonglang", "en-", "e1", "\u00a0x", "\u2028", "é—–“", "\x7f", "1951-06-13Z", "-1951", "1951-06-13+03:00", "1951-6-13", "19510613", "T12:00:00"}
    for year in ("1000", "1899", "1900", "1950", "1951", "1952", "2000", "9999", "0999", "0000", "12345"):
        values.add(year)
        for month in range(14):
            values.add(f"{year}-{month:02d}")
            for day in (0, 1, 28, 29, 30, 31, 32):
                values.add(f"{year}-{month:02d}-{day:02d}")
                for clock in ("00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "19:30:00", "9:30:00"):
                    values.add(f"{year}-{month:02d}-{day:02d}T{clock}")
    for hour in range(26):
        for minute in (0, 30, 59, 60):
            for second in (0, 59, 60):
                values.add(f"{hour:02d}:{minute:02d}:{second:02d}")
    return sorted(values)


@pytest.mark.parametrize("name", ["date", "gYearMonth", "gYear", "dateTime", "time", "NCName", "ID", "IDREF",
                                  "IDREFS", "ENTITY", "ENTITIES", "NMTOKEN", "integer", "nonNegativeInteger",
                                  "decimal", "double", "float", "string", "normalizedString", "token",
                                  "language", "anyURI"])
def test_quick_verdicts_equal_xmlschema_s(name):
    xsd = datatypes._xsd_types()[name]
    decided = 0
    for value in _values():
        quick = datatypes._quick_lexical(name, value)
        if quick is not None:
            assert quick == xsd.is_valid(value), (name, value, quick)
            decided += 1
    if name != "anyURI":  # no quick path for it (its own check runs first): nothing decided, nothing to compare
        assert decided > 0


def test_whitespace_facets_equal_xmlschema_s():
    types = datatypes._xsd_types()
    for name in datatypes._WORDS:
        assert datatypes.Datatype(datatypes.XSD_LIBRARY, name).white_space == (
            getattr(types[name], "white_space", None) or "collapse"), name


def test_elementpath_version_is_read_without_importing_it():
    import elementpath

    assert datatypes._elementpath_version() == elementpath.__version__
