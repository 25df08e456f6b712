"""moduleRef/@url: an external RELAX NG grammar copied into the schema, as the official chain imports it.

The grammar (and every grammar it includes) is read from a local file, found directly or through an XML catalog;
nothing is fetched. Its `start` is dropped, each `include` becomes a `div` holding the included grammar, the
grammar's own attributes (ns, datatypeLibrary) move to the `div`, and define/ref names get moduleRef/@prefix.
"""

from __future__ import annotations

import copy

from lxml import etree

from .. import xmlio
from ..findings import FindingError
from .catalog import Catalog

RNG_NS = "http://relaxng.org/ns/structure/1.0"
R = "{%s}" % RNG_NS
MAX_DEPTH = 20  # includes nested deeper than this are a loop in all but name


def load_grammar(url: str, base: str, catalog: Catalog, prefix: str, fail) -> etree._Element:
    """Return an rng:div holding the grammar at `url` (resolved against `base`); `fail(message)` raises."""
    return _grammar_div(url, base, catalog, prefix, fail, ())


def _grammar_div(url, base, catalog, prefix, fail, seen) -> etree._Element:
    uri, path = catalog.locate(url, base)
    if path is None:
        fail(f"the RELAX NG schema {uri} is not in any XML catalog, and this processor never fetches URLs: map it "
             "to a local file in a catalog (telegrams schema --catalog FILE, or $XML_CATALOG_FILES)")
    if not path.is_file():
        mapped = "" if uri.startswith("file:") else f"{uri}, mapped to "
        fail(f"the RELAX NG schema {mapped}{path} does not exist")
    if uri in seen or len(seen) > MAX_DEPTH:
        fail(f"the RELAX NG schema {uri} includes itself (through {' -> '.join(seen)})")
    try:
        root = xmlio.parse(path).root
    except FindingError as err:
        fail(f"the RELAX NG schema {uri} cannot be read: {err.finding}")
    if root.tag != R + "grammar":
        fail(f"{uri} is not a RELAX NG grammar in the XML syntax (its root is <{etree.QName(root).localname}>)")
    div = etree.Element(R + "div", dict(root.attrib), nsmap=root.nsmap)
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == R + "start":
            continue
        if child.tag == R + "include":
            div.append(_grammar_div(child.get("href", ""), uri, catalog, prefix, fail, seen + (uri,)))
            div.extend(_prefixed(c, "") for c in child if isinstance(c.tag, str))  # overrides, unprefixed
            continue
        div.append(_prefixed(child, prefix, uri, fail))
    return div


def _prefixed(node, prefix: str, uri: str = "", fail=None):
    node = copy.deepcopy(node)
    for item in node.iter(R + "define", R + "ref", R + "externalRef", R + "parentRef"):
        if item.tag in (R + "externalRef", R + "parentRef") and fail is not None:
            fail(f"the RELAX NG schema {uri} uses <{etree.QName(item).localname}>, which this processor does not "
                 "import")
        if item.get("name") is not None:
            item.set("name", prefix + item.get("name"))
    return node
