"""`validate` for any TEI project: profiles and switches, any root the schema allows, a non-RELAX NG file given as
--rng, and Schematron run in a sandbox."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from telegrams.validate import command

from .helpers import FIXTURE_RNG, FIXTURE_SCH, FIXTURES, options

VALID = next(p for p in sorted((FIXTURES / "valid").glob("*.xml")) if ' when="' in p.read_text(encoding="utf-8"))
ODD = Path(__file__).parent / "schema" / "fixture.odd"


def _rules(paths, **given) -> list[str]:
    findings = command.validate([str(p) for p in paths], options(**given))[0]
    return sorted(f.rule for f in findings)


def test_a_foreign_schema_alone_turns_the_edition_layers_off(tmp_path):
    renamed = tmp_path / "another-name.xml"  # the edition requires the root's xml:id to be the file name
    shutil.copy(VALID, renamed)  # ... and its pointers into registers.xml to resolve
    assert {"id-filename", "pointer"} <= set(_rules([renamed]))  # the edition profile (the helper's default)
    assert _rules([renamed], profile=None, sch=None) == []  # --rng of another project: its own checks only
    assert _rules([renamed], profile="tei", sch=None) == []
    assert _rules([renamed], no_corpus=True) == []


def test_the_schematron_layer_runs_with_the_tei_profile_only_when_given():
    broken = FIXTURES / "invalid" / "multi-every-layer.xml"  # holds a date that only Schematron refuses
    assert "sch:date-date-needs-when" in _rules([broken])
    assert "sch:date-date-needs-when" not in _rules([broken], profile="tei", sch=None)
    assert "sch:date-date-needs-when" in _rules([broken], profile="tei", sch=FIXTURE_SCH)
    assert "sch:date-date-needs-when" not in _rules([broken], profile="edition", no_sch=True)


def test_the_profile_resolves_from_the_schema_given():
    edition = command.layers(options(rng=None, sch=None, profile=None))
    foreign = command.layers(options(rng=FIXTURE_RNG, sch=None, profile=None))
    assert edition.corpus and edition.tei_root and edition.sch == command.DEFAULT_SCH
    assert not foreign.corpus and not foreign.tei_root and foreign.sch is None


def test_any_root_the_schema_allows(tmp_path):
    schema = tmp_path / "s.rng"
    schema.write_text('<grammar xmlns="http://relaxng.org/ns/structure/1.0"><start><element name="record">'
                      '<text/></element></start></grammar>', encoding="utf-8")
    doc = tmp_path / "r.xml"
    doc.write_text("<record>a record</record>", encoding="utf-8")
    assert _rules([doc], rng=schema, sch=None, profile=None) == []
    assert _rules([doc], rng=schema, sch=None, profile="edition", no_corpus=True) == ["tei-root"]


def test_an_odd_given_as_relaxng_is_named(capsys):
    findings = command.validate([str(VALID)], options(rng=ODD, sch=None, profile="tei"))[0]
    kinds = [f for f in findings if f.rule == "schema-kind"]
    assert len(kinds) == 1 and kinds[0].line > 0 and "ODD" in kinds[0].message and "telegrams schema" in kinds[0].message
    assert command.run(options(paths=[str(VALID)], rng=FIXTURE_SCH, sch=None, profile="tei")) == 1
    assert "give it with --sch" in capsys.readouterr().out


def _schematron(tmp_path, test: str, message: str) -> Path:
    path = tmp_path / "prying.sch"
    path.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><pattern id="p">'
                    f'<rule context="/*"><report test="{test}">{message}</report></rule></pattern></schema>',
                    encoding="utf-8")
    return path


def _messages(tmp_path, test: str, message: str) -> list[str]:
    schema = _schematron(tmp_path, test, message)
    findings = command.validate([str(VALID)], options(sch=schema, profile="tei"))[0]
    return [f"{f.rule}: {f.message}" for f in findings]


def test_schematron_cannot_read_files_or_urls(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    uri = secret.as_uri()
    for reader in (f"unparsed-text('{uri}')", f"string(doc('{uri}'))", f"string(document('{uri}'))",
                   f"count(collection('{tmp_path.as_uri()}'))", "unparsed-text('http://127.0.0.1:9/x')"):
        said = _messages(tmp_path, "true()", f'read: <value-of xmlns="http://purl.oclc.org/dsdl/schematron" '
                                             f'select="{reader}"/>')
        assert not any("SECRET-CONTENT" in m for m in said), reader
        assert any(m.startswith("schematron-runtime:") for m in said), (reader, said)
    assert _messages(tmp_path, f"unparsed-text-available('{uri}') or doc-available('{uri}')", "readable") == []


def test_schematron_cannot_read_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TELEGRAMS_SANDBOX_PROBE", "ENV-CONTENT")
    assert os.environ["TELEGRAMS_SANDBOX_PROBE"] == "ENV-CONTENT"
    said = _messages(tmp_path, "exists(environment-variable('TELEGRAMS_SANDBOX_PROBE')) or "
                               "exists(available-environment-variables())", "the environment is visible")
    assert said == []


def test_a_schematron_failure_on_an_invalid_document_is_no_second_error(tmp_path):
    schema = _schematron(tmp_path, "string((/*/@*, /*/@*)) = 'x'", "never")  # two items for string(): it fails
    invalid = tmp_path / "invalid.xml"
    invalid.write_text(VALID.read_text(encoding="utf-8").replace("<TEI ", '<TEI bogus="1" ', 1), encoding="utf-8")
    for path, severity in ((VALID, "error"), (invalid, "info")):
        findings = command.validate([str(path)], options(sch=schema, profile="tei"))[0]
        runtime = [f for f in findings if f.rule == "schematron-runtime"]
        assert len(runtime) == 1 and runtime[0].severity == severity, findings
