"""Load the corpus safely and run it through the edition's stylesheets, each compiled once per run.

Every file is read with the project's safe parser (`telegrams.xmlio`); Saxon only ever sees text that parser has
already accepted (no DOCTYPE, no entities), so it cannot be led to fetch or expand anything. A file that is not
well-formed or not TEI becomes a finding and is skipped; the rest of the corpus still goes through.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import project, xmlio
from ..findings import Finding, FindingError

REGISTERS_ID = "registers"
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass
class Source:
    """One TEI document of the run: where it came from, its id (the page name) and its kind."""

    path: Path
    doc: xmlio.Document
    id: str
    kind: str  # telegram, commentary, registers, or other (any foreign TEI text)
    node: object = None  # the Saxon document node, once loaded


@dataclass
class Corpus:
    """The documents that parsed, the registers (if any) and what was wrong with the rest."""

    sources: list[Source] = field(default_factory=list)
    registers: Source | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def all_sources(self) -> list[Source]:
        return self.sources + ([self.registers] if self.registers else [])


def _document_id(doc: xmlio.Document, path: Path) -> str:
    """Return the document's xml:id when it can name a file, else the file's stem made safe."""
    given = doc.root.get(f"{{{xmlio.XML_NS}}}id") or ""
    if _SAFE_ID.match(given):
        return given
    return re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem).strip("-.") or "document"


def _kind(doc: xmlio.Document, doc_id: str) -> str:
    if doc_id == REGISTERS_ID:
        return "registers"
    text = doc.root.find(f"{{{xmlio.TEI_NS}}}text")
    kind = text.get("type") if text is not None else None
    return kind if kind in ("telegram", "commentary") else "other"


def load_source(path: Path) -> Source:
    """Parse one file safely and check it is TEI; raise FindingError (file:line:col) when it is not."""
    doc = xmlio.parse(path)
    xmlio.require_tei(doc)
    if doc.root.find(f"{{{xmlio.TEI_NS}}}text") is None and doc.root.find(f"{{{xmlio.TEI_NS}}}standOff") is None:
        line, column = doc.locate(doc.root)
        raise FindingError(Finding(doc.name, line, column, "error", "tei-text",
                                   "the TEI document has neither <text> nor <standOff>: there is nothing to publish"))
    doc_id = _document_id(doc, path)
    return Source(path, doc, doc_id, _kind(doc, doc_id))


def load_corpus(paths: list[str] | None = None) -> Corpus:
    """Return every TEI file under the given paths (default tei/) that parses, and a finding for each that does not."""
    corpus = Corpus()
    seen: dict[str, Path] = {}
    for path in project.corpus_files(paths):
        try:
            source = load_source(path)
        except FindingError as err:
            corpus.findings.append(err.finding)
            continue
        if source.id in seen:
            line, column = source.doc.locate(source.doc.root)
            corpus.findings.append(Finding(str(path), line, column, "error", "duplicate-id",
                                           f"the id '{source.id}' is already used by {seen[source.id]}; skipped"))
            continue
        seen[source.id] = path
        if source.kind == "registers":
            corpus.registers = source
        else:
            corpus.sources.append(source)
    return corpus


class Transformer:
    """The edition's stylesheets, compiled once, and the Saxon processor that runs them."""

    def __init__(self, names: list[str], xslt_dir: Path | None = None):
        from saxonche import PySaxonApiError, PySaxonProcessor  # heavy: only when a transform is wanted

        self._error = PySaxonApiError
        self.processor = PySaxonProcessor(license=False)
        # Keep the compiler alive as long as its executables: SaxonC crashes reporting errors otherwise.
        self.compiler = compiler = self.processor.new_xslt30_processor()
        # Compile every template rule now: with just-in-time compilation each rule is compiled on first use,
        # which doubles the cost of a run over a small corpus (measured: ~9.5 vs ~4.9 ms CPU per document).
        compiler.set_jit_compilation(False)
        xslt_dir = xslt_dir or project.XSLT_DIR
        started = time.perf_counter()
        self.executables = {}
        self._held: list = []
        self._run_params: dict = {}
        for name in names:
            sheet = xslt_dir / f"{name}.xsl"
            try:
                self.executables[name] = compiler.compile_stylesheet(stylesheet_file=str(sheet))
            except PySaxonApiError as err:
                raise FindingError(Finding(str(sheet), 0, 0, "error", "xslt",
                                           f"the stylesheet does not compile: {_first_line(err)}")) from None
        self.compile_seconds = time.perf_counter() - started

    def load(self, corpus: Corpus) -> None:
        """Give Saxon every document of the corpus (dropping, with a finding, any Saxon refuses)."""
        for source in list(corpus.all_sources):
            try:
                source.node = self.processor.parse_xml(xml_text=source.doc.text)
            except self._error as err:
                corpus.findings.append(Finding(source.doc.name, 0, 0, "error", "xslt-input", _first_line(err)))
                if source is corpus.registers:
                    corpus.registers = None
                else:
                    corpus.sources.remove(source)
        self._set_corpus_parameters(corpus)

    def _set_corpus_parameters(self, corpus: Corpus) -> None:
        """Every stylesheet sees the whole corpus: documents, their ids and file names in parallel, and registers."""
        documents, ids, files = (self.processor.empty_sequence() for _ in range(3))
        for source in corpus.sources:
            documents.add_xdm_item(source.node)
            ids.add_xdm_item(self.processor.make_string_value(source.id))
            files.add_xdm_item(self.processor.make_string_value(source.path.name))
        registers = corpus.registers.node if corpus.registers else self.processor.empty_sequence()
        # SaxonC does not keep parameter values alive: hold them for the executables' lifetime.
        self._held = [documents, ids, files, registers]
        for executable in self.executables.values():
            executable.set_parameter("documents", documents)
            executable.set_parameter("document-ids", ids)
            executable.set_parameter("document-files", files)
            executable.set_parameter("registers", registers)

    def warm_up(self, names: list[str], source: Source) -> float:
        """Run the per-document stylesheets once on one document, output discarded; return the seconds it took.

        SaxonC finishes compiling template rules and builds its indexes on first use, so the first document costs
        several times what the others do; timing the rest separately shows the real cost per document.
        """
        started = time.perf_counter()
        for name in names:
            try:
                self.run(name, source)
            except FindingError:
                pass  # reported when the document is transformed for real
        return time.perf_counter() - started

    def run(self, name: str, source: Source | None = None, template: str | None = None, **params: str) -> str:
        """Return the output of one stylesheet: applied to a source, or called at a named template."""
        executable = self.executables[name]
        for key, value in params.items():
            held = self.processor.make_string_value(value)
            self._run_params[(name, key)] = held  # replaces (and so frees) the value of the previous run
            executable.set_parameter(key.replace("_", "-"), held)
        try:
            if source is not None:
                result = executable.transform_to_string(xdm_node=source.node)
            else:
                result = executable.call_template_returning_string(template_name=template)
        except self._error as err:
            where = source.doc.name if source else f"{name}.xsl"
            raise FindingError(Finding(where, 0, 0, "error", "xslt", f"the transformation failed: {_first_line(err)}"))
        return result or ""


def _first_line(err: Exception) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else "unknown Saxon error"
