"""Read documents safely and run them through the edition's stylesheets, each compiled once per process.

Every file is read with the project's safe parser (`telegrams.xmlio`); Saxon only ever sees text that parser has
already accepted (no DOCTYPE, no entities), so it cannot be led to fetch or expand anything. A file that is not
well-formed or not TEI becomes a finding and is skipped; the rest of the corpus still goes through.

Nothing here holds the corpus: a document is parsed, transformed and dropped (see passes.py). What the pages need to
know about the other documents comes from the catalogue, built once per run (catalogue.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import names, project, xmlio
from ..findings import Finding, FindingError

REGISTERS_ID = names.REGISTERS_ID


@dataclass
class Source:
    """One TEI document of the run: where it came from, its id (the page name) and its kind."""

    path: Path
    doc: xmlio.Document
    id: str
    kind: str  # text/@type ("text" when it has none), or "registers"


def _document_id(doc: xmlio.Document, path: Path) -> str:
    """Return the document's xml:id when it can name a file, else the file's stem made safe."""
    return names.page_name(doc.root.get(f"{{{xmlio.XML_NS}}}id"), path.stem)


def _kind(doc: xmlio.Document, doc_id: str) -> str:
    if doc_id == REGISTERS_ID:
        return "registers"
    text = doc.root.find(f"{{{xmlio.TEI_NS}}}text")
    kind = " ".join((text.get("type") or "").split()) if text is not None else ""
    return kind or "text"


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


def list_sources(paths: list[str] | None) -> tuple[list[Path], list[Finding]]:
    """The files of the run, less those no edition may publish, each of which is a finding.

    A file whose name is not UTF-8 or holds control characters (it would reach pages, links and terminals), and
    a file found in a folder that resolves outside that folder (a link to /etc/passwd in tei/) are refused.
    """
    folders = [os.path.abspath(p) for p in (paths or [str(project.TEI_DIR)]) if Path(p).is_dir()]
    files, findings, known = [], [], {}
    for path in project.corpus_files(paths):
        shown = names.printable(str(path))
        problem = names.file_name_problem(path.name)
        if problem:
            findings.append(Finding(shown, 0, 0, "error", "file-name", f"{problem}; {names.SAFE_NAME_HINT} (skipped)"))
            continue
        found_in = names.escapes(path, folders, known)
        if found_in:
            findings.append(Finding(shown, 0, 0, "error", "outside-corpus", f"the file resolves to {path.resolve()}, "
                                    f"outside {found_in}: it is never published (skipped)"))
            continue
        files.append(path)
    return files, findings


def find_registers(files: list[Path]) -> tuple[Source | None, list[Path], list[Finding]]:
    """Return the registers (the first registers.xml whose id is 'registers'), the other files, and what failed.

    The registers are loaded before any document: every page and text names its persons and places from them.
    """
    registers, others, findings = None, [], []
    for path in files:
        if registers is None and path.name == f"{REGISTERS_ID}.xml":
            try:
                source = load_source(path)
            except FindingError as err:
                findings.append(err.finding)
                continue
            if source.kind == "registers":
                registers = source
                continue
        others.append(path)
    return registers, others, findings


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
        self.executables = {}
        # SaxonC does not keep parameter values alive: hold each for as long as it is set.
        self._held: dict = {}
        for name in names:
            sheet = xslt_dir / f"{name}.xsl"
            try:
                self.executables[name] = compiler.compile_stylesheet(stylesheet_file=str(sheet))
            except PySaxonApiError as err:
                raise FindingError(Finding(str(sheet), 0, 0, "error", "xslt",
                                           f"the stylesheet does not compile: {_first_line(err)}")) from None

    def parse(self, name: str, text: str):
        """Return Saxon's document node for XML text the safe parser has accepted; raise FindingError if refused."""
        try:
            return self.processor.parse_xml(xml_text=text)
        except self._error as err:
            raise FindingError(Finding(name, 0, 0, "error", "xslt-input", _first_line(err))) from None

    def parse_file(self, path: Path):
        """Return Saxon's document node for a file this run wrote itself (the lists of mentions)."""
        try:
            return self.processor.parse_xml(xml_file_name=str(path))
        except self._error as err:
            raise FindingError(Finding(str(path), 0, 0, "error", "xslt-input", _first_line(err))) from None

    def set_global(self, key: str, value) -> None:
        """Give every stylesheet a parameter for the rest of the run: a string, a boolean, a Saxon node, or None."""
        if value is None:
            value = self.processor.empty_sequence()
        elif isinstance(value, bool):
            value = self.processor.make_boolean_value(value)
        elif isinstance(value, str):
            value = self.processor.make_string_value(value)
        self._held[key] = value  # replaces (and so frees) the value set before
        for executable in self.executables.values():
            executable.set_parameter(key, value)

    def run(self, name: str, node=None, template: str | None = None, where: str = "",
            output_file: Path | None = None, **params: str) -> str:
        """Return the output of one stylesheet: applied to a document node, or called at a named template (None:
        xsl:initial-template). With `output_file`, Saxon writes the output there and "" is returned: a page of tens of
        megabytes (a register of a large corpus) then never passes through Python."""
        executable = self.executables[name]
        for key, value in params.items():
            held = self.processor.make_string_value(value)
            self._held[(name, key)] = held  # replaces (and so frees) the value of the previous run
            executable.set_parameter(key.replace("_", "-"), held)
        try:
            if output_file is not None and node is not None:
                executable.transform_to_file(xdm_node=node, output_file=str(output_file))
            elif output_file is not None:
                executable.call_template_returning_file(template_name=template, output_file=str(output_file))
            elif node is not None:
                return executable.transform_to_string(xdm_node=node) or ""
            else:
                return executable.call_template_returning_string(template_name=template) or ""
        except self._error as err:
            raise FindingError(Finding(where or f"{name}.xsl", 0, 0, "error", "xslt",
                                       f"the transformation failed: {_first_line(err)}")) from None
        return ""


def _first_line(err: Exception) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else "unknown Saxon error"
