"""`telegrams schema [ODD] [--out DIR] [--p5 PATH] [--catalog FILE]... [--check]`: compile the ODD to NAME.rng and NAME.sch.

Without ODD and --out it compiles schema/telegrams.odd and also writes the editors' reference docs/schema/.
"""

from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(parser) -> None:
    parser.add_argument("odd", nargs="?", help="the ODD to compile (default: schema/telegrams.odd)")
    parser.add_argument("--out", metavar="DIR", help="write NAME.rng and NAME.sch here (default: beside the ODD)")
    parser.add_argument("--p5", metavar="PATH", help="the TEI source p5subset.xml (default: $TEI_P5SUBSET, "
                                                     "else ../shared/tei/p5subset.xml)")
    parser.add_argument("--catalog", metavar="FILE", action="append", default=[],
                        help="an XML catalog mapping the URLs of external schemas (moduleRef/@url, xi:include) to "
                             "local files; repeatable; $XML_CATALOG_FILES is read too. Nothing is ever fetched")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if the files on disk differ from what would be written")


def shown_path(path: Path) -> str:
    """The ODD's path as written in the generated header: relative to the project when inside it."""
    from ..project import ROOT

    try:
        return path.resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return path.name


def serialize(tree, odd: Path, kind: str) -> bytes:
    """Serialize a generated schema with a header saying it is generated and must not be edited."""
    from lxml import etree

    root = tree.getroot()
    note = (f" Generated {kind} from {shown_path(odd)} by `make schema` (telegrams schema, the project's ODD "
            "processor). Do not edit: edit the ODD and regenerate. ")
    root.addprevious(etree.Comment(note))
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def outputs(odd: Path, p5: Path, out_dir: Path, warnings: list, docs_dir: Path | None = None,
            catalog=None) -> dict[Path, bytes]:
    """Return {path: bytes} of the files the ODD compiles to (and its HTML reference in docs_dir, if given).

    Raises FindingError on bad input.
    """
    from . import build

    compiled, rng, sch = build(odd, p5, warnings, catalog)
    name = odd.name.removesuffix(".odd").removesuffix(".xml")
    files = {out_dir / f"{name}.rng": serialize(rng, odd, "RELAX NG schema"),
             out_dir / f"{name}.sch": serialize(sch, odd, "ISO Schematron schema")}
    if docs_dir is not None:
        from .. import project
        from .docs import build_reference

        pages = build_reference(compiled, project.corpus_files(), project.ROOT)
        for page in pages:  # idents are checked as XML names; this keeps every page inside docs_dir regardless
            if Path(page).name != page or page.startswith("."):
                from ..findings import Finding, FindingError

                raise FindingError(Finding(str(odd), 0, 0, "error", "odd",
                                           f"the reference page name {page!r} would leave {docs_dir}"))
        files.update({docs_dir / page: html.encode("utf-8") for page, html in pages.items()})
        from ..validate import teinames  # the validator's list of TEI element names, from the same source

        files[teinames.DATA] = teinames.derive(p5)
    return files


def stale_pages(docs_dir: Path | None, files: dict[Path, bytes]) -> list[Path]:
    """Return the reference pages on disk that the schema no longer has (elements removed from the ODD)."""
    if docs_dir is None or not docs_dir.is_dir():
        return []
    return [page for page in sorted(docs_dir.glob("*.html")) if page not in files]


def run(args) -> int:
    from .. import project, xmlio
    from ..findings import FindingError
    from .catalog import Catalog

    odd = Path(args.odd) if args.odd else project.SCHEMA_DIR / "telegrams.odd"
    p5 = Path(args.p5) if args.p5 else project.p5subset()
    if p5 is None or not p5.is_file():
        where = f"{p5} does not exist" if p5 else "it was not found"
        print(f"error: the TEI source p5subset.xml is needed to compile the ODD, and {where}; give --p5 PATH or "
              "set TEI_P5SUBSET (or keep the shared folder beside the project as ../shared)", file=sys.stderr)
        return 2
    out_dir = Path(args.out) if args.out else odd.parent
    # The editors' reference belongs to the project's own ODD; other ODDs (and --out) get schemas only.
    default = not args.odd and not args.out
    docs_dir = project.ROOT / "docs" / "schema" if default else None
    warnings: list = []
    try:
        catalog = Catalog.from_environment(args.catalog)
        files = outputs(odd, p5, out_dir, warnings, docs_dir, catalog)
    except FindingError as err:
        for warning in warnings:
            print(warning, file=sys.stderr)
        print(err.finding, file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning, file=sys.stderr)
    if args.check:
        stale = [p for p, data in files.items() if not p.is_file() or p.read_bytes() != data]
        stale += stale_pages(docs_dir, files)
        for path in stale:
            print(f"{path}: out of date: run `make schema` (telegrams schema) and commit the result",
                  file=sys.stderr)
        return 1 if stale else 0
    written = 0
    for path, data in files.items():
        if not path.is_file() or path.read_bytes() != data:
            xmlio.write_atomic(path, data)
            written += 1
    for page in stale_pages(docs_dir, files):
        page.unlink()
    print(f"{odd}: {len(files)} files up to date ({written} rewritten)")
    return 0
