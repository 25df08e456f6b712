"""Every fixture is validated and must give exactly the findings written in it: line, column and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from telegrams.validate.command import validate

from .helpers import FIXTURES, expectations, options

INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*.xml") if p.name != "registers.xml")
HOSTILE = sorted((FIXTURES / "hostile").glob("*.xml"))
CORPORA = sorted(p for p in (FIXTURES / "corpus").iterdir() if p.is_dir())


def _found(paths, root: Path | None = None) -> set[tuple]:
    findings, _, _ = validate([str(p) for p in paths], options())
    return {(Path(f.file).name if root else None, f.line, f.column, f.rule) for f in findings}


def _expected(source: Path) -> set[tuple]:
    return {(file, line, column, rule) for file, line, column, rule in expectations(source)}


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_gives_exactly_its_findings(fixture):
    assert _found([fixture]) == _expected(fixture)


@pytest.mark.parametrize("fixture", HOSTILE, ids=lambda p: p.stem)
def test_hostile_input_gives_one_clear_finding(fixture):
    expected = _expected(fixture)
    assert len(expected) == 1
    assert _found([fixture]) == expected


@pytest.mark.parametrize("folder", CORPORA, ids=lambda p: p.name)
def test_corpus_folder_gives_exactly_its_findings(folder):
    assert _found(sorted(folder.glob("*.xml")), root=folder) == _expected(folder)


def test_valid_template_and_registers_are_clean():
    findings, checked, _ = validate([str(FIXTURES / "valid")], options())
    assert checked == 2
    assert findings == []


def test_there_are_enough_fixtures():
    assert len(INVALID) >= 40
    several = [p for p in INVALID if len(expectations(p)) >= 3]
    assert len(several) >= 5, [p.name for p in several]
    every_rule = {rule for p in INVALID for *_, rule in expectations(p)}
    for layer in ("well-formed", "tei-root", "encoding", "rng-", "sch:", "pointer", "date-text", "num-text"):
        assert any(rule.startswith(layer) for rule in every_rule), layer


def test_every_finding_has_a_position_and_plain_words():
    findings, _, _ = validate([str(p) for p in INVALID], options())
    for finding in findings:
        assert finding.line > 0 and finding.column > 0, finding
        assert "Traceback" not in finding.message and finding.message.strip(), finding
