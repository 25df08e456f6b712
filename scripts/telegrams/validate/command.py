"""`telegrams validate [PATH ...]`: check TEI files and report every finding as file:line:col."""

from __future__ import annotations

import argparse
import sys

from ..findings import ERROR, Finding, FindingError
from ..project import corpus_files
from ..xmlio import parse, require_tei


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders (default: tei/)")


def check_file(path) -> list[Finding]:
    """Return the findings for one file."""
    try:
        doc = parse(path)
        require_tei(doc)
    except FindingError as err:
        return [err.finding]
    return []


def run(args: argparse.Namespace) -> int:
    files = corpus_files(args.paths)
    findings = [finding for path in files for finding in check_file(path)]
    for finding in findings:
        print(finding, file=sys.stderr)
    errors = sum(1 for f in findings if f.severity == ERROR)
    print(f"{len(files)} files checked, {errors} errors", file=sys.stderr)
    return 1 if errors else 0
