"""`telegrams validate` as a command: exit status, output formats, the cache, start-up without saxonche."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from telegrams.validate import command, report

from .helpers import FIXTURE_RNG, FIXTURE_SCH, FIXTURES, options

VALID = FIXTURES / "valid"
BROKEN = FIXTURES / "invalid" / "multi-body.xml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(command, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache"


def run(capsys, paths, **given) -> tuple[int, str, str]:
    status = command.run(options(paths=[str(p) for p in paths], **given))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_exit_status_is_0_when_clean_and_1_on_errors(capsys):
    assert run(capsys, [VALID])[0] == 0
    assert run(capsys, [BROKEN])[0] == 1


def test_warnings_alone_do_not_fail(capsys):
    status, out, _ = run(capsys, [FIXTURES / "invalid" / "range-without-cert.xml"])
    assert status == 0 and "warning" in out and "0 errors, 1 warning" in out


def test_wrong_usage_exits_2():
    result = subprocess.run([sys.executable, "-m", "telegrams", "validate", "--format", "xml"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_human_output_is_grouped_by_file_and_ends_with_a_summary(capsys):
    status, out, _ = run(capsys, [BROKEN, FIXTURES / "hostile" / "binary.xml"])
    lines = out.splitlines()
    assert lines[0] == str(FIXTURES / "hostile" / "binary.xml")
    assert lines[1].strip().startswith(f"{FIXTURES / 'hostile' / 'binary.xml'}:1:1: error:")
    assert str(BROKEN) in lines
    assert "\033[" not in out  # not a terminal: no colour
    assert lines[-1].startswith("2 files checked, 5 errors, 0 warnings in ")


def test_json_is_one_object_per_finding_with_the_documented_keys(capsys):
    status, out, err = run(capsys, [BROKEN], format="json")
    objects = [json.loads(line) for line in out.splitlines()]
    assert len(objects) == 4
    for item in objects:
        assert list(item) == ["file", "line", "column", "severity", "rule", "message", "expected"]
        assert isinstance(item["line"], int) and item["severity"] in ("error", "warning", "info")
    assert "1 file checked" in err  # the summary stays off stdout


def test_github_annotations(capsys):
    status, out, _ = run(capsys, [BROKEN], format="github")
    first = out.splitlines()[0]
    assert first.startswith(f"::error file={BROKEN},line=50,col=9,title=rng")
    assert "::element <head>" in first or "::" in first.split("title=")[1]


def test_github_escapes_newlines_and_separators():
    from io import StringIO

    from telegrams.findings import Finding

    out = StringIO()
    report.github([Finding("a,b.xml", 3, 4, "warning", "r:1", "two\nlines 100%")], out)
    assert out.getvalue() == "::warning file=a%2Cb.xml,line=3,col=4,title=r%3A1::two%0Alines 100%25\n"


def test_quiet_prints_only_the_summary(capsys):
    status, out, _ = run(capsys, [BROKEN], quiet=True)
    assert status == 1 and out.count("\n") == 1 and out.startswith("1 file checked, 4 errors")


def test_unreadable_paths_are_findings_not_tracebacks(capsys, tmp_path):
    status, out, _ = run(capsys, [tmp_path / "absent.xml", "https://example.org/tg.xml"])
    assert status == 1 and "no such file" in out and "never fetches" in out


def test_a_missing_schema_is_one_finding(capsys, tmp_path):
    status, out, _ = run(capsys, [VALID], rng=tmp_path / "none.rng")
    assert status == 1 and out.count("[schema-missing]") == 1


def test_unchanged_files_come_from_the_cache(cache_dir, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "corpus" / "unused-entry-and-missing-target", corpus)
    given = options(paths=[str(corpus)], no_cache=False)
    cold = command.validate(given.paths, given)
    warm = command.validate(given.paths, given)
    assert cold[2] == 0 and warm[2] == 3
    assert sorted(cold[0]) == sorted(warm[0]) and len(cold[0]) == 2
    # mend the pointer: one file is checked again, and the reduce across files sees the change
    target = corpus / "tg-b.xml"
    target.write_text(target.read_text().replace("#a-p2", "#a-p1"))
    mended = command.validate(given.paths, given)
    assert mended[2] == 2 and [f.rule for f in mended[0]] == ["register-unused"]


def test_a_changed_schema_empties_the_cache(cache_dir, tmp_path):
    schema = tmp_path / "fixture.isosch"
    shutil.copy(FIXTURE_SCH, schema)
    given = options(paths=[str(VALID)], no_cache=False, sch=schema)
    command.validate(given.paths, given)
    assert command.validate(given.paths, given)[2] == 2
    schema.write_text(schema.read_text() + "<!-- edited -->\n")
    assert command.validate(given.paths, given)[2] == 0


def test_a_run_from_the_cache_does_not_load_saxon(tmp_path):
    env = dict(os.environ, TELEGRAMS_ROOT=str(tmp_path))
    code = ("import sys; from telegrams.cli import main; "
            f"status = main(['validate', '-q', '--rng', {str(FIXTURE_RNG)!r}, '--sch', {str(FIXTURE_SCH)!r}, "
            f"{str(VALID)!r}]); print(status, 'saxonche' in sys.modules, 'lxml.etree' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert first.stdout.split()[-3:] == ["0", "True", "True"], first.stderr
    assert second.stdout.split()[-3:] == ["0", "False", "True"], second.stderr
    assert "2 unchanged, from cache" in second.stdout


def test_a_process_pool_gives_the_same_findings(tmp_path):
    files = sorted((FIXTURES / "invalid").glob("multi-*.xml"))
    serial = command.validate([str(p) for p in files], options(jobs=1))[0]
    pooled = command.validate([str(p) for p in files], options(jobs=2))[0]
    assert sorted(serial) == sorted(pooled) and len(serial) >= 15


def test_a_run_makes_no_full_collections_and_leaves_collection_as_it_was(monkeypatch):
    """The long-lived tables of a run are not walked by full collections while it checks; a process that goes on
    (the watch mode, the language server) collects as before once the run is over."""
    import gc

    during = []
    checking = command._check_chunk
    monkeypatch.setattr(command, "_check_chunk", lambda items: during.append(gc.get_threshold()) or checking(items))
    before = gc.get_threshold()
    command.validate([str(VALID)], options(jobs=1))
    assert during and all(thresholds[2] > 10 ** 6 for thresholds in during)
    assert gc.get_threshold() == before


def test_the_files_listed(tmp_path, monkeypatch):
    """*.xml in path order, not under templates/ nor through a linked folder; files given are kept; URLs as given."""
    for name in ["b.xml", "a.xml", ".hidden.xml", "notes.txt", "sub/z.xml", "sub/deeper/a.xml", "sub-a/x.xml",
                 "templates/t.xml", "sub/templates/t.xml", "dir.xml/inner.xml", "A.xml", "a.XML"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<TEI/>")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.xml").write_text("<TEI/>")
    (tmp_path / "linked").symlink_to(tmp_path / "outside")
    (tmp_path / "link.xml").symlink_to(tmp_path / "a.xml")
    given = [str(tmp_path), str(tmp_path / "sub"), str(tmp_path / "a.xml"), str(tmp_path / "sub//z.xml"),
             "https://example.org//x.xml"]
    everything = [".hidden.xml", "A.xml", "a.xml", "b.xml", "dir.xml", "dir.xml/inner.xml", "link.xml",
                  "outside/o.xml", "sub/deeper/a.xml", "sub/z.xml", "sub-a/x.xml"]
    expected = [str(tmp_path / n) for n in everything + ["sub/deeper/a.xml", "sub/z.xml", "a.xml", "sub/z.xml"]]
    assert command._files(given) == expected + ["https://example.org//x.xml"]
    monkeypatch.chdir(tmp_path)
    assert command._files(["."]) == everything
    assert command._files(["sub/"]) == ["sub/deeper/a.xml", "sub/z.xml"]
    assert command._files(["./sub", "b.xml"]) == ["sub/deeper/a.xml", "sub/z.xml", "b.xml"]


def test_progress_bar_only_on_a_terminal():
    from io import StringIO

    silent = StringIO()
    bar = report.Progress(30, silent, enabled=False)
    for _ in range(30):
        bar.step()
    assert silent.getvalue() == ""
    shown = StringIO()
    bar = report.Progress(30, shown, enabled=True)
    for _ in range(30):
        bar.step()
    assert "30/30 checked" in shown.getvalue()


def test_huge_files_and_pipes_are_refused_without_reading_them(capsys, tmp_path):
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:  # sparse: costs no disk
        handle.truncate(64 * 1024 * 1024)
    pipe = tmp_path / "pipe.xml"
    os.mkfifo(pipe)
    status, out, _ = run(capsys, [huge, pipe])
    assert status == 1 and "too large" in out and "not a regular file" in out
    assert out.count("[io]") == 2


def test_a_bug_in_a_check_is_a_finding_and_the_other_files_are_still_checked(capsys, monkeypatch):
    from telegrams.validate import corpus

    real = corpus.document_findings
    monkeypatch.setattr(corpus, "document_findings",
                        lambda doc: real(doc) if "registers" in doc.name else {}["boom"])
    status, out, _ = run(capsys, [VALID])
    assert status == 1 and out.count("[internal]") == 1 and "KeyError" in out
