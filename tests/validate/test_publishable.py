"""What the editions cannot publish is a `validate` finding too, decided by the same functions (telegrams.names):
reserved page names, ids that collapse to one page name, file names, files that resolve outside their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from telegrams import names, project
from telegrams.editions.text import build_texts
from telegrams.editions.transform import list_sources
from telegrams.validate import command

from .helpers import FIXTURES, options

TEMPLATE = (FIXTURES / "corpus" / "duplicate-id" / "tg-a.xml").read_text(encoding="utf-8")
PUBLISHING_RULES = {"page-name-reserved", "page-name-collision", "file-name", "file-outside-project"}


def write(folder: Path, doc_id: str, name: str | bytes | None = None) -> Path:
    """A document of the fixture schema whose xml:id is doc_id, in folder/NAME (default: doc_id.xml)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = TEMPLATE.replace("tg-a", doc_id).replace('xml:id="p1"', f'xml:id="{doc_id}_p1"')
    target = os.fsencode(folder) + b"/" + name if isinstance(name, bytes) else folder / (name or f"{doc_id}.xml")
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(text)
    return Path(os.fsdecode(target))


def found(folder: Path, **given) -> list:
    findings, _, _ = command.validate([str(folder)], options(paths=[str(folder)], **given))
    return sorted(f for f in findings if f.rule in PUBLISHING_RULES)


@pytest.mark.parametrize("reserved", sorted(names.RESERVED_PAGES - {names.REGISTERS_ID}))
def test_a_reserved_page_name_is_a_finding_at_the_root_id(tmp_path, reserved):
    write(tmp_path, "doc-a")
    path = write(tmp_path, reserved.capitalize())  # case does not save it: Index.html is index.html on some systems
    [finding] = found(tmp_path)
    assert (finding.file, finding.rule, finding.severity) == (str(path), "page-name-reserved", "error")
    assert (finding.line, finding.column) == (2, 42) and f"{reserved.capitalize()}.html" in finding.message


def test_only_the_first_registers_xml_may_be_called_registers(tmp_path):
    write(tmp_path / "a", "registers")  # the first in path order, as the editions take it
    second = write(tmp_path / "b", "registers")
    assert [(f.file, f.rule) for f in found(tmp_path)] == [(str(second), "page-name-reserved")]


def test_ids_that_differ_only_in_case_collide_at_the_later_file(tmp_path):
    first, later = write(tmp_path / "a", "Doc-A"), write(tmp_path / "b", "doc-a")
    write(tmp_path / "b", "doc-b")
    [finding] = found(tmp_path)
    assert (finding.file, finding.rule) == (str(later), "page-name-collision")
    assert str(first) in finding.message and "doc-a.html" in finding.message


def test_validate_and_the_editions_refuse_the_same_documents(tmp_path):
    corpus = tmp_path / "corpus"
    for doc_id in ("search", "tg-é", "tg-è", "tg-b", "Tg-B", "corpus", "tg-ж"):
        write(corpus, doc_id)
    refused = {f.file for f in build_texts([str(corpus)], tmp_path / "text").findings}
    flagged = {f.file for f in found(corpus)}
    assert flagged == refused and len(flagged) == 5, (flagged, refused)  # tg-é, tg-è and tg-ж all give tg.html


@pytest.mark.parametrize("name", [b"bad-\xff.xml", "esc-\x1b[31m.xml", "over-\u202e.xml", "a b.xml", "a#b.xml",
                                  "50%.xml", "nel-\x85.xml"])
def test_a_file_name_the_editions_cannot_publish_is_a_finding_and_not_read(tmp_path, name):
    write(tmp_path, "doc-a")
    bad = write(tmp_path, "doc-b", name.encode("utf-8") if isinstance(name, str) else name)
    with open(bad, "a", encoding="utf-8") as handle:
        handle.write("<unclosed>")  # were it read, this would be a well-formedness finding
    findings, checked, _ = command.validate([str(tmp_path)], options(paths=[str(tmp_path)]))
    assert [f.rule for f in findings] == ["file-name"] and checked == 2
    shown = str(findings[0])
    assert not [c for c in shown if names.unsafe_char(c)], "the name is printed escaped"
    assert "rename the file" in shown
    assert [f.rule for f in list_sources([str(tmp_path)])[1]] == ["file-name"], "the editions refuse it too"


def test_letters_of_any_script_make_a_good_file_name(tmp_path):
    for doc_id in ("a-ж", "b-电报", "c-é", "d_a.1"):
        write(tmp_path, doc_id)
    assert found(tmp_path) == []


def test_a_file_that_resolves_outside_its_folder_is_a_finding_and_not_read(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    write(corpus, "doc-a")
    secret = write(elsewhere, "secret")
    secret.write_text("<secret>a password</secret", encoding="utf-8")
    os.symlink(secret, corpus / "linked.xml")
    os.symlink(corpus / "doc-a.xml", corpus / "doc-a-again.xml")  # a link inside the folder is no escape
    findings, _, _ = command.validate([str(corpus)], options(paths=[str(corpus)]))
    outside = [f for f in findings if f.rule == "file-outside-project"]
    assert [f.file for f in outside] == [str(corpus / "linked.xml")] and str(secret) in outside[0].message
    assert not [f for f in findings if f.file == str(corpus / "linked.xml") and f.rule != "file-outside-project"]
    assert "password" not in " ".join(f.message for f in findings)


def test_a_linked_folder_on_the_way_out_is_seen(tmp_path):
    corpus, elsewhere = tmp_path / "corpus", tmp_path / "elsewhere"
    write(corpus, "doc-a")
    write(elsewhere, "doc-b")
    os.symlink(elsewhere, corpus / "sub")
    given = str(corpus / "sub" / "doc-b.xml")
    refused = names.escapes(given, [str(corpus)], {})
    assert refused == str(corpus)
    assert names.escapes(str(corpus / "doc-a.xml"), [str(corpus)], {}) is None


def test_another_projects_tei_is_not_held_to_the_editions_names(tmp_path):
    write(tmp_path, "persons")
    write(tmp_path, "doc-b", "doc b.xml")
    assert found(tmp_path, profile="tei", sch=None) == []
    assert {f.rule for f in found(tmp_path)} == {"page-name-reserved", "file-name"}


def test_every_rule_here_is_documented():
    documented = (project.ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert not [rule for rule in sorted(PUBLISHING_RULES | {"schematron-output"}) if f"| `{rule}` |" not in documented]


def test_the_language_server_reports_a_page_name_as_you_type(tmp_path):
    from telegrams.lsp.analysis import Workspace

    from .helpers import FIXTURE_RNG, FIXTURE_SCH

    workspace = Workspace(tmp_path)
    workspace.rng, workspace.sch = FIXTURE_RNG, FIXTURE_SCH
    saved = write(tmp_path / "tei", "Doc-A")  # first in path order: it keeps the page
    unsaved = tmp_path / "tei" / "doc-a.xml"
    text = saved.read_text(encoding="utf-8").replace('"Doc-A', '"doc-a')
    assert [f.rule for f in workspace.diagnose(str(unsaved), text) if f.rule in PUBLISHING_RULES] == \
        ["page-name-collision"]


def test_a_refused_document_takes_no_page_name(tmp_path):
    write(tmp_path / "a", "Registers")  # reserved, and so skipped: registers.xml after it is still the registers
    write(tmp_path / "b", "registers")
    assert [(f.file, f.rule) for f in found(tmp_path)] == [(str(tmp_path / "a" / "Registers.xml"),
                                                            "page-name-reserved")]
