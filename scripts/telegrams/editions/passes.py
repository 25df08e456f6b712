"""The two passes over the documents: one document at a time, in this process or in a pool of worker processes.

First pass (`study`): parse a document, run facts.xsl (its catalogue record and register mentions) and text.xsl
(its plain text). Second pass (`render`): parse it again and run telegram.xsl, which reads the catalogue built in
between. A worker compiles its stylesheets once, keeps nothing of a document after returning its results, and never
writes: the parent writes every file, in corpus order, so the first of two documents with the same id wins.

SaxonC cannot be shared between processes, so workers are spawned (not forked) and each builds its own processor.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import xmlio
from ..findings import Finding, FindingError
from .catalogue import Facts, read_facts
from .wrap import wrap_text
from .transform import Source, Transformer, load_source

# Below this many documents a pool costs more than it saves: each worker starts Python and compiles the stylesheets
# (about 0.7 s), while a document takes a few milliseconds (measured in docs/benchmarks.md).
PARALLEL_FROM = 300
BATCH = 20  # documents per task sent to a worker: large enough to amortize the hand-over, small enough to balance


@dataclass
class Setup:
    """What a worker needs for a pass, sent once to each worker: stylesheets to compile and the run's parameters."""

    stylesheets: list[str]
    registers_text: str | None = None  # registers.xml as the safe parser accepted it
    registers_name: str = "registers.xml"  # where it came from, for findings
    with_text: bool = True
    with_mentions: bool = True
    catalogue_text: str | None = None  # second pass only
    base_url: str = ""
    edition_text: str = ""  # metadata.edition_xml(): titles and labels from edition.toml


def registers_setup(registers: Source | None) -> dict:
    """Setup's keywords that hand a worker the registers (as text: a parsed tree cannot cross processes)."""
    return {"registers_text": registers.doc.text, "registers_name": registers.doc.name} if registers else {}


@dataclass
class Studied:
    """The first pass's results for one file: its facts and plain text, or why it was skipped."""

    path: Path
    facts: Facts | None = None
    text: str | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Rendered:
    """The second pass's result for one document: its HTML page, or why there is none."""

    id: str
    page: str | None = None
    findings: list[Finding] = field(default_factory=list)


class DocumentWorker:
    """Runs the per-document stylesheets of one pass with the run's parameters set once."""

    def __init__(self, transformer: Transformer, setup: Setup):
        self.transformer = transformer
        self.setup = setup
        self.problems: list[Finding] = []  # the registers refused: said once, with the first document's results
        registers = None
        if setup.registers_text:
            try:
                registers = transformer.parse(setup.registers_name, setup.registers_text)
            except FindingError as err:
                self.problems.append(err.finding)
        transformer.set_global("registers", registers)
        transformer.set_global("with-mentions", setup.with_mentions)
        transformer.set_global("base-url", setup.base_url)
        if setup.edition_text:
            transformer.set_global("edition", transformer.parse("metadata/edition.toml", setup.edition_text))
        if setup.catalogue_text is not None:
            transformer.set_global("catalogue", transformer.parse("the catalogue", setup.catalogue_text))

    def _load(self, path: Path):
        source = load_source(path)
        return source, self.transformer.parse(source.doc.name, source.doc.text)

    def study(self, path: Path) -> Studied:
        try:
            source, node = self._load(path)
            params = {"where": source.doc.name, "document_id": source.id, "document_file": path.name}
            output = self.transformer.run("facts", node, **params)
        except FindingError as err:
            return Studied(path, findings=self._problems() + [err.finding])
        changes = [str(when) for when in source.doc.root.xpath("//t:revisionDesc/t:change/@when",
                                                                 namespaces={"t": xmlio.TEI_NS})]
        studied = Studied(path, read_facts(output, path, changes), findings=self._problems())
        if self.setup.with_text:
            try:
                studied.text = wrap_text(self.transformer.run("text", node, **params))
            except FindingError as err:
                studied.findings.append(err.finding)
        return studied

    def _problems(self) -> list[Finding]:
        problems, self.problems = self.problems, []
        return problems

    def render(self, item: tuple[Path, str]) -> Rendered:
        path, doc_id = item
        try:
            source, node = self._load(path)
            return Rendered(doc_id, self.transformer.run("telegram", node, where=source.doc.name, document_id=doc_id,
                                                         document_file=path.name))
        except FindingError as err:
            return Rendered(doc_id, findings=[err.finding])


def choose_jobs(requested: int, documents: int) -> int:
    """Return how many processes to use: as asked, or (0) one per core once the corpus is large enough to gain."""
    if requested > 0:
        return requested
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if documents >= PARALLEL_FROM else 1


def run_pass(method: str, items: list, setup: Setup, jobs: int, transformer: Transformer | None = None) -> Iterator:
    """Yield `DocumentWorker.<method>(item)` for every item, in order; in `jobs` worker processes when above one.

    At most two batches per worker are in flight, so however large the corpus, the parent holds only a few dozen
    documents' results at a time.
    """
    if jobs <= 1 or len(items) <= BATCH:
        worker = DocumentWorker(transformer or Transformer(setup.stylesheets), setup)
        for item in items:
            yield getattr(worker, method)(item)
        return
    if transformer is None:  # compile here first: a broken stylesheet is reported plainly, not as a dead worker
        transformer = Transformer(setup.stylesheets)
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(setup,)) as pool:
            pending: deque = deque()
            for start in range(0, len(items), BATCH):
                pending.append(pool.submit(_run_batch, method, items[start:start + BATCH]))
                if len(pending) >= 2 * jobs:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
    except BrokenProcessPool as err:
        raise FindingError(Finding("xslt", 0, 0, "error", "internal",
                                   f"a worker process of the {method} pass died ({err}); rerun with --jobs 1 to see "
                                   "the cause")) from None


_worker: DocumentWorker | None = None  # the worker of this process, in a pool


def _start_worker(setup: Setup) -> None:
    global _worker
    _worker = DocumentWorker(Transformer(setup.stylesheets), setup)


def _run_batch(method: str, items: list) -> list:
    return [getattr(_worker, method)(item) for item in items]
