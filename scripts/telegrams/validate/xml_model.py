"""The `xml-model` instructions of a document: each names a schema that exists, relative to the document, and says
its kind rightly (RELAX NG or Schematron), so that XML editors validate as you type as the edition does.

Part of layer 4 (`corpus.document_findings`), cached with the document. A URL is never fetched, so not checked.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding
from ..xmlio import Document

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

RELAXNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"
_SCHEMA_KINDS = {RELAXNG_NS: "RELAX NG", SCHEMATRON_NS: "ISO Schematron",
                 "http://www.ascc.net/xml/schematron": "Schematron 1.5", "http://www.w3.org/2001/XMLSchema": "XSD"}
_PSEUDO_ATTRIBUTE = re.compile(r"""([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def findings(doc: Document) -> list[Finding]:
    """Return a finding for each wrong xml-model instruction before the root, at its `<?`."""
    instructions = [node for node in doc.root.itersiblings(preceding=True)
                    if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model"][::-1]
    if not instructions:
        return []
    prolog = doc.text[:max(doc.text.find("<TEI"), 0)]
    prolog = re.sub(r"<!--.*?-->", lambda m: " " * len(m[0]), prolog, flags=re.S)
    offsets = [m.start() for m in re.finditer(r"<\?xml-model\b", prolog)]  # where each instruction starts
    found = []
    for node, offset in zip(instructions, offsets):
        problem = _problem(os.path.dirname(doc.name), node.text or "")
        if problem:
            found.append(Finding(doc.name, *doc.position(offset), ERROR, *problem))
    return found


@functools.lru_cache(maxsize=256)
def _problem(folder: str, instruction: str) -> tuple[str, str] | None:
    """Return (rule, message) for a wrong xml-model instruction of a file in `folder`, None for a right one (or one
    we cannot check). Cached: a corpus repeats the same two instructions in every file of a folder."""
    pseudo = {m[1]: m[2] if m[2] is not None else m[3] for m in _PSEUDO_ATTRIBUTE.finditer(instruction)}
    href = pseudo.get("href", "")
    if not href:
        return "xml-model-target", ("this xml-model instruction has no href: name the schema, e.g. "
                                    "href=\"../schema/telegrams.rng\"")
    if _SCHEME.match(href):
        return None  # a URL: never fetched, so not checked
    target = Path(folder) / href
    if not target.is_file():
        suggestion = _nearest_schema(Path(folder), Path(href).name)
        hint = f"; the edition's schema is href=\"{suggestion}\" from here" if suggestion else ""
        return "xml-model-target", (f"the xml-model instruction names \"{href}\", which does not exist relative to "
                                    f"this file's folder, so XML editors cannot validate the file as you type{hint}")
    kind = _schema_kind(str(target.resolve()))
    said = pseudo.get("schematypens")
    if kind is None:
        return None  # not an XML schema we know: nothing to compare
    if said is None:
        return "xml-model-type", (f"the xml-model instruction for \"{href}\" does not say what kind of schema it is: "
                                  f"add schematypens=\"{kind}\" ({_SCHEMA_KINDS[kind]})")
    embedded = said == SCHEMATRON_NS and kind == RELAXNG_NS and _has_schematron(str(target.resolve()))
    if said != kind and not embedded:
        return "xml-model-type", (f"the xml-model instruction for \"{href}\" says schematypens=\"{said}\" "
                                  f"({_SCHEMA_KINDS.get(said, 'unknown')}), but the file is {_SCHEMA_KINDS[kind]}: "
                                  f"write schematypens=\"{kind}\"")
    if pseudo.get("type", "application/xml") not in ("application/xml", "text/xml"):
        return "xml-model-type", (f"the xml-model instruction for \"{href}\" says type=\"{pseudo['type']}\", but "
                                  f"the file is XML: write type=\"application/xml\"")
    return None


def _nearest_schema(folder: Path, file_name: str) -> str | None:
    """Return the relative path from a folder to the nearest schema/NAME at or above it (the edition's), if any."""
    folder = folder.absolute()
    for above in (folder, *folder.parents):
        if (above / "schema" / file_name).is_file():
            return os.path.relpath(above / "schema" / file_name, folder)
    return None


@functools.lru_cache(maxsize=32)
def _schema_kind(path: str) -> str | None:
    """Return the namespace of a schema file's root element (one of _SCHEMA_KINDS), or None."""
    from ..findings import FindingError
    from ..xmlio import parse

    try:
        namespace = etree.QName(parse(path).root).namespace
    except (FindingError, ValueError):
        return None
    return namespace if namespace in _SCHEMA_KINDS else None


@functools.lru_cache(maxsize=32)
def _has_schematron(path: str) -> bool:
    """Say whether a RELAX NG schema embeds Schematron rules (TEI's own schemas do), which xml-model may name."""
    from ..xmlio import parse

    return next(parse(path).root.iter("{%s}*" % SCHEMATRON_NS), None) is not None
