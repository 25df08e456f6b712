"""The RELAX NG layer: lxml's verdict, the explainer's findings, and lxml's own log as the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from telegrams.findings import FindingError
from telegrams.validate import wellformed
from telegrams.validate.rng import RngChecker

from .helpers import FIXTURE_RNG, FIXTURES, expectations

INVALID = FIXTURES / "invalid"


def load(path: Path):
    return wellformed.load(str(path), path.read_bytes())


@pytest.fixture(scope="module")
def checker():
    return RngChecker(FIXTURE_RNG)


def test_a_valid_document_has_no_rng_finding(checker):
    assert checker.check(load(FIXTURES / "valid" / "tg-1950-11-07-mao-stalin.xml")) == []


@pytest.mark.parametrize("name", ["missing-text-type", "unknown-text-type", "malformed-when", "text-in-correspdesc",
                                  "missing-title", "unknown-correspaction-type"])
def test_without_the_explainer_lxml_log_still_places_attribute_and_text_errors(checker, monkeypatch, name):
    monkeypatch.setattr(checker, "_explained", lambda doc, repairs=None: None)  # the explainer failed
    found = checker.check(load(INVALID / f"{name}.xml"))
    lines = {line for _, line, _, rule in expectations(INVALID / f"{name}.xml") if rule.startswith("rng")}
    assert found and all(f.rule.startswith("rng") and f.column > 0 for f in found)
    assert lines <= {f.line for f in found}


def test_without_the_explainer_an_invalid_document_is_never_reported_valid(checker, monkeypatch):
    monkeypatch.setattr(checker, "_explained", lambda doc, repairs=None: None)  # the explainer failed
    for fixture in (p for p in INVALID.glob("*.xml") if p.name != "registers.xml"):
        if any(rule.startswith("rng") for *_, rule in expectations(fixture)):
            assert checker.check(load(fixture)), fixture.name


@pytest.mark.parametrize("text,rule,words", [
    (None, "schema-missing", "does not exist"),
    ("<grammar", "schema-broken", "not well-formed"),
    ("<grammar xmlns='http://relaxng.org/ns/structure/1.0'><start><ref name='nowhere'/></start></grammar>",
     "schema-broken", "not a valid grammar"),
])
def test_a_missing_or_broken_grammar_is_one_clear_finding(tmp_path, text, rule, words):
    path = tmp_path / "schema.rng"
    if text is not None:
        path.write_text(text)
    with pytest.raises(FindingError) as caught:
        RngChecker(path)
    assert caught.value.finding.rule == rule and words in caught.value.finding.message
