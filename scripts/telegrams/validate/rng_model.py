"""A RELAX NG grammar as interned patterns, and its derivatives (after James Clark's derivative algorithm).

Loading reads the RNG's XML through the project's safe parser and simplifies it on the fly (ns and
datatypeLibrary inheritance, define/combine, optional/zeroOrMore/mixed rewritten to choice/oneOrMore/interleave,
notAllowed and empty folded away). An element's content is compiled only when a document first needs it, so
even tei_all.rng loads in a fraction of a second.

Patterns are hash-consed: building the same pattern twice returns the same object, so derivatives can be
memoized by object identity and a document's states are shared between elements of the same kind.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import xmlio
from .datatypes import BUILTIN_LIBRARY, Datatype, DatatypeError, known_datatype

RNG_NS = "http://relaxng.org/ns/structure/1.0"
_RNG = "{" + RNG_NS + "}"

EMPTY, NOT_ALLOWED, TEXT = "empty", "notAllowed", "text"
CHOICE, GROUP, INTERLEAVE, ONE_OR_MORE, AFTER = "choice", "group", "interleave", "oneOrMore", "after"
LIST, DATA, VALUE, ATTRIBUTE, ELEMENT = "list", "data", "value", "attribute", "element"


class SchemaError(ValueError):
    """The RELAX NG schema itself is wrong or uses something this module does not support."""


class Pattern:
    """One interned pattern: `kind` and up to two operands (`a`, `b`); CHOICE keeps its alternatives in `a`."""

    __slots__ = ("kind", "a", "b", "nullable", "uid", "has_data")

    def __init__(self, kind: str, a=None, b=None, nullable: bool = False, uid: int = 0):
        self.kind, self.a, self.b, self.nullable, self.uid = kind, a, b, nullable, uid
        # Whether a text's value can matter here (data, value or list outside child elements): if not, the
        # derivative by any text is the same, so memo tables need not key on the text itself.
        if kind in (DATA, VALUE, LIST):
            self.has_data = True
        elif kind == CHOICE:
            self.has_data = any(item.has_data for item in a)
        elif kind in (GROUP, INTERLEAVE, AFTER):
            self.has_data = a.has_data or b.has_data
        elif kind == ONE_OR_MORE:
            self.has_data = a.has_data
        else:
            self.has_data = False

    def __repr__(self) -> str:
        return f"<{self.kind}#{self.uid}>"


class ElementPattern(Pattern):
    """An element pattern: name class in `a`; its content is compiled from `source` on first use."""

    __slots__ = ("source", "grammar")

    @property
    def content(self) -> Pattern:
        if self.b is None:
            self.b = self.grammar.compile_element_content(self)
        return self.b


_XML_SPACE = re.compile(r"[ \t\n\r]+")


def is_whitespace(text: str) -> bool:
    return not text.strip(" \t\n\r")


# ---------------------------------------------------------------------------------------------- name classes
# ("name", ns, local) | ("any", except|None) | ("nsName", ns, except|None) | ("choice", nc1, nc2)

def name_class_contains(nc, ns: str, local: str) -> bool:
    kind = nc[0]
    if kind == "name":
        return nc[1] == ns and nc[2] == local
    if kind == "any":
        return nc[1] is None or not name_class_contains(nc[1], ns, local)
    if kind == "nsName":
        return nc[1] == ns and (nc[2] is None or not name_class_contains(nc[2], ns, local))
    return name_class_contains(nc[1], ns, local) or name_class_contains(nc[2], ns, local)


def name_class_names(nc) -> list:
    """Return the names a name class allows: (ns, local) pairs, ("*", ns) for a namespace, ("*", None) for any."""
    kind = nc[0]
    if kind == "name":
        return [(nc[1], nc[2])]
    if kind == "any":
        return [("*", None)]
    if kind == "nsName":
        return [("*", nc[1])]
    return name_class_names(nc[1]) + name_class_names(nc[2])


# ---------------------------------------------------------------------------------------------------- grammar

class Scope:
    """The defines and start of one <grammar> element (with included grammars merged in)."""

    def __init__(self, parent: "Scope | None"):
        self.parent = parent
        self.defines: dict[str, list] = {}
        self.starts: list = []
        self.compiled: dict[str, Pattern] = {}


class Grammar:
    """A loaded RELAX NG schema: its start pattern, pattern constructors and memoized derivatives."""

    def __init__(self, path: Path):
        self.path = path
        self._table: dict = {}
        self._uid = 0
        self.empty = self._new(EMPTY, nullable=True)
        self.not_allowed = self._new(NOT_ALLOWED)
        self.text = self._new(TEXT, nullable=True)
        self._datatypes: dict = {}
        self._doc_paths: dict = {}          # root RNG element of each loaded file -> its path
        self._doc_ns: dict = {}             # root RNG element -> ns inherited from an include/externalRef
        self._scopes: dict = {}             # <grammar> element -> Scope
        self._element_patterns: dict = {}   # <element> node -> ElementPattern
        self._elements_by_name: dict = {}   # (ns, local) -> [<element> nodes]
        self._wildcard_elements: list = []  # <element> nodes whose name class is not a single name
        self.attribute_names: set = set()
        self.uses_context = False
        self._memo: dict[str, dict] = {k: {} for k in ("open", "att", "att value", "close", "text", "end",
                                                        "attributes", "attribute contents")}
        self.explain_memo: dict[str, dict] = {}  # memo tables of the explainer, kept as long as the grammar
        self.id_kinds: dict = {}  # (state, attribute) -> which of ID, IDREF, IDREFS it is (explain.id_kinds)
        self.start = self._load_file(path, inherited_ns="", scope_parent=None)
        self._check_references()

    # ------------------------------------------------------------------------------------- interning
    def _new(self, kind, a=None, b=None, nullable=False, cls=Pattern):
        self._uid += 1
        return cls(kind, a, b, nullable, self._uid)

    def _intern(self, key, kind, a, b, nullable):
        found = self._table.get(key)
        if found is None:
            found = self._table[key] = self._new(kind, a, b, nullable)
        return found

    def choice(self, p: Pattern, q: Pattern) -> Pattern:
        if p is self.not_allowed or p is q:
            return q
        if q is self.not_allowed:
            return p
        items = set(p.a if p.kind is CHOICE else (p,))
        items.update(q.a if q.kind is CHOICE else (q,))
        if len(items) == 1:
            return next(iter(items))
        key = (CHOICE, frozenset(items))
        found = self._table.get(key)
        if found is None:
            ordered = tuple(sorted(items, key=lambda item: item.uid))
            found = self._table[key] = self._new(CHOICE, ordered, None, any(i.nullable for i in ordered))
        return found

    def group(self, p: Pattern, q: Pattern) -> Pattern:
        if p is self.not_allowed or q is self.not_allowed:
            return self.not_allowed
        if p is self.empty:
            return q
        if q is self.empty:
            return p
        return self._intern((GROUP, p, q), GROUP, p, q, p.nullable and q.nullable)

    def interleave(self, p: Pattern, q: Pattern) -> Pattern:
        if p is self.not_allowed or q is self.not_allowed:
            return self.not_allowed
        if p is self.empty:
            return q
        if q is self.empty:
            return p
        if p.uid > q.uid:  # interleave is commutative: one order only keeps the state space small
            p, q = q, p
        return self._intern((INTERLEAVE, p, q), INTERLEAVE, p, q, p.nullable and q.nullable)

    def after(self, p: Pattern, q: Pattern) -> Pattern:
        if p is self.not_allowed or q is self.not_allowed:
            return self.not_allowed
        return self._intern((AFTER, p, q), AFTER, p, q, False)

    def one_or_more(self, p: Pattern) -> Pattern:
        if p is self.not_allowed or p is self.empty:
            return p
        if p.kind is ONE_OR_MORE:
            return p
        return self._intern((ONE_OR_MORE, p), ONE_OR_MORE, p, None, p.nullable)

    def optional(self, p: Pattern) -> Pattern:
        return self.choice(p, self.empty)

    def list_of(self, p: Pattern) -> Pattern:
        if p is self.not_allowed:
            return p
        return self._intern((LIST, p), LIST, p, None, False)

    def data(self, datatype: Datatype, except_: Pattern | None) -> Pattern:
        if except_ is self.not_allowed:
            except_ = None
        return self._intern((DATA, datatype, except_), DATA, datatype, except_, False)

    def value(self, datatype: Datatype, text: str, context) -> Pattern:
        return self._intern((VALUE, datatype, text, context), VALUE, datatype, (text, context), False)

    def attribute(self, nc, p: Pattern) -> Pattern:
        if p is self.not_allowed:
            return p
        return self._intern((ATTRIBUTE, nc, p), ATTRIBUTE, nc, p, False)

    def datatype(self, library: str, name: str, params: tuple) -> Datatype:
        key = (library, name, params)
        found = self._datatypes.get(key)
        if found is None:
            try:
                found = self._datatypes[key] = Datatype(library, name, params)
            except DatatypeError as err:
                raise SchemaError(str(err)) from None
            self.uses_context = self.uses_context or found.needs_context
        return found

    # ------------------------------------------------------------------------------------------ loading
    def _parse(self, path: Path):
        try:
            doc = xmlio.parse(path)
        except xmlio.FindingError as err:
            raise SchemaError(str(err.finding)) from None
        root = doc.root
        self._doc_paths[root] = path
        for node in root.iter(_RNG + "element"):
            self._index_element(node)
        for node in root.iter(_RNG + "attribute"):
            if node.get("name") is not None:
                self.attribute_names.add(self._qname(node, node.get("name"), is_attribute=True))
        return root

    def _check_references(self) -> None:
        """Element contents compile lazily, so find now what would fail then: undefined references and
        unsupported datatypes (in every file loaded so far)."""
        for root in list(self._doc_paths):
            nested = next(root.iterdescendants(_RNG + "grammar"), None) is not None
            flat_scope = self._scopes.get(root) if not nested else None  # the usual case: one grammar
            for node in root.iter(_RNG + "ref", _RNG + "parentRef", _RNG + "data", _RNG + "value"):
                if node.tag in (_RNG + "data", _RNG + "value"):
                    if node.tag == _RNG + "value" and node.get("type") is None:
                        continue
                    library = self._inherited(node, "datatypeLibrary", BUILTIN_LIBRARY)
                    if not known_datatype(library, node.get("type", "").strip()):
                        raise SchemaError(f"{self._where(node)}: unsupported datatype '{node.get('type')}' "
                                          f"of library '{library}'")
                    continue
                scope = flat_scope or self._scope_of(node)
                if node.tag == _RNG + "parentRef":
                    scope = scope.parent if scope is not None else None
                if scope is None or node.get("name", "").strip() not in scope.defines:
                    raise SchemaError(f"{self._where(node)}: reference to an undefined pattern "
                                      f"'{node.get('name', '').strip()}'")

    def _load_file(self, path: Path, inherited_ns: str, scope_parent: Scope | None) -> Pattern:
        root = self._parse(path)
        self._doc_ns[root] = inherited_ns
        return self.compile(root, scope_parent)

    def _index_element(self, node) -> None:
        parent = node.getparent()
        while parent is not None:  # elements inside annotations are documentation, not schema
            if not isinstance(parent.tag, str) or not parent.tag.startswith(_RNG):
                return
            parent = parent.getparent()
        name = node.get("name")
        if name is not None:
            self._elements_by_name.setdefault(self._qname(node, name, is_attribute=False), []).append(node)
        else:
            self._wildcard_elements.append(node)

    def _inherited(self, node, attribute: str, default: str = "") -> str:
        start = node
        while node is not None:
            value = node.get(attribute)
            if value is not None:
                return value.strip() if attribute == "ns" else value
            node = node.getparent()
        if attribute == "ns":
            return self._doc_ns.get(start.getroottree().getroot(), default)
        return default

    def _qname(self, node, text: str, is_attribute: bool) -> tuple[str, str]:
        text = text.strip()
        if ":" in text:
            prefix, local = text.split(":", 1)
            if prefix == "xml":
                return xmlio.XML_NS, local
            ns = node.nsmap.get(prefix)
            if ns is None:
                raise SchemaError(f"{self._where(node)}: the prefix '{prefix}' of '{text}' is not declared")
            return ns, local
        if is_attribute:
            return (node.get("ns") or "").strip(), text
        return self._inherited(node, "ns"), text

    def _where(self, node) -> str:
        path = self._doc_paths.get(node.getroottree().getroot(), self.path)
        return f"{path}:{node.sourceline}"

    @staticmethod
    def _children(node) -> list:
        return [child for child in node if isinstance(child.tag, str) and child.tag.startswith(_RNG)]

    def _group_of(self, nodes, scope) -> Pattern:
        result = self.empty
        for node in nodes:
            result = self.group(result, self.compile(node, scope))
        return result

    def compile(self, node, scope: Scope | None) -> Pattern:
        """Compile one RNG pattern element (simplifying as it goes)."""
        tag = node.tag[len(_RNG):] if node.tag.startswith(_RNG) else None
        kids = self._children(node)
        if tag in ("group", "define", "start"):
            return self._group_of(kids, scope)
        if tag == "choice":
            result = self.not_allowed
            for kid in kids:
                result = self.choice(result, self.compile(kid, scope))
            return result
        if tag == "interleave":
            result = self.empty
            for kid in kids:
                result = self.interleave(result, self.compile(kid, scope))
            return result
        if tag == "optional":
            return self.optional(self._group_of(kids, scope))
        if tag == "zeroOrMore":
            return self.optional(self.one_or_more(self._group_of(kids, scope)))
        if tag == "oneOrMore":
            return self.one_or_more(self._group_of(kids, scope))
        if tag == "mixed":
            return self.interleave(self._group_of(kids, scope), self.text)
        if tag == "empty":
            return self.empty
        if tag == "text":
            return self.text
        if tag == "notAllowed":
            return self.not_allowed
        if tag == "list":
            return self.list_of(self._group_of(kids, scope))
        if tag == "element":
            return self._element(node, scope)
        if tag == "attribute":
            return self._attribute(node, kids, scope)
        if tag == "data":
            return self._data(node, kids, scope)
        if tag == "value":
            return self._value(node)
        if tag == "ref":
            return self._ref(scope, node.get("name", "").strip(), node)
        if tag == "parentRef":
            if scope is None or scope.parent is None:
                raise SchemaError(f"{self._where(node)}: <parentRef> outside a nested grammar")
            return self._ref(scope.parent, node.get("name", "").strip(), node)
        if tag == "grammar":
            inner = self._scope_for(node, scope)
            if not inner.starts:
                raise SchemaError(f"{self._where(node)}: the grammar has no <start>")
            return self._combined(inner.starts, inner, node)
        if tag == "externalRef":
            return self._load_file(self._href(node), self._inherited(node, "ns"), None)
        raise SchemaError(f"{self._where(node)}: <{node.tag}> is not a RELAX NG pattern")

    def _href(self, node) -> Path:
        base = self._doc_paths.get(node.getroottree().getroot(), self.path)
        return (Path(base).parent / node.get("href", "").strip()).resolve()

    def _element(self, node, scope) -> Pattern:
        found = self._element_patterns.get(node)
        if found is None:
            kids = self._children(node)
            if node.get("name") is not None:
                nc = ("name",) + self._qname(node, node.get("name"), is_attribute=False)
            else:
                nc, kids = self._name_class(kids[0]), kids[1:]
            found = self._new(ELEMENT, nc, None, False, cls=ElementPattern)
            found.source, found.grammar = (kids, scope), self
            self._element_patterns[node] = found
        return found

    def compile_element_content(self, element: ElementPattern) -> Pattern:
        kids, scope = element.source
        return self._group_of(kids, scope)

    def _attribute(self, node, kids, scope) -> Pattern:
        if node.get("name") is not None:
            nc = ("name",) + self._qname(node, node.get("name"), is_attribute=True)
        else:
            nc, kids = self._name_class(kids[0]), kids[1:]
        return self.attribute(nc, self._group_of(kids, scope) if kids else self.text)

    def _name_class(self, node):
        tag = node.tag[len(_RNG):]
        kids = self._children(node)
        if tag == "name":
            return ("name",) + self._qname(node, node.text or "", is_attribute=False)
        if tag == "choice":
            result = self._name_class(kids[0])
            for kid in kids[1:]:
                result = ("choice", result, self._name_class(kid))
            return result
        except_ = None
        for kid in kids:
            if kid.tag == _RNG + "except":
                parts = [self._name_class(k) for k in self._children(kid)]
                except_ = parts[0]
                for part in parts[1:]:
                    except_ = ("choice", except_, part)
        if tag == "anyName":
            return ("any", except_)
        if tag == "nsName":
            return ("nsName", self._inherited(node, "ns"), except_)
        raise SchemaError(f"{self._where(node)}: <{tag}> is not a name class")

    def _data(self, node, kids, scope) -> Pattern:
        library = self._inherited(node, "datatypeLibrary", BUILTIN_LIBRARY)
        params = tuple((kid.get("name", "").strip(), kid.text or "") for kid in kids if kid.tag == _RNG + "param")
        except_ = None
        for kid in kids:
            if kid.tag == _RNG + "except":
                except_ = self.not_allowed
                for part in self._children(kid):
                    except_ = self.choice(except_, self.compile(part, scope))
        return self.data(self.datatype(library, node.get("type", "").strip(), params), except_)

    def _value(self, node) -> Pattern:
        if node.get("type") is None:
            library, name = BUILTIN_LIBRARY, "token"
        else:
            library, name = self._inherited(node, "datatypeLibrary", BUILTIN_LIBRARY), node.get("type").strip()
        datatype = self.datatype(library, name, ())
        context = None
        if datatype.needs_context:
            namespaces = dict(node.nsmap)
            namespaces[""] = self._inherited(node, "ns")
            context = tuple(sorted((k or "", v) for k, v in namespaces.items()))
        return self.value(datatype, node.text or "", context)

    # ------------------------------------------------------------------------------------ grammars
    def _scope_for(self, grammar_node, parent: Scope | None) -> Scope:
        scope = self._scopes.get(grammar_node)
        if scope is None:
            scope = self._scopes[grammar_node] = Scope(parent)
            self._collect(grammar_node, scope, overridden=None)
        return scope

    def _collect(self, container, scope: Scope, overridden: set | None) -> None:
        """Gather the defines and starts of a grammar (its divs and includes too) into a scope."""
        for node in self._children(container):
            tag = node.tag[len(_RNG):]
            if tag == "define":
                name = node.get("name", "").strip()
                if overridden is None or name not in overridden:
                    scope.defines.setdefault(name, []).append(node)
            elif tag == "start":
                if overridden is None or "" not in overridden:
                    scope.starts.append(node)
            elif tag == "div":
                self._collect(node, scope, overridden)
            elif tag == "include":
                self._include(node, scope, overridden)

    def _include(self, node, scope: Scope, overridden: set | None) -> None:
        own: set = set()
        for kid in node.iter(_RNG + "define", _RNG + "start"):
            own.add("" if kid.tag == _RNG + "start" else kid.get("name", "").strip())
        root = self._parse(self._href(node))
        if root.tag != _RNG + "grammar":
            raise SchemaError(f"{self._where(node)}: an included file must be a <grammar>")
        self._doc_ns[root] = self._inherited(node, "ns")
        self._scopes[root] = scope
        self._collect(root, scope, own | (overridden or set()))
        self._collect(node, scope, overridden)

    def _combined(self, nodes: list, scope: Scope, where) -> Pattern:
        combine = next((n.get("combine").strip() for n in nodes if n.get("combine")), None)
        result = None
        for node in nodes:
            pattern = self.compile(node, scope)
            if result is None:
                result = pattern
            elif combine == "interleave":
                result = self.interleave(result, pattern)
            elif combine == "choice":
                result = self.choice(result, pattern)
            else:
                raise SchemaError(f"{self._where(where)}: several definitions without a combine attribute")
        return result

    def _ref(self, scope: Scope | None, name: str, node) -> Pattern:
        if scope is None or name not in scope.defines:
            raise SchemaError(f"{self._where(node)}: reference to an undefined pattern '{name}'")
        found = scope.compiled.get(name)
        if found is None:
            scope.compiled[name] = self.not_allowed  # a loop outside <element> is an error caught below
            found = self._combined(scope.defines[name], scope, node)
            scope.compiled[name] = found
        return found

    def _scope_of(self, node) -> Scope | None:
        ancestor = node.getparent()
        while ancestor is not None and ancestor.tag != _RNG + "grammar":
            ancestor = ancestor.getparent()
        if ancestor is None:
            return None
        outer = self._scope_of(ancestor) if ancestor.getparent() is not None else None
        return self._scope_for(ancestor, outer)

    # ------------------------------------------------------------------------------ schema queries
    def elements_named(self, ns: str, local: str) -> list[ElementPattern]:
        """Every element pattern of the schema that accepts this name (wherever it may occur)."""
        nodes = list(self._elements_by_name.get((ns, local), ()))
        patterns = [self._element(node, self._scope_of(node)) for node in nodes]
        for node in self._wildcard_elements:
            pattern = self._element(node, self._scope_of(node))
            if pattern.a[0] != "any" and name_class_contains(pattern.a, ns, local):
                patterns.append(pattern)
        return patterns

    def element_names(self) -> set[tuple[str, str]]:
        return set(self._elements_by_name)

    # --------------------------------------------------------------------------------- derivatives
    def start_tag_open(self, p: Pattern, ns: str, local: str) -> Pattern:
        """The state after a start tag `{ns}local` opens in state p (Clark's startTagOpenDeriv)."""
        return self._open(p, ("name", ns, local))

    def start_tag_open_as(self, p: Pattern, element: ElementPattern) -> Pattern:
        """Like start_tag_open, but only the given element pattern matches (used to skip missing content)."""
        return self._open(p, ("pattern", element))

    def _open(self, p: Pattern, key) -> Pattern:
        memo = self._memo["open"]
        found = memo.get((p, key))
        if found is not None:
            return found
        kind = p.kind
        if kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self._open(item, key))
        elif kind is ELEMENT:
            hit = p is key[1] if key[0] == "pattern" else name_class_contains(p.a, key[1], key[2])
            result = self.after(p.content, self.empty) if hit else self.not_allowed
        elif kind is INTERLEAVE:
            result = self.choice(self._apply_after(self._open(p.a, key), lambda x: self.interleave(x, p.b)),
                                 self._apply_after(self._open(p.b, key), lambda x: self.interleave(p.a, x)))
        elif kind is ONE_OR_MORE:
            rest = self.optional(p)
            result = self._apply_after(self._open(p.a, key), lambda x: self.group(x, rest))
        elif kind is GROUP:
            result = self._apply_after(self._open(p.a, key), lambda x: self.group(x, p.b))
            if p.a.nullable:
                result = self.choice(result, self._open(p.b, key))
        elif kind is AFTER:
            result = self._apply_after(self._open(p.a, key), lambda x: self.after(x, p.b))
        else:
            result = self.not_allowed
        memo[(p, key)] = result
        return result

    def _apply_after(self, p: Pattern, f) -> Pattern:
        if p.kind is AFTER:
            return self.after(p.a, f(p.b))
        if p.kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self._apply_after(item, f))
            return result
        return self.not_allowed

    def attribute_deriv(self, p: Pattern, ns: str, local: str, value: str, context=None,
                        any_value: bool = False) -> Pattern:
        """The state after attribute {ns}local=value (any_value: accept whatever the value is)."""
        # Most attributes repeat a value met before in the same state (type="main", a register key): one lookup.
        memo = self._memo["att value"]
        key = (p, ns, local, value, context if self.uses_context else None, any_value)
        found = memo.get(key)
        if found is not None:
            return found
        contents = self.attribute_contents(p, ns, local)
        accepted = frozenset(c for c in contents if any_value or self.value_matches(c, value, context))
        # no attribute of p takes it: not allowed, known without walking p (thousands of names)
        found = self._attribute_deriv(p, ns, local, accepted) if accepted else self.not_allowed
        if len(memo) > 200_000:
            memo.clear()
        memo[key] = found
        return found

    def _attribute_deriv(self, p: Pattern, ns: str, local: str, accepted: frozenset) -> Pattern:
        # Keyed by the attribute contents that accept the value rather than by the value itself, so that
        # every xml:id, say, shares one derivative.
        key = (p, ns, local, accepted)
        memo = self._memo["att"]
        found = memo.get(key)
        if found is not None:
            return found
        kind = p.kind
        if kind is AFTER:
            result = self.after(self._attribute_deriv(p.a, ns, local, accepted), p.b)
        elif kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self._attribute_deriv(item, ns, local, accepted))
        elif kind is GROUP:
            result = self.choice(self.group(self._attribute_deriv(p.a, ns, local, accepted), p.b),
                                 self.group(p.a, self._attribute_deriv(p.b, ns, local, accepted)))
        elif kind is INTERLEAVE:
            result = self.choice(self.interleave(self._attribute_deriv(p.a, ns, local, accepted), p.b),
                                 self.interleave(p.a, self._attribute_deriv(p.b, ns, local, accepted)))
        elif kind is ONE_OR_MORE:
            result = self.group(self._attribute_deriv(p.a, ns, local, accepted), self.optional(p))
        elif kind is ATTRIBUTE:
            ok = p.b in accepted and name_class_contains(p.a, ns, local)
            result = self.empty if ok else self.not_allowed
        else:
            result = self.not_allowed
        memo[key] = result
        return result

    def attribute_patterns(self, p: Pattern) -> tuple:
        """The attribute patterns still open in state p (not inside child elements)."""
        memo = self._memo["attributes"]
        found = memo.get(p)
        if found is not None:
            return found
        result: list = []
        kind = p.kind
        if kind is ATTRIBUTE:
            result.append(p)
        elif kind is CHOICE:
            for item in p.a:
                result.extend(self.attribute_patterns(item))
        elif kind is GROUP or kind is INTERLEAVE:
            result.extend(self.attribute_patterns(p.a))
            result.extend(self.attribute_patterns(p.b))
        elif kind is ONE_OR_MORE or kind is AFTER:
            result.extend(self.attribute_patterns(p.a))
        found = memo[p] = tuple(dict.fromkeys(result))
        return found

    def attribute_contents(self, p: Pattern, ns: str, local: str) -> tuple:
        """The content patterns of the attributes named {ns}local that state p still allows."""
        memo = self._memo["attribute contents"]
        key = (p, ns, local)
        found = memo.get(key)
        if found is None:
            found = memo[key] = tuple(dict.fromkeys(
                a.b for a in self.attribute_patterns(p) if name_class_contains(a.a, ns, local)))
        return found

    def value_matches(self, p: Pattern, value: str, context=None) -> bool:
        return (p.nullable and is_whitespace(value)) or self.text_deriv(p, value, context).nullable

    def start_tag_close(self, p: Pattern, lenient: bool = False) -> Pattern:
        """The state once all attributes are read (lenient: attributes still required are forgiven)."""
        memo = self._memo["close"]
        found = memo.get((p, lenient))
        if found is not None:
            return found
        kind = p.kind
        if kind is AFTER:
            result = self.after(self.start_tag_close(p.a, lenient), p.b)
        elif kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self.start_tag_close(item, lenient))
        elif kind is GROUP:
            result = self.group(self.start_tag_close(p.a, lenient), self.start_tag_close(p.b, lenient))
        elif kind is INTERLEAVE:
            result = self.interleave(self.start_tag_close(p.a, lenient), self.start_tag_close(p.b, lenient))
        elif kind is ONE_OR_MORE:
            result = self.one_or_more(self.start_tag_close(p.a, lenient))
        elif kind is ATTRIBUTE:
            result = self.empty if lenient else self.not_allowed
        else:
            result = p
        memo[(p, lenient)] = result
        return result

    def text_deriv(self, p: Pattern, text: str, context=None, lenient: bool = False) -> Pattern:
        """The state after a text node (lenient: any data or value accepts the text)."""
        memo = self._memo["text"]
        if p.has_data:
            key = (p, text, context if self.uses_context else None, lenient)
        else:
            key = (p, None, None, False)
        found = memo.get(key)
        if found is not None:
            return found
        kind = p.kind
        if kind is TEXT:
            result = p
        elif kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self.text_deriv(item, text, context, lenient))
        elif kind is INTERLEAVE:
            result = self.choice(self.interleave(self.text_deriv(p.a, text, context, lenient), p.b),
                                 self.interleave(p.a, self.text_deriv(p.b, text, context, lenient)))
        elif kind is GROUP:
            result = self.group(self.text_deriv(p.a, text, context, lenient), p.b)
            if p.a.nullable:
                result = self.choice(result, self.text_deriv(p.b, text, context, lenient))
        elif kind is AFTER:
            result = self.after(self.text_deriv(p.a, text, context, lenient), p.b)
        elif kind is ONE_OR_MORE:
            result = self.group(self.text_deriv(p.a, text, context, lenient), self.optional(p))
        elif kind is VALUE:
            ok = lenient or p.a.equal(text, context, p.b[0], p.b[1])
            result = self.empty if ok else self.not_allowed
        elif kind is DATA:
            ok = lenient or (p.a.allows(text, context) and (
                p.b is None or not self.text_deriv(p.b, text, context).nullable))
            result = self.empty if ok else self.not_allowed
        elif kind is LIST:
            result = self.empty if lenient or self._list_deriv(p.a, text, context).nullable else self.not_allowed
        else:
            result = self.not_allowed
        if len(memo) > 200_000:
            memo.clear()
        memo[key] = result
        return result

    def _list_deriv(self, p: Pattern, text: str, context) -> Pattern:
        for token in _XML_SPACE.split(text):
            if token:
                p = self.text_deriv(p, token, context)
        return p

    def end_tag(self, p: Pattern, lenient: bool = False) -> Pattern:
        """The parent's state after an end tag (lenient: missing required content is forgiven)."""
        memo = self._memo["end"]
        found = memo.get((p, lenient))
        if found is not None:
            return found
        if p.kind is CHOICE:
            result = self.not_allowed
            for item in p.a:
                result = self.choice(result, self.end_tag(item, lenient))
        elif p.kind is AFTER and (lenient or p.a.nullable):
            result = p.b
        else:
            result = self.not_allowed
        memo[(p, lenient)] = result
        return result


_CACHE: dict = {}


def load_grammar(rng_path) -> Grammar:
    """Load (once per process and file content) a RELAX NG schema in XML syntax."""
    from .cache import schema_digest

    path = Path(rng_path).resolve()
    try:
        xmlio.read_bytes(path)
    except xmlio.FindingError as err:
        raise SchemaError(str(err.finding)) from None
    key = (str(path), schema_digest(path))  # with the files it includes
    grammar = _CACHE.get(key)
    if grammar is None:
        grammar = _CACHE[key] = Grammar(path)
    return grammar


def forget_grammar(rng_path) -> None:
    """Drop a loaded schema, so that the next load_grammar builds it afresh: after an interrupted walk (a time
    budget's signal) its lazily compiled patterns and memo tables may be half written."""
    path = str(Path(rng_path).resolve())
    for key in [key for key in _CACHE if key[0] == path]:
        del _CACHE[key]
