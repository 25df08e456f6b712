"""Customization + source -> compiled ODD: pick the specs, apply the modes, merge, prune (what odd2odd does).

The result is a whole TEI document (prose kept) whose first schemaSpec holds a flat list of elementSpec, classSpec,
macroSpec and dataSpec. Behaviour follows /work/shared/docs/odd-processing.md §1-3; where the official chain has a
defect we either reproduce it or refuse the input, as listed in `divergences.py`.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from .. import xmlio
from ..findings import Finding, FindingError
from .catalog import Catalog
from .external import load_grammar
from .source import SPEC_TAGS, T, Source, load_source
from .xinclude import Includer

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = "{%s}" % RNG_NS
TEIX_NS = "http://www.tei-c.org/ns/Examples"
MODES = ("add", "delete", "change", "replace")
REF_TAGS = (T + "elementRef", T + "classRef", T + "macroRef", T + "dataRef")
KIND = {T + "elementSpec": "element", T + "classSpec": "class", T + "macroSpec": "macro", T + "dataSpec": "datatype"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
DEFAULT_EXCEPTIONS = "http://www.tei-c.org/ns/1.0 teix:egXML"
# Children of an elementSpec in the order odd2odd writes them after a change.
DOC_CHILDREN = ("equiv", "gloss", "desc")
TAIL_CHILDREN = ("exemplum", "remarks", "listRef")


def local(node) -> str:
    return etree.QName(node).localname if isinstance(node.tag, str) else ""


def kids(node, name: str) -> list:
    """Return the TEI children of `node` called `name`."""
    return [c for c in node if c.tag == T + name]


def tokens(value: str | None) -> list[str]:
    return value.split() if value else []


def occurs(node) -> tuple[int, int]:
    """Return (min, max) of an att.repeatable element; max -1 means unbounded."""
    low = (node.get("minOccurs") or "1").strip()
    high = (node.get("maxOccurs") or "1").strip()
    return int(low), (-1 if high == "unbounded" else int(high))


class Compiler:
    """One compilation of one ODD: holds the inputs, the findings and the intermediate indexes."""

    def __init__(self, odd_path, p5_path, warnings: list | None, catalog: Catalog | None = None):
        self.odd_path = Path(odd_path)
        self.doc = xmlio.parse(odd_path)
        self.p5_path = Path(p5_path)
        self.warnings = warnings if warnings is not None else []
        self.catalog = catalog if catalog is not None else Catalog.from_environment()
        self.docs: dict[int, xmlio.Document] = {}  # element id -> document it came from (external specGrps)
        self.doc.locate(self.doc.root)  # index the start tags before includes change the tree
        Includer(self.odd_path, self.catalog, self.error).expand(self.doc.root, self.odd_path.resolve().as_uri())

    # -- findings ---------------------------------------------------------------------------------------------
    def _finding(self, node, message: str, severity: str) -> Finding:
        doc = self.docs.get(node.getroottree().getroot(), self.doc) if node is not None else self.doc
        if node is None:
            return Finding(doc.name, 0, 0, severity, "odd", message)
        included = next((n.get(XML_BASE) for n in (node, *node.iterancestors()) if n.get(XML_BASE)), None)
        if included and doc is self.doc and included.startswith("file:"):  # brought in by an xi:include
            return Finding(unquote(urlparse(included).path), node.sourceline or 0, 0, severity, "odd", message)
        line, column = doc.locate(node)
        return Finding(doc.name, line, column, severity, "odd", message)

    def error(self, node, message: str):
        raise FindingError(self._finding(node, message, "error"))

    def warn(self, node, message: str) -> None:
        self.warnings.append(self._finding(node, message, "warning"))

    # -- inputs -----------------------------------------------------------------------------------------------
    def check_modes(self) -> None:
        for node in self.doc.root.iter():
            if isinstance(node.tag, str) and node.tag.startswith(T) and node.get("mode") is not None:
                if node.get("mode") not in MODES:
                    self.error(node, f"<{local(node)}> has mode=\"{node.get('mode')}\"; "
                                     f"a mode is one of: {', '.join(MODES)}")

    def resolve_path(self, value: str, node) -> Path:
        if value.startswith("tei:"):
            self.error(node, f"source=\"{value}\" names a TEI release on the web; this processor reads only local "
                             "files (give the path of a p5subset.xml)")
        if value.startswith("file:"):
            value = unquote(urlparse(value).path)
        elif "://" in value:
            self.error(node, f"source=\"{value}\" is a URL; this processor reads only local files")
        path = Path(value)
        return path if path.is_absolute() else (self.odd_path.parent / path)

    def source_for(self, node) -> Source:
        """Return the source a reference resolves against: its own @source, else schemaSpec/@source, else p5."""
        value = node.get("source") or self.schema.get("source")
        if not value:
            return self.default_source
        return load_source(self.resolve_path(value, node))

    def expand_groups(self, children, seen: tuple = ()) -> list:
        """Return schemaSpec children with every specGrpRef replaced by the content of its specGrp."""
        items = []
        for child in children:
            if not isinstance(child.tag, str):
                continue
            if child.tag == T + "specGrp":
                continue  # a specGrp is a container for prose: only a specGrpRef brings its specs in
            if child.tag != T + "specGrpRef":
                items.append(child)
                continue
            target = child.get("target", "")
            if target in seen:
                self.error(child, f"specGrpRef target=\"{target}\" refers to itself through a chain of specGrps")
            if target.startswith("#"):
                group = self.ids.get(target[1:])
                if group is None:  # the official chain skips it without a word; we say so
                    self.warn(child, f"specGrpRef target=\"{target}\" points at no element of this ODD, so it "
                                     "brings in nothing (as in the official TEI chain)")
                    continue
                self.referenced_groups.add(group)
                items.extend(self.expand_groups(list(group), seen + (target,)))
            else:
                path = self.resolve_path(target, child)
                doc = xmlio.parse(path)
                root = doc.root
                content = list(root) if root.tag != T + "specGrp" else list(root)
                groups = kids(root, "specGrp")
                if groups:
                    content = [c for g in groups for c in g]
                self.docs[root] = doc
                self.external_roots.append(root)
                items.extend(self.expand_groups(content, seen + (target,)))
        return items

    # -- the whole compilation --------------------------------------------------------------------------------
    def run(self) -> etree._ElementTree:
        self.check_modes()
        root = self.doc.root
        schemas = [s for s in root.iter(T + "schemaSpec")]
        if not schemas:
            self.error(root, "the ODD has no <schemaSpec>: there is nothing to compile")
        self.schema = schemas[0]
        if not self.schema.get("ident"):
            self.error(self.schema, "<schemaSpec> has no @ident (it names the schema)")
        self.ids = {n.get(xmlio_id()): n for n in root.iter() if isinstance(n.tag, str) and n.get(xmlio_id())}
        self.referenced_groups: set = set()
        self.external_roots: list = []
        self.default_source = load_source(self.p5_path)
        self.items = self.expand_groups(list(self.schema))
        self.check_idents()
        self.collect_modes(schemas[1:])
        self.select()
        self.warn_dangling()
        specs = self.apply_modes()
        specs = self.prune(specs)
        self.check_macro_cycles(specs)
        self.check_start(specs)
        self.check_imported_names(specs)
        return self.assemble(specs, schemas[1:])

    # -- checks the official chain does not make (its output would be unusable or unsafe) ---------------------
    def written_specs(self) -> list:
        """The specs this ODD writes itself (inside schemaSpec, its specGrps, or loose in the prose)."""
        return [n for item in self.items for n in item.iter(*SPEC_TAGS)] + [
            n for n in self.doc.root.iter(*SPEC_TAGS) if n not in self.items]

    def check_idents(self) -> None:
        """Idents become element, attribute and pattern names and the docs' file names: they must be NCNames."""
        for spec in self.written_specs():
            names = [(spec, spec.get("ident"), "ident")]
            names += [(alt, alt.text, "altIdent") for alt in kids(spec, "altIdent")]
            names += [(att, (att.get("ident") or "").removeprefix("xml:"), "ident") for att in spec.iter(T + "attDef")]
            for node, name, what in names:
                if name is not None and not NCNAME.match(name.strip() if what == "altIdent" else name):
                    self.error(node, f"<{local(node)}> {what} \"{name}\" is not a valid XML name (letters, digits, "
                                     "'.', '-', '_'; no '/', ':' or spaces), so it cannot name an element, an "
                                     "attribute or a pattern")

    def warn_dangling(self) -> None:
        """Warn of references, in the ODD's own specs, to things that exist nowhere (the official chain drops
        them silently: a dangling ref disappears from its content model, a memberOf from the classes)."""
        known = set(self.default_source.specs) | set(self.selected) | self.deleted
        known |= {s.get("ident") for s in self.written_specs()}
        imported = {d.get("name") for m in self.extras if m.tag == T + "moduleRef" for d in m.iter(R + "define")}
        prefix = self.schema.get("prefix") or ""
        effective = [n for item in self.items for n in item.iter(*SPEC_TAGS)] + self.loose
        for spec in effective:
            for node in spec.iter(*REF_TAGS, R + "ref", T + "memberOf"):
                if node.tag == R + "ref":
                    name = node.get("name", "")
                    if name in imported or pattern_base(name.removeprefix(prefix)) in known:
                        continue
                    what = f"<rng:ref name=\"{name}\">"
                else:
                    key = node.get("key")
                    if not key or key in known or key in imported:
                        continue
                    what = f"<{local(node)} key=\"{key}\">"
                self.warn(node, f"{what} names nothing that exists in the TEI source or this ODD, so it is dropped "
                                "(as in the official TEI chain)")

    def check_macro_cycles(self, specs) -> None:
        """A macro that reaches itself through macros only (no element in between) is not a grammar: refuse it
        (the official chain writes a schema that RELAX NG validators reject)."""
        macros = {s.get("ident"): s for s in specs if s.tag in (T + "macroSpec", T + "dataSpec")}
        uses = {ident: {pattern_base(n.get("key") or n.get("name") or "") for n in spec.iter(
            T + "macroRef", T + "dataRef", R + "ref") if next(n.iterancestors(R + "element"), None) is None}
            & set(macros) for ident, spec in macros.items()}
        state: dict[str, int] = {}

        def visit(ident, path):
            if state.get(ident) == 2:
                return
            if state.get(ident) == 1:
                chain = " -> ".join(path[path.index(ident):] + [ident])
                node = self.replaced.get(ident) or (self.changes.get(ident) or [None])[0] or self.origin.get(ident)
                self.error(node if node is not None and self.in_odd(node) else self.schema,
                           f"macro {ident} refers to itself ({chain}) with no element in between; RELAX NG forbids "
                           "such a reference, so validators would reject the schema")
            state[ident] = 1
            for used in sorted(uses[ident]):
                visit(used, path + [ident])
            state[ident] = 2

        for ident in macros:
            visit(ident, [])

    def in_odd(self, node) -> bool:
        return node.getroottree().getroot() in (self.doc.root, *self.docs)

    def check_imported_names(self, specs) -> None:
        """Warn when a moduleRef/@url grammar defines a pattern named like one of the schema's: the schema's
        define replaces it (as in the official chain), so the grammar's own refs then reach the TEI pattern."""
        prefix = self.schema.get("prefix") or ""
        ours = {(s.get("prefix") if s.get("prefix") is not None else prefix) + s.get("ident") for s in specs}
        for module in (m for m in self.extras if m.tag == T + "moduleRef"):
            clashes = sorted({d.get("name") for d in module[0].iter(R + "define") if not d.get("combine")} & ours)
            if clashes:
                original = next((m for m in self.items if m.tag == T + "moduleRef" and m.get("url") == module.get(
                    "url")), self.schema)
                self.warn(original, f"the grammar at {module.get('url')} defines {', '.join(clashes)}, also a "
                                    "pattern of this schema: the schema's definition replaces the grammar's (as in "
                                    "the official TEI chain); give the moduleRef a @prefix to keep both")

    def check_start(self, specs) -> None:
        """The root elements: names in @start without a pattern are dropped (officially, silently); none left is
        a schema that accepts no document, which the official chain writes as an empty <start><choice/>."""
        patterns = {s.get("ident") for s in specs}
        patterns |= {d.get("name") for m in self.extras if m.tag == T + "moduleRef" for d in m.iter(R + "define")}
        value = self.schema.get("start")
        names = value.split() if value is not None else ["TEI", "teiCorpus"]
        kept = [n for n in names if n in patterns]
        if value is not None:
            for name in names:
                if name not in patterns:
                    self.warn(self.schema, f"start names \"{name}\", which is not in the schema: it is dropped "
                                           "(as in the official TEI chain)")
        if not kept:
            said = f"start=\"{value}\"" if value is not None else "without @start, the root is <TEI>, and it"
            self.error(self.schema, f"{said} names no element of the schema, so no document could ever be valid; "
                                    "name the root element(s) in schemaSpec/@start")

    def loose_specs(self, others) -> list:
        """Specs in the prose: outside every schemaSpec and every specGrp (their delete/replace still act)."""
        excluded = set()
        for holder in [self.schema, *others, *self.doc.root.iter(T + "specGrp")]:
            excluded.update(holder.iter(*SPEC_TAGS))
        return [n for n in self.doc.root.iter(*SPEC_TAGS) if n not in excluded]

    def collect_modes(self, others) -> None:
        inside = [n for item in self.items for n in item.iter(*SPEC_TAGS)]
        self.loose = self.loose_specs(others)
        scope = inside + self.loose
        self.deleted = {n.get("ident") for n in scope if n.get("mode") == "delete"}
        for n in self.loose:
            if n.get("mode") in ("delete", "replace"):
                self.warn(n, f"<{local(n)} ident=\"{n.get('ident')}\" mode=\"{n.get('mode')}\"> stands outside "
                             "schemaSpec and specGrp, yet it applies (as in the official TEI chain)")
        holder = next((n for n in (self.schema, *self.schema.iterancestors()) if n.get(XML_LANG)), None)
        lang = holder.get(XML_LANG) if holder is not None else "en"
        if lang.lower() != "en" and not lang.lower().startswith("en-"):
            self.warn(holder, f"xml:lang=\"{lang}\" on <{local(holder)}> makes every constraint of the schema "
                              "non-English, and only English ones are extracted (as in the official TEI chain): the "
                              "Schematron will hold none of the TEI's or the schemaSpec's rules. Give the schemaSpec "
                              "xml:lang=\"en\" to keep them")
        self.replaced: dict[str, etree._Element] = {}
        for n in scope:
            if n.get("mode") == "replace":
                self.replaced.setdefault(n.get("ident"), n)
        self.changes: dict[str, list] = {}
        for n in inside:
            if n.get("mode") == "change":
                self.changes.setdefault(n.get("ident"), []).append(n)
        holders = [self.doc.root, *self.external_roots]
        skip = set()
        for other in others:
            skip.update(other.iter())
        for group in self.doc.root.iter(T + "specGrp"):
            if group not in self.referenced_groups:
                skip.update(group.iter())
        self.constraint_modes = {c.get("ident") for h in holders for c in h.iter(T + "constraintSpec")
                                 if c not in skip and c.get("mode") in ("delete", "replace", "change")}

    # -- selection (moduleRef, *Ref, new specs) ---------------------------------------------------------------
    def select(self) -> None:
        self.selected: dict[str, etree._Element] = {}
        self.origin: dict[str, etree._Element] = {}  # ident -> the ODD node that brought it in
        self.extras: list = []
        direct = {c.get("key") for c in self.items if c.tag in REF_TAGS[:3] and c.get("key")}
        module_refs = [c for c in self.items if c.tag == T + "moduleRef"]
        ordered = ([m for m in module_refs if m.get("key") == "tei"] + [m for m in module_refs if m.get("key") == "core"]
                   + [m for m in module_refs if m.get("key") not in ("tei", "core")])
        for ref in ordered:
            if ref.get("url") and not ref.get("key"):
                self.extras.append(self.external_module(ref))
                continue
            self.expand_module(ref, direct)
        for item in self.items:
            self.select_item(item)

    def external_module(self, ref):
        """A copy of moduleRef/@url holding the imported grammar (an rng:div) before its own content."""
        base = ref.base or self.odd_path.resolve().as_uri()
        div = load_grammar(ref.get("url"), base, self.catalog, ref.get("prefix", ""),
                           lambda message: self.error(ref, message))
        module = copy.deepcopy(ref)
        module.insert(0, div)
        return module

    def expand_module(self, ref, direct: set) -> None:
        key = ref.get("key")
        source = self.source_for(ref)
        if key not in source.modules and key not in source.elements and key not in source.nonelements:
            known = ", ".join(sorted(source.modules))
            self.error(ref, f"moduleRef key=\"{key}\": there is no module of that name (modules: {known})")
        include, exclude = set(tokens(ref.get("include"))), set(tokens(ref.get("except")))
        members = {s.get("ident") for s in source.elements.get(key, [])}
        for name in sorted((include | exclude) - members):
            self.warn(ref, f"moduleRef key=\"{key}\": module {key} has no element <{name}>")
        for spec in source.nonelements.get(key, []):
            if spec.get("ident") not in direct:
                self.add(spec.get("ident"), spec, ref)
        for spec in source.elements.get(key, []):
            ident = spec.get("ident")
            wanted = ident in include if include else ident not in exclude
            if wanted and ident not in direct:
                self.add(ident, spec, ref)

    def add(self, ident: str, spec, by, new: bool = False) -> None:
        if ident in self.deleted:
            return
        if ident in self.selected:
            if self.selected[ident] is spec:
                return
            if new:
                self.error(by, f"<{local(spec)} ident=\"{ident}\"> adds a specification that already exists "
                               "(it comes from the source); use mode=\"change\" or mode=\"replace\" to modify it")
            return
        self.selected[ident] = spec
        self.origin[ident] = by

    def select_item(self, item) -> None:
        if item.tag in REF_TAGS and item.get("key") and not item.get("name"):
            key = item.get("key")
            spec = self.source_for(item).specs.get(key)
            if spec is None:
                self.error(item, f"<{local(item)} key=\"{key}\">: the source has no specification \"{key}\"")
            if key in self.deleted:
                self.error(item, f"<{local(item)} key=\"{key}\"> brings in \"{key}\", which this ODD deletes")
            if item.tag == T + "classRef" and (item.get("include") or item.get("except")):
                spec = self.filter_class_attributes(spec, item)
            self.add(key, spec, item)
        elif item.tag in SPEC_TAGS:
            if item.get("mode") in (None, "add"):
                if not item.get("ident"):
                    self.error(item, f"<{local(item)}> has no @ident")
                self.add(item.get("ident"), item, item, new=True)
        elif item.tag not in (T + "moduleRef",) + REF_TAGS:
            self.extras.append(item)

    def filter_class_attributes(self, spec, ref):
        spec = copy.deepcopy(spec)
        include, exclude = set(tokens(ref.get("include"))), set(tokens(ref.get("except")))
        for att in list(spec.iter(T + "attDef")):
            ident = att.get("ident")
            if (ident not in include) if include else (ident in exclude):
                att.getparent().remove(att)
        return spec

    # -- modes ------------------------------------------------------------------------------------------------
    def apply_modes(self) -> list:
        known = set(self.default_source.specs) | set(self.selected)
        for ident, nodes in self.changes.items():
            if ident not in known:
                self.warn(nodes[0], f"<{local(nodes[0])} ident=\"{ident}\" mode=\"change\">: no specification "
                                    f"\"{ident}\" exists, so the change does nothing")
        for ident in self.deleted:
            if ident not in known:
                node = next(n for n in self.items + self.loose if n.get("ident") == ident)
                self.warn(node, f"<{local(node)} ident=\"{ident}\" mode=\"delete\">: no specification \"{ident}\" "
                                "exists, so there is nothing to delete")
        specs = []
        for ident, original in self.selected.items():
            if ident in self.replaced:
                spec = self.copy_new(self.replaced[ident])
            elif ident in self.changes:
                spec = self.change(original, self.changes[ident])
            elif original.getroottree().getroot() in (self.doc.root, *self.docs):
                spec = self.copy_new(original)
            else:
                spec = copy.deepcopy(original)
            specs.append(spec)
        return specs

    def copy_new(self, node):
        """Copy a spec written in the customization (add or replace): no mode, content normalized."""
        spec = copy.deepcopy(node)
        spec.attrib.pop("mode", None)
        for att in spec.iter(T + "attDef"):
            if att.get("mode") == "add":
                del att.attrib["mode"]
        for content in kids(spec, "content"):
            normalize_customized_content(content)
        return spec

    def change(self, original, changes: list):
        """Merge the change-mode specs for one ident (concatenated) into a copy of the original."""
        change = changes[0]  # read only: the ODD's own node, so errors point at its real place
        if len(changes) > 1:
            change = copy.deepcopy(changes[0])
            for extra in changes[1:]:
                for child in extra:
                    change.append(copy.deepcopy(child))
        if original.tag == T + "elementSpec":
            return self.change_element(original, change)
        if original.tag == T + "classSpec":
            return self.change_class(original, change)
        return self.change_macro(original, change)

    def _copy(self, nodes) -> list:
        return [copy.deepcopy(n) for n in nodes]

    def _either(self, change, original, name: str) -> list:
        return self._copy(kids(change, name) or kids(original, name))

    def merged_classes(self, original, change):
        classes = etree.Element(T + "classes")
        given = kids(change, "classes")
        if given and given[0].get("mode") == "change":
            members = kids(given[0], "memberOf")
            dropped = {m.get("key") for m in members if m.get("mode") == "delete"}
            added = [m for m in members if m.get("mode") in (None, "add")]
            for m in added:
                new = etree.SubElement(classes, T + "memberOf", key=m.get("key", ""))
                for name in ("min", "max"):
                    if m.get(name):
                        new.set(name, m.get(name))
            added_keys = {m.get("key") for m in added}
            for m in kids_path(original, "classes", "memberOf"):
                if m.get("key") not in dropped | added_keys:
                    etree.SubElement(classes, T + "memberOf", key=m.get("key", ""))
        elif given:
            for m in kids(given[0], "memberOf"):
                if m.get("mode") != "delete":
                    member = copy.deepcopy(m)
                    member.attrib.pop("mode", None)
                    classes.append(member)
        else:
            for m in kids_path(original, "classes", "memberOf"):
                classes.append(copy.deepcopy(m))
        return classes

    def merged_constraints(self, original, change) -> list:
        mine = kids(change, "constraintSpec")
        out = [c for c in mine if c.get("mode") in (None, "add")]
        out += [c for c in mine if c.get("mode") == "replace"] + [c for c in mine if c.get("mode") == "change"]
        out = self._copy(out)
        for c in original.iter(T + "constraintSpec"):
            if c.get("ident") not in self.constraint_modes:
                out.append(copy.deepcopy(c))
        return out

    def change_element(self, original, change):
        spec = etree.Element(original.tag, dict(original.attrib), nsmap=original.nsmap)
        if change.get("ns"):
            spec.set("ns", change.get("ns"))
        spec.extend(self._copy(kids(change, "altIdent") or kids(original, "altIdent")))
        for name in DOC_CHILDREN:
            spec.extend(self._either(change, original, name))
        spec.append(self.merged_classes(original, change))
        lists = kids(change, "valList")
        if lists:
            if lists[0].get("mode") != "delete":
                spec.append(copy.deepcopy(lists[0]))
        else:
            spec.extend(self._copy(kids(original, "valList")))
        spec.append(self.merged_content(original, change))
        spec.extend(self.merged_constraints(original, change))
        if kids(change, "attList") or kids(original, "attList"):
            spec.append(self.merged_attributes(original, change, element=True))
        for name in ("model", "modelGrp", "modelSequence") + TAIL_CHILDREN:
            spec.extend(self._either(change, original, name))
        return spec

    def change_class(self, original, change):
        spec = etree.Element(original.tag, dict(original.attrib), nsmap=original.nsmap)
        for name in DOC_CHILDREN:
            spec.extend(self._either(change, original, name))
        spec.append(self.merged_classes(original, change))
        spec.extend(self.merged_constraints(original, change))
        if kids(original, "attList"):
            spec.append(self.merged_attributes(original, change, element=False))
        for name in TAIL_CHILDREN:
            spec.extend(self._either(change, original, name))
        return spec

    def change_macro(self, original, change):
        spec = etree.Element(original.tag, dict(original.attrib), nsmap=original.nsmap)
        for name in ("altIdent",) + DOC_CHILDREN:
            spec.extend(self._either(change, original, name))
        if kids(change, "content"):
            content = copy.deepcopy(kids(change, "content")[0])
            content.attrib.pop("mode", None)
            normalize_customized_content(content)
            spec.append(content)
        else:
            spec.extend(self._copy(kids(original, "content")))
        spec.extend(self._either(change, original, "valList"))
        spec.extend(self.merged_constraints(original, change))
        for name in TAIL_CHILDREN:
            spec.extend(self._either(change, original, name))
        return spec

    def merged_content(self, original, change):
        given = kids(change, "content")
        if given:
            content = copy.deepcopy(given[0])
            if len([c for c in content if isinstance(c.tag, str)]) == 0:
                return etree.Element(T + "content")
        elif kids(original, "content"):
            content = copy.deepcopy(kids(original, "content")[0])
        else:
            return etree.Element(T + "content")
        normalize_customized_content(content)
        return content

    def merged_attributes(self, original, change, element: bool):
        """Merge attribute definitions as odd2odd does; class overrides stay as attDef with a mode (see §4)."""
        result = etree.Element(T + "attList")
        given = kids(change, "attList")
        given = given[0] if given else etree.Element(T + "attList")
        if given.get("org"):
            result.set("org", given.get("org"))
        mine = kids(given, "attDef")
        source_list = kids(original, "attList")
        source_list = source_list[0] if source_list else etree.Element(T + "attList")
        existing = {a.get("ident") for a in source_list.iter(T + "attDef")}
        for att in mine:
            if att.get("mode") == "replace" and att.get("ident") in existing:
                result.append(copy.deepcopy(att))
        for att in mine:
            if att.get("mode") in (None, "add"):
                new = copy.deepcopy(att)
                new.attrib.pop("mode", None)
                result.append(new)
        if element:
            for att in mine:
                if att.get("mode") in ("change", "delete", "replace") and att.get("ident") not in existing:
                    result.append(copy.deepcopy(att))
        result.extend(self._copy(kids(given, "attRef")))
        by_mode = {}
        for att in mine:
            by_mode.setdefault((att.get("mode"), att.get("ident")), att)
        for nested in kids(source_list, "attList"):
            group = etree.SubElement(result, T + "attList")
            if nested.get("org"):
                group.set("org", nested.get("org"))
            for att in kids(nested, "attDef"):
                group.extend(self.merged_attribute(att, by_mode, element))
        plain = []
        for att in kids(source_list, "attDef"):
            plain.extend(self.merged_attribute(att, by_mode, element))
        if source_list.get("org"):
            group = etree.SubElement(result, T + "attList", org=source_list.get("org"))
            group.extend(plain)
        else:
            result.extend(plain)
        result.extend(self._copy(kids(source_list, "attRef")))
        return result

    def merged_attribute(self, att, by_mode: dict, element: bool) -> list:
        ident = att.get("ident")
        if ("delete", ident) in by_mode:
            return [] if not element else [copy.deepcopy(by_mode[("delete", ident)])]
        if ("replace", ident) in by_mode:
            return []
        if ("change", ident) in by_mode:
            return [self.merge_attribute(by_mode[("change", ident)], att)]
        return [copy.deepcopy(att)]

    def merge_attribute(self, new, old):
        """Field-by-field merge of an attDef in change mode over the source's attDef."""
        att = etree.Element(T + "attDef", ident=old.get("ident", ""))
        if old.get("mode"):
            att.set("mode", old.get("mode"))
        for name in ("usage", "ns"):
            value = new.get(name) or old.get(name)
            if value:
                att.set(name, value)
        att.extend(self._copy(kids(new, "altIdent")))
        for name in DOC_CHILDREN + ("datatype", "constraintSpec", "defaultVal", "valDesc"):
            att.extend(self._either(new, old, name))
        new_lists, old_lists = kids(new, "valList"), kids(old, "valList")
        modes = [v.get("mode") for v in new_lists]
        if "delete" in modes:
            pass
        elif "add" in modes or "replace" in modes:
            first = new_lists[0]
            merged = etree.SubElement(att, T + "valList")
            for name in ("type", "repeatable"):
                if first.get(name):
                    merged.set(name, first.get(name))
            if old_lists and old_lists[0].get("mode"):
                merged.set("mode", old_lists[0].get("mode"))
            merged.extend(self._copy(first))
        elif "change" in modes:
            att.append(self.changed_values(new_lists[0], old_lists))
        elif old_lists:
            att.extend(self._copy(old_lists))
        for name in ("exemplum", "remarks"):
            att.extend(self._either(new, old, name))
        return att

    def changed_values(self, given, old_lists):
        merged = etree.Element(T + "valList", dict(given.attrib))
        items = kids(given, "valItem")
        by_ident = {i.get("ident"): i for i in items}
        old_items = [i for v in old_lists for i in kids(v, "valItem")]
        old_idents = {i.get("ident") for i in old_items}
        for item in items:
            if item.get("mode") == "add" and item.get("ident") in old_idents:
                self.error(item, f"<valItem ident=\"{item.get('ident')}\" mode=\"add\">: the value already exists "
                                 "in the list (use mode=\"change\" or leave it out)")
        for item in old_items:
            mine = by_ident.get(item.get("ident"))
            if mine is not None and mine.get("mode") in ("delete", "replace", "add"):
                continue
            merged.append(copy.deepcopy(item))
        for mode in ("add", "replace"):
            for item in items:
                if item.get("mode") == mode:
                    merged.append(copy.deepcopy(item))
        return merged

    # -- pruning ----------------------------------------------------------------------------------------------
    def prune(self, specs: list) -> list:
        by_ident = {s.get("ident"): s for s in specs}
        refs, attrefs = set(), set()
        for spec in specs:
            for node in spec.iter(*REF_TAGS, R + "ref", T + "attRef"):
                if node.tag == T + "attRef":
                    refs.add(node.get("class"))
                    attrefs.add((node.get("name") or "").split(".attribute.")[0])
                elif node.tag == R + "ref":
                    name = node.get("name", "")
                    if not (spec.tag == T + "macroSpec" and name == spec.get("ident")):
                        refs.add(name)
                    if "_" in name:
                        refs.add(name.split("_")[0])
                else:
                    refs.add(node.get("key"))
        element_members = {m.get("key") for s in specs if s.tag == T + "elementSpec"
                           for m in kids_path(s, "classes", "memberOf")}
        class_members: dict[str, list] = {}
        for s in specs:
            if s.tag == T + "classSpec":
                for m in kids_path(s, "classes", "memberOf"):
                    class_members.setdefault(m.get("key"), []).append(s)
        memo: dict[str, bool] = {}

        def needed(spec, seen=()) -> bool:
            ident = spec.get("ident")
            if ident in memo:
                return memo[ident]
            if ident in seen:
                return False
            seen = seen + (ident,)
            if spec.get("type") == "atts":
                if ident in attrefs or ident in refs or ident in element_members:
                    result = True
                else:
                    result = any(needed(c, seen) for c in class_members.get(ident, []))
            else:
                result = ident in refs or any(needed(by_ident[m.get("key")], seen)
                                              for m in kids_path(spec, "classes", "memberOf")
                                              if m.get("key") in by_ident)
            memo[ident] = result
            return result

        self.check_class_cycles(specs, by_ident)
        kept = []
        for spec in specs:
            if spec.tag == T + "classSpec" and not needed(spec):
                continue
            if spec.tag in (T + "macroSpec", T + "dataSpec") and spec.get("ident") not in refs:
                continue
            kept.append(spec)
        for spec in kept:
            for member in kids_path(spec, "classes", "memberOf"):
                target = by_ident.get(member.get("key"))
                if target is None or target.tag != T + "classSpec" or not needed(target):
                    member.getparent().remove(member)
            for content in kids(spec, "content"):
                simplify_nesting(content)
        return kept

    def check_class_cycles(self, specs, by_ident) -> None:
        state: dict[str, int] = {}

        def visit(spec, path):
            ident = spec.get("ident")
            if state.get(ident) == 2:
                return
            if state.get(ident) == 1:
                node = self.origin.get(ident)
                chain = " -> ".join(path[path.index(ident):] + [ident])
                in_odd = node is not None and node.getroottree().getroot() in (self.doc.root, *self.docs)
                self.error(node if in_odd else self.schema, f"class membership cycle: {chain}")
            state[ident] = 1
            for m in kids_path(spec, "classes", "memberOf"):
                target = by_ident.get(m.get("key"))
                if target is not None and target.tag == T + "classSpec":
                    visit(target, path + [ident])
            state[ident] = 2

        for spec in specs:
            if spec.tag == T + "classSpec":
                visit(spec, [])

    # -- output -----------------------------------------------------------------------------------------------
    def assemble(self, specs: list, others) -> etree._ElementTree:
        """Copy the ODD, drop what odd2odd drops (other schemaSpecs, specGrps, spent loose specs), fill schemaSpec."""
        doomed = [*others, *self.doc.root.iter(T + "specGrp"), *self.doc.root.iter(T + "specGrpRef")]
        doomed += [s for s in self.loose if s.get("mode") in ("change", "replace", "delete")
                   or s.get("ident") in self.deleted]
        mark = "{urn:telegrams:odd}mark"
        for node in doomed:
            node.set(mark, "drop")
        self.schema.set(mark, "schema")
        try:
            root = copy.deepcopy(self.doc.root)
        finally:
            for node in doomed + [self.schema]:
                node.attrib.pop(mark, None)
        schema = None
        for node in list(root.iter(etree.Element)):
            what = node.attrib.pop(mark, None)
            if what == "schema":
                schema = node
            elif what == "drop" and node.getparent() is not None:
                _remove_keep_tail(node)
        self.fill_schema(schema, specs)
        return etree.ElementTree(root)

    def fill_schema(self, schema, specs) -> None:
        for child in list(schema):
            schema.remove(child)
        schema.text = "\n"
        if not schema.get("defaultExceptions"):
            declared = self.default_source.default_exceptions()
            schema.set("defaultExceptions", declared[0] if declared else DEFAULT_EXCEPTIONS)
        if not schema.get("source"):
            schema.set("source", self.p5_path.resolve().as_uri())
        for extra in self.extras:
            schema.append(copy.deepcopy(extra))
        for spec in specs:
            spec.tail = "\n"
            schema.append(spec)


NCNAME = re.compile(r"^[^\W\d][\w.\-\u00B7\u0300-\u036F\u203F\u2040]*$")
VARIANT = re.compile(r"(_(alternation|sequenceOptionalRepeatable|sequenceOptional|sequenceRepeatable|sequence)"
                     r"|\.attributes|\.attribute\.[^.]+|\.content|\.localattributes)$")


def pattern_base(name: str) -> str:
    """The spec a RELAX NG pattern name stands for: model.x_sequence -> model.x, att.x.attribute.y -> att.x."""
    return VARIANT.sub("", name)


def xmlio_id() -> str:
    return "{http://www.w3.org/XML/1998/namespace}id"


def kids_path(node, *names) -> list:
    """Return the TEI descendants reached by following child names, e.g. ('classes', 'memberOf')."""
    current = [node]
    for name in names:
        current = [c for n in current for c in kids(n, name)]
    return current


def _remove_keep_tail(node) -> None:
    parent = node.getparent()
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


CONTAINERS = (T + "sequence", T + "alternate")


def normalize_customized_content(content) -> None:
    """Normalize content written in the customization as odd2odd does: drop empty sequence/alternate, collapse
    a container holding one container of the same kind (the outer one's occurrences are lost, as officially)."""
    for child in list(content):
        if isinstance(child.tag, str) and child.tag in CONTAINERS:
            for node in _normalized(child):
                child.addprevious(node)
            _remove_keep_tail(child)


def _normalized(node) -> list:
    inner = []
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag in CONTAINERS:
            inner.extend(_normalized(child))
        else:
            inner.append(copy.deepcopy(child))
    low, high = occurs(node)
    if not inner:
        return []
    if len(inner) == 1 and inner[0].tag == node.tag:
        return inner
    if len(inner) == 1 and inner[0].tag in CONTAINERS and (low, high) == (0, 1) and occurs(inner[0]) in ((0, -1), (1, -1)):
        return inner
    out = etree.Element(node.tag, {k: v for k, v in node.attrib.items()})
    out.set("minOccurs", str(low))
    out.set("maxOccurs", "unbounded" if high == -1 else str(high))
    if len(inner) == 1 and inner[0].tag in CONTAINERS and (low, high) == (1, -1) and occurs(inner[0]) == (0, -1):
        out.extend(list(inner[0]))
        return [out]
    out.extend(inner)
    return [out]


def simplify_nesting(node) -> None:
    """Unwrap an element holding exactly one child of the same name, or an optional holding only repeats."""
    for child in list(node):
        if not isinstance(child.tag, str):
            continue
        simplify_nesting(child)
        elements = [c for c in child if isinstance(c.tag, str)]
        unwrap = False
        if child.tag == R + "optional" and len(elements) == 2 and all(e.tag == R + "zeroOrMore" for e in elements):
            unwrap = True
        elif len(elements) == 1:
            only = elements[0]
            unwrap = (only.tag == child.tag or
                      (child.tag == R + "optional" and only.tag in (R + "zeroOrMore", R + "oneOrMore")))
        if unwrap:
            for grandchild in elements:
                child.addprevious(grandchild)
            _remove_keep_tail(child)


def compile_odd(odd_path, p5subset_path, warnings: list | None = None,
                catalog: Catalog | None = None) -> etree._ElementTree:
    """Return the compiled ODD (an lxml tree) of a customization against a TEI source.

    Raises FindingError (file:line:col, plain words) for bad input; appends warnings (Finding) to `warnings`.
    """
    return Compiler(odd_path, p5subset_path, warnings, catalog).run()
