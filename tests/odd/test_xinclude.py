"""xi:include in an ODD: resolved inside the ODD's folder, with xpointer() and shorthand pointers, giving the
verdicts the official chain gives on the same ODD with its includes written out (the official chain itself reads
ODDs without XInclude). Refusals (outside the folder, URLs, loops, nothing pointed at) are in fixtures/errors."""

from __future__ import annotations

from lxml import etree

from telegrams import xmlio
from telegrams.odd.catalog import Catalog
from telegrams.odd.xinclude import XI, Includer

from .oracle import FIXTURES, official, ours, rule_set, verdicts

MAIN = FIXTURES / "xinclude" / "main.odd"


def expanded(tmp_path):
    def fail(node, message):
        raise AssertionError(message)

    doc = xmlio.parse(MAIN)
    Includer(MAIN, Catalog(), fail).expand(doc.root, MAIN.resolve().as_uri())
    assert next(doc.root.iter(XI + "include"), None) is None
    path = tmp_path / "xinclude_expanded.odd"
    path.write_bytes(etree.tostring(doc.tree, xml_declaration=True, encoding="UTF-8"))
    return path


def test_includes_resolved_with_the_official_verdicts(tmp_path):
    reference = official(expanded(tmp_path))
    assert reference is not None
    rng, sch = ours(MAIN, tmp_path / "ours")
    theirs = reference / "xinclude_expanded.rng"
    docs = sorted((FIXTURES / "xinclude" / "docs").glob("*.xml"))
    result = verdicts([rng, theirs], docs, tmp_path)
    for doc in docs:
        expected = doc.name.startswith("valid")
        assert result[str(theirs)]["verdicts"][str(doc)] == expected, doc.name
        assert result[str(rng)]["verdicts"][str(doc)] == expected, doc.name
    assert rule_set(sch) == rule_set(reference / "xinclude_expanded.isosch")


def test_included_nodes_keep_where_they_came_from():
    def fail(node, message):
        raise AssertionError(message)

    doc = xmlio.parse(MAIN)
    Includer(MAIN, Catalog(), fail).expand(doc.root, MAIN.resolve().as_uri())
    box = doc.root.xpath("//t:elementSpec[@ident='box']", namespaces={"t": xmlio.TEI_NS})[0]
    assert box.base.endswith("/xinclude/parts/changes.xml") and box.sourceline == 3
