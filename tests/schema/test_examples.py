"""The worked examples (docs/examples/), the templates (tei/templates/) and the kinds of document: the examples are
marked as illustrations, one per kind, referenced by the guidelines, valid against tei_all; every kind named in
metadata/edition.toml is one the ODD allows. Their validity against the project schema is in test_odd.py."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from telegrams import project, xmlio

from .conftest import EXAMPLES, ODD, examples

TEI = "{%s}" % xmlio.TEI_NS
GUIDELINES = project.ROOT / "docs" / "encoding-guidelines.md"
TEMPLATES = sorted((project.TEI_DIR / "templates").glob("*.xml"))
NOT_CORRESPONDENCE = {"commentary", "introduction"}


def _kinds_in_odd() -> list[str]:
    """Return the closed list of text/@type from the ODD, in its order."""
    root = xmlio.parse(ODD).root
    spec = root.find(f".//{TEI}elementSpec[@ident='text']")
    return [item.get("ident") for item in spec.iterfind(f".//{TEI}attDef[@ident='type']//{TEI}valItem")]


def _kind(path: Path) -> str:
    return xmlio.parse(path).root.find(TEI + "text").get("type")


def test_there_are_examples():
    assert examples(), f"no worked examples in {EXAMPLES}"


def test_one_example_per_kind_of_correspondence():
    kinds = [_kind(path) for path in examples()]
    allowed = set(_kinds_in_odd()) - NOT_CORRESPONDENCE
    assert set(kinds) <= allowed, f"examples of kinds the ODD does not list as correspondence: {set(kinds) - allowed}"
    assert len(kinds) == len(set(kinds)), f"two examples of one kind: {kinds}"


@pytest.mark.parametrize("path", examples(), ids=lambda p: p.name)
def test_examples_say_they_are_illustrations(path):
    doc = xmlio.parse(path)
    title = doc.root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}titleStmt/{TEI}title[@type='main']")
    assert title is not None and title.text.startswith("Worked example (illustration)"), path.name
    body = "".join(doc.root.find(TEI + "text").itertext())
    assert "[example text]" in body, f"{path.name}: the invented text must read [example text]"


def test_guidelines_reference_every_example_and_only_existing_ones():
    text = GUIDELINES.read_text(encoding="utf-8")
    named = set(re.findall(r"docs/examples/([\w.-]+\.xml)", text))
    present = {path.name for path in examples()}
    assert present <= named, f"examples the guidelines do not present: {present - named}"
    assert named <= present, f"the guidelines name examples that do not exist: {named - present}"


def test_guidelines_list_the_kinds_of_the_odd():
    row = re.search(r"^\| `text/@type` \|(.*)\|$", GUIDELINES.read_text(encoding="utf-8"), re.MULTILINE)
    assert row, "the guidelines' table of values has no row for text/@type"
    assert re.findall(r"`([\w-]+)`", row.group(1)) == _kinds_in_odd()


def test_kinds_in_the_edition_metadata_are_kinds_of_the_odd():
    kinds = tomllib.loads((project.ROOT / "metadata" / "edition.toml").read_text(encoding="utf-8")).get("kinds", {})
    allowed = set(_kinds_in_odd())
    assert set(kinds) <= allowed, f"[kinds.*] the ODD does not allow: {set(kinds) - allowed}"
    for kind, labels in kinds.items():
        assert labels.get("label", "").strip() and labels.get("plural", "").strip(), f"[kinds.{kind}] needs label and plural"


@pytest.mark.parametrize("path", examples() + TEMPLATES, ids=lambda p: p.name)
def test_xml_model_instructions_point_to_the_schemas(path):
    doc = xmlio.parse(path)
    models = [pi for pi in doc.tree.xpath("/processing-instruction('xml-model')")]
    assert len(models) == 2, path.name
    for pi in models:
        target = (path.parent / pi.get("href")).resolve()
        assert target.is_file() and target.parent == project.SCHEMA_DIR.resolve(), f"{path.name}: {pi.get('href')}"


@pytest.mark.parametrize("path", examples() + TEMPLATES, ids=lambda p: p.name)
def test_examples_and_templates_are_valid_against_tei_all(tei_all, path):
    valid = tei_all.validate(xmlio.parse(path).tree)
    assert valid, "\n".join(f"{path.name}:{e.line}: {e.message}" for e in tei_all.error_log)
