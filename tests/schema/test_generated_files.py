"""The committed schema/telegrams.rng, .sch and docs/schema/ are exactly what `make schema` writes."""

import subprocess
import sys

import pytest

from telegrams import project


def test_committed_schema_and_reference_are_up_to_date():
    if project.p5subset() is None:
        pytest.skip("p5subset.xml not found ($TEI_P5SUBSET or ../shared/tei/p5subset.xml): cannot recompile the ODD")
    result = subprocess.run([sys.executable, "-m", "telegrams", "schema", "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_generated_schemas_say_they_are_generated():
    for name in ("telegrams.rng", "telegrams.sch"):
        head = (project.SCHEMA_DIR / name).read_text(encoding="utf-8")[:400]
        assert "Generated" in head and "make schema" in head and "Do not edit" in head


def test_check_reports_a_stale_file(tmp_path, monkeypatch):
    if project.p5subset() is None:
        pytest.skip("p5subset.xml not found: cannot recompile the ODD")
    from telegrams.odd.command import outputs

    files = outputs(project.SCHEMA_DIR / "telegrams.odd", project.p5subset(), tmp_path, [])
    rng = tmp_path / "telegrams.rng"
    assert files[rng] == (project.SCHEMA_DIR / "telegrams.rng").read_bytes()
    result = subprocess.run([sys.executable, "-m", "telegrams", "schema", str(project.SCHEMA_DIR / "telegrams.odd"),
                             "--out", str(tmp_path), "--check"], capture_output=True, text=True)
    assert result.returncode == 1 and "out of date" in result.stderr
