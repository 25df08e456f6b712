"""Bad ODDs stop with `file:line:col: error: plain words` (exit 1) and overwrite nothing; the command's contract."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from telegrams.findings import FindingError
from telegrams.odd import compile_odd

from .oracle import FIXTURES, p5subset

ERRORS = sorted((FIXTURES / "errors").glob("*.odd"))


def expectation(odd: Path) -> tuple[str, int]:
    """The message fragment and line announced by the fixture's first comment: <!-- expect LINE: fragment -->."""
    match = re.search(r"<!-- expect (\d+): (.*?) -->", odd.read_text())
    return match.group(2), int(match.group(1))


@pytest.mark.parametrize("odd", ERRORS, ids=[e.stem for e in ERRORS])
def test_bad_odd_is_an_error_with_its_place(odd):
    fragment, line = expectation(odd)
    with pytest.raises(FindingError) as caught:
        compile_odd(odd, p5subset())
    finding = caught.value.finding
    assert fragment in finding.message
    assert (finding.file, finding.line) == (str(odd), line)
    assert finding.column > 0 or finding.line == 0


def run_schema(*args):
    return subprocess.run([sys.executable, "-m", "telegrams", "schema", *args], capture_output=True, text=True,
                          timeout=120)


def test_command_writes_rng_and_sch_and_check_sees_them(tmp_path):
    odd = FIXTURES / "v24-override-delete.odd"
    first = run_schema(str(odd), "--out", str(tmp_path), "--p5", str(p5subset()))
    assert first.returncode == 0, first.stderr
    rng, sch = tmp_path / "v24-override-delete.rng", tmp_path / "v24-override-delete.sch"
    assert b"Do not edit" in rng.read_bytes()[:400] and b"make schema" in sch.read_bytes()[:400]
    assert run_schema(str(odd), "--out", str(tmp_path), "--p5", str(p5subset()), "--check").returncode == 0
    rng.write_bytes(rng.read_bytes().replace(b"<empty/>", b"<empty/> ", 1))
    stale = run_schema(str(odd), "--out", str(tmp_path), "--p5", str(p5subset()), "--check")
    assert stale.returncode == 1 and "out of date" in stale.stderr


def test_command_error_leaves_outputs_untouched(tmp_path):
    bad = ERRORS[0]
    target = tmp_path / (bad.stem + ".rng")
    target.write_text("previous")
    result = run_schema(str(bad), "--out", str(tmp_path), "--p5", str(p5subset()))
    assert result.returncode == 1
    assert re.match(r"^\S+:\d+:\d+: error: ", result.stderr.splitlines()[-1])
    assert "Traceback" not in result.stderr
    assert target.read_text() == "previous"


def test_missing_p5subset_is_a_clear_error(tmp_path):
    result = run_schema(str(FIXTURES / "v24-override-delete.odd"), "--p5", str(tmp_path / "none.xml"))
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_output_is_deterministic(tmp_path):
    odd = FIXTURES / "v29-expand-sequence.odd"
    for out in ("a", "b"):
        assert run_schema(str(odd), "--out", str(tmp_path / out), "--p5", str(p5subset())).returncode == 0
    for name in ("v29-expand-sequence.rng", "v29-expand-sequence.sch"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
