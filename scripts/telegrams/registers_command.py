"""`telegrams registers [PATH ...]`: the register entries the documents use but the registers lack, and those no
document uses.

Each missing entry is listed once, with how often and where it is used and the entry to paste into the registers;
each unused entry with its place. Only pointers are read (no schema): quick, and usable while documents are still
invalid. Exit status: 0 when no entry is missing, 1 otherwise.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders, the registers among them (default: tei/)")


def run(args: argparse.Namespace) -> int:
    from .findings import FindingError
    from .project import corpus_files
    from .validate import corpus, wellformed
    from .xmlio import read_bytes

    def load(path):
        try:
            return corpus.facts(wellformed.load(str(path), read_bytes(path)))
        except FindingError as err:
            print(err.finding, file=sys.stderr)
            return None

    checked = {str(path): fact for path in corpus_files(args.paths) if (fact := load(path)) is not None}
    missing, unused = corpus.register_report(checked, load)
    _print("missing", missing)
    _print("unused", unused)
    return 1 if missing else 0


def _print(what: str, findings: list) -> None:
    print(f"{len(findings)} {what} register entr{'y' if len(findings) == 1 else 'ies'}" + (":" if findings else ""))
    for finding in sorted(findings):
        print(f"  {finding.file}:{finding.line}:{finding.column}: {finding.message}")
