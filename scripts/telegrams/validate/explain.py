"""Explain why a document does not match a RELAX NG schema: every mistake, at its own node, in plain words.

The walk follows the document with derivatives (see rng_model): each start tag, attribute, text and end tag
turns the current state into the next. When a step leads nowhere (notAllowed) the walker says why, in an
editor's words and with what was expected there, then recovers so that one mistake does not hide the next:

- an element not allowed here: if it only came too early, report what is missing before it and go on;
  if it is a misspelling of an element allowed here (or sits in the wrong namespace), report that and validate
  it as the intended element; if it only repeats once too often, say how many may come; if the schema knows it
  elsewhere, report it and check its inside against its own definition; if it is a TEI element the schema leaves
  out, say so; if the schema does not know it at all, report it (naming an element spelled alike, which does not
  fit here either, without a "did you mean") and check its inside as that element, or each child as itself.
- an attribute not allowed: report and ignore it; a bad value: report and accept the attribute as present.
- a required attribute or required content missing: report and carry on as if it were there.
- text not allowed: report and ignore it.

The verdict must equal lxml's (libxml2's): no finding exactly when lxml says the document is valid, except
where libxml2 departs from the XML Schema datatypes (datatypes.py), where this verdict is the one that counts.
"""

from __future__ import annotations

import difflib
import re

from ..findings import Finding
from ..xmlio import TEI_NS, XML_NS, Document, attribute_items
from . import rng_model, teinames
from .rng_model import (AFTER, CHOICE, DATA, ELEMENT, GROUP, INTERLEAVE, LIST, ONE_OR_MORE, TEXT,
                        VALUE, Grammar, Pattern, is_whitespace, name_class_names)

load_grammar = rng_model.load_grammar

_SKIP_DEPTH = 2      # how many missing elements a look-ahead may assume before an early element
_SKIP_BUDGET = 400   # derivatives a look-ahead may spend (first sets of mixed content are large)
_SHOWN = 6           # names quoted in a message; the finding's `expected` holds them all
_SUGGESTED = 100     # unknown attributes of a document given a spelling suggestion


def explain(doc: Document, grammar: Grammar, repairs: dict | None = None) -> list[Finding]:
    """Return every RELAX NG error of a document (an empty list exactly when it is valid).

    `repairs`, when given, receives {element: Clark name} for each element the walk read as the element it was
    meant to be (a misspelling, a wrong namespace) and {(element, attribute's Clark name): value} for each
    misspelled value of a closed list, so that later checks can read them so too."""
    walker = _Walker(doc, grammar)
    findings = walker.run()
    if repairs is not None:
        repairs.update(walker.repairs)
    return findings


def _split(clark: str) -> tuple[str, str]:
    found = _SPLIT.get(clark)
    if found is None:
        found = tuple(clark[1:].split("}", 1)) if clark.startswith("{") else ("", clark)
        if len(_SPLIT) < 4096:  # a schema's names are few; a document may invent any number
            _SPLIT[clark] = found
    return found


_SPLIT: dict[str, tuple[str, str]] = {}


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _listing(items: list[str], joiner: str = "or") -> str:
    items = list(items)
    if len(items) > _SHOWN:
        return ", ".join(items[:_SHOWN]) + f" {joiner} {len(items) - _SHOWN} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


def data_patterns(patterns) -> list[Pattern]:
    """The value, data and list patterns that a value (of an attribute or text-only element) may match."""
    found, stack, seen = [], list(patterns), set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        if p.kind in (VALUE, DATA, LIST, TEXT):
            found.append(p)
        elif p.kind is CHOICE:
            stack.extend(p.a)
        elif p.kind in (GROUP, INTERLEAVE):
            stack.extend((p.a, p.b))
        elif p.kind in (ONE_OR_MORE, AFTER):
            stack.append(p.a)
    return sorted(found, key=lambda q: q.uid)


def id_kinds(grammar: Grammar, p: Pattern, ns: str, local: str) -> frozenset:
    """The datatypes among ID, IDREF and IDREFS that an attribute may have in state p (memoized with the grammar)."""
    memo = grammar.id_kinds
    key = (p, ns, local)
    kinds = memo.get(key)
    if kinds is None:
        kinds = memo[key] = frozenset(
            pattern.a.name for pattern in data_patterns(grammar.attribute_contents(p, ns, local))
            if pattern.kind is DATA and pattern.a.name in ("ID", "IDREF", "IDREFS"))
    return kinds


class _Walker:
    """One pass over one document; collects findings."""

    def __init__(self, doc: Document, grammar: Grammar):
        self.doc = doc
        self.g = grammar
        self.findings: list[Finding] = []
        self.ns_fix: dict[str, str] = {}     # wrong namespace -> the schema's, once reported
        self.ids: dict[str, object] = {}
        self.idrefs: list[tuple[object, str, str]] = []
        self._text_spans = None
        self.skipped = False  # a child of the current element was reported and left out of its content
        self.history: list = []
        self.repairs: dict = {}
        self.suggested = 0
        memo = grammar.explain_memo
        self._first_memo = memo.setdefault("first", {})
        self._skip_memo = memo.setdefault("skip", {})
        self._guess_memo = memo.setdefault("guess", {})
        root_ns = self.doc.root.nsmap
        self.prefixes = {ns: prefix for prefix, ns in root_ns.items() if prefix}
        self.default_ns = root_ns.get(None, "")

    # ---------------------------------------------------------------------------------------- reporting
    def report(self, where, rule: str, message: str, expected=(), attribute: str | None = None,
               at: tuple[int, int] | None = None) -> None:
        if at is None:
            at = self.doc.locate_attribute(where, attribute) if attribute else self.doc.locate(where)
        self.findings.append(Finding(self.doc.name, at[0], at[1], "error", rule, message, tuple(expected)))

    def show(self, ns: str, local: str) -> str:
        """An element name as an editor writes it in this document."""
        if ns == XML_NS:
            return "xml:" + local
        if ns in ("", self.default_ns):
            return local
        if ns in self.prefixes:
            return f"{self.prefixes[ns]}:{local}"
        return f"{local} (in namespace {ns})"

    def show_attribute(self, ns: str, local: str) -> str:
        """An attribute name as written (unprefixed attributes are in no namespace)."""
        if not ns:
            return "@" + local
        if ns == XML_NS or ns in self.prefixes:
            return "@" + self.show(ns, local)
        return f"@{local} (in namespace {ns})"

    def names_of(self, nc, attribute: bool = False) -> list[str]:
        shown = []
        for ns, local in name_class_names(nc):
            if ns == "*":
                what = "attribute" if attribute else "element"
                shown.append(f"any {what}" if local is None else f"any {what} in namespace {local}")
            else:
                shown.append(self.show_attribute(ns, local) if attribute else self.show(ns, local))
        return shown

    # ------------------------------------------------------------------------------------------- walk
    def run(self) -> list[Finding]:
        root = self.doc.root
        self.element(root, self.g.start, parent=None)
        for element, clark, value in self.idrefs:  # libxml2 checks references once the whole document is read
            for token in value.split():
                if token not in self.ids:
                    self.report(element, "rng-datatype", f'{self.show_attribute(*_split(clark))}="{_quote(value)}" '
                                f'refers to "{token}", but no element of this document has that identifier',
                                sorted(self.ids), attribute=clark)
        self.findings.sort(key=lambda f: (f.line, f.column))
        return self.findings

    def name_of(self, element) -> tuple[str, str]:
        ns, local = _split(element.tag)
        return self.ns_fix.get(ns, ns), local

    def element(self, el, state: Pattern, parent) -> Pattern:
        """Validate one element in the parent's state; return the parent's state after it."""
        g = self.g
        ns, local = self.name_of(el)
        p = g.start_tag_open(state, ns, local)
        resume, saved_fix = None, self.ns_fix
        if p is g.not_allowed:
            self.ns_fix = dict(saved_fix)  # a namespace fix found here holds for this subtree only
            p, resume = self.recover_start(el, state, ns, local, parent)
            if p is None or resume is not None:
                self.skipped = True
            if p is None:
                self.ns_fix = saved_fix
                return state
            ns, local = self.name_of(el)
        if ns != _split(el.tag)[0] and el not in self.repairs:
            self.repairs[el] = f"{{{ns}}}{local}" if ns else local
        p = self.attributes(el, p, local)
        p = self.close_start_tag(el, p, ns, local)
        outer_skipped, self.skipped = self.skipped, False
        p = self.content(el, p, ns, local)
        after = g.end_tag(p)
        if after is g.not_allowed:
            if not self.skipped:  # else the skipped child was most likely the content that is missing
                self.report_incomplete(el, p, ns, local)
            after = g.end_tag(p, lenient=True)
        self.skipped = outer_skipped
        self.ns_fix = saved_fix
        return after if resume is None else resume

    def attributes(self, el, p: Pattern, local_name: str) -> Pattern:
        g = self.g
        context = self.context(el) if g.uses_context else None
        for clark, value in attribute_items(el):
            ns, local = _split(clark)
            before = p
            following = g.attribute_deriv(p, ns, local, value, context)
            if following is g.not_allowed:
                following = g.attribute_deriv(p, ns, local, value, context, any_value=True)
                if following is g.not_allowed:
                    self.report_attribute(el, p, ns, local, clark, local_name)
                    continue
                self.report_value(el, self.attribute_contents(before, ns, local), value, clark,
                                  self.show_attribute(ns, local))
            else:
                self.track_ids(el, before, ns, local, clark, value)
            p = following
        return p

    def close_start_tag(self, el, p: Pattern, ns: str, local: str) -> Pattern:
        g = self.g
        closed = g.start_tag_close(p)
        if closed is g.not_allowed:
            missing = self.missing_attributes(p)
            name = self.show(ns, local)
            if len(missing) == 1:
                message = f"element <{name}> lacks the required attribute {missing[0]}"
            else:
                message = f"element <{name}> needs one of the attributes {_listing(missing)}"
            self.report(el, "rng-attribute-missing", message, missing)
            closed = g.start_tag_close(p, lenient=True)
        return closed

    def content(self, el, p: Pattern, ns: str, local: str) -> Pattern:
        """Derive an element's children: merged text chunks and child elements (comments and PIs vanish)."""
        g = self.g
        items = self.children(el)
        if not any(kind == "element" for kind, _, _ in items):  # text only: it may be a value (data, list)
            text = "".join(item[1] for item in items)
            following = g.text_deriv(p, text, self.context(el) if g.uses_context else None)
            if is_whitespace(text):
                following = g.choice(p, following)
            if following is g.not_allowed:
                return self.report_text(el, p, text, items[0][2] if items else None, ns, local)
            return following
        history = self.history
        self.history = []  # (state, child) before each child of this element, to tell "it comes too late"
        for kind, item, previous in items:
            if kind == "element":
                self.history.append((p, item))
                p = self.element(item, p, el)
            elif not is_whitespace(item):
                following = g.text_deriv(p, item, self.context(el) if g.uses_context else None)
                p = self.report_text(el, p, item, previous, ns, local) if following is g.not_allowed else following
        self.history = history
        return p

    @staticmethod
    def children(el) -> list[tuple]:
        """The element's content as ("text", string, preceding element or None) and ("element", el, None)."""
        items: list[tuple] = []
        text, previous = el.text or "", None
        for child in el:
            if isinstance(child.tag, str):
                if text:
                    items.append(("text", text, previous))
                items.append(("element", child, None))
                text, previous = child.tail or "", child
            else:  # a comment or processing instruction: the text around it is one text node
                text += child.tail or ""
        if text:
            items.append(("text", text, previous))
        return items

    @staticmethod
    def context(el):
        return tuple(sorted((prefix or "", ns) for prefix, ns in el.nsmap.items()))

    # --------------------------------------------------------------------------------- ids and idrefs
    def id_kinds(self, p: Pattern, ns: str, local: str) -> frozenset:
        return id_kinds(self.g, p, ns, local)

    def track_ids(self, el, p: Pattern, ns: str, local: str, clark: str, value: str) -> None:
        kinds = self.id_kinds(p, ns, local)
        if not kinds:
            return
        if "ID" in kinds:
            key = value.strip(" \t\n\r")
            if key in self.ids:
                line = self.doc.locate(self.ids[key])[0]
                self.report(el, "rng-datatype", f'{self.show_attribute(ns, local)}="{key}" is already used on '
                            f"line {line}: an identifier must be unique in the document", attribute=clark)
            else:
                self.ids[key] = el
        elif kinds & {"IDREF", "IDREFS"}:
            self.idrefs.append((el, clark, value))

    # ----------------------------------------------------------------------------- pattern inspection
    def first(self, p: Pattern) -> tuple[tuple, bool, tuple]:
        """What may come next in state p: (element patterns, text allowed?, data/value/list patterns)."""
        found = self._first_memo.get(p)
        if found is not None:
            return found
        elements, text, data = [], False, []
        kind = p.kind
        if kind is ELEMENT:
            elements.append(p)
        elif kind is TEXT:
            text = True
        elif kind in (DATA, VALUE, LIST):
            data.append(p)
        elif kind is CHOICE or kind is INTERLEAVE or kind is GROUP:
            parts = p.a if kind is CHOICE else (p.a, p.b) if kind is INTERLEAVE else (
                (p.a, p.b) if p.a.nullable else (p.a,))
            for part in parts:
                e, t, d = self.first(part)
                elements.extend(e)
                text = text or t
                data.extend(d)
        elif kind is ONE_OR_MORE or kind is AFTER:
            inner = self.first(p.a)
            elements, text, data = list(inner[0]), inner[1], list(inner[2])
        found = (tuple(dict.fromkeys(elements)), text, tuple(dict.fromkeys(data)))
        self._first_memo[p] = found
        return found

    def expected_here(self, p: Pattern) -> list[str]:
        elements, text, data = self.first(p)
        names = sorted({name for e in elements for name in self.names_of(e.a)}, key=str.lower)
        if text or data:
            names.append("<text>")
        return names

    def attribute_patterns(self, p: Pattern) -> tuple:
        return self.g.attribute_patterns(p)

    def attribute_contents(self, p: Pattern, ns: str, local: str) -> tuple:
        return self.g.attribute_contents(p, ns, local)

    data_patterns = staticmethod(data_patterns)

    def describe(self, patterns) -> tuple[list[str], list[str]]:
        """Return (allowed values, datatypes in words) for a value's patterns."""
        values, words = [], []
        for p in self.data_patterns(patterns):
            if p.kind is VALUE:
                values.append(p.b[0])
            elif p.kind is DATA:
                words.append(p.a.words())
            elif p.kind is TEXT:
                words.append("any text")
            else:
                inner_values, inner_words = self.describe([p.a])
                items = [f'"{v}"' for v in inner_values] + inner_words
                words.append("a list, separated by spaces, of " + _listing(items))
        return list(dict.fromkeys(values)), list(dict.fromkeys(words))

    # ------------------------------------------------------------------------------------ messages
    def report_value(self, el, patterns, value: str, clark: str | None, what: str) -> None:
        values, words = self.describe(patterns)
        if clark:
            subject = f'{what}="{_quote(value)}"'
        elif is_whitespace(value):
            subject = f"the empty content of {what}"
        else:
            subject = f'the content "{_quote(value)}" of {what}'
        if values and not words:
            message = f"{subject} is not one of the allowed values: {_listing(values)}"
            guess = _suggest(value.strip(), values) if clark else None
            if guess:  # a slip of the pen: later checks read the value meant (a "sent" that lost its sender)
                message += f'; did you mean "{guess}"?'
                self.repairs[(el, clark)] = guess
            elif clark:
                self.repairs[(el, clark, "refused")] = None
            self.report(el, "rng-value", message, values, attribute=clark)
        else:
            allowed = [f'"{v}"' for v in values] + words
            if len(allowed) > 2:  # a union of many forms (TEI's dates): name the one the value was meant to have
                nearest = _nearest_form(value, allowed)
                others = len(allowed) - 1
                said = f"{nearest}, nor any of the {others} other forms allowed"
            else:
                said = _listing(allowed)
            if clark:
                self.repairs[(el, clark, "refused")] = None
            self.report(el, "rng-datatype", f"{subject} is not {said}", values + words, attribute=clark)

    def report_attribute(self, el, p: Pattern, ns: str, local: str, clark: str, element_name: str) -> None:
        names = {self.show_attribute(*n): n for a in self.attribute_patterns(p) for n in name_class_names(a.a)
                 if n[0] != "*"}
        allowed = sorted({name for a in self.attribute_patterns(p) for name in self.names_of(a.a, True)},
                         key=str.lower)
        shown = self.show_attribute(ns, local)
        message = f"attribute {shown} is not allowed on <{element_name}>"
        self.suggested += 1  # a spelling guess costs a millisecond: the first hundred get one, not 100,000
        guess = _suggest(shown, allowed) if self.suggested <= _SUGGESTED else None
        if guess:
            message += f"; did you mean {guess}?"
            if guess in names:  # later checks read the attribute meant (no "the date has no @when" besides)
                meant_ns, meant_local = names[guess]
                self.repairs[(el, clark, "name")] = f"{{{meant_ns}}}{meant_local}" if meant_ns else meant_local
        elif (ns, local) in self.g.attribute_names:
            message += " (the schema allows it only on other elements)"
        elif not allowed:
            message += " (this element takes no attributes)"
        self.report(el, "rng-attribute", message, allowed, attribute=clark)

    def missing_attributes(self, p: Pattern) -> list[str]:
        """The attributes whose presence would let the start tag close (the required ones)."""
        g = self.g
        fixes, every = [], []
        for pattern in self.attribute_patterns(p):
            names = [n for n in name_class_names(pattern.a) if n[0] != "*"]
            every.extend(self.names_of(pattern.a, True))
            for ns, local in names[:1]:
                supplied = g.attribute_deriv(p, ns, local, "", any_value=True)
                if g.start_tag_close(supplied) is not g.not_allowed:
                    fixes.extend(self.names_of(pattern.a, True))
        return sorted(set(fixes or every), key=str.lower)

    def completing_elements(self, p: Pattern) -> list[str]:
        """Among the elements that may come next, those that would complete the content (the required ones);
        all of them when no single one does."""
        g = self.g
        completing = [e for e in self.first(p)[0]
                      if g.end_tag(g.end_tag(g.start_tag_open_as(p, e), lenient=True)) is not g.not_allowed]
        chosen = completing or self.first(p)[0]
        return sorted({name for e in chosen for name in self.names_of(e.a)}, key=str.lower)

    def report_incomplete(self, el, p: Pattern, ns: str, local: str) -> None:
        expected = self.expected_here(p)
        elements = self.completing_elements(p)
        name = self.show(ns, local)
        _, _, data = self.first(p)
        if data and not elements:  # an empty element whose content must be a value
            self.report_value(el, data, "", None, f"<{name}>")
            return
        if not elements:
            message = f"element <{name}> must not be empty: it needs text"
        elif len(elements) == 1:
            message = f"element <{name}> is incomplete: <{elements[0]}> is required"
        else:
            message = f"element <{name}> is incomplete: one of {_listing(['<%s>' % e for e in elements])} is required"
        last = next((child for child in reversed(el) if isinstance(child.tag, str)), None)
        if last is not None:
            message += f" after <{self.show(*self.name_of(last))}>"
        self.report(el, "rng-missing", message, expected)

    def report_text(self, el, p: Pattern, text: str, previous, ns: str, local: str) -> Pattern:
        """Report text that does not fit; return the state to go on with."""
        g = self.g
        name = self.show(ns, local)
        _, _, data = self.first(p)
        if data:
            self.report_value(el, data, text, None, f"<{name}>")
            self.findings[-1] = self._at_text(self.findings[-1], el, previous, text)
            lenient = g.text_deriv(p, text, lenient=True)
            return p if lenient is g.not_allowed else lenient
        expected = self.expected_here(p)
        message = f'text "{_quote(text)}" is not allowed directly in <{name}>'
        if expected:
            message += f"; it may contain only elements ({_listing(['<%s>' % e for e in expected], 'and')})"
        else:
            message += " (it must stay empty)"
        self.report(el, "rng-text", message, expected)
        self.findings[-1] = self._at_text(self.findings[-1], el, previous, text)
        return p

    def _at_text(self, finding: Finding, el, previous, text: str) -> Finding:
        line, column = self.locate_text(el, previous, text)
        if not line:
            return finding
        return Finding(finding.file, line, column, finding.severity, finding.rule, finding.message,
                       finding.expected)

    def locate_text(self, el, previous, text: str) -> tuple[int, int]:
        """Where a text chunk's first visible character is: after el's start tag or after previous's end."""
        spans = self.text_spans()
        anchor = spans.get(previous if previous is not None else el, (None, None))
        offset = anchor[1] if previous is not None else anchor[0]
        if offset is None:
            return 0, 0
        raw = self.doc.text
        while offset < len(raw) and raw[offset] in " \t\r\n":
            offset += 1
        return self.doc.position(offset)

    def text_spans(self) -> dict:
        """For each element: (offset just after its start tag, offset just after its end tag)."""
        if self._text_spans is None:
            self._text_spans = _scan_tags(self.doc)
        return self._text_spans

    # ------------------------------------------------------------------------------------ recovery
    def recover_start(self, el, state: Pattern, ns: str, local: str, parent):
        """An element is not allowed in `state`: report why; return (state to validate it in, parent's
        state after it or None to use the derived one), or (None, None) to skip it altogether."""
        g = self.g
        name = self.show(ns, local)
        where = f" in <{self.show(*self.name_of(parent))}>" if parent is not None else " as the root element"
        expected = self.expected_here(state)

        repeated = self.repetition(ns, local)
        if repeated:
            self.report(el, "rng-element", f"one <{name}> too many{where} (at most {repeated})", expected)
            return self.own_definition(ns, local), state

        skipped = self.skip_to(state, ns, local)
        if skipped is not None:
            opened, missing = skipped
            shown = _listing([f"<{m}>" for m in missing])
            verb = "is" if len(missing) == 1 else "are"
            self.report(el, "rng-missing", f"element <{name}> comes too early{where}: {shown} {verb} required "
                        f"before it", missing)
            return opened, None

        known = g.elements_named(ns, local)
        if not known:
            right_ns = self.namespace_fix(ns, local)
            if right_ns is not None:
                self.report(el, "rng-unknown", f"element <{local}> is in "
                            f"{'namespace ' + ns if ns else 'no namespace'}, but the schema defines <{local}> in "
                            f"namespace {right_ns}: check the xmlns declaration", expected)
                self.ns_fix[ns] = right_ns
                opened = g.start_tag_open(state, right_ns, local)
                if opened is not g.not_allowed:
                    return opened, None
                return self.own_definition(right_ns, local), state
            module = teinames.modules().get(local) if ns == TEI_NS else None  # a real TEI element: no slip
            guess = self.suggest_here(state, name) if module is None else None
            if guess:  # a slip of the pen: check it as the element it was meant to be
                self.report(el, "rng-unknown", f"element <{name}> is not defined in the schema; did you mean "
                            f"<{self.show(*guess)}>?", expected)
                self.repairs[el] = f"{{{guess[0]}}}{guess[1]}" if guess[0] else guess[1]
                return g.start_tag_open(state, *guess), None
            alike = self.suggest_anywhere(name) if module is None else None
            if module is not None:
                message = f"<{name}> is a TEI element ({module} module) that this customization leaves out"
            elif alike:  # spelled like an element of the schema that does not fit here: no "did you mean"
                message = (f"element <{name}> is not defined in the schema (<{self.show(*alike)}>, spelled alike, "
                           f"is not allowed here either)")
            else:
                message = f"element <{name}> is not defined in the schema"
            self.report(el, "rng-unknown", message, expected)
            # its inside is still checked: as the element it most likely is, else each child as itself
            return (self.own_definition(*alike) if alike else self.anything()), state

        hint = self.placement_hint(ns, local, state)
        self.report(el, "rng-element", f"element <{name}> is not allowed here{where}{hint}", expected)
        return self.own_definition(ns, local), state

    def repetition(self, ns: str, local: str) -> int:
        """How many of this element may come here, when it is refused only for coming once too often: it follows
        a run of siblings of its own name, and was allowed before the last of them. 0 otherwise."""
        g, run = self.g, 0
        for _before, child in reversed(self.history[:-1]):
            if self.name_of(child) != (ns, local):
                break
            run += 1
        if run and g.start_tag_open(self.history[-2][0], ns, local) is not g.not_allowed:
            return run
        return 0

    def placement_hint(self, ns: str, local: str, state: Pattern) -> str:
        """Where a misplaced element would be allowed: before the nearest earlier sibling it may precede, or
        inside a wrapper."""
        g = self.g
        earlier = next((child for before, child in reversed(self.history[:-1])
                        if g.start_tag_open(before, ns, local) is not g.not_allowed), None)
        if earlier is not None:
            return f"; it must come before <{self.show(*self.name_of(earlier))}> (line {self.doc.locate(earlier)[0]})"
        containers = self.containers_for(state, ns, local)
        return f"; it may go inside {_listing(['<%s>' % c for c in containers])}" if containers else ""

    def containers_for(self, state: Pattern, ns: str, local: str) -> list[str]:
        """The elements allowed here that could hold this element as their first child (a forgotten wrapper,
        such as <p> straight in <text> instead of in <body>); none when there are too many to help."""
        key = ("containers", state, ns, local)
        if key not in self._skip_memo:
            g, found = self.g, []
            for element in self.first(state)[0][:80]:
                inside = g.start_tag_close(element.content, lenient=True)
                if g.start_tag_open(inside, ns, local) is not g.not_allowed:
                    found.append(element)
            self._skip_memo[key] = tuple(found) if len(found) <= 3 else ()
        return sorted({name for e in self._skip_memo[key] for name in self.names_of(e.a)}, key=str.lower)

    def own_definition(self, ns: str, local: str) -> Pattern:
        """A state that validates an element against its own definitions, wherever the schema has them."""
        g = self.g
        state = g.not_allowed
        for pattern in g.elements_named(ns, local):
            state = g.choice(state, pattern)
        opened = g.start_tag_open(state, ns, local)
        return opened if opened is not g.not_allowed else g.after(g.text, g.empty)

    def namespace_fix(self, ns: str, local: str) -> str | None:
        """The namespace the schema expects for this local name, when the document used another."""
        if ns in self.ns_fix.values():
            return None
        choices = sorted(e_ns for e_ns, e_local in self.g.element_names() if e_local == local and e_ns != ns)
        return choices[0] if choices else None

    def suggest_here(self, state: Pattern, name: str) -> tuple[str, str] | None:
        """The (ns, local) of an element allowed in this state whose name is a close spelling of `name`."""
        key = (state, name, self.default_ns, tuple(sorted(self.prefixes.items())))
        if key not in self._guess_memo:
            allowed = {self.show(*n): n for e in self.first(state)[0] for n in name_class_names(e.a) if n[0] != "*"}
            guess = _suggest(name, list(allowed))
            self._guess_memo[key] = allowed[guess] if guess else None
        return self._guess_memo[key]

    def suggest_anywhere(self, name: str) -> tuple[str, str] | None:
        """The (ns, local) of an element of the schema, wherever it may occur, whose name is a close spelling."""
        key = (name, self.default_ns, tuple(sorted(self.prefixes.items())))
        if key not in self._guess_memo:
            everywhere = {self.show(*n): n for n in self.g.element_names()}
            guess = _suggest(name, sorted(everywhere, key=str.lower))
            self._guess_memo[key] = everywhere[guess] if guess else None
        return self._guess_memo[key]

    def anything(self) -> Pattern:
        """A state for an element the schema does not know: any attributes and text, and children each checked
        against their own definitions."""
        memo = self.g.explain_memo
        if "anything" not in memo:
            g = self.g
            every = g.not_allowed
            for ns, local in sorted(g.element_names()):
                for pattern in g.elements_named(ns, local):
                    every = g.choice(every, pattern)
            item = g.choice(g.choice(g.attribute(("any", None), g.text), g.text), every)
            memo["anything"] = g.after(g.optional(g.one_or_more(item)), g.empty)
        return memo["anything"]

    def skip_to(self, state: Pattern, ns: str, local: str):
        """If the element would be allowed once some required elements came first, return (state after its
        start tag, names of the missing elements); else None."""
        key = (state, ns, local)
        if key not in self._skip_memo:
            found = self._skip_to(state, ns, local)
            self._skip_memo[key] = found and (found[0], tuple(found[1]))
        found = self._skip_memo[key]
        return found and (found[0], list(dict.fromkeys(name for step in found[1] for name in self.names_of(step.a))))

    def _skip_to(self, state: Pattern, ns: str, local: str):
        g = self.g
        frontier = [(state, ())]
        budget = _SKIP_BUDGET
        for _ in range(_SKIP_DEPTH):
            reached, missing, next_frontier = g.not_allowed, [], []
            for current, path in frontier:
                for element in self.first(current)[0]:
                    budget -= 1
                    if budget < 0:
                        return None
                    skipped = g.end_tag(g.start_tag_open_as(current, element), lenient=True)
                    opened = g.start_tag_open(skipped, ns, local)
                    if opened is not g.not_allowed:
                        reached = g.choice(reached, opened)
                        missing.extend(path + (element,))
                    else:
                        next_frontier.append((skipped, path + (element,)))
            if reached is not g.not_allowed:
                return reached, list(dict.fromkeys(missing))
            frontier = next_frontier
        return None


def _shape(text: str) -> str:
    return re.sub(r"[0-9]", "9", re.sub(r"[^\W\d_]", "a", text.strip()))


def _nearest_form(value: str, forms: list[str]) -> str:
    """The form (a datatype in words, with its example after "such as") whose example has the value's shape."""
    def likeness(form: str) -> float:
        example = form.split("such as ", 1)[1].split()[0] if "such as " in form else form
        return difflib.SequenceMatcher(None, _shape(value), _shape(example)).ratio()
    return max(forms, key=likeness)


def _suggest(name: str, candidates: list[str]) -> str | None:
    """A close spelling among the candidates (case slips first, then one slip of the pen), or None."""
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered and lowered[name.lower()] != name:
        return lowered[name.lower()]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.75)
    if close:
        return close[0]
    # short names ("rog" for "org") fall below difflib's ratio after one slip; take a slip only when unambiguous
    slips = [c for c in candidates if len(name) >= 3 and _one_slip(name, c)]
    return slips[0] if len(slips) == 1 else None


def _one_slip(a: str, b: str) -> bool:
    """True when b is a with one letter swapped with the next, replaced, left out or added."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return shorter[i:] == longer[i + 1:]


_TAGS = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
                   r"|(</[^>]*>)|<[^\s/>!?][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>", re.S)


def _scan_tags(doc: Document) -> dict:
    """Map each element to (offset after its start tag, offset after its end tag)."""
    elements = iter(doc.root.iter())
    spans, stack = {}, []
    for match in _TAGS.finditer(doc.text):
        text = match.group(0)
        if match.group(1):  # an end tag
            if stack:
                element, start = stack.pop()
                spans[element] = (start, match.end())
        elif text.startswith("<") and not text.startswith(("<!", "<?")):
            element = next(elements, None)
            while element is not None and not isinstance(element.tag, str):
                element = next(elements, None)
            if element is None:
                break
            if match.group(2):
                spans[element] = (match.end(), match.end())
            else:
                stack.append((element, match.end()))
    return spans


# --------------------------------------------------------------------------------------------- the verdict alone

def is_valid(root, grammar: Grammar) -> bool:
    """Whether a document is valid: `explain`'s verdict (no finding exactly when this is True), without the
    messages, recovery and look-ahead that only an invalid document needs. It walks the same memoized
    derivatives, so after a few documents each step is a dictionary lookup: this is the RELAX NG layer's fast
    path, several times quicker than libxml2 on TEI once warm."""
    verdict = _Verdict(grammar)
    end = verdict.element(root, grammar.start)
    return end is not grammar.not_allowed and end.nullable and verdict.references_resolve()


class _Verdict:
    """One walk over one document, stopping at its first error."""

    def __init__(self, grammar: Grammar):
        self.g = grammar
        self.ids: set[str] = set()
        self.idrefs: list[str] = []

    def element(self, el, state: Pattern) -> Pattern:
        """The parent's state after this element (notAllowed as soon as anything does not match)."""
        g, stop = self.g, self.g.not_allowed
        p = g.start_tag_open(state, *_split(el.tag))
        if p is stop:
            return stop
        context = _Walker.context(el) if g.uses_context else None
        for clark, value in attribute_items(el):
            ns, local = _split(clark)
            following = g.attribute_deriv(p, ns, local, value, context)
            if following is stop or not self.track_ids(p, ns, local, value):
                return stop
            p = following
        p = g.start_tag_close(p)
        if p is stop:
            return stop
        p = self.content(el, p, context)
        return stop if p is stop else g.end_tag(p)

    def content(self, el, p: Pattern, context) -> Pattern:
        """As `_Walker.content`: text-only content is one value; between elements, whitespace does not count.
        (The children are read as they come, without `_Walker.children`'s list: this is the walk of every element
        of every document.)"""
        g, stop = self.g, self.g.not_allowed
        text, elements = el.text or "", False
        for child in el:
            if not isinstance(child.tag, str):  # a comment or processing instruction: the text around it is one
                text += child.tail or ""
                continue
            if text and not is_whitespace(text):
                p = g.text_deriv(p, text, context)
                if p is stop:
                    return stop
            p = self.element(child, p)
            if p is stop:
                return stop
            text, elements = child.tail or "", True
        if not elements:
            following = g.text_deriv(p, text, context)
            return g.choice(p, following) if is_whitespace(text) else following
        return g.text_deriv(p, text, context) if text and not is_whitespace(text) else p

    def track_ids(self, p: Pattern, ns: str, local: str, value: str) -> bool:
        """Record an ID or the IDREFs of an attribute; False for an ID used twice."""
        kinds = id_kinds(self.g, p, ns, local)
        if not kinds:
            return True
        if "ID" in kinds:
            key = value.strip(" \t\n\r")
            if key in self.ids:
                return False
            self.ids.add(key)
        elif kinds & {"IDREF", "IDREFS"}:
            self.idrefs.extend(value.split())
        return True

    def references_resolve(self) -> bool:
        return all(token in self.ids for token in self.idrefs)
