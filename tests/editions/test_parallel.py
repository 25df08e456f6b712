"""A pool of worker processes writes exactly the site and texts one process writes."""

from __future__ import annotations

import shutil

from telegrams import project
from telegrams.editions.passes import BATCH
from telegrams.editions.site import build_site
from telegrams.editions.text import build_texts


def files_of(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_two_workers_write_what_one_process_writes(tmp_path, telegram_copies):
    corpus = telegram_copies(tmp_path / "tei", 2 * BATCH + 3)  # enough for several batches in flight
    for source in project.TEI_DIR.glob("*.xml"):
        if source.name != "registers.xml":
            shutil.copy(source, corpus / source.name)
    built = {}
    for jobs in (1, 2):
        site = build_site([str(corpus)], tmp_path / f"html-{jobs}", search=False, jobs=jobs)
        texts = build_texts([str(corpus)], tmp_path / f"text-{jobs}", jobs=jobs)
        assert (site.jobs, texts.jobs) == (jobs, jobs)
        assert [f for f in site.findings + texts.findings if f.severity == "error"] == []
        built[jobs] = files_of(tmp_path / f"html-{jobs}"), files_of(tmp_path / f"text-{jobs}")
    assert built[1][0].keys() == built[2][0].keys() and built[1][1].keys() == built[2][1].keys()
    assert built[1] == built[2]
