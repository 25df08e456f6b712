"""Layer 4: checks that look at what the text says and across files.

Per document (cached with the document): each `date`'s text against its @when, each `num`'s text against its
@value, the root's xml:id against the file name, xml:ids repeated inside the document. The document's *facts*
(its ids, its pointers, its register entries, each with line and column) are cached too, so the checks across
files — ids unique in the corpus, every pointer resolves, every register entry is used — are a cheap reduce over
facts, redone on every run.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
from pathlib import Path

from lxml import etree

from ..findings import ERROR, WARNING, Finding
from ..xmlio import TEI_NS, XML_NS, Document

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
            problem = _date_disagreement(visible_text(date), date.get("when"))
            if problem:
                findings.append(doc.finding(date, problem, "date-text"))
    for num in doc.root.iter(T + "num"):
        if num.get("value"):
            problem = _num_disagreement(visible_text(num), num.get("value"))
            if problem:
                findings.append(doc.finding(num, problem, "num-text"))
    findings.extend(_root_id(doc))
    findings.extend(_repeated_ids(doc))
    return findings


# A corpus repeats the same few date and number phrasings thousands of times ("25 June 1950", "three"): the
# readings are pure functions of (text, value), so one process reads each pair once.
@functools.lru_cache(maxsize=65536)
def _date_disagreement(text: str, when: str) -> str | None:
    from . import dates  # its many patterns take a while to compile: not in a run from the cache

    return dates.disagreement(text, when)


@functools.lru_cache(maxsize=65536)
def _num_disagreement(text: str, value: str) -> str | None:
    from . import numbers

    return numbers.disagreement(text, value)


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
    """Return what the checks across files need of a document, as plain data (cached with the document).

    ids: its xml:ids (the first of each), in order; entries: its register entries that no pointer of the
    document itself names; links: the ids each other file is pointed into for, {file as written: (id or None,
    ...)}; broken: how many of its pointers name an id it does not have; where: the positions of all these,
    packed (`_details`). The cache holds the facts of every file and reads them all on every run, while the
    positions serve only the few findings: packed, they cost one object instead of dozens."""
    ids, entries, local, links = {}, [], {}, {}
    for element in doc.root.iter(etree.Element):
        ident = element.get(XML_ID)
        if ident is not None and ident not in ids:
            ids[ident] = doc.locate_attribute(element, XML_ID)
            parent = element.getparent()
            if parent is not None and etree.QName(parent).localname in REGISTER_LISTS:
                entries.append(ident)
        for attribute, value in element.items():
            if attribute in _POINTERS and value:
                line, column = doc.locate_attribute(element, attribute)
                for token in value.split():
                    _sort_pointer(token, (attribute, token, line, column), local, links)
    broken = [pointer for ident, pointers in local.items() if ident not in ids for pointer in pointers]
    details = {"ids": ids, "broken": broken, "links": links}
    return {"ids": tuple(ids), "entries": tuple(e for e in entries if e not in local), "broken": len(broken),
            "links": {file: tuple(named) for file, named in links.items()}, "where": marshal.dumps(details)}


_POINTERS = frozenset(POINTER_ATTRIBUTES)


def _sort_pointer(token: str, pointer: tuple, local: dict, links: dict) -> None:
    """File a pointer under the id it names in this document, or the file and id it names elsewhere; a URL or a
    private URI scheme is not ours to check."""
    if token.startswith("#"):
        local.setdefault(token[1:], []).append(pointer)
    elif not _SCHEME.match(token):
        match = _FILE_POINTER.match(token)
        if match:
            links.setdefault(match[1], {}).setdefault(match[2], []).append(pointer)


def _details(fact: dict) -> dict:
    """Return the positions of a document's facts: {"ids": {id: (line, column)}, "broken": [pointer, ...],
    "links": {file: {id or None: [pointer, ...]}}}, a pointer being (attribute, token, line, column)."""
    return marshal.loads(fact["where"])


# --- across documents ------------------------------------------------------------------------------------------------

class _Paths:
    """Real paths, as Path.resolve gives them, each folder resolved once and listed once for its symbolic links.

    The reduce runs on every run, over every file: resolving each file would cost more than the rest of it. Only
    the files that pointers name are looked up among those checked (`checked_as`)."""

    def __init__(self, names):
        self._folders: dict[str, tuple[str, set[str] | None]] = {}
        self._targets: dict[tuple[str, str], str] = {}
        self._names = list(names)
        self._by_base: dict[str, list[str]] | None = None
        self._linked: list[str] | None = None

    def _folder(self, folder: str) -> tuple[str, set[str] | None]:
        """Return a folder's real path and the names of the symbolic links in it (None: unknown)."""
        if folder not in self._folders:
            try:
                with os.scandir(folder or ".") as entries:
                    links = {entry.name for entry in entries if entry.is_symlink()}
            except OSError:
                links = None
            self._folders[folder] = os.path.realpath(folder), links
        return self._folders[folder]

    def _is_link(self, name: str) -> bool:
        folder, base = _split(name)
        links = self._folder(folder)[1]
        return base in links if links is not None else os.path.islink(name)

    def file(self, name: str) -> str:
        if self._is_link(name):
            return str(Path(name).resolve())
        folder, base = _split(name)
        return os.path.join(self._folder(folder)[0], base)

    def checked_as(self, path: str) -> str | None:
        """Return the name of the checked file whose real path is `path`, or None."""
        if self._by_base is None:
            self._by_base = {}
            for name in self._names:
                self._by_base.setdefault(name.rpartition("/")[2], []).append(name)
            self._linked = [name for name in self._names if self._is_link(name)]
        candidates = self._by_base.get(os.path.basename(path), []) + self._linked
        return next((name for name in candidates if self.file(name) == path), None)

    def target(self, name: str, file: str) -> str:
        """Return the real path of a file named by a pointer of `name`, relative to its folder."""
        key = (_split(name)[0], file)
        if key not in self._targets:
            self._targets[key] = str((Path(name).parent / file).resolve())
        return self._targets[key]


def _split(name: str) -> tuple[str, str]:
    """os.path.split for a file's name, faster: ("", "x.xml"), ("/", "x.xml"), ("tei", "x.xml")."""
    folder, slash, base = name.rpartition("/")
    return folder or slash, base


def reduce(checked: dict[str, dict], load_facts) -> list[Finding]:
    """Return the findings across documents, given each checked file's facts (name -> facts).

    `load_facts(path)` returns the facts of a file that a pointer names but that was not checked in this run
    (None when it cannot be read). The positions of a file's facts are unpacked only to report a finding.
    """
    paths = _Paths(checked)
    findings = _duplicates(checked)
    used: dict[str, set] = {}
    other: dict[str, dict | None] = {}
    targets: dict[str, tuple[str | None, set | None]] = {}  # real path -> (checked file, its ids)
    for name, fact in checked.items():
        if fact["broken"]:
            findings.extend(Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points to "
                                    f"xml:id \"{token[1:]}\", which does not exist in this document")
                            for attribute, token, line, column in _details(fact)["broken"])
        for file, idents in fact["links"].items():
            path = paths.target(name, file)
            if path not in targets:
                checked_name = paths.checked_as(path)
                targets[path] = checked_name, set(checked[checked_name]["ids"]) if checked_name else None
            checked_name, target_ids = targets[path]
            if checked_name is None:
                if not Path(path).is_relative_to(os.path.dirname(paths.file(name))):
                    findings.extend(_outside(name, fact, file))
                    continue
                if path not in other:
                    other[path] = load_facts(path) if Path(path).is_file() else None
                target_ids = set(other[path]["ids"]) if other[path] is not None else None
            used.setdefault(path, set()).update(idents)
            if target_ids is None or any(i is not None and i not in target_ids for i in idents):
                findings.extend(_unresolved(name, file, _details(fact)["links"][file], target_ids))
    if len(checked) > 1:
        findings.extend(_unused(checked, used, paths))
    return findings


def _outside(name: str, fact: dict, file: str) -> list[Finding]:
    # the published edition cannot link out of its folder, so such a file is never read
    return [Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points outside the edition's "
                    "folder; a pointer may name only files of the edition (e.g. registers.xml#pers-...)")
            for pointers in _details(fact)["links"][file].values() for attribute, token, line, column in pointers]


def _unresolved(name: str, file: str, pointers: dict, target_ids: set | None) -> list[Finding]:
    """Return a finding for each pointer into `file` that names no file of the corpus or an id it lacks."""
    if target_ids is None:
        return [Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points into {file}, which "
                        f"is not a file of the corpus (check the file name)")
                for named in pointers.values() for attribute, token, line, column in named]
    return [Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points to xml:id \"{ident}\", "
                    f"which does not exist in {file}")
            for ident, named in pointers.items() if ident is not None and ident not in target_ids
            for attribute, token, line, column in named]


def _duplicates(checked: dict[str, dict]) -> list[Finding]:
    if len(set().union(*(fact["ids"] for fact in checked.values()))) == sum(len(f["ids"]) for f in checked.values()):
        return []  # no id in two files: the usual case, told at C speed
    first: dict[str, str] = {}
    findings = []
    for name in sorted(checked):
        positions = None
        for ident in checked[name]["ids"]:
            if ident not in first:
                first[ident] = name
            elif first[ident] != name:
                positions = positions or _details(checked[name])["ids"]
                line, column = positions[ident]
                findings.append(Finding(name, line, column, ERROR, "id-corpus",
                                        f"xml:id \"{ident}\" is also used in {first[ident]}; xml:ids must be unique "
                                        f"across the corpus"))
    return findings


def _unused(checked: dict[str, dict], used: dict[str, set], paths: _Paths) -> list[Finding]:
    findings = []
    for name, fact in checked.items():
        if not fact["entries"]:
            continue
        referenced = used.get(paths.file(name), set())
        positions = _details(fact)["ids"]
        for ident in fact["entries"]:
            if ident not in referenced:
                line, column = positions[ident]
                findings.append(Finding(name, line, column, WARNING, "register-unused",
                                        f"the register entry \"{ident}\" is never referred to by the documents "
                                        f"checked: remove it, or point to it with ref=\"{Path(name).name}#{ident}\""))
    return findings
