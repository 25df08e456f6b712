"""RELAX NG layer: lxml gives the verdict fast; only an invalid document is explained.

The explanation comes from `explain.py` (RELAX NG by derivatives: every error at its line with what was expected)
when that module is present; otherwise, or if it finds nothing to say, lxml's own error log is turned into plain
words, each located at the node lxml names.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..xmlio import Document, parse


def _name(qualified: str) -> str:
    return qualified.split("}")[-1].split(":")[-1]


# lxml message -> (rule, plain words); groups: element and attribute names as lxml prints them
_MESSAGES = [
    (re.compile(r"Did not expect element (\S+) there"), "rng-element",
     lambda m, parent: f"the element <{_name(m[1])}> is not allowed here, inside <{parent}>"),
    (re.compile(r"Element (\S+) has extra content: (\S+)"), "rng-element",
     lambda m, parent: f"<{_name(m[2])}> is not allowed at this place inside <{_name(m[1])}>"),
    (re.compile(r"Extra element (\S+) in interleave"), "rng-element",
     lambda m, parent: f"<{_name(m[1])}> is not allowed here inside <{parent}> (or it appears too often)"),
    (re.compile(r"Expecting an element (\S+), got nothing"), "rng-required",
     lambda m, parent: f"a required <{_name(m[1])}> is missing here"),
    (re.compile(r"Expecting element (\S+), got (\S+)"), "rng-element",
     lambda m, parent: f"found <{_name(m[2])}> where <{_name(m[1])}> is required"),
    (re.compile(r"Invalid attribute (\S+) for element (\S+)"), "rng-attribute",
     lambda m, parent: f"the attribute @{m[1]} is not allowed on <{_name(m[2])}>, or its value is not valid"),
    (re.compile(r"Element (\S+) failed to validate attributes"), "rng-attribute",
     lambda m, parent: f"<{_name(m[1])}> lacks a required attribute or has an invalid attribute value"),
    (re.compile(r"Did not expect text in element (\S+) content"), "rng-text",
     lambda m, parent: f"text is not allowed directly inside <{_name(m[1])}>"),
    (re.compile(r"Element (\S+) has wrong namespace: expecting (\S+)"), "rng-namespace",
     lambda m, parent: f"<{_name(m[1])}> is in the wrong namespace; it must be in {m[2]}"),
    (re.compile(r"Expecting a namespace for element (\S+)"), "rng-namespace",
     lambda m, parent: f"<{_name(m[1])}> is in no namespace; it must be in the TEI namespace"),
    (re.compile(r"Type (\S+) doesn't allow value '(.*)'"), "rng-value",
     lambda m, parent: f"the value '{m[2]}' is not a valid {m[1]}"),
    (re.compile(r"Error validating value|Element (\S+) failed to validate content|Invalid sequence in interleave"),
     "rng", None),
]


class RngChecker:
    """A RELAX NG schema loaded once, checking documents one by one."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise FindingError(Finding(str(path), 0, 0, ERROR, "schema-missing",
                                       "the RELAX NG schema does not exist (build it with `make schema`, "
                                       "or name another with --rng)"))
        try:
            tree = parse(self.path).tree
        except FindingError as err:
            raise FindingError(Finding(str(path), err.finding.line, err.finding.column, ERROR, "schema-broken",
                                       f"the RELAX NG schema is not well-formed: {err.finding.message}")) from None
        try:
            self.relaxng = etree.RelaxNG(tree)
        except etree.RelaxNGParseError as err:
            entry = err.error_log[0] if len(err.error_log) else None
            raise FindingError(Finding(str(path), entry.line if entry else 0, 0, ERROR, "schema-broken",
                                       f"the RELAX NG schema is not a valid grammar: "
                                       f"{entry.message if entry else err}")) from None
        self._grammar = None

    def check(self, doc: Document, repairs: dict | None = None) -> list[Finding]:
        """Return no findings for a valid document, else every error found, each at its node.

        `repairs`, when given, receives what the explainer read as meant: {element: Clark name} for a misspelled
        name or a wrong namespace, {(element, attribute): value} for a misspelled value of a closed list."""
        if self.relaxng.validate(doc.tree):
            return []
        log = list(self.relaxng.error_log)
        return self._explained(doc, repairs) or _from_log(doc, log) or [
            doc.finding(doc.root, "the document does not match the RELAX NG schema", "rng")]

    def _explained(self, doc: Document, repairs: dict | None = None) -> list[Finding]:
        try:  # imported only for an invalid document; the layer works without it
            from . import explain
        except ImportError:
            return []
        try:
            if self._grammar is None:
                self._grammar = explain.load_grammar(self.path)
            return list(explain.explain(doc, self._grammar, repairs))
        except Exception:  # noqa: BLE001 - the explainer is a refinement; lxml's own log still says what is wrong
            return []


def _from_log(doc: Document, log) -> list[Finding]:
    """Turn lxml's RELAX NG error log into findings at the node each entry names, dropping knock-on entries."""
    findings: dict[tuple, Finding] = {}
    generic = []
    for entry in log:
        node = _node(doc, entry)
        parent = node.getparent() if node is not None else None
        parent_name = etree.QName(parent).localname if parent is not None else "the document"
        for pattern, rule, words in _MESSAGES:
            match = pattern.search(entry.message)
            if match is None:
                continue
            message = words(match, parent_name) if words else None
            break
        else:
            rule, message = "rng", entry.message.strip()
        line, column = _where(doc, node, entry, rule, match)
        if message is None:
            generic.append(Finding(doc.name, line, column, ERROR, rule, _generic(entry.message, node)))
            continue
        findings.setdefault((line, column, message), Finding(doc.name, line, column, ERROR, rule, message))
    return sorted(findings.values()) or generic[:1]


def _generic(message: str, node) -> str:
    name = etree.QName(node).localname if node is not None else "this element"
    if "failed to validate content" in message or "interleave" in message:
        return f"the content of <{name}> does not match the schema"
    return f"a value inside <{name}> is not valid: {message.strip()}"


def _node(doc: Document, entry):
    """Return the element an lxml log entry is about (its path), or the first element on its line."""
    if entry.path:
        try:
            found = doc.tree.xpath(entry.path)
            if found and isinstance(found[0], etree._Element):
                return found[0]
        except etree.XPathError:
            pass
    return next((el for el in doc.root.iter(etree.Element) if el.sourceline == entry.line), None)


def _where(doc: Document, node, entry, rule: str, match) -> tuple[int, int]:
    if node is None:
        return entry.line, entry.column or 0
    if rule == "rng-attribute" and match is not None and match.lastindex and match.lastindex >= 2:
        attribute = match[1]
        if attribute in node.attrib or any(k.endswith("}" + attribute) for k in node.attrib):
            key = attribute if attribute in node.attrib else next(k for k in node.attrib
                                                                   if k.endswith("}" + attribute))
            return doc.locate_attribute(node, key)
    return doc.locate(node)
