"""XInclude in an ODD, resolved safely before compilation (the official chain, run without XInclude, ignores it).

An `xi:include` is replaced by what it points at, read through the project's safe parser from a file inside the
ODD's folder, or from the file an XML catalog maps its URL to; nothing is fetched, and a file outside the folder is
refused. Pointers: none (the whole document), a shorthand id, element(), and xmlns() with xpointer()/xpath1()
holding an XPath 1.0 expression (as tei_allPlus uses). Anything that cannot be resolved stops the compilation with
its place and the reason: an include is never silently dropped, and xi:fallback is not used.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from lxml import etree

from .. import xmlio
from ..findings import FindingError
from .catalog import Catalog

XI_NS = "http://www.w3.org/2001/XInclude"
XI = "{%s}" % XI_NS
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_DEPTH = 10
_PART = re.compile(r"\s*([\w.:-]+)\(")


class Includer:
    """Replaces every xi:include of a tree; `fail(node, message)` raises a located error."""

    def __init__(self, odd_path: Path, catalog: Catalog, fail):
        self.folder = odd_path.resolve().parent
        self.catalog = catalog
        self.top = None
        self.fail = lambda node, message: fail(self.top if self.top is not None else node, message)

    def expand(self, root, base: str, stack: tuple = ()) -> None:
        for include in list(root.iter(XI + "include")):
            if not stack:
                self.top = include  # errors in nested includes are reported where the ODD's own include is
            if include.getparent() is None:
                self.fail(include, "the document's root is an xi:include: there is no ODD to compile around it")
            nodes = self.resolve(include, include.base or base, stack)
            parent, tail = include.getparent(), include.tail
            at = parent.index(include)
            parent.remove(include)
            previous = parent[at - 1] if at > 0 else None
            for node in nodes:
                if isinstance(node, str):
                    if previous is None:
                        parent.text = (parent.text or "") + node
                    else:
                        previous.tail = (previous.tail or "") + node
                    continue
                parent.insert(at, node)
                previous, at = node, at + 1
            if tail:
                if previous is None:
                    parent.text = (parent.text or "") + tail
                else:
                    previous.tail = (previous.tail or "") + tail

    def resolve(self, include, base: str, stack: tuple) -> list:
        href = include.get("href", "")
        if not href:
            self.fail(include, "xi:include without @href (a pointer into this same document) is not supported")
        uri, path = self.catalog.locate(href, base)
        if path is None:
            self.fail(include, f"xi:include href=\"{href}\" is the URL {uri}, which no XML catalog maps to a local "
                               "file; this processor never fetches URLs (telegrams schema --catalog FILE)")
        if self.catalog.resolve(uri) is None and not path.resolve().is_relative_to(self.folder):
            self.fail(include, f"xi:include href=\"{href}\" is outside the ODD's folder {self.folder}: refused "
                               "(copy the file beside the ODD, or map its URL in an XML catalog)")
        if not path.is_file():
            self.fail(include, f"xi:include href=\"{href}\": the file {path} does not exist")
        key = (str(path.resolve()), include.get("xpointer"))
        if key in stack or len(stack) >= MAX_DEPTH:
            self.fail(include, f"xi:include href=\"{href}\" includes itself, directly or through other includes")
        if include.get("parse", "xml") == "text":
            return [xmlio.read_bytes(path).decode(include.get("encoding") or "utf-8", errors="replace")]
        if include.get("parse", "xml") != "xml":
            self.fail(include, f"xi:include parse=\"{include.get('parse')}\": only \"xml\" and \"text\" exist")
        try:
            doc = xmlio.parse(path)
        except FindingError as err:
            self.fail(include, f"xi:include href=\"{href}\" cannot be read: {err.finding}")
        self.expand(doc.root, path.resolve().as_uri(), stack + (key,))
        found = self.point(include, doc.root)
        for node in found:
            if not isinstance(node, str) and node.get(XML_BASE) is None:
                node.set(XML_BASE, path.resolve().as_uri())  # where relative references inside resolve from
        return found

    def point(self, include, root) -> list:
        pointer = include.get("xpointer")
        if pointer is None:
            return [root]
        pointer = pointer.strip()
        if re.fullmatch(r"[^\W\d][\w.-]*", pointer):
            found = root.xpath("//*[@xml:id = $id]", id=pointer)
        else:
            found = self.schemes(include, root, pointer)
        if not found:
            self.fail(include, f"xi:include xpointer=\"{pointer}\" points at nothing in {include.get('href')}")
        return [n if isinstance(n, str) else _copy(n) for n in found]

    def schemes(self, include, root, pointer: str) -> list:
        namespaces: dict[str, str] = {}
        for scheme, body in self.parts(include, pointer):
            if scheme == "xmlns":
                prefix, _, uri = body.partition("=")
                namespaces[prefix.strip()] = uri.strip()
            elif scheme in ("xpointer", "xpath1"):
                try:
                    result = root.xpath(body, namespaces=namespaces)
                except etree.XPathError as err:
                    self.fail(include, f"xi:include xpointer: the XPath {body!r} is not valid ({err})")
                found = [r for r in (result if isinstance(result, list) else []) if _usable(r)]
                if found:
                    return [str(r) if not isinstance(r, etree._Element) else r for r in found]
            elif scheme == "element":
                found = _element_scheme(root, body)
                if found is not None:
                    return [found]
            else:
                self.fail(include, f"xi:include xpointer scheme {scheme}() is not supported (use element(), "
                                   "xmlns() with xpointer() or xpath1(), or an id)")
        return []

    def parts(self, include, pointer: str) -> list[tuple[str, str]]:
        """Split `a(x)b(y)` into [(a, x), (b, y)], with balanced parentheses and ^-escapes as XPointer has."""
        parts, at = [], 0
        while at < len(pointer):
            match = _PART.match(pointer, at)
            if match is None:
                self.fail(include, f"xi:include xpointer=\"{pointer}\" is not a pointer this processor can read")
            depth, end, body = 1, match.end(), []
            while end < len(pointer) and depth:
                char = pointer[end]
                if char == "^" and end + 1 < len(pointer):
                    body.append(pointer[end + 1])
                    end += 2
                    continue
                depth += {"(": 1, ")": -1}.get(char, 0)
                if depth:
                    body.append(char)
                end += 1
            if depth:
                self.fail(include, f"xi:include xpointer=\"{pointer}\" has an unclosed parenthesis")
            parts.append((match.group(1), "".join(body)))
            at = end
            while at < len(pointer) and pointer[at].isspace():
                at += 1
        return parts


def _usable(item) -> bool:
    return isinstance(item, etree._Element) and isinstance(item.tag, str) or isinstance(item, str)


def _copy(node):
    copied = copy.deepcopy(node)
    copied.tail = None
    return copied


def _element_scheme(root, body: str):
    """element(id/1/2) or element(/1/2): a child sequence, optionally from an element with that xml:id."""
    steps = body.split("/")
    if steps[0]:
        found = root.xpath("//*[@xml:id = $id]", id=steps[0])
        current, steps = (found[0] if found else None), steps[1:]
    elif steps[1:2] == ["1"]:
        current, steps = root, steps[2:]
    else:
        return None
    for step in steps:
        if current is None or not step.isdigit():
            return None
        children = [c for c in current if isinstance(c.tag, str)]
        index = int(step) - 1
        current = children[index] if 0 <= index < len(children) else None
    return current
