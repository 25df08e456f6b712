"""Plain-text editions: one UTF-8 file per document and corpus.txt, wrapped at 72 columns, no markup left.

Each document's text is written as soon as it is made; corpus.txt is then assembled in reading order from the
files just written, so no more than one text is ever held in memory.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import project
from ..findings import Finding
from .catalogue import Catalogue
from .metadata import edition_title, edition_xml
from .output import Output, claimed
from .published import publishable
from .passes import Setup, choose_jobs, registers_setup, run_pass
from .transform import REGISTERS_ID, Transformer, find_registers, list_sources
from .wrap import WIDTH, wrap_line


@dataclass
class TextResult:
    """What a plain-text run wrote and found, and how long the documents took."""

    written: set[Path] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0  # wall time of the documents, start-up of the workers included
    jobs: int = 1


@dataclass
class TextFolder:
    """Where a run writes the plain-text edition: an output folder, and the folder inside it ("" or "text/")."""

    output: Output
    folder: str = ""

    def write(self, doc_id: str, text: str) -> None:
        self.output.write(f"{self.folder}{doc_id}.txt", text)

    def write_corpus(self, catalogue: Catalogue, texts: list[str]) -> None:
        """Write corpus.txt: a title block, the contents, then every text in reading (date) order, read back."""
        written = set(texts)
        order = [facts.id for facts in catalogue.reading_order() if facts.id in written]
        rule = "=" * WIDTH
        head = [rule, *wrap_line(edition_title()), "The whole corpus in date order", rule, "", "CONTENTS", ""]
        head += [f"{n:3}. {doc_id}" for n, doc_id in enumerate(order, 1)]
        with self.output.open(f"{self.folder}corpus.txt") as handle:
            handle.write(("\n".join(head) + "\n").encode("utf-8"))
            for doc_id in order:
                handle.write(b"\n\n")
                handle.write((self.output.root / f"{self.folder}{doc_id}.txt").read_bytes())

    def copy_corpus(self, source: TextFolder) -> None:
        """Write corpus.txt as a copy of the one `source` has just assembled from the same texts (at 10,000
        documents, assembling it again, reading every text back, took 1.5 s)."""
        with self.output.target(f"{self.folder}corpus.txt") as tmp:
            shutil.copyfile(source.output.root / f"{source.folder}corpus.txt", tmp)

    def remove_stale(self) -> None:
        """Delete the texts of documents no longer in the corpus."""
        for stale in (self.output.root / self.folder).glob("*.txt"):
            if stale not in self.output.written:
                stale.unlink()


def first_pass(files: list[Path], setup: Setup, jobs: int, text_folders: list[TextFolder], catalogue: Catalogue,
               findings: list[Finding], transformer: Transformer | None = None,
               sources: Output | None = None) -> list[str]:
    """Study every file: its facts go to the catalogue, its text to every text folder (its TEI source to `sources`).

    Return the ids of the documents whose text was written. A document whose id is taken is skipped whole.
    """
    texts = []
    for studied in run_pass("study", files, setup, jobs, transformer):
        if studied.facts is not None:
            duplicate = catalogue.add(studied.facts)
            if duplicate:
                findings.append(duplicate)
                continue
        findings.extend(f for f in studied.findings if f not in findings)  # each worker says what the registers lack
        if studied.facts is None:
            continue
        if sources:
            sources.write(f"tei/{studied.path.name}", publishable(studied.path))
        if studied.text is not None:
            for folder in text_folders:
                folder.write(studied.facts.id, studied.text)
            texts.append(studied.facts.id)
    return texts


def build_texts(paths: list[str] | None = None, out_dir: Path | None = None, jobs: int = 0) -> TextResult:
    """Build build/text/: <id>.txt per document and corpus.txt; every bad input is a finding, never a crash."""
    output = Output(out_dir or project.TEXT_DIR)
    result = TextResult()
    with claimed(output.root, [Path(p) for p in (paths or [project.TEI_DIR])]):
        sources, result.findings = list_sources(paths)
        registers, files, unread = find_registers(sources)
        result.findings += unread
        catalogue = Catalogue()
        if registers:
            catalogue.reserve(REGISTERS_ID, registers.path)
        result.jobs = choose_jobs(jobs, len(files))
        given = {**registers_setup(registers), "edition_text": edition_xml()}
        setup = Setup(["facts", "text"], **given, with_mentions=False)
        started = time.perf_counter()
        folder = TextFolder(output)
        texts = first_pass(files, setup, result.jobs, [folder], catalogue, result.findings)
        result.documents = len(texts)
        folder.write_corpus(catalogue, texts)  # even when empty, as the site's text/ has it
        result.seconds = time.perf_counter() - started
        folder.remove_stale()
        output.finish()
    result.written = output.written
    return result
