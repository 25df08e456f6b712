"""Fixtures of the corpus tests: the seed transcriptions and tei_all, both shared material a clone may lack."""

from __future__ import annotations

import time

import pytest

from telegrams.project import shared_dir


@pytest.fixture(scope="session")
def seeds_dir():
    """Return ../shared/seeds, or skip: the seeds are shared material a fresh clone does not have."""
    shared = shared_dir()
    if shared is None or not (shared / "seeds").is_dir():
        pytest.skip("the source seeds (../shared/seeds or $TELEGRAMS_SHARED/seeds) are not available")
    return shared / "seeds"


@pytest.fixture(scope="session")
def tei_all():
    """Return TEI's own tei_all RELAX NG, loaded once (about 13 s), or skip where ../shared is absent."""
    from lxml import etree

    shared = shared_dir()
    schema = shared / "tei" / "reference" / "tei_all.rng" if shared else None
    if schema is None or not schema.is_file():
        pytest.skip("tei_all.rng (../shared/tei/reference or $TELEGRAMS_SHARED/tei/reference) is not available")
    started = time.perf_counter()
    rng = etree.RelaxNG(file=str(schema))
    print(f"tei_all.rng loaded in {time.perf_counter() - started:.1f} s")
    return rng
