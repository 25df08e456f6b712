"""The names of every TEI element, for the validator to tell a real TEI element that a customization leaves out
(`<location>` in a schema without it) from a misspelling.

The list is derived from the TEI source (p5subset.xml) by `make schema` into `data/tei-elements.tsv`, which is
committed, so that editors without the TEI source get the same messages.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

from ..xmlio import TEI_NS

DATA = Path(__file__).parent / "data" / "tei-elements.tsv"
_HEADER = "# every element of the TEI namespace in the TEI source, with its module: written by `make schema`\n"


def derive(p5subset: Path) -> bytes:
    """Return the data file's content: `name<TAB>module` per TEI element of the source, sorted by name."""
    from ..odd.source import load_source

    source = load_source(p5subset)
    rows = set()
    for spec in source.doc.root.iter(f"{{{TEI_NS}}}elementSpec"):
        if spec.get("ns", TEI_NS) == TEI_NS and spec.get("ident"):
            rows.add((spec.get("ident"), spec.get("module") or ""))
    return (_HEADER + "".join(f"{name}\t{module}\n" for name, module in sorted(rows))).encode("utf-8")


@cache
def modules() -> dict[str, str]:
    """{element name: TEI module} of every TEI element (empty when the data file is missing)."""
    try:
        lines = DATA.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))


def is_tei_element(clark_or_local: str) -> bool:
    """True for a TEI element's name, given as a Clark name in the TEI namespace or as a local name."""
    if clark_or_local.startswith("{"):
        if etree.QName(clark_or_local).namespace != TEI_NS:
            return False
        clark_or_local = etree.QName(clark_or_local).localname
    return clark_or_local in modules()
