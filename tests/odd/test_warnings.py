"""What the official chain accepts silently, ours accepts too but says, at the line: every fixture's
`<!-- warn LINE: fragment -->` comment must be matched by a warning at that line of that file, and no fixture without
such comments may warn (a warning that fires everywhere would tell nobody anything)."""

from __future__ import annotations

import re
import shutil

import pytest

from telegrams.findings import FindingError
from telegrams.odd import compile_odd
from telegrams.odd.catalog import Catalog

from .oracle import FIXTURES, p5subset

CASES = sorted(FIXTURES.glob("*.odd"))


def announced(odd) -> list[tuple[int, str]]:
    return [(int(line), text) for line, text in re.findall(r"<!-- warn (\d+): (.*?) -->", odd.read_text())]


def warnings_of(odd, catalog=None) -> list:
    found: list = []
    try:
        compile_odd(odd, p5subset(), found, catalog or Catalog())
    except FindingError:
        return []  # refused fixtures are the business of test_errors
    return found


@pytest.mark.parametrize("odd", CASES, ids=[c.stem for c in CASES])
def test_announced_warnings_and_no_others(odd):
    found = warnings_of(odd)
    expected = announced(odd)
    for line, fragment in expected:
        assert any(w.line == line and w.file == str(odd) and fragment in w.message for w in found), \
            f"no warning at line {line} containing {fragment!r}; got: {[str(w) for w in found]}"
    if not expected:
        assert not found, [str(w) for w in found]
    assert all(w.severity == "warning" and w.column > 0 for w in found)


def test_every_dangling_kind_is_covered():
    kinds = {re.match(r"<(?:rng:)?(\w+)", text).group(1) for _, text in announced(FIXTURES / "dangling-refs.odd")}
    assert kinds == {"memberOf", "elementRef", "classRef", "macroRef", "ref", "dataRef"}


def test_a_warning_inside_an_xincluded_file_names_that_file(tmp_path):
    shutil.copy(FIXTURES / "xinclude" / "main.odd", tmp_path / "main.odd")
    (tmp_path / "parts").mkdir()
    part = (FIXTURES / "xinclude" / "parts" / "changes.xml").read_text()
    (tmp_path / "parts" / "changes.xml").write_text(part.replace('<memberOf key="model.pLike"/>',
                                                                 '<memberOf key="model.nosuchLike"/>'))
    found = warnings_of(tmp_path / "main.odd")
    assert [(w.file, w.line) for w in found if "model.nosuchLike" in w.message] == \
        [(str(tmp_path / "parts" / "changes.xml"), 3)]
