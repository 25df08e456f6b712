"""The map/reduce form of validation (validate.distributed) finds exactly what `telegrams validate` finds."""

import argparse
import importlib.util
from pathlib import Path

import pytest

from telegrams.validate import command, distributed

from .bench_support import planted_corpus


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A small synthetic corpus with a mistake of every kind the generator plants."""
    tei, manifest = planted_corpus(tmp_path_factory, 11)
    assert {m["kind"] for m in manifest["mistakes"]} >= {"not-well-formed", "dangling-ref"}
    return tei, {Path(m["file"]).name for m in manifest["mistakes"]}


def _validate(tei: Path) -> list:
    options = argparse.Namespace(rng=command.DEFAULT_RNG, sch=command.DEFAULT_SCH, no_cache=True, jobs=1)
    findings, _, _ = command.validate([str(tei)], options)
    return sorted(set(findings))


def test_map_and_reduce_give_the_command_s_findings(planted):
    tei, mistaken = planted
    expected = _validate(tei)
    assert {f.rule for f in expected} >= {"well-formed", "pointer"}  # a map's finding and a reduce's
    assert mistaken <= {Path(f.file).name for f in expected}
    assert distributed.run([str(tei)]) == expected


@pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="dask is not installed (pip install dask)")
def test_a_dask_bag_job_gives_the_command_s_findings(planted):
    tei, _ = planted
    assert distributed.run([str(tei)], scheduler="synchronous", partitions=3) == _validate(tei)
