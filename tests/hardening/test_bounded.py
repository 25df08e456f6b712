"""Per-document checks with a bounded cost (issue 13): inputs that made a reader or libxml2 take minutes or hang.

Hangs are guarded by the child's time limit (`run_cli`), never by timing a unit test; where cost is the point, the
test counts the work done instead.
"""

import re

import pytest

from .hardening_support import BENCH_FIXTURES, run_cli
from telegrams import xmlio
from telegrams.xmlio import TEI_NS, XML_NS, parse_bytes


class _Counting:
    """A compiled pattern that counts its `match` calls."""

    def __init__(self, pattern):
        self.pattern, self.calls = pattern, 0

    def match(self, *args):
        self.calls += 1
        return self.pattern.match(*args)


def test_attributes_of_an_element_are_read_once_however_many(monkeypatch):
    count = 20_000
    attributes = " ".join(f'a{i}="{i}>"' for i in range(count))  # a '>' inside a value does not end the tag
    doc = parse_bytes(f'<TEI xmlns="{TEI_NS}">\n<p {attributes} xml:id="last" x:n="9" xmlns:x="urn:x"/></TEI>'
                      .encode(), "t.xml")
    counting = _Counting(xmlio._ATTRIBUTE)
    monkeypatch.setattr(xmlio, "_ATTRIBUTE", counting)
    p = doc.root[0]
    for i in range(0, count, 97):
        line, column = doc.locate_attribute(p, f"a{i}")
        assert doc.text.splitlines()[line - 1][column - 1:].startswith(f'a{i}="{i}>"')
    assert counting.calls <= count + 4  # one pass over the tag, not one per lookup
    line, column = doc.locate_attribute(p, f"{{{XML_NS}}}id")
    assert doc.text.splitlines()[line - 1][column - 1:].startswith('xml:id="last"')
    line, column = doc.locate_attribute(p, "{urn:x}n")
    assert doc.text.splitlines()[line - 1][column - 1:].startswith('x:n="9"')
    assert doc.locate_attribute(p, "absent") == doc.locate(p)


def test_an_element_with_50_000_attributes_ends_in_findings(tmp_path):
    """The review's reproduction, halved: 100,000 attributes on one element took over 120 s (a regular expression
    compiled per attribute, lxml's items() looking each value up by name, a spelling guess for each)."""
    telegram = min(BENCH_FIXTURES.glob("tg-*.xml")).read_text(encoding="utf-8")
    at = telegram.index("<p>") + len("<p")
    path = tmp_path / "attributes.xml"
    path.write_text(telegram[:at] + " " + " ".join(f'a{i}="1"' for i in range(50_000)) + telegram[at:],
                    encoding="utf-8")
    outcome = run_cli("validate", "--no-cache", "--format", "json", path, timeout=90)
    assert not outcome.timed_out and "Traceback" not in outcome.out, outcome.out[-2000:]
    assert outcome.exit == 1
    assert outcome.out.count('"rule": "rng-attribute"') == 50_000
