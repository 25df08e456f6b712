"""Bad input is not packaged: a clear message, a non-zero exit, and the previous package left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from telegrams.deposit.bag import files_of
from telegrams.deposit.build import DepositError

EPOCH = "1700000000"
BAD = Path(__file__).parent / "fixtures" / "bad" / "tg-1950-12-01-mao-stalin.xml"


def _touch_editions(project):
    """Keep the editions newer than the sources, as a `make html text` after the change would."""
    for folder in (project.html_dir, project.text_dir):
        for path in folder.iterdir():
            path.touch()


def test_invalid_corpus_is_not_packaged_and_old_package_stays(project, tmp_path, build_package):
    out = tmp_path / "out"
    good = build_package(project, out, EPOCH)
    before = files_of(good.bag_dir)
    shutil.copy(BAD, project.tei_dir)
    _touch_editions(project)
    with pytest.raises(DepositError) as caught:
        build_package(project, out, EPOCH)
    [finding] = caught.value.findings
    assert finding.file.endswith("tg-1950-12-01-mao-stalin.xml") and finding.line == 8
    assert files_of(good.bag_dir) == before
    assert sorted(p.name for p in out.iterdir()) == [good.bag_dir.name, good.zip_path.name]


def test_missing_editions_are_named_with_the_command_to_run(project, tmp_path, build_package):
    shutil.rmtree(project.html_dir)
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    [finding] = caught.value.findings
    assert finding.file == str(project.html_dir) and "make html text" in finding.message
    assert not (tmp_path / "out").exists()


def test_stale_editions_are_refused(project, tmp_path, build_package):
    (project.tei_dir / "registers.xml").touch()  # a source edited after the last `make html text`
    with pytest.raises(DepositError) as caught:
        build_package(project, tmp_path / "out", EPOCH)
    assert any("older than the TEI sources" in f.message for f in caught.value.findings)


def test_command_line_prints_findings_without_traceback(project, tmp_path, capsys, monkeypatch):
    import telegrams.deposit.build as build_module
    from telegrams.cli import main

    shutil.copy(BAD, project.tei_dir)
    _touch_editions(project)
    real_build = build_module.build
    monkeypatch.setattr(build_module, "build", lambda out_dir, make_zip: real_build(project, tmp_path / "out"))
    assert main(["deposit"]) == 1
    err = capsys.readouterr().err
    assert "tg-1950-12-01-mao-stalin.xml:8:" in err and "error:" in err and "Traceback" not in err
    assert "not built" in err
    assert main(["deposit", "build", "extra-path"]) == 2
    assert "takes no path" in capsys.readouterr().err
