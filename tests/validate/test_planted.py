"""Mistakes planted in copies of the real corpus documents are each reported at their own line, and nothing else is.

`planting.py` makes the mistakes (thirteen kinds, a fixed seed, varied positions in every document of tei/ and in
the registers) and says, independently of the validator, where each one is and what must report it. Each planted
copy is validated alone (the other corpus files beside it, so that its pointers resolve) against the project's
schema: there must be exactly one finding, at the planted line and column, of the expected rule family, naming what
was planted. Documents with three to five mistakes of different kinds must give each of them, and nothing else.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from telegrams.project import SCHEMA_DIR, TEI_DIR
from telegrams.validate.command import validate

from . import planting
from .helpers import options

RNG, SCH = SCHEMA_DIR / "telegrams.rng", SCHEMA_DIR / "telegrams.sch"
HAVE_CORPUS = RNG.is_file() and SCH.is_file() and (TEI_DIR / "registers.xml").is_file()
pytestmark = pytest.mark.skipif(not HAVE_CORPUS, reason="needs tei/ and the built schema/telegrams.rng and .sch")

if HAVE_CORPUS:
    SOURCES = {s.name: s for s in planting.sources(TEI_DIR, RNG)}
    IDS = planting.register_ids(TEI_DIR)
    SINGLE = planting.single_plants(list(SOURCES.values()), IDS, per_kind=2)
    SEVERAL = planting.several_plants(list(SOURCES.values()), IDS, per_doc=3)
    for _plant in SINGLE:
        planting.apply(SOURCES[_plant.doc], [_plant])  # sets its line, for the test's id
else:
    SOURCES, SINGLE, SEVERAL = {}, [], []


def _plant_id(plant: planting.Plant) -> str:
    return f"{plant.kind}-{plant.doc.removesuffix('.xml')}-{plant.line}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A copy of tei/: each test writes one planted document into it and puts the clean one back. The schemas
    beside it, so that its xml-model instructions resolve."""
    folder = tmp_path_factory.mktemp("corpus") / "tei"
    folder.mkdir()
    (folder.parent / "schema").symlink_to(SCHEMA_DIR)
    for path in TEI_DIR.glob("*.xml"):
        shutil.copy(path, folder / path.name)
    return folder


def _validate(corpus, source: planting.Source, plants: list[planting.Plant]):
    path = corpus / source.name
    path.write_text(planting.apply(source, plants), encoding="utf-8")
    try:
        findings, _, _ = validate([str(path)], options(rng=RNG, sch=SCH))
    finally:
        path.write_text(source.text, encoding="utf-8")
    return findings


def _reports(finding, plant: planting.Plant) -> bool:
    return (finding.line == plant.line and finding.column == plant.column and plant.accepts(finding.rule) and all(word in finding.message for word in plant.words))


def _shown(findings) -> str:
    return "\n".join(f"  {f.line}:{f.column} {f.rule}: {f.message}" for f in findings) or "  (no finding)"


@pytest.mark.parametrize("plant", SINGLE, ids=_plant_id)
def test_a_planted_mistake_is_reported_at_its_line_and_nothing_else(corpus, plant):
    findings = _validate(corpus, SOURCES[plant.doc], [plant])
    assert len(findings) == 1 and _reports(findings[0], plant), (
        f"{plant.what} planted at {plant.doc}:{plant.line}:{plant.column}, expected {' or '.join(plant.rules)} "
        f"naming {plant.words}; found:\n{_shown(findings)}")


@pytest.mark.parametrize("several", SEVERAL, ids=lambda s: s[0].name.removesuffix(".xml") + "-"
                         + "-".join(p.kind.split("-")[0] for p in s[1]))
def test_every_one_of_several_planted_mistakes_is_reported(corpus, several):
    source, plants = several
    findings = _validate(corpus, source, plants)
    missed = [p for p in plants if not any(_reports(f, p) for f in findings)]
    extra = [f for f in findings if not any(_reports(f, p) for p in plants)]
    planted = "\n".join(f"  {p.line}:{p.column} {p.what}" for p in plants)
    assert not missed and not extra, f"planted:\n{planted}\nfound:\n{_shown(findings)}"


def _left_open_in_each_context() -> list[planting.Plant]:
    """An element left open once in each context that decides where its recovery closes it: its name, its
    parent's, its children's and its next sibling's, and whether text follows it. Every such context of the
    corpus, not a sample: a new document brings its own."""
    plants, seen = [], set()
    for source in SOURCES.values():
        elements = {span.open: span.element for span in source.spans.values()}
        for plant in planting.unclosed_tag(source):
            element = elements[plant.site]
            after = element.getnext()
            context = (element.tag, element.getparent().tag, tuple(child.tag for child in element),
                       None if after is None else after.tag, bool((element.tail or "").strip()))
            if context not in seen:
                seen.add(context)
                planting.apply(source, [plant])  # sets its line, for the test's id
                plants.append(plant)
    return plants


@pytest.mark.parametrize("plant", _left_open_in_each_context() if HAVE_CORPUS else [], ids=_plant_id)
def test_an_element_left_open_is_the_only_finding_wherever_it_is(corpus, plant):
    """The recovery closes it where the rest of the file reads as valid (an unclosed <p> before a <closer>, a
    <persName> before the sender's <date>), so that nothing it swallowed is reported as a second mistake."""
    findings = _validate(corpus, SOURCES[plant.doc], [plant])
    assert len(findings) == 1 and _reports(findings[0], plant), _shown(findings)
    assert "the schemas accept the file with it at line" in findings[0].message, findings[0].message


def _slips_in_the_sender() -> list[planting.Plant]:
    """In every telegram: the sender's persName misspelled, its date in another namespace, type="sent" mistyped."""
    plants = []
    for source in SOURCES.values():
        sent = [s for s in source.named("correspAction") if s.element.get("type") == "sent"]
        if not source.name.startswith("tg-") or not sent:
            continue
        inside = lambda p, span=sent[0]: span.open <= p.site < span.close_end  # noqa: E731
        plants += [p for p in planting.misspell(source) if inside(p) and "persName" in p.what][:1]
        plants += [p for p in planting.wrong_namespace(source) if inside(p) and "<date>" in p.what][:1]
        plants += [p for p in planting.outside_closed_list(source) if inside(p)][:1]
    return plants


@pytest.mark.parametrize("plant", _slips_in_the_sender() if HAVE_CORPUS else [], ids=_plant_id)
def test_a_slip_in_the_sender_is_not_reported_again_as_a_missing_sender(corpus, plant):
    """The explainer reads a misspelled element or value as the one meant, and so do Schematron and the
    corpus checks: a telegram whose <persname> is misspelled still has a sender."""
    findings = _validate(corpus, SOURCES[plant.doc], [plant])
    assert len(findings) == 1 and _reports(findings[0], plant), _shown(findings)
    assert "did you mean" in findings[0].message or "namespace" in findings[0].message


def test_the_command_line_reports_planted_mistakes_at_their_lines(corpus):
    """The same through `telegrams validate --format json`: one mistake of four kinds, in four documents."""
    plants, documents = [], set()
    for kind in ("misspelled-element", "value-outside-list", "date-text-disagrees", "reference-to-missing-entry"):
        plant = next(p for p in SINGLE if p.kind == kind and p.doc.startswith("tg-") and p.doc not in documents)
        plants.append(plant)
        documents.add(plant.doc)
    for plant in plants:
        (corpus / plant.doc).write_text(planting.apply(SOURCES[plant.doc], [plant]), encoding="utf-8")
    try:
        result = subprocess.run([sys.executable, "-m", "telegrams", "validate", "--format", "json", "--no-cache",
                                 "--rng", str(RNG), "--sch", str(SCH)] + [str(corpus / p.doc) for p in plants],
                                capture_output=True, text=True, timeout=60)
    finally:
        for plant in plants:
            (corpus / plant.doc).write_text(SOURCES[plant.doc].text, encoding="utf-8")
    assert result.returncode == 1, result.stderr
    found = {Path(f["file"]).name: f for f in map(json.loads, result.stdout.splitlines())}
    assert len(found) == len(result.stdout.splitlines()) == len(plants), result.stdout
    for plant in plants:
        finding = found[plant.doc]
        assert (finding["line"], finding["column"]) == (plant.line, plant.column), (plant.what, finding)
        assert plant.accepts(finding["rule"]) and all(w in finding["message"] for w in plant.words), finding


def test_the_planted_mistakes_cover_every_kind_and_document():
    kinds = Counter(p.kind for p in SINGLE)
    assert len(SINGLE) >= 150, len(SINGLE)
    assert set(kinds) == set(planting.KINDS), set(planting.KINDS) - set(kinds)
    assert all(n >= 8 for n in kinds.values()), kinds
    assert {p.doc for p in SINGLE} == set(SOURCES)
    assert len({(p.doc, p.line, p.column) for p in SINGLE}) > 0.9 * len(SINGLE)  # varied places, not one spot
    assert len(SEVERAL) >= 20 and all(3 <= len(plants) <= 5 for _, plants in SEVERAL)
    assert sum(len(plants) for _, plants in SEVERAL) >= 80


def test_the_clean_corpus_copy_gives_no_finding(corpus):
    findings, checked, _ = validate([str(corpus)], options(rng=RNG, sch=SCH))
    assert checked == len(SOURCES) and findings == []
