"""`telegrams new` starts a document from the template: named from its date and correspondents, with schemas that
resolve from where it is written, its correspDesc filled from the registers, valid but for what the editor fills
in, and never over an existing file."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

from telegrams.xmlio import parse

from .conftest import T, XML_ID, validate


def new(edition: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, TELEGRAMS_ROOT=str(edition))
    return subprocess.run([sys.executable, "-m", "telegrams", "new", *args], capture_output=True, text=True, env=env)


def entries(edition: Path, kind: str) -> list[str]:
    return [entry.get(XML_ID) for entry in parse(edition / "tei" / "registers.xml").root.iter(T + kind)]


@pytest.fixture
def correspondents(edition):
    persons, places = entries(edition, "person"), entries(edition, "place")
    if len(persons) < 2 or not places:
        pytest.skip("the registers need two persons and a place")
    return persons[0], persons[1], places[0]


@pytest.fixture
def day(edition) -> str:
    """A date on which the corpus has no document yet (from 29 June 1951 on), so that no name is taken already."""
    date = datetime.date(1951, 6, 29)
    while any((edition / "tei").rglob(f"tg-{date.isoformat()}-*.xml")):
        date += datetime.timedelta(days=1)
    return date.isoformat()


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def _spelled(day: str) -> str:
    date = datetime.date.fromisoformat(day)
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _key(ident: str) -> str:
    return ident.split("-", 1)[1]


def _action(doc, kind: str):
    return doc.root.find(f".//{T}correspDesc/{T}correspAction[@type='{kind}']")


def test_a_new_document_is_named_and_filled_from_the_options(edition, correspondents, day):
    sender, addressee, place = correspondents
    result = new(edition, "--date", day, "--from", sender, "--to", addressee, "--from-place", place)
    assert result.returncode == 0, result.stderr
    path = edition / "tei" / f"tg-{day}-{_key(sender)}-{_key(addressee)}.xml"
    doc = parse(path)
    assert doc.root.get(XML_ID) == path.stem
    sent, received = _action(doc, "sent"), _action(doc, "received")
    assert sent.find(T + "persName").get("ref") == f"registers.xml#{sender}"
    assert sent.find(T + "placeName").get("ref") == f"registers.xml#{place}"
    assert sent.find(T + "date").get("when") == day and sent.find(T + "date").text == _spelled(day)
    assert received.find(T + "persName").get("ref") == f"registers.xml#{addressee}"
    assert received.find(T + "placeName") is None  # no --to-place: the template's place is not kept
    findings = validate(path)
    assert [f for f in findings if f.severity == "error"] == [], findings
    to_fill = path.read_text(encoding="utf-8").splitlines()
    assert all("…" in to_fill[f.line - 1] for f in findings), findings  # only what the editor has to fill in
    assert "fill in or delete" in result.stdout


def test_the_schemas_resolve_from_a_subfolder(edition, correspondents, day):
    sender, addressee, _ = correspondents
    result = new(edition, "--date", day, "--from", sender, "--to", addressee, "--dir",
                 str(edition / "tei" / "1951"))
    assert result.returncode == 0, result.stderr
    path, = (edition / "tei" / "1951").glob(f"tg-{day}-*.xml")
    text = path.read_text(encoding="utf-8")
    assert 'href="../../schema/telegrams.rng"' in text and 'href="../../schema/telegrams.sch"' in text
    assert [f for f in validate(path) if f.rule.startswith("xml-model")] == []


def test_an_existing_file_is_never_overwritten(edition, correspondents, day):
    sender, addressee, _ = correspondents
    arguments = ("--date", day, "--from", sender, "--to", addressee)
    assert new(edition, *arguments).returncode == 0
    path, = (edition / "tei").glob(f"tg-{day}-*.xml")
    path.write_text(path.read_text(encoding="utf-8").replace(_spelled(day), "edited by hand"), encoding="utf-8")
    before = path.read_bytes()
    again = new(edition, *arguments)
    assert again.returncode == 1 and "already exists" in again.stderr and "nothing written" in again.stderr
    assert path.read_bytes() == before


def test_an_office_as_sender_and_the_kind(edition, correspondents, day):
    offices = entries(edition, "org")
    if not offices:
        pytest.skip("the registers have no organisation")
    _, addressee, _ = correspondents
    result = new(edition, "--date", day, "--from", offices[0], "--to", addressee, "--kind", "cable")
    assert result.returncode == 0, result.stderr
    doc = parse(next((edition / "tei").glob(f"tg-{day}-{_key(offices[0])}-*.xml")))
    assert _action(doc, "sent").find(T + "orgName").get("ref") == f"registers.xml#{offices[0]}"
    assert _action(doc, "sent").find(T + "persName") is None
    assert doc.root.find(T + "text").get("type") == "cable"


@pytest.mark.parametrize(("change", "message"), [
    (("--from", "pers-nobody-at-all"), "no such entry"),
    (("--date", "1951-02-30"), "no real day"),
    (("--date", "29.6.51"), "YYYY-MM-DD"),
    (("--kind", "commentary"), "correspondence only"),
    (("--dir", "/"), "not inside the edition's tei/"),
])
def test_bad_options_are_refused_and_nothing_is_written(edition, correspondents, day, change, message):
    sender, addressee, _ = correspondents
    options = {"--date": day, "--from": sender, "--to": addressee}
    options[change[0]] = change[1]
    before = sorted((edition / "tei").rglob("*"))
    result = new(edition, *[part for pair in options.items() for part in pair])
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert sorted((edition / "tei").rglob("*")) == before
