"""The language server's view of the corpus: the files it lists, and the findings across files it gives a buffer.

Both are shortcuts for a large corpus (the listing kept while no folder changes; the reduce of one file's
questions only), so each is checked against the long way round.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from telegrams.lsp import analysis
from telegrams.lsp.analysis import Workspace
from telegrams.project import xml_files
from telegrams.validate import corpus, wellformed
from telegrams.xmlio import read_bytes

FIXTURES = Path(__file__).parents[1] / "validate" / "fixtures" / "corpus"
ACROSS = {"id-corpus", "page-name-collision", "register-unused"}


def _facts(path: str) -> dict | None:
    try:
        return corpus.facts(wellformed.load(path, read_bytes(path)))
    except Exception:  # noqa: BLE001 - a file that cannot be read has no facts, as for the server
        return None


@pytest.mark.parametrize("folder", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_one_files_findings_across_files_are_the_whole_reduces(folder):
    checked = {str(p.resolve()): _facts(str(p.resolve())) for p in xml_files(FIXTURES / folder)}
    checked = {name: fact for name, fact in checked.items() if fact is not None}
    whole = corpus.reduce(checked, _facts)
    for name in checked:
        expected = sorted(f for f in whole if f.file == name and f.rule in ACROSS)
        assert sorted(f for f in corpus.reduce_for(name, checked, _facts) if f.rule in ACROSS) == expected, name


def test_the_fixtures_hold_every_finding_across_files():
    """The test above can fail only if the fixtures give each rule it compares at least once."""
    found = set()
    for folder in (p for p in FIXTURES.iterdir() if p.is_dir()):
        checked = {str(p.resolve()): _facts(str(p.resolve())) for p in xml_files(folder)}
        found |= {f.rule for f in corpus.reduce({k: v for k, v in checked.items() if v}, _facts)}
    assert ACROSS <= found


def _project(tmp_path: Path) -> Path:
    (tmp_path / "tei").mkdir()
    shutil.copy(next(p for p in xml_files(FIXTURES / "clean")), tmp_path / "tei" / "tg-a.xml")
    return tmp_path


def _age(folder: Path) -> None:
    """Date a folder back, as if its last change were long past (its listing may then be kept)."""
    os.utime(folder, ns=(0, 1_000_000_000))


def test_a_kept_listing_sees_files_added_removed_and_in_new_folders(tmp_path):
    root = _project(tmp_path)
    tei = root / "tei"
    workspace = Workspace(root)
    names = lambda: [Path(p).name for p in workspace.corpus_files()]  # noqa: E731
    _age(tei)
    assert names() == ["tg-a.xml"]
    assert workspace._listing is not None, "a settled folder's listing is not kept"
    shutil.copy(tei / "tg-a.xml", tei / "tg-b.xml")
    assert names() == ["tg-a.xml", "tg-b.xml"]
    (tei / "tg-a.xml").unlink()
    _age(tei)
    assert names() == ["tg-b.xml"]
    (tei / "more").mkdir()
    _age(tei)
    assert names() == ["tg-b.xml"]
    shutil.copy(tei / "tg-b.xml", tei / "more" / "tg-c.xml")  # only the new folder's stamp changes
    assert sorted(names()) == ["tg-b.xml", "tg-c.xml"]


def test_a_folder_changed_just_now_is_listed_again_each_time(tmp_path, monkeypatch):
    root = _project(tmp_path)
    workspace = Workspace(root)
    monkeypatch.setattr(analysis, "SETTLED_NS", 10 ** 18)  # every stamp counts as too recent to trust
    assert [Path(p).name for p in workspace.corpus_files()] == ["tg-a.xml"]
    assert workspace._listing is None


def test_listed_files_are_real_paths(tmp_path):
    root = _project(tmp_path)
    (root / "tei" / "linked.xml").symlink_to(root / "tei" / "tg-a.xml")
    listed = Workspace(root).corpus_files()
    assert listed == [str((root / "tei" / "tg-a.xml").resolve())] * 2


def test_the_facts_validate_stored_serve_the_server_until_the_file_changes(tmp_path, monkeypatch):
    """Opening a buffer in a large corpus must not parse every file again when `telegrams validate` has just
    checked them all: the server reads their facts from validate's cache, and parses only a file changed since."""
    from telegrams.validate import cache, command
    from tests.validate.helpers import options

    root = _project(tmp_path)
    shutil.copytree(Path(__file__).parents[2] / "schema", root / "schema")
    monkeypatch.setattr(command, "CACHE_DIR", root / "build" / "cache")
    monkeypatch.setattr(cache, "_SETTLED_NS", 0)  # as if the files had been written long before
    given = options(paths=[str(root / "tei")], rng=root / "schema" / "telegrams.rng",
                    sch=root / "schema" / "telegrams.sch", no_cache=False)
    command.validate(given.paths, given)
    path = str((root / "tei" / "tg-a.xml").resolve())
    expected = _facts(path)
    parsed = []
    monkeypatch.setattr(wellformed, "load", lambda *args, load=wellformed.load: parsed.append(args[0]) or load(*args))

    assert Workspace(root)._disk_facts(path) == expected
    assert parsed == [], "a file validate had checked was parsed again"
    with open(path, "a", encoding="utf-8") as stream:
        stream.write("<!-- changed after the run -->\n")
    assert Workspace(root)._disk_facts(path) == expected  # the same facts: a comment was added
    assert parsed == [path], "a file changed after the run was not read again"
