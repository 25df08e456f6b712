"""Validation as a map over documents and a reduce over their facts, the shape a distributed engine runs.

`check_document` is the map: one file's bytes in, its findings and its facts out (layers 1-3 and the per-document
checks of layer 4), needing nothing but the schemas. `reduce_corpus` is the reduce: the checks across files
(`corpus.reduce`) over the maps' small facts, never the documents. `run` wires them either in this process or,
when given a Dask scheduler, as a `dask.bag` job (Dask is optional: nothing of the project needs it).
docs/scaling.md says how to run this on a cluster and what it gains.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import FindingError
from ..xmlio import read_bytes
from . import command


def check_document(path: str, rng: Path, sch: Path) -> tuple[str, list, dict | None, list]:
    """The map: (file, its findings, its facts or None, the schema findings) for one file, read where it runs."""
    try:
        data = read_bytes(path)
    except FindingError as err:
        return path, [err.finding], None, []
    # once per process: later calls find the schemas loaded (the edition's profile: all four layers)
    command._start(command.Layers(Path(rng), Path(sch), corpus=True, tei_root=True), None)
    findings, facts, schema_findings = command._check((path, data))
    return path, findings, facts, schema_findings


def reduce_corpus(results) -> list:
    """The reduce: every map's findings, the schema findings once, and the findings across files."""
    from . import corpus

    findings, facts, schema = [], {}, set()
    for path, found, fact, schema_findings in results:
        findings.extend(found)
        schema.update(schema_findings)
        if fact is not None:
            facts[path] = fact
    findings.extend(command._relative(f) for f in schema)
    findings.extend(corpus.reduce(facts, lambda path: command._facts_of(path, None)))
    return sorted(set(findings))


def run(paths: list[str], rng: Path = command.DEFAULT_RNG, sch: Path = command.DEFAULT_SCH,
        scheduler: str | None = None, partitions: int | None = None, workers: int | None = None) -> list:
    """Validate files (or folders) with no cache; with a Dask scheduler ("synchronous", "threads",
    "processes" or a distributed Client's), the maps run as a dask.bag job and only the reduce runs here."""
    files = command._files(paths)
    if scheduler is None:
        return reduce_corpus(check_document(path, rng, sch) for path in files)
    import dask.bag as bag  # optional: `pip install dask` (or dask[distributed] for a cluster)

    maps = bag.from_sequence(files, npartitions=partitions or max(1, min(len(files), 64)))
    options = {"num_workers": workers} if workers else {}
    return reduce_corpus(maps.map(check_document, rng, sch).compute(scheduler=scheduler, **options))
