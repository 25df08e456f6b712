"""`telegrams html`: build the static HTML edition under build/html."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders (default: tei/)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: build/html); pages and files left there by documents no longer in the "
                        "corpus are removed, so outside build/ only a new or empty folder, or an earlier output, is "
                        "accepted, and never one holding the sources")
    parser.add_argument("--text-out", type=Path, default=None, metavar="FOLDER",
                        help="also write the plain-text edition there (as `telegrams text` would, e.g. build/text), "
                        "from the same pass over the documents")
    parser.add_argument("--no-search", action="store_true", help="do not build the Pagefind search index")
    parser.add_argument("--base-url", default="", help="URL the site will be published at, for permalinks")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default: one per core for a large corpus, else 1)")
    parser.add_argument("--quiet", action="store_true", help="print problems only")


def run(args: argparse.Namespace) -> int:
    from . import run_build
    from .site import build_site

    result, status = run_build(lambda: build_site(args.paths, args.out, search=not args.no_search,
                                                  base_url=args.base_url, jobs=args.jobs,
                                                  text_dir=args.text_out), "site", "build/html")
    if result is None:
        return status
    skipped = [f for f in result.findings if f.severity == "error"]
    if not args.quiet:
        print(f"html: {result.documents} documents -> {result.out_dir} ({len(result.written)} files)")
        print(f"html: documents (plain text and page) in {result.document_seconds:.2f} s, "
              f"{result.per_document_ms:.2f} ms each, {result.jobs} process{'es' if result.jobs > 1 else ''}; "
              f"home, register and search pages in {result.corpus_seconds:.2f} s")
        print(f"html: search {result.search}")
        if args.text_out:
            print(f"html: plain-text edition -> {args.text_out} ({len(result.texts)} files)")
        if skipped:
            print(f"html: {len(skipped)} problem(s); the files concerned were skipped")
    return 1 if skipped else 0
