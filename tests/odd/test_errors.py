"""Bad ODDs stop with `file:line:col: error: plain words` (exit 1) and overwrite nothing; the command's contract."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from telegrams.findings import FindingError
from telegrams.odd import compile_odd
from telegrams.odd.catalog import Catalog
from telegrams.odd.divergences import diverging_fixtures

from .oracle import FIXTURES, p5subset

# Bad ODDs, and the fixtures the official chain compiles into unusable schemas that we refuse (divergences.py).
ERRORS = sorted((FIXTURES / "errors").glob("*.odd")) + sorted(FIXTURES / f"{name}.odd" for name in diverging_fixtures())


def expectation(odd: Path) -> tuple[str, int]:
    """The message fragment and line announced by the fixture's first comment: <!-- expect LINE: fragment -->."""
    match = re.search(r"<!-- expect (\d+): (.*?) -->", odd.read_text())
    return match.group(2), int(match.group(1))


@pytest.mark.parametrize("odd", ERRORS, ids=[e.stem for e in ERRORS])
def test_bad_odd_is_an_error_with_its_place(odd):
    fragment, line = expectation(odd)
    with pytest.raises(FindingError) as caught:
        compile_odd(odd, p5subset(), [], Catalog())
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


def test_catalog_maps_a_url_to_a_local_grammar(tmp_path):
    """moduleRef/@url through a catalog given on the command line: compiled without the network, and the imported
    grammar's elements are in the schema; without the catalog, a clear error naming the URL."""
    url = "https://example.org/schemas/tiny.rng"
    (tmp_path / "tiny.rng").write_text(
        '<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://example.org/tiny">'
        '<start><ref name="tiny"/></start><define name="tiny"><element name="tiny"><text/></element></define>'
        '</grammar>')
    (tmp_path / "catalog.xml").write_text(
        '<!DOCTYPE catalog PUBLIC "-//OASIS//DTD Entity Resolution XML Catalog V1.0//EN" '
        '"http://www.oasis-open.org/committees/entity/release/1.0/catalog.dtd">'
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        f'<uri name="{url}" uri="tiny.rng"/></catalog>')
    odd = tmp_path / "tiny.odd"
    odd.write_text((FIXTURES / "errors" / "moduleref-url.odd").read_text().replace(
        "https://www.tei-c.org/release/xml/tei/Exemplars/its.rng", url).replace(
        '<schemaSpec ident="bad">', '<schemaSpec ident="tiny" start="TEI tiny">'))
    refused = run_schema(str(odd), "--out", str(tmp_path), "--p5", str(p5subset()))
    assert refused.returncode == 1 and url in refused.stderr and "catalog" in refused.stderr
    done = run_schema(str(odd), "--out", str(tmp_path), "--p5", str(p5subset()), "--catalog",
                      str(tmp_path / "catalog.xml"))
    assert done.returncode == 0, done.stderr
    rng = (tmp_path / "tiny.rng").read_text()
    assert '<element name="tiny">' in rng and 'ns="http://example.org/tiny"' in rng


def test_missing_p5subset_is_a_clear_error(tmp_path):
    result = run_schema(str(FIXTURES / "v24-override-delete.odd"), "--p5", str(tmp_path / "none.xml"))
    assert result.returncode == 2 and result.stderr.startswith("error: ")


def test_output_is_deterministic(tmp_path):
    odd = FIXTURES / "v29-expand-sequence.odd"
    for out in ("a", "b"):
        assert run_schema(str(odd), "--out", str(tmp_path / out), "--p5", str(p5subset())).returncode == 0
    for name in ("v29-expand-sequence.rng", "v29-expand-sequence.sch"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
