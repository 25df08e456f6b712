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
    sent, _, when = when.rpartition(" sent ")  # "1951-06-09 sent 1951-06-09": @when, then the document's date
    when, sent = (sent, when) if sent else (when, None)
    problem = dates.check(text, when, sent)
    if verdict == "disagree":
        assert problem.rule == "date-text" and problem.severity == "error"
        assert " ".join(text.split()) in problem.message and when.strip() in problem.message
    elif verdict == "unread":
        assert problem.rule == "date-unread" and problem.severity == "warning", problem
    else:
        assert problem is None, problem


@pytest.mark.parametrize("text,value", rows("numbers.tsv"), ids=lambda v: v)
def test_number_text_is_read(text, value):
    read = numbers.read_part(text)
    assert (read[0] if read else None) == (Fraction(value) if value else None)


@pytest.mark.parametrize("text,value,verdict", rows("number-agreement.tsv"), ids=lambda v: v)
def test_number_text_against_value(text, value, verdict):
    problem = numbers.check(text, value)
    assert (problem is not None and problem.rule == "num-text") == (verdict == "disagree"), problem
    assert (problem is not None and problem.rule == "num-unread") == (verdict == "too large"), problem
    if verdict == "unread":
        assert all(numbers.read_part(p) is None for p in numbers.parts(text)) or numbers.read_value(value) is None


def test_month_names_in_every_form():
    assert [dates.month_number(w) for w in ("June", "jun.", "июня", "июнь", "июне", "Sept.", "декабря")] == \
        [6, 6, 6, 6, 6, 9, 12]
    assert dates.month_number("Juni") is None


def test_readers_refuse_values_too_large_to_read_exactly():
    assert numbers.read_part(" ".join(["hundred"] * 600)) is None  # 10**1200: no number anyone writes
    assert numbers.read_part("1" * 5000) is None  # beyond Python's own limit on int(str)
    assert numbers.read_part("one hundred thousand")[0] == 100_000
    with pytest.raises(numbers.TooLarge):
        numbers.read_value("3E100000000")


def test_a_date_text_too_long_to_be_a_date_is_unread_not_read():
    text = "1900 " * 20_000
    assert dates.read_date_text(text) == []
    problem = dates.check(text, "1951-06-21T19:00:00")
    assert problem.rule == "date-unread" and "too long" in problem.message and len(problem.message) < 300
    assert dates.read_date_text("1900 " * 22)  # the review's 22 repeated tokens are still read


def _document_findings(body: str, sent: str | None):
    from telegrams.validate import corpus
    from telegrams.xmlio import TEI_NS, parse_bytes

    header = (f'<correspDesc><correspAction type="sent"><date when="{sent}">{sent}</date></correspAction>'
              f'</correspDesc>' if sent else "")
    doc = parse_bytes(f'<TEI xmlns="{TEI_NS}" xml:id="t"><teiHeader><profileDesc>{header}</profileDesc></teiHeader>'
                      f'<text><body><p>{body}</p></body></text></TEI>'.encode(), "t.xml")
    return [(f.rule, f.severity) for f in corpus.document_findings(doc)]


def test_dates_are_read_against_the_document_s_own_date():
    assert _document_findings('<date when="1951-06-09">today</date>', "1951-06-09") == []
    assert _document_findings('<date when="1951-06-10">today</date>', "1951-06-09") == [("date-text", "error")]
    assert _document_findings('<date when="1951-06-09">today</date>', None) == [("date-unread", "warning")]
    assert _document_findings('<date when="1951">в текущем году</date>', "1951-06-21") == []
    assert _document_findings('<date when="1951-06-29T14:00:00">June 29, 1951—1 p. m.</date>', None) == [
        ("date-text", "error")]
    assert _document_findings('<date when="1951-06-29">the day after</date>', None) == [("date-unread", "warning")]
    assert _document_findings('<date when="1951-06-29"/>', None) == []  # no text: nothing to compare


def test_a_sent_date_at_odds_with_its_own_text_is_reported_once():
    from telegrams.validate import corpus
    from telegrams.xmlio import TEI_NS, parse_bytes

    doc = parse_bytes(f'<TEI xmlns="{TEI_NS}" xml:id="t"><teiHeader><profileDesc><correspDesc><correspAction '
                      f'type="sent"><date when="1951-06-10">9 June 1951</date></correspAction></correspDesc>'
                      f'</profileDesc></teiHeader><text><body><p><date when="1951-06-09">today</date></p></body>'
                      f'</text></TEI>'.encode(), "t.xml")
    assert [f.rule for f in corpus.document_findings(doc)] == ["date-text"]


def test_a_num_too_large_to_compare_is_a_warning_in_the_document():
    assert _document_findings('<num value="3E100000000">three</num>', None) == [("num-unread", "warning")]
    assert _document_findings('<num value="30">three</num>', None) == [("num-text", "error")]


@pytest.mark.parametrize("sent", [None, "1951-06-09", "1950-11-07T10:00:00", "1951"])
def test_the_corpus_layer_s_shared_readings_are_the_reader_s_own(sent):
    """The corpus layer reads each date text once per process, with the document's date only for a relative
    text: for every text of the tables, whatever the document's date, its verdict is the reader's."""
    from telegrams.validate import corpus

    texts = [row[0] for row in rows("dates.tsv")] + [row[0] for row in rows("date-agreement.tsv")]
    whens = {row[1].rpartition(" sent ")[0] or row[1] for row in rows("date-agreement.tsv")}
    assert any(dates.RELATIVE.search(text) for text in texts)  # the tables hold relative texts, or this is moot
    for text in texts:
        for when in sorted(whens)[:12]:
            assert corpus._date_check(text, when, sent) == dates.check(text, when, sent), (text, when, sent)
