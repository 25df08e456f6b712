"""Layer 4: checks that look at what the text says and across files.

Per document (cached with the document): each `date`'s text against its @when, each `num`'s text against its
@value, the root's xml:id against the file name, xml:ids repeated inside the document, editorial notes made by the
editors, each `measure`'s quantity against its number, each `xml-model` instruction against the file it names
(`xml_model`). The document's *facts* (its ids, its pointers, its register entries and the forms they list, the
names it writes, each with line and column) are cached too, so the checks across files — ids unique in the corpus,
every pointer resolves, every register entry is used, names written in their entry's forms — are a cheap reduce
over facts, redone on every run.
"""

from __future__ import annotations

import functools
import marshal
import os
import re
from pathlib import Path

from lxml import etree

from .. import names
from ..findings import ERROR, WARNING, Finding
from ..xmlio import TEI_NS, XML_NS, Document
from . import xml_model

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
    from . import dates  # its many patterns take a while to compile: not in a run from the cache

    findings = []
    sent, disputed = _sent_date(doc.root)
    for date in doc.root.iter(T + "date"):
        if date.get("when"):
            text = visible_text(date)
            problem = _date_check(text, date.get("when"), sent)
            if problem and not (disputed and dates.RELATIVE.search(text)):
                findings.append(doc.finding(date, problem.message, problem.rule, problem.severity))
    for num in doc.root.iter(T + "num"):
        if num.get("value"):
            problem = _num_check(visible_text(num), num.get("value"))
            if problem:
                findings.append(doc.finding(num, problem.message, problem.rule, problem.severity))
    findings.extend(_root_id(doc))
    findings.extend(_repeated_ids(doc))
    findings.extend(_editorial_resp(doc))
    findings.extend(_measures(doc))
    findings.extend(xml_model.findings(doc))
    return findings


def _sent_date(root) -> tuple[str | None, bool]:
    """The @when of the date the document was sent, against which "today" or "this year" in it are read, and
    whether it is disputed: its own text disagrees with it (reported there, once, not again at every "today")."""
    found = root.find(f".//{T}correspAction[@type='sent']/{T}date[@when]")
    if found is None:
        return None, False
    problem = _date_check(visible_text(found), found.get("when"), None)
    return found.get("when"), problem is not None and problem.rule == "date-text"


def _date_check(text: str, when: str, sent: str | None):
    """Return dates.check's problem; the document's own date counts only for a text with "today" or "this year"
    in it, so that every other text is read once in a process, whichever document it is in."""
    from . import dates  # its many patterns take a while to compile: not in a run from the cache

    return _date_reading(text, when, sent if dates.RELATIVE.search(" ".join(text.split())) else None)


# A corpus repeats the same few date and number phrasings thousands of times ("25 June 1950", "three"): the
# readings are pure functions of their arguments, so one process reads each once.
@functools.lru_cache(maxsize=65536)
def _date_reading(text: str, when: str, sent: str | None):
    from . import dates

    return dates.check(text, when, sent)


@functools.lru_cache(maxsize=65536)
def _num_check(text: str, value: str):
    from . import numbers

    return numbers.check(text, value)


@functools.lru_cache(maxsize=65536)
def _read_value(value: str):
    from . import numbers

    return numbers.read_value(value)


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


_XML_IDS = etree.XPath("//@xml:id", namespaces={"xml": XML_NS})


def _repeated_ids(doc: Document) -> list[Finding]:
    idents = _XML_IDS(doc.root)
    if len(set(idents)) == len(idents):
        return []  # no id twice, the usual case: told without a Python loop over the elements
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


def _editorial_resp(doc: Document) -> list[Finding]:
    """An editorial note is the editors': its @resp names the document's respStmt whose xml:id ends `_editors`."""
    notes = [note for note in doc.root.iter(T + "note") if note.get("type") == "editorial"]
    if not notes:
        return []
    editors = next((ident for ident in (e.get(XML_ID) for e in doc.root.iter(T + "respStmt"))
                    if ident and ident.endswith("_editors")), None)
    own = f"{doc.root.get(XML_ID) or Path(doc.name).stem}_editors"
    wanted = f'resp="#{editors}"' if editors else f'resp="#{own}", and a respStmt xml:id="{own}" for the editors'
    findings, ids = [], None
    for note in notes:
        named = [token[1:] for token in (note.get("resp") or "").split() if token.startswith("#")]
        if editors in named:
            continue
        if not named:
            findings.append(doc.finding(note, f"an editorial note must name the editors as responsible: {wanted}",
                                        "resp-editors"))
            continue
        ids = ids if ids is not None else {element.get(XML_ID) for element in doc.root.iter(etree.Element)}
        if all(ident in ids for ident in named):  # an id that does not exist is a `pointer` finding
            line, column = doc.locate_attribute(note, "resp")
            findings.append(Finding(doc.name, line, column, ERROR, "resp-editors",
                                    f"an editorial note's @resp \"{note.get('resp')}\" does not name the editors' "
                                    f"respStmt (its xml:id ends \"_editors\"): editorial notes are the editors'; "
                                    f"write {wanted}"))
    return findings


def _measures(doc: Document) -> list[Finding]:
    """A measure's @quantity repeats the number it holds: the two must agree (when the number's own @value
    disagrees with its text, that is the one mistake reported, as num-text)."""
    from . import numbers

    findings = []
    for measure in doc.root.iter(T + "measure"):
        num = next(measure.iter(T + "num"), None)
        quantity, value = measure.get("quantity"), num.get("value") if num is not None else None
        if quantity is None or value is None:
            continue
        try:  # the bounded reader: a value such as 3E100000000 must not become a number of a hundred million digits
            read_quantity, read_value = _read_value(quantity), _read_value(value)
        except numbers.TooLarge:
            continue  # the num is reported as unreadable (num-unread)
        if read_quantity is None or read_value is None:
            continue  # a malformed value is the schema's to report
        if read_quantity[0] != read_value[0] and not _num_check(visible_text(num), value):
            line, column = doc.locate_attribute(measure, "quantity")
            findings.append(Finding(doc.name, line, column, ERROR, "measure-quantity",
                                    f"the measure's @quantity \"{quantity}\" differs from the @value \"{value}\" of "
                                    f"the number it holds (line {doc.locate(num)[0]}): correct one of them"))
    return findings


def facts(doc: Document) -> dict:
    """Return what the checks across files need of a document, as plain data (cached with the document).

    ids: its xml:ids (the first of each), in order; entries: its register entries that no pointer of the
    document itself names; links: the ids each other file is pointed into for, {file as written: (id or None,
    ...)}; broken: how many of its pointers name an id it does not have; names (when there are): {file: ((id,
    text), ...)} of the names in its text and correspDesc that point into another file; forms (in a register, for
    the entries that list forms besides their name): {entry: (the texts of its names)}; where: the positions of all
    these, and the texts of those names (to propose the register entry they lack), packed (`_details`). The cache
    holds the facts of every file and reads them all on every run, while the positions serve only the few findings:
    packed, they cost one object instead of dozens."""
    ids, entries, local, links, texts, forms, names = {}, [], {}, {}, {}, {}, {}
    written = _names_as_written(doc.root)
    starts = doc.start_offsets()
    for index, element in enumerate(doc.root.iter(etree.Element)):
        start = starts[index] if index < len(starts) else None
        ident = element.get(XML_ID)
        if ident is not None and ident not in ids:
            ids[ident] = doc.locate_attribute(element, XML_ID, start)
            parent = element.getparent()
            if parent is not None and parent.tag.rpartition("}")[2] in REGISTER_LISTS:
                entries.append(ident)
                named = [child for child in element if child.tag in _NAMES]
                if len(named) > 1:  # an entry that lists the forms of its name, not its name alone
                    forms[ident] = tuple(_text(child) for child in named)
        for attribute in _pointers_of(element):
            value = element.get(attribute)
            if not value:
                continue
            line, column = doc.locate_attribute(element, attribute, start)
            for token in value.split():
                _sort_pointer(token, (attribute, token, line, column), local, links)
            if attribute == "ref" and element in written and not value.startswith("#"):
                texts[line, column] = _text(element)
                file, _, ident = value.partition("#")
                if ident and " " not in value:
                    names.setdefault((file, ident, texts[line, column]), []).append((line, column))
    broken = [pointer for ident, pointers in local.items() if ident not in ids for pointer in pointers]
    details = {"ids": ids, "broken": broken, "links": links, "texts": texts, "names": names}
    found = {"root": doc.root.get(XML_ID), "ids": tuple(ids),
             "entries": tuple(e for e in entries if e not in local), "broken": len(broken),
             "links": {file: tuple(named) for file, named in links.items()}, "where": marshal.dumps(details)}
    if names:
        found["names"] = {}
        for file, ident, text in names:
            found["names"].setdefault(file, []).append((ident, text))
        found["names"] = {file: tuple(named) for file, named in found["names"].items()}
    if forms:
        found["forms"] = forms
    return found


def _pointers_of(element) -> list[str]:
    """Return the names of an element's pointer attributes, in the order they are written (its names alone, then
    only these values: lxml's items() looks each value up by name, the square of their number)."""
    return [attribute for attribute in element.keys() if attribute in _POINTERS]


def _names_as_written(root) -> set:
    """Return the names whose text is the source's (in the text and the correspondence metadata), not the
    header's descriptions of responsibility."""
    scopes = [root.find(T + "text"), *root.iter(T + "correspDesc")]
    return {name for scope in scopes if scope is not None for name in scope.iter(*_NAMES)}


def _text(element) -> str:
    return " ".join(visible_text(element).split())


_NAMES = frozenset(T + name for name in ("persName", "placeName", "orgName", "name"))
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


def real_paths(names: list[str]) -> list[str]:
    """Each file's real path, as Path.resolve gives it, with each folder resolved once (`_Paths`)."""
    paths = _Paths(names)
    return [paths.file(name) for name in names]


def _split(name: str) -> tuple[str, str]:
    """os.path.split for a file's name, faster: ("", "x.xml"), ("/", "x.xml"), ("tei", "x.xml")."""
    folder, slash, base = name.rpartition("/")
    return folder or slash, base


def reduce(checked: dict[str, dict], load_facts) -> list[Finding]:
    """Return the findings across documents, given each checked file's facts (name -> facts).

    `load_facts(path)` returns the facts of a file that a pointer names but that was not checked in this run
    (None when it cannot be read). The positions of a file's facts are unpacked only to report a finding.
    """
    findings, used, missing, paths = _cross(checked, load_facts)
    findings.extend(_missing_entries(missing))
    findings.extend(_page_names(checked))
    if len(checked) > 1:
        findings.extend(_unused(checked, used, paths))
    return findings


def reduce_for(name: str, checked: dict[str, dict], load_facts) -> list[Finding]:
    """Return what only the whole corpus decides for one of the checked files (the language server's question on
    every change): its ids that another file uses too, its page name taken by another document and, for a
    register, its entries no file points to. `reduce` answers it for every file; this resolves the corpus's
    pointers only when the file has entries, which is what keeps an answer quick in a large corpus."""
    findings = _duplicates(checked) + _page_names(checked)
    if checked[name]["entries"] and len(checked) > 1:
        _, used, _, paths = _cross(checked, load_facts)
        findings += _unused({name: checked[name]}, used, paths)
    return [finding for finding in findings if finding.file == name]


def register_report(checked: dict[str, dict], load_facts) -> tuple[list[Finding], list[Finding]]:
    """Return the findings of the entries the checked files point to but lack (one each, with its uses), and of
    the register entries none of them points to (`telegrams registers`)."""
    _, used, missing, paths = _cross(checked, load_facts)
    return _missing_entries(missing), _unused(checked, used, paths)


def _cross(checked: dict[str, dict], load_facts) -> tuple[list[Finding], dict, dict, _Paths]:
    """Resolve every pointer between files; return the findings but those of missing and unused entries, the ids
    used in each file (real path -> ids), the uses of each missing id ((real path, id) -> uses) and the paths."""
    paths = _Paths(checked)
    findings = _duplicates(checked)
    used: dict[str, set] = {}
    missing: dict[tuple[str, str], list] = {}  # (real path, id) -> the uses of an id that file lacks
    other: dict[str, dict | None] = {}
    targets: dict[str, tuple[str | None, set | None]] = {}  # real path -> (checked file, its ids)
    forms: dict[str, dict] = {}  # real path -> the forms of its register entries
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
                forms[path] = checked[checked_name].get("forms", {}) if checked_name else {}
            checked_name, target_ids = targets[path]
            if checked_name is None:
                if not Path(path).is_relative_to(os.path.dirname(paths.file(name))):
                    findings.extend(_outside(name, fact, file))
                    continue
                if path not in other:
                    other[path] = load_facts(path) if Path(path).is_file() else None
                    forms[path] = other[path].get("forms", {}) if other[path] is not None else {}
                target_ids = set(other[path]["ids"]) if other[path] is not None else None
            used.setdefault(path, set()).update(idents)
            if target_ids is None:
                findings.extend(_no_such_file(name, file, _details(fact)["links"][file]))
            elif any(i is not None and i not in target_ids for i in idents):
                details = _details(fact)
                for ident, pointers in details["links"][file].items():
                    if ident is not None and ident not in target_ids:
                        missing.setdefault((path, ident), []).extend(
                            (name, file, *pointer, details["texts"].get(tuple(pointer[2:]))) for pointer in pointers)
        if "names" in fact:
            findings.extend(_unknown_forms(name, fact, paths, forms))
    return findings, used, missing, paths


def _missing_entries(missing: dict) -> list[Finding]:
    return [_missing_entry(ident, sorted(uses, key=_use_order)) for (_, ident), uses in missing.items()]


def _unknown_forms(name: str, fact: dict, paths: _Paths, forms: dict[str, dict]) -> list[Finding]:
    """Return a warning for each name written in a form its register entry does not list (an entry that does not
    exist is a `pointer` finding)."""
    findings = []
    for file, named in fact["names"].items():
        entries = forms.get(paths.target(name, file))
        if not entries:
            continue
        for ident, text in named:
            listed = entries.get(ident)
            if listed is None or text in listed:
                continue
            element = next((kind[2] for prefix, kind in _ENTRY_KINDS.items() if ident.startswith(prefix)), "name")
            for line, column in _details(fact)["names"][file, ident, text]:
                findings.append(Finding(name, line, column, WARNING, "register-form",
                                        f"the name \"{text}\" is not among the forms of \"{ident}\" in {file} "
                                        f"({'; '.join(dict.fromkeys(listed)) or 'none'}): add it to the entry, "
                                        f"<{element} type=\"form\">{text}</{element}>, or point to the entry meant"))
    return findings


def _outside(name: str, fact: dict, file: str) -> list[Finding]:
    # the published edition cannot link out of its folder, so such a file is never read
    return [Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points outside the edition's "
                    "folder; a pointer may name only files of the edition (e.g. registers.xml#pers-...)")
            for pointers in _details(fact)["links"][file].values() for attribute, token, line, column in pointers]


def _no_such_file(name: str, file: str, pointers: dict) -> list[Finding]:
    """Return a finding for each pointer into `file`, which is no file of the corpus."""
    return [Finding(name, line, column, ERROR, "pointer", f"@{attribute}: \"{token}\" points into {file}, which "
                    f"is not a file of the corpus (check the file name)")
            for named in pointers.values() for attribute, token, line, column in named]


def _use_order(use: tuple) -> tuple:
    return use[0], use[4], use[5]


_ENTRY_KINDS = {"pers-": ("listPerson", "person", "persName"), "place-": ("listPlace", "place", "placeName"),
                "org-": ("listOrg", "org", "orgName")}


def _missing_entry(ident: str, uses: list[tuple]) -> Finding:
    """Return the one finding of an id that a file lacks, at its first use: how often and where it is used and,
    for a register entry (pers-, place-, org-), the entry to paste into that file, with the forms the uses write.

    A use is (document, file as written, attribute, token, line, column, the name's text or None)."""
    name, file, attribute, token, line, column, _ = uses[0]
    message = f"@{attribute}: \"{token}\" points to xml:id \"{ident}\", which does not exist in {file}"
    if len(uses) > 1:
        message += f"; it is used {len(uses)} times: {_places(uses)}"
    kind = next((kind for prefix, kind in _ENTRY_KINDS.items() if ident.startswith(prefix)), None)
    if kind:
        listed, entry, element = kind
        forms = "".join(f'<{element} type="form">{text}</{element}>'
                        for text in dict.fromkeys(use[6] for use in uses if use[6]))
        message += (f"; add the entry to {Path(file).name} (in <{listed}>), filling in the normalized name and the "
                    f"evidence: <{entry} xml:id=\"{ident}\"><{element} type=\"normalized\">…</{element}>{forms}"
                    f"<note type=\"identification\">…</note></{entry}>")
    else:
        message += "; correct the pointer, or add the element it points to"
    return Finding(name, line, column, ERROR, "pointer", message)


def _places(uses: list[tuple]) -> str:
    """Return "tei/a.xml lines 4, 9; tei/b.xml line 12" for a list of uses."""
    lines: dict[str, dict[str, None]] = {}
    for use in uses:
        lines.setdefault(use[0], {})[str(use[4])] = None
    return "; ".join(f"{name} line{'s' * (len(found) > 1)} {', '.join(found)}" for name, found in lines.items())


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


# --- what the editions publish ---------------------------------------------------------------------------------------

def _page_names(checked: dict[str, dict]) -> list[Finding]:
    """A page name the site's own pages use, or one another document's page already has (compared as a file
    system that ignores case may: `names.page_key`). The editions keep the first in path order and skip the other,
    so the finding is at the other; the first registers.xml alone may be called "registers"."""
    taken: dict[str, str] = {}
    findings = []
    for name in sorted(checked, key=lambda name: name.split(os.sep)):  # the order of project.xml_files
        base = os.path.basename(name)
        page = names.page_name(checked[name].get("root"), os.path.splitext(base)[0])
        key = names.page_key(page)
        registers = base == f"{names.REGISTERS_ID}.xml" and key == names.REGISTERS_ID and key not in taken
        if key in names.RESERVED_PAGES and not registers:
            findings.append(_at_root(name, checked[name], "page-name-reserved", f"this document's page would be "
                                     f"{page}.html, one of the site's own pages, which would replace it: give the "
                                     "document another xml:id and file name"))
        elif key in taken:
            findings.append(_at_root(name, checked[name], "page-name-collision", f"this document's page would be "
                                     f"{page}.html, the page of {names.printable(taken[key])} (ids that differ only "
                                     "in case, or in characters a page name cannot hold, are one page): rename one of "
                                     "the two"))
        else:
            taken[key] = name
    return findings


def _at_root(name: str, fact: dict, rule: str, message: str) -> Finding:
    line, column = _details(fact)["ids"].get(fact.get("root"), (1, 1))
    return Finding(names.printable(name), line, column, ERROR, rule, message)


def unpublishable(files: list[str], folders: list[str]) -> tuple[list[str], list[Finding]]:
    """Return the files the editions can publish, and a finding for each of the others, which are not read: a name
    they cannot publish (`names.file_name_problem`), or a file found in one of `folders` that resolves outside it
    (a symbolic link out of tei/, whose content is nobody's to check or show)."""
    homes = [os.path.abspath(folder) for folder in folders]
    kept, findings, known = [], [], {}
    for file in files:
        if "://" in file:
            kept.append(file)  # a URL: the file layer says it is not read
            continue
        problem = names.file_name_problem(os.path.basename(file))
        if problem:
            findings.append(Finding(names.printable(file), 0, 0, ERROR, "file-name", f"{problem}, so the editions "
                                    f"cannot publish it: {names.SAFE_NAME_HINT} (its content is checked once it is "
                                    "renamed)"))
            continue
        home = names.escapes(file, homes, known)
        if home:
            findings.append(Finding(names.printable(file), 0, 0, ERROR, "file-outside-project", "the file resolves "
                                    f"to {names.printable(os.path.realpath(file))}, outside {names.printable(home)}: "
                                    "it is neither checked nor published; copy the file into the folder instead of "
                                    "linking to it"))
            continue
        kept.append(file)
    return kept, findings
