"""What several bench tests share: a small synthetic corpus with planted mistakes."""

from pathlib import Path

import pytest

from telegrams.bench.generate import generate
from telegrams.validate import command

FIXTURES = Path(__file__).parent / "fixtures" / "tei"


def planted_corpus(tmp_path_factory, seed: int) -> tuple[Path, dict]:
    """Forty synthetic telegrams, a quarter of them with a planted mistake: their folder and generate's manifest.
    Skips when the edition's schemas are not built."""
    if not command.DEFAULT_RNG.is_file() or not command.DEFAULT_SCH.is_file():
        pytest.skip("schema/telegrams.rng or .sch not built (make schema)")
    out = tmp_path_factory.mktemp("planted") / "40"
    return out / "tei", generate(40, seed, out, FIXTURES, mistake_rate=0.25)
