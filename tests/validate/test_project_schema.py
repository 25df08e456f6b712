"""Against the project's own compiled schema (schema/telegrams.rng and .sch), once the ODD helper has built it.

The fixtures' exact expectations are written against the fixture schema; under the project schema every
fixture with a mistake must still be caught, and the real corpus must be checked without the validator failing.
"""

from __future__ import annotations

import pytest

from telegrams.project import SCHEMA_DIR, TEI_DIR
from telegrams.validate.command import validate

from .helpers import FIXTURES, expectations, options

RNG, SCH = SCHEMA_DIR / "telegrams.rng", SCHEMA_DIR / "telegrams.sch"
needs_schema = pytest.mark.skipif(not (RNG.is_file() and SCH.is_file()),
                                  reason="schema/telegrams.rng and .sch are not built yet (make schema)")
INVALID = sorted(p for p in (FIXTURES / "invalid").glob("*.xml") if p.name != "registers.xml")


@needs_schema
@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_every_mistake_is_still_caught_by_the_project_schema(fixture):
    findings, _, _ = validate([str(fixture)], options(rng=RNG, sch=SCH))
    assert not [f for f in findings if f.rule in ("schema-broken", "schematron-runtime")]
    wanted_errors = any(rule != "sch:persName-name-needs-ref" and "range-order" not in rule
                        for *_, rule in expectations(fixture))
    if wanted_errors:
        assert any(f.severity == "error" for f in findings), fixture.name


@needs_schema
def test_the_corpus_is_checked_without_the_validator_failing():
    findings, checked, _ = validate([str(TEI_DIR)], options(rng=RNG, sch=SCH))
    assert checked >= 1
    assert not [f for f in findings if f.rule in ("schema-missing", "schema-broken", "schematron-runtime")]
    assert all(f.line > 0 for f in findings if f.rule not in ("io",)), findings
