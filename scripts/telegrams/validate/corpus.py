"""Layer 4: checks that look at what the text says and across files.

Per document (cached with the document): each `date`'s text against its @when, each `num`'s text against its
@value, the root's xml:id against the file name, xml:ids repeated inside the document. The document's *facts*
(its ids, its pointers, its register entries, each with line and column) are cached too, so the checks across
files — ids unique in the corpus, every pointer resolves, every register entry is used — are a cheap reduce over
facts, redone on every run.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..findings import ERROR, WARNING, Finding
from ..xmlio import TEI_NS, XML_NS, Document
from . import dates, numbers

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
POINTER_ATTRIBUTES = ("ref", "corresp", "target", "resp", "source", "who", "sameAs", "copyOf", "next", "prev",
                      "hand", "ana", "decls", "scribeRef", "scriptRef", "synch", "active", "passive", "mutual",
                      "domains")
REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listEvent", "listObject", "listBibl")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_FILE_POINTER = re.compile(r"^([^#]+\.xml)(?:#(.+))?$")
_HIDDEN = {T + "note", T + "sic", T + "orig", T + "abbr", T + "del"}  # not part of what a reader sees


def visible_text(element) -> str:
    """Return the text a reader sees: without notes, and with the corrected side of choice/sic/corr."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _HIDDEN:
            parts.append(visible_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# --- per document ----------------------------------------------------------------------------------------------------

def document_findings(doc: Document) -> list[Finding]:
    """Return the per-document findings of this layer: dates, numbers, the root id, repeated ids."""
    findings = []
    for date in doc.root.iter(T + "date"):
        if date.get("when"):
            problem = dates.disagreement(visible_text(date), date.get("when"))
            if problem:
                findings.append(doc.finding(date, problem, "date-text"))
    for num in doc.root.iter(T + "num"):
        if num.get("value"):
            problem = numbers.disagreement(visible_text(num), num.get("value"))
            if problem:
                findings.append(doc.finding(num, problem, "num-text"))
    findings.extend(_root_id(doc))
    findings.extend(_repeated_ids(doc))
    return findings


def _root_id(doc: Document) -> list[Finding]:
    stem = Path(doc.name).stem
    ident = doc.root.get(XML_ID)
    if ident is None:
        return [doc.finding(doc.root, f"the root <TEI> has no xml:id; give it the file's name: xml:id=\"{stem}\"",
                            "id-filename")]
    if ident != stem:
        line, column = doc.locate_attribute(doc.root, XML_ID)
        return [Finding(doc.name, line, column, ERROR, "id-filename",
                        f"the root's xml:id \"{ident}\" differs from the file name \"{stem}.xml\": rename one "
                        f"of them so that they match")]
    return []


def _repeated_ids(doc: Document) -> list[Finding]:
    seen: dict[str, etree._Element] = {}
    findings = []
    for element in doc.root.iter(etree.Element):
        ident = element.get(XML_ID)
        if ident is None:
            continue
        if ident in seen:
            line, column = doc.locate_attribute(element, XML_ID)
            first = doc.locate_attribute(seen[ident], XML_ID)
            findings.append(Finding(doc.name, line, column, ERROR, "id-duplicate",
                                    f"xml:id \"{ident}\" is already used at line {first[0]}, column {first[1]}; "
                                    f"every xml:id must be unique"))
        else:
            seen[ident] = element
    return findings


def facts(doc: Document) -> dict:
    """Return what the cross-file checks need of a document, as plain JSON-ready data."""
    ids, pointers, entries = {}, [], []
    for element in doc.root.iter(etree.Element):
        ident = element.get(XML_ID)
        if ident is not None and ident not in ids:
            ids[ident] = list(doc.locate_attribute(element, XML_ID))
            parent = element.getparent()
            if parent is not None and etree.QName(parent).localname in REGISTER_LISTS:
                entries.append(ident)
        for attribute in POINTER_ATTRIBUTES:
            value = element.get(attribute)
            if value:
                line, column = doc.locate_attribute(element, attribute)
                pointers.extend([attribute, token, line, column] for token in value.split())
    return {"ids": ids, "pointers": pointers, "entries": entries}


# --- across documents ------------------------------------------------------------------------------------------------

def _target(source: str, token: str) -> tuple[str | None, str | None] | None:
    """Return (file, id) a pointer names (file None: the same document), or None when it is not ours to check."""
    if token.startswith("#"):
        return None, token[1:]
    if _SCHEME.match(token):
        return None  # a URL or a private URI scheme
    match = _FILE_POINTER.match(token)
    if match is None:
        return None
    return str((Path(source).parent / match[1]).resolve()), match[2]


def reduce(checked: dict[str, dict], load_facts) -> list[Finding]:
    """Return the findings across documents, given each checked file's facts (name -> facts).

    `load_facts(path)` returns the facts of a file that a pointer names but that was not checked in this run
    (None when it cannot be read).
    """
    findings = []
    by_path = {str(Path(name).resolve()): name for name in checked}
    findings.extend(_duplicates(checked))
    used: dict[str, set[str]] = {}
    other: dict[str, dict | None] = {}
    for name, fact in checked.items():
        for attribute, token, line, column in fact["pointers"]:
            target = _target(name, token)
            if target is None:
                continue
            path, ident = target
            if path is None:
                target_facts, path = fact, str(Path(name).resolve())
            elif path in by_path:
                target_facts = checked[by_path[path]]
            elif not Path(path).is_relative_to(Path(name).resolve().parent):
                # the published edition cannot link out of its folder, so such a file is never read
                findings.append(Finding(name, line, column, ERROR, "pointer",
                                        f"@{attribute}: \"{token}\" points outside the edition's folder; a pointer "
                                        "may name only files of the edition (e.g. registers.xml#pers-...)"))
                continue
            else:
                if path not in other:
                    other[path] = load_facts(path) if Path(path).is_file() else None
                target_facts = other[path]
            used.setdefault(path, set()).add(ident)
            problem = _unresolved(token, ident, target_facts)
            if problem:
                findings.append(Finding(name, line, column, ERROR, "pointer", f"@{attribute}: {problem}"))
    if len(checked) > 1:
        findings.extend(_unused(checked, used))
    return findings


def _unresolved(token: str, ident: str | None, target_facts: dict | None) -> str | None:
    if target_facts is None:
        file = token.split("#")[0]
        return f"\"{token}\" points into {file}, which is not a file of the corpus (check the file name)"
    if ident is not None and ident not in target_facts["ids"]:
        where = "this document" if token.startswith("#") else token.split("#")[0]
        return f"\"{token}\" points to xml:id \"{ident}\", which does not exist in {where}"
    return None


def _duplicates(checked: dict[str, dict]) -> list[Finding]:
    first: dict[str, str] = {}
    findings = []
    for name in sorted(checked):
        for ident, (line, column) in checked[name]["ids"].items():
            if ident not in first:
                first[ident] = name
            elif first[ident] != name:
                findings.append(Finding(name, line, column, ERROR, "id-corpus",
                                        f"xml:id \"{ident}\" is also used in {first[ident]}; xml:ids must be unique "
                                        f"across the corpus"))
    return findings


def _unused(checked: dict[str, dict], used: dict[str, set[str]]) -> list[Finding]:
    findings = []
    for name, fact in checked.items():
        referenced = used.get(str(Path(name).resolve()), set())
        for ident in fact["entries"]:
            if ident not in referenced:
                line, column = fact["ids"][ident]
                findings.append(Finding(name, line, column, WARNING, "register-unused",
                                        f"the register entry \"{ident}\" is never referred to by the documents "
                                        f"checked: remove it, or point to it with ref=\"{Path(name).name}#{ident}\""))
    return findings
