"""`telegrams text`: build the plain-text editions under build/text (<id>.txt and corpus.txt)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders (default: tei/)")
    parser.add_argument("--out", type=Path, default=None, help="output folder (default: build/text); texts of documents no longer in the corpus "
                        "are removed, so outside build/ only a new or empty folder, or an earlier output, is accepted")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default: one per core for a large corpus, else 1)")
    parser.add_argument("--quiet", action="store_true", help="print problems only")


def run(args: argparse.Namespace) -> int:
    from . import run_build
    from .text import build_texts

    result, status = run_build(lambda: build_texts(args.paths, args.out, jobs=args.jobs), "texts", "build/text")
    if result is None:
        return status
    skipped = [f for f in result.findings if f.severity == "error"]
    if not args.quiet:
        per_doc = 1000 * result.seconds / (result.documents or 1)
        print(f"text: {result.documents} documents -> {len(result.written)} files in {result.seconds:.2f} s "
              f"({per_doc:.2f} ms per document, {result.jobs} process{'es' if result.jobs > 1 else ''})")
        if skipped:
            print(f"text: {len(skipped)} problem(s); the files concerned were skipped")
    return 1 if skipped else 0
