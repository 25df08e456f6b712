"""Bad input is not packaged: a clear message, a non-zero exit, the previous package left as it was, and nothing
outside the output folder moved or deleted, whatever edition.toml says."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from telegrams.deposit.bag import files_of
from telegrams.deposit.build import DepositError
from telegrams.findings import FindingError

from .conftest import EPOCH, fill_metadata, touch_editions

BAD = Path(__file__).parent / "fixtures" / "bad" / "tg-1950-12-01-mao-stalin.xml"


def _break_a_pointer(project) -> Path:
    """Make one register pointer dangle in a copied document (well-formed and schema-valid; the corpus rules
    refuse it)."""
    for path in sorted(project.tei_dir.glob("*.xml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r'ref="registers\.xml#[^"]+"', text):
            path.write_text(re.sub(r'ref="registers\.xml#[^"]+"', 'ref="registers.xml#no-such-entry"', text, count=1),
                            encoding="utf-8")
            return path
    pytest.fail("no document points into the registers")


def test_invalid_corpus_is_not_packaged_and_old_package_stays(project, tmp_path, build_package):
    out = tmp_path / "out"
    good = build_package(project, out, EPOCH)
    before = files_of(good.bag_dir)
    shutil.copy(BAD, project.tei_dir)
    touch_editions(project)
    with pytest.raises(DepositError) as caught:
        build_package(project, out, EPOCH)
    assert {Path(f.file).name for f in caught.value.findings} == {BAD.name}
    assert files_of(good.bag_dir) == before
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [good.bag_dir.name, good.zip_path.name, good.zip_path.name + ".sha256"])


def test_a_corpus_that_validate_rejects_is_refused(project, tmp_path, build_package):
    broken = _break_a_pointer(project)
    touch_editions(project)
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    assert [f for f in caught.value.findings if Path(f.file).name == broken.name and f.line > 0]
    assert not (tmp_path / "out").exists()


def test_missing_and_stale_editions_are_named_with_the_command_to_run(project, tmp_path, build_package):
    (project.tei_dir / "registers.xml").touch()  # a source edited after the last `make html`
    os.utime(project.tei_dir / "registers.xml", (2**31, 2**31))
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    assert any("older than the TEI sources" in f.message for f in caught.value.findings)
    shutil.rmtree(project.html_dir)
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    assert any(f.file == str(project.html_dir) and "make html" in f.message for f in caught.value.findings)


@pytest.mark.parametrize("value", ["0.1.0/../../../victim", "../victim", "/tmp/victim", "..", "a\\b", "v\u202e1",
                                   "v\x1b[31m", ".hidden"])
def test_a_version_that_is_not_a_plain_name_is_refused_and_nothing_moves(project, tmp_path, build_package, value):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious\n")
    text = project.edition_file.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^version = ".*"$', lambda _: f"version = {json.dumps(value)}", text, count=1)
    project.edition_file.write_text(text, encoding="utf-8")  # a JSON string is a TOML basic string
    with pytest.raises(FindingError) as caught:
        build_package(project, tmp_path / "out" / "deep", EPOCH)
    assert "[edition] version" in caught.value.finding.message
    assert (victim / "keep.txt").read_text() == "precious\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["tei_dir", "html_dir", "root"])
def test_an_output_folder_among_the_sources_is_refused(project, build_package, where):
    out = project.tei_dir.parent if where == "root" else getattr(project, where) / "deposit"
    before = sorted(project.tei_dir.parent.rglob("*"))
    with pytest.raises(DepositError) as caught:
        build_package(project, out, EPOCH)
    assert "cannot put the package here" in caught.value.findings[0].message
    assert sorted(project.tei_dir.parent.rglob("*")) == before


def test_something_else_at_the_package_path_is_never_replaced(project, tmp_path, build_package):
    out = tmp_path / "out"
    target = out / "telegrams-edition-0.1.0"
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("mine\n")
    with pytest.raises(DepositError) as caught:
        build_package(project, out, EPOCH)
    assert "is not a package" in caught.value.findings[0].message
    assert (target / "notes.txt").read_text() == "mine\n"


@pytest.mark.parametrize("field", ["url", "email"])
def test_empty_url_or_email_is_refused_naming_the_field(project, tmp_path, build_package, field):
    from telegrams.project import ROOT

    filled = {"url": "https://edition.example.org/", "email": "editor@example.org"}
    filled[field] = ""
    fill_metadata(ROOT / "metadata" / "edition.toml", project.edition_file, **filled)
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    [finding] = caught.value.findings
    assert f"] {field} is empty" in finding.message and "CMIF" in finding.message


def test_disk_full_is_a_plain_message_and_the_old_package_stays(project, tmp_path, build_package, monkeypatch):
    import telegrams.deposit.build as build_module

    out = tmp_path / "out"
    good = build_package(project, out, EPOCH)
    before = files_of(good.bag_dir)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out / "x"))

    monkeypatch.setattr(build_module.shutil, "copyfile", full)
    with pytest.raises(DepositError) as caught:
        build_package(project, out, EPOCH)
    assert "No space left on device" in caught.value.findings[0].message
    assert files_of(good.bag_dir) == before
    assert not list(out.glob(".staging-*"))


def test_a_file_name_that_is_not_utf8_is_a_finding(project, tmp_path, build_package, capsys, monkeypatch):
    name = os.fsdecode(b"tg-\xff.xml")
    try:
        (project.tei_dir / name).write_bytes(BAD.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    [finding] = caught.value.findings
    assert "\\xff" in finding.file and "not UTF-8" in finding.message


@pytest.mark.parametrize("part", ["tei_dir", "html_dir"])
def test_a_symbolic_link_is_never_packaged(project, tmp_path, build_package, part):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for publication\n")
    os.symlink(outside, getattr(project, part) / "linked.xml")
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    [finding] = caught.value.findings
    assert finding.file.endswith("linked.xml") and "symbolic link" in finding.message


def test_a_control_character_in_a_file_name_is_a_finding(project, tmp_path, build_package):
    (project.text_dir / "a\x1b[31m.txt").write_text("x\n")
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    [finding] = caught.value.findings
    assert "\x1b" not in finding.file and "control" in finding.message


def test_command_line_prints_findings_without_traceback(project, tmp_path, capsys, monkeypatch):
    import telegrams.deposit.build as build_module
    from telegrams.cli import main

    shutil.copy(BAD, project.tei_dir)
    touch_editions(project)
    real_build = build_module.build
    monkeypatch.setattr(build_module, "build", lambda out_dir, make_zip: real_build(project, tmp_path / "out"))
    assert main(["deposit"]) == 1
    err = capsys.readouterr().err
    assert f"{BAD.name}:" in err and "error:" in err and "Traceback" not in err
    assert "not built" in err
    (project.tei_dir / BAD.name).unlink()
    assert main(["deposit"]) == 0
    err = capsys.readouterr().err
    assert "deposit: " in err and "bytes of payload" in err and "Traceback" not in err
    assert main(["deposit", "verify", str(next((tmp_path / "out").glob("*.zip")))]) == 0
    assert "valid bag" in capsys.readouterr().out
    assert main(["deposit", "build", "extra-path"]) == 2
    assert "takes no path" in capsys.readouterr().err


def test_terminal_output_escapes_control_characters(capsys):
    from telegrams.deposit.command import _say

    _say("tei/a\x1b[31mb\u202ec.xml: error: " + os.fsdecode(b"\xff"))
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "\\x1b[31m" in err and "\\u202e" in err and "\\xff" in err


def test_one_build_at_a_time_and_debris_of_killed_builds_removed(project, tmp_path, build_package):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    debris = out / ".staging-killed"
    (debris / "x").mkdir(parents=True)
    with open(out / ".deposit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(DepositError) as caught:
            build_package(project, out, EPOCH)
        assert "another deposit build" in caught.value.findings[0].message
        assert debris.exists()
    build_package(project, out, EPOCH)
    assert not debris.exists()
