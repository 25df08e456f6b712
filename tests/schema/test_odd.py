"""The ODD against the corpus: it is a TEI document, it allows exactly what the corpus uses, the corpus is valid
against what it compiles to (official chain), and each tightening rejects what it is meant to reject."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from telegrams import xmlio

from .conftest import FIXTURES, ODD, corpus_templates_and_examples

TEI = "{%s}" % xmlio.TEI_NS
SCH = "{http://purl.oclc.org/dsdl/schematron}"
INVALID = sorted((FIXTURES / "invalid").glob("*.xml"))


def _used_elements() -> dict[str, str]:
    """Return {element name: first file using it} for the TEI elements of the corpus, templates and examples."""
    used: dict[str, str] = {}
    for path in corpus_templates_and_examples():
        for element in xmlio.parse(path).root.iter(TEI + "*"):
            used.setdefault(etree.QName(element).localname, path.name)
    return used


def _expectation(path: Path) -> list[str]:
    match = re.search(r"<!-- expect: ([^>]*?) -->", path.read_text(encoding="utf-8"))
    assert match, f"{path.name} has no <!-- expect: ... --> comment"
    return match.group(1).split()


def test_odd_is_a_tei_customization():
    doc = xmlio.parse(ODD)
    xmlio.require_tei(doc)
    root = doc.root
    assert root.get("{%s}lang" % xmlio.XML_NS) == "en", "the Schematron extraction keeps only English constraints"
    specs = root.findall(f".//{TEI}schemaSpec")
    assert len(specs) == 1 and specs[0].get("ident") == "telegrams" and specs[0].get("start") == "TEI teiCorpus"
    assert root.find(f"{TEI}text/{TEI}body/{TEI}div/{TEI}p") is not None, "the ODD documents its rules in prose"
    constraints = root.findall(f".//{TEI}constraintSpec")
    assert len(constraints) >= 10
    for spec in constraints:
        assert spec.get("scheme") == "schematron", spec.get("ident")
        assert spec.find(TEI + "desc") is not None, f"{spec.get('ident')} has no desc"
        tests = list(spec.iter(SCH + "assert", SCH + "report"))
        assert tests and all(t.get("role") in ("error", "warning") for t in tests), spec.get("ident")
        assert all(len(" ".join(t.itertext()).split()) >= 12 for t in tests), f"{spec.get('ident')}: terse message"


def test_every_element_of_the_corpus_is_declared(compiled_tree):
    declared = {e.get("ident") for e in compiled_tree.iter(TEI + "elementSpec")}
    missing = {name: file for name, file in _used_elements().items() if name not in declared}
    assert not missing, f"elements used in tei/ but not allowed by the ODD: {missing}"


# Elements the pipeline writes rather than the editors: the deposit's teiCorpus of the whole edition.
GENERATED_ONLY = {"teiCorpus"}


def test_every_declared_element_is_used(compiled_tree):
    declared = {e.get("ident") for e in compiled_tree.iter(TEI + "elementSpec")}
    unused = sorted(declared - set(_used_elements()) - GENERATED_ONLY)
    assert not unused, f"the ODD allows elements the corpus never uses (drop them from the @include lists): {unused}"


@pytest.mark.parametrize("path", corpus_templates_and_examples(), ids=lambda p: p.name)
def test_corpus_is_valid_against_the_official_rng(rng, path):
    valid = rng.validate(etree.parse(str(path)))
    assert valid, "\n".join(f"{path.name}:{e.line}: {e.message}" for e in rng.error_log)


@pytest.mark.parametrize("path", corpus_templates_and_examples(), ids=lambda p: p.name)
def test_corpus_has_no_schematron_errors(schematron, path):
    errors = [f for f in schematron.check(path) if f.role == "error"]
    assert not errors, "\n".join(f"{path.name}: {f.path}: {f.message}" for f in errors)


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.xml")), ids=lambda p: p.stem)
def test_valid_fixture_passes_everything(rng, schematron, path):
    assert rng.validate(etree.parse(str(path))), str(rng.error_log)
    assert schematron.check(path) == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_each_tightening_rejects_its_fixture(rng, schematron, path):
    expectation = _expectation(path)
    valid = rng.validate(etree.parse(str(path)))
    if expectation[0] == "rng":
        assert not valid, f"{path.name} should be invalid against the RNG"
        return
    assert valid, f"{path.name} should pass the RNG and fail only the Schematron: {rng.error_log}"
    rule, role = expectation[1], expectation[2]
    findings = schematron.check(path)
    fired = {(f.pattern.rsplit("-", 1)[0].endswith(rule), f.role) for f in findings}
    assert (True, role) in fired, f"{path.name}: rule {rule} ({role}) did not fire; findings: {findings}"
    others = [f for f in findings if not f.pattern.rsplit("-", 1)[0].endswith(rule)]
    assert not others, f"{path.name}: other rules fired too: {others}"
    assert all(len(f.message.split()) >= 12 for f in findings)


def test_every_project_rule_is_documented_in_validation_md():
    documented = (ODD.parents[1] / "docs" / "validation.md").read_text(encoding="utf-8")
    rules = [spec.get("ident") for spec in xmlio.parse(ODD).root.iter(TEI + "constraintSpec")]
    missing = [rule for rule in rules if f"`sch:{rule}`" not in documented]
    assert not missing, f"Schematron rules of the ODD without an entry in docs/validation.md: {missing}"
