"""Shared helpers of the validator's tests: the fixture schema, the expectations stored with each fixture."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
FIXTURE_RNG = HERE / "schema" / "fixture.rng"
FIXTURE_SCH = HERE / "schema" / "fixture.isosch"
_EXPECT = re.compile(r"expect:([^\n]*?)(?:-->|\n|$)")


def options(**given) -> argparse.Namespace:
    """Command-line options as `telegrams validate` would get them: the fixture schemas with every layer of the
    edition profile, no cache."""
    values = dict(paths=[], rng=FIXTURE_RNG, sch=FIXTURE_SCH, profile="edition", no_sch=False, no_corpus=False,
                  format="human", quiet=False, verbose=False, no_cache=True, jobs=1, watch=False)
    values.update(given)
    return argparse.Namespace(**values)


def expectations(source: Path) -> set[tuple]:
    """Return the findings a fixture expects: {(file name or None, line, column, rule)}.

    Read from a sidecar `NAME.expected` (or `expected` in a corpus folder) when there is one, else from the
    fixture's own `<!-- expect: LINE:COL RULE; ... -->` comment. Entries are separated by ';'; in a corpus
    folder each entry starts with the file's name.
    """
    sidecar = source / "expected" if source.is_dir() else source.with_suffix(".expected")
    text = sidecar.read_text(encoding="utf-8") if sidecar.exists() else source.read_bytes().decode("utf-8", "replace")
    match = _EXPECT.search(text)
    assert match, f"{source} states no expected findings"
    found = set()
    for entry in filter(None, (e.strip() for e in match[1].split(";"))):
        parts = entry.split()
        file = parts.pop(0) if source.is_dir() else None
        line, column = parts[0].split(":")
        found.add((file, int(line), int(column), parts[1]))
    return found


