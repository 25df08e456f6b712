"""What the language server knows of a document, as plain functions the server and the tests call alike.

- `Workspace.diagnose(path, text)`: every finding of `telegrams validate` for an unsaved buffer — well-formedness,
  RELAX NG, Schematron and the corpus rules — computed with the validator's own code, the other files of the
  corpus read from disk (or from their open buffers), so the editor sees exactly what `make validate` would say.
- `Workspace.registers()`: the register entries (id, kind, name, description, file, line) for completion, hover
  and go-to-definition.
- `cursor_context(text, offset)`: whether the cursor stands in an attribute value (which one, on which element),
  after `<` (an element name) or elsewhere.
- `Completer`: attribute values from the schema's closed lists, and the elements the RELAX NG allows at the
  cursor, computed by derivatives from the enclosing element's definition and its earlier children.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..xmlio import TEI_NS, XML_NS

_TAG_OPEN = re.compile(r"<([A-Za-z_][\w.:-]*)")
# An attribute whose value the cursor is in: name, =, the quote, and what is typed so far (no quote after it).
_IN_VALUE = re.compile(r"([A-Za-z_][\w.:-]*)\s*=\s*([\"'])([^\"'<>]*)$")
_POINTER_PREFIX = "registers.xml#"
# The corpus rules that only the whole corpus can decide for a file: ids unique across files, page names, entries
# that no document uses.
_ACROSS_FILES = frozenset({"id-corpus", "page-name-collision", "register-unused"})
SETTLED_NS = 2_000_000_000  # a folder unchanged for this long keeps its listing (Workspace.corpus_files)


@dataclass(frozen=True)
class Entry:
    """A register entry: what completion, hover and go-to-definition show of it."""

    ident: str
    kind: str  # person, place, org, ...
    name: str
    description: str
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Context:
    """Where the cursor is: in an attribute value (element, attribute, typed prefix), after '<', or in content."""

    kind: str  # "value", "element" or "content"
    element: str = ""
    attribute: str = ""
    prefix: str = ""


# --- the cursor ------------------------------------------------------------------------------------------------------

def cursor_context(text: str, offset: int) -> Context:
    """Tell what the cursor at `offset` is in, from the text before it (the buffer may be ill-formed there)."""
    before = text[:offset]
    tag_start = before.rfind("<")
    if tag_start < 0 or ">" in before[tag_start:]:
        return Context("content")
    tag = before[tag_start:]
    name = _TAG_OPEN.match(tag)
    if name is None:
        return Context("element", prefix="") if tag == "<" else Context("content")
    if name.end() == len(tag):
        return Context("element", prefix=name.group(1))
    value = _IN_VALUE.search(tag)
    if value:
        return Context("value", name.group(1), value.group(1), value.group(3))
    return Context("content", name.group(1))


def word_at(text: str, offset: int) -> str:
    """The attribute value token (e.g. registers.xml#pers-mao) or name under the cursor."""
    start = offset
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "\"'<>=":
        start -= 1
    end = offset
    while end < len(text) and not text[end].isspace() and text[end] not in "\"'<>=":
        end += 1
    return text[start:end]


# --- registers -------------------------------------------------------------------------------------------------------

_KINDS = {"person": "person", "place": "place", "org": "organisation", "event": "event", "object": "object",
          "bibl": "bibliographic entry"}


def read_registers(path: Path, text: str | None = None) -> dict[str, Entry]:
    """Return the entries of a register file (its text when given, else the file), by id; {} if unreadable."""
    from ..xmlio import parse_bytes, read_bytes

    try:
        data = text.encode("utf-8") if text is not None else read_bytes(path)
        doc = parse_bytes(data, str(path))
    except (FindingError, OSError):
        return {}
    entries = {}
    for element in doc.root.iter(etree.Element):
        ident = element.get(f"{{{XML_NS}}}id")
        local = etree.QName(element).localname
        if ident is None or local not in _KINDS:
            continue
        names = [n for n in element if etree.QName(n).localname.endswith("Name") or etree.QName(n).localname in
                 ("title", "name")]
        normal = next((n for n in names if n.get("type") == "normalized"), names[0] if names else None)
        name = " ".join("".join(normal.itertext()).split()) if normal is not None else ident
        described = next((c for c in element if etree.QName(c).localname in ("occupation", "note", "desc")), None)
        description = " ".join("".join(described.itertext()).split()) if described is not None else ""
        line, column = doc.locate_attribute(element, f"{{{XML_NS}}}id")
        entries[ident] = Entry(ident, _KINDS[local], name, description, str(path), line, column)
    return entries


def entry_stub(ident: str) -> str:
    """The TEI to paste into the registers for an entry that a pointer names but that does not exist yet."""
    kind, _, rest = ident.partition("-")
    label = rest.replace("-", " ").title() or ident
    shapes = {"pers": ("listPerson", "person", "persName"), "place": ("listPlace", "place", "placeName"),
              "org": ("listOrg", "org", "orgName")}
    _, element, name = shapes.get(kind, shapes["pers"])
    return (f'<{element} xml:id="{ident}">\n  <{name} type="normalized">{label}</{name}>\n'
            f'  <note type="identification">[to be written: who or what this is, and the evidence]</note>\n'
            f'</{element}>\n')


# --- the schema ------------------------------------------------------------------------------------------------------

class Completer:
    """Completions from the RELAX NG: closed value lists per attribute, and the elements allowed at the cursor."""

    def __init__(self, rng_path: Path):
        from ..validate import rng_model

        self.grammar = rng_model.load_grammar(rng_path)
        self._values = _closed_values(rng_path)

    def values(self, element: str, attribute: str) -> list[str]:
        """The values a closed list allows for this attribute on this element (on any element, if unknown)."""
        found = self._values.get((element, attribute))
        if found is None:
            found = sorted({v for (_, a), vs in self._values.items() if a == attribute for v in vs})
        return list(found)

    def elements_at(self, text: str, offset: int) -> list[str]:
        """The elements the schema allows where the cursor stands, given the parent's earlier children."""
        parent, earlier = _parent_and_earlier(text, offset)
        if parent is None:
            return sorted(local for _, local in self.grammar.element_names())
        g = self.grammar
        state = g.not_allowed
        for pattern in g.elements_named(TEI_NS, parent):
            state = g.choice(state, pattern)
        state = g.start_tag_open(state, TEI_NS, parent)
        state = _skip_attributes(g, state)
        for child in earlier:
            after_child = _skip_element(g, g.start_tag_open(state, TEI_NS, child))
            if after_child is not g.not_allowed:
                state = after_child  # an earlier child out of place is passed over, as the explainer recovers
        names = set()
        for element in _first_elements(g, state, set()):
            names.update(local for ns, local in _names(element.a) if ns == TEI_NS)
        return sorted(names, key=str.lower)


def _closed_values(rng_path: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(element, attribute): values} for every attribute whose content is a choice of values, following refs."""
    ns = "{http://relaxng.org/ns/structure/1.0}"
    tree = etree.parse(str(rng_path), etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    defines: dict[str, list] = {}
    for define in tree.iter(f"{ns}define"):
        defines.setdefault(define.get("name"), []).append(define)

    def attributes(node, seen: set) -> dict[str, set]:
        found: dict[str, set] = {}
        for child in node.iter():
            if child is not node and child.tag == f"{ns}element":
                continue
            if child.tag == f"{ns}attribute" and child.get("name"):
                values = {v.text.strip() for v in child.iter(f"{ns}value") if v.text}
                if values:
                    found.setdefault(child.get("name"), set()).update(values)
            elif child.tag == f"{ns}ref" and child.get("name") not in seen and not _inside_element(child, node, ns):
                name = child.get("name")
                seen.add(name)
                for define in defines.get(name, []):
                    if define.find(f"{ns}element") is None:
                        for attribute, values in attributes(define, seen).items():
                            found.setdefault(attribute, set()).update(values)
        return found

    result = {}
    for element in tree.iter(f"{ns}element"):
        name = element.get("name")
        if name:
            for attribute, values in attributes(element, set()).items():
                result[(name, attribute)] = tuple(sorted(values))
    return result


def _inside_element(node, top, ns: str) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not top:
        if parent.tag == f"{ns}element":
            return True
        parent = parent.getparent()
    return False


def _parent_and_earlier(text: str, offset: int) -> tuple[str | None, list[str]]:
    """The element the cursor is inside, and the names of its children that end before the cursor."""
    from ..validate.wellformed import _TAGS

    stack: list[tuple[str, list[str]]] = []
    for match in _TAGS.finditer(text, 0, offset):
        if match.end() > offset:
            break
        if match.group(1):
            closing = match.group(1)
            while stack and stack[-1][0] != closing:
                stack.pop()  # an element left open in the buffer: typing goes on, so does the scan
            if stack:
                stack.pop()
                if stack:
                    stack[-1][1].append(closing)
        elif match.group(2):
            if match.group(3):
                if stack:
                    stack[-1][1].append(match.group(2))
            else:
                stack.append((match.group(2), []))
    if not stack:
        return None, []
    return stack[-1][0].rpartition(":")[2], stack[-1][1]


def _skip_attributes(g, state):
    """Accept the start tag's attributes as they are (completion is about content) and close it."""
    return g.start_tag_close(state, lenient=True)


def _skip_element(g, state):
    """From the state just after a child's start tag, the state after its end tag, whatever its content."""
    from ..validate.rng_model import AFTER, CHOICE

    if state.kind is AFTER:
        return state.b
    if state.kind is CHOICE:
        result = g.not_allowed
        for part in state.a:
            result = g.choice(result, _skip_element(g, part))
        return result
    return g.not_allowed


def _first_elements(g, p, seen: set) -> list:
    """The element patterns that may start in state p."""
    from ..validate.rng_model import AFTER, CHOICE, ELEMENT, GROUP, INTERLEAVE, ONE_OR_MORE

    if p in seen:
        return []
    seen.add(p)
    kind = p.kind
    if kind is ELEMENT:
        return [p]
    if kind is CHOICE:
        return [e for part in p.a for e in _first_elements(g, part, seen)]
    if kind is INTERLEAVE:
        return _first_elements(g, p.a, seen) + _first_elements(g, p.b, seen)
    if kind is GROUP:
        return _first_elements(g, p.a, seen) + (_first_elements(g, p.b, seen) if p.a.nullable else [])
    if kind in (ONE_OR_MORE, AFTER):
        return _first_elements(g, p.a, seen)
    return []


def _names(name_class) -> list[tuple[str, str]]:
    from ..validate.rng_model import name_class_names

    return [n for n in name_class_names(name_class) if isinstance(n, tuple)]


# --- the corpus ------------------------------------------------------------------------------------------------------

def _folder_stamps(top: Path) -> tuple:
    """The time stamp of a folder and of every folder under it (not through links), in walk order."""
    stamps, pending = [], [str(top)]
    while pending:
        folder = pending.pop()
        try:
            stamps.append((folder, os.stat(folder).st_mtime_ns))
            with os.scandir(folder) as entries:
                pending.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:
            continue
    return tuple(stamps)


class Workspace:
    """The project as the editor sees it: files on disk, overlaid by the buffers open in the editor."""

    def __init__(self, root: Path):
        self.root = root
        self.tei = root / "tei"
        self.rng = root / "schema" / "telegrams.rng"
        self.sch = root / "schema" / "telegrams.sch"
        self.open: dict[str, str] = {}  # absolute path -> unsaved text
        self._facts: dict[str, tuple[float, dict | None]] = {}
        self._listing: tuple[tuple, list[str]] | None = None  # (the folders' time stamps, the files' real paths)
        self._completer: Completer | None = None
        self._validated = None  # validate's cache (cache.Store): None until read, False once no longer needed

    def _validated_facts(self, path: str) -> dict | None:
        """The facts `telegrams validate` stored for a file it checked and that has not changed since (None when
        it has or was never checked): a corpus of 10,000 files is then not parsed again when the editor opens one
        of them. Read from the store once, and let go of once every file's facts are held (`diagnose`): a file
        changed later is read from disk (`_disk_facts`)."""
        from ..validate import command

        if self._validated is False:
            return None
        if self._validated is None:  # where validate keeps it in this project (its command.CACHE_DIR)
            self._validated = command.results_store(self._layers(), self.root / "build" / "cache")
        return self._validated.facts(path)

    def _layers(self):
        from ..validate import command

        return command.Layers(self.rng, self.sch, corpus=True, tei_root=True)  # the edition's profile

    # the corpus rules need every file's facts; those on disk are read once and again only when they change
    def _disk_facts(self, path: str) -> dict | None:
        from ..validate import corpus, wellformed
        from ..xmlio import read_bytes

        try:
            stamp = os.stat(path).st_mtime_ns
        except OSError:
            return None
        known = self._facts.get(path)
        if known and known[0] == stamp:
            return known[1]
        fact = self._validated_facts(path) if known is None else None
        if fact is None:
            try:
                fact = corpus.facts(wellformed.load(path, read_bytes(path)))
            except FindingError:
                fact = None
        self._facts[path] = (stamp, fact)
        return fact

    def _facts_of(self, path: str) -> dict | None:
        if path in self.open:
            from ..validate import corpus, wellformed

            try:
                return corpus.facts(wellformed.load(path, self.open[path].encode("utf-8")))
            except FindingError:
                return None
        return self._disk_facts(path)

    def corpus_files(self) -> list[str]:
        """The real paths of the corpus's files. A file added, removed or renamed changes its folder's time stamp,
        so the files are listed (and resolved) again only when a folder's stamp has changed: in a corpus of
        10,000 files, listing and resolving them all on every change took longer than checking the buffer."""
        from ..project import xml_files
        from ..validate import corpus

        if not self.tei.is_dir():
            return []
        stamps = _folder_stamps(self.tei)
        if self._listing is not None and self._listing[0] == stamps:
            return self._listing[1]
        files = corpus.real_paths([str(path) for path in xml_files(self.tei)])
        # A folder changed within the file system's time resolution of the listing may change again under the same
        # stamp: such a listing is not kept ("racily clean", as git says), and the next change lists again.
        settled = time.time_ns() - SETTLED_NS
        self._listing = (stamps, files) if all(stamp < settled for _, stamp in stamps) else None
        return files

    def diagnose(self, path: str, text: str) -> list[Finding]:
        """Every finding of `telegrams validate` for this buffer, as if it were saved."""
        from ..validate import command, corpus

        path = str(Path(path).resolve())
        command._start(self._layers(), None)
        findings, fact, schema_findings = command._check((path, text.encode("utf-8")))
        findings = list(findings) + [f for f in schema_findings if f.severity == ERROR]
        if fact is None or not Path(path).is_relative_to(self.tei.resolve()):
            return sorted(set(findings))
        # The pointers of this buffer, resolved alone: a missing entry is then reported at this buffer's own first
        # use of it, not at the first use in the corpus, which may be in another file.
        findings.extend(f for f in corpus.reduce({path: fact}, self._facts_of) if f.file == path)
        checked = {path: fact}
        for other in self.corpus_files():
            if other != path:
                other_fact = self._facts_of(other)
                if other_fact is not None:
                    checked[other] = other_fact
        self._validated = False  # the facts of every file are held now: the rest of the store is not needed
        findings.extend(f for f in corpus.reduce_for(path, checked, self._facts_of)  # what only the corpus shows
                        if f.rule in _ACROSS_FILES)
        return sorted(set(findings))

    def registers(self) -> dict[str, Entry]:
        path = self.tei / "registers.xml"
        return read_registers(path, self.open.get(str(path.resolve())))

    def completer(self) -> Completer:
        if self._completer is None:
            self._completer = Completer(self.rng)
        return self._completer

    def pointed_entry(self, token: str) -> Entry | None:
        """The register entry a pointer such as registers.xml#pers-mao names."""
        if not token.startswith(_POINTER_PREFIX):
            return None
        return self.registers().get(token[len(_POINTER_PREFIX):])

    def completions(self, text: str, offset: int) -> list[tuple[str, str, str]]:
        """(label, detail, documentation) for the cursor: register pointers, closed values or elements."""
        context = cursor_context(text, offset)
        if context.kind == "value":
            if context.attribute in ("ref", "corresp", "key") and context.element.endswith(
                    ("Name", "name", "author", "repository", "rs", "title")):
                return [(f"{_POINTER_PREFIX}{e.ident}", f"{e.kind}: {e.name}", e.description)
                        for e in self.registers().values()]
            return [(v, f"@{context.attribute} of <{context.element}>", "")
                    for v in self.completer().values(context.element, context.attribute)]
        if context.kind == "element":
            return [(name, "allowed here", "") for name in self.completer().elements_at(text, offset)]
        return []
