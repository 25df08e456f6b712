"""The TEI downloads: each source as it is, unless it holds something a browser opening it would act on.

Published on the site's own origin, a TEI file is opened by browsers as XML: an <?xml-stylesheet?> makes them
fetch and run a stylesheet (from anywhere), and an element in the XHTML, SVG or MathML namespace is rendered (an
XHTML <script> runs). Such instructions and elements are replaced by a comment saying what was removed; every
other byte of the source is kept (a clean file is published byte for byte).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .. import xmlio

ACTIVE_NAMESPACES = {"http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg", "http://www.w3.org/1998/Math/MathML"}
KEPT_INSTRUCTIONS = {"xml-model"}  # browsers ignore it; editors' tools use it to find the schema
_INSTRUCTION = re.compile(rb"<\?([^\s?]+)")


def publishable(path: Path) -> bytes:
    """Return the bytes to publish for a TEI file the run has already read safely."""
    data = xmlio.read_bytes(path)
    targets = {target.decode("ascii", "replace") for target in _INSTRUCTION.findall(data)}
    if targets <= KEPT_INSTRUCTIONS | {"xml"} and not any(ns.encode() in data for ns in ACTIVE_NAMESPACES):
        return data  # the usual case, decided without parsing
    doc = xmlio.parse_bytes(data, str(path))
    tree = doc.root.getroottree()
    removed = [node for node in _top_level(tree) if _active(node)]
    removed += [node for node in doc.root.iter() if _active(node)]
    if not removed:
        return data
    for node in removed:
        what = (f"the processing instruction {node.target}" if isinstance(node, etree._ProcessingInstruction)
                else f"the element {etree.QName(node).localname} in {etree.QName(node).namespace}")
        comment = etree.Comment(f" removed from the published copy: {what.replace('--', '- -')} ")
        comment.tail = node.tail
        parent = node.getparent()
        if parent is None:  # before or after the root element: lxml drops it when it moves under another parent
            node.addnext(comment)
            etree.Element("holder").append(node)
        else:
            parent.replace(node, comment)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def _top_level(tree):
    node = tree.getroot().getprevious()
    while node is not None:
        yield node
        node = node.getprevious()
    node = tree.getroot().getnext()
    while node is not None:
        yield node
        node = node.getnext()


def _active(node) -> bool:
    if isinstance(node, etree._ProcessingInstruction):
        return node.target not in KEPT_INSTRUCTIONS
    if isinstance(node.tag, str):
        return etree.QName(node).namespace in ACTIVE_NAMESPACES
    return False
