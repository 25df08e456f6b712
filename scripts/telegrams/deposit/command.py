"""`telegrams deposit [build | verify PATH | citation]`: build the archival package under build/deposit, verify a
bag's completeness and fixity, or regenerate CITATION.cff and .zenodo.json from metadata/edition.toml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=("build", "verify", "citation"), default="build",
                        help="build the package (default), verify a bag, or regenerate the citation files")
    parser.add_argument("path", nargs="?", help="verify: the bag's folder (default: the one `build` makes)")
    parser.add_argument("--out", type=Path, help="build: where to put the package (default: build/deposit)")
    parser.add_argument("--no-zip", action="store_true", help="build: make the bag folder only, not its zip")
    parser.add_argument("--check", action="store_true",
                        help="citation: only say whether CITATION.cff and .zenodo.json are up to date")


def _build(args) -> int:
    from ..findings import FindingError
    from .build import DEPOSIT_DIR, DepositError, build

    try:
        result = build(out_dir=args.out or DEPOSIT_DIR, make_zip=not args.no_zip)
    except DepositError as err:
        for finding in err.findings:
            print(finding, file=sys.stderr)
        count = len(err.findings)
        print(f"deposit: not built ({count} problem{'s' * (count != 1)}); the previous package, if any, is unchanged",
              file=sys.stderr)
        return 1
    except FindingError as err:
        print(err.finding, file=sys.stderr)
        print("deposit: not built; the previous package, if any, is unchanged", file=sys.stderr)
        return 1
    for note in result.notes:
        print(f"deposit: note: {note}", file=sys.stderr)
    print(f"deposit: {result.bag_dir} ({result.payload_files} files, {result.payload_bytes:,} bytes of payload)"
          + (f" and {result.zip_path} ({result.zip_bytes:,} bytes)" if result.zip_bytes else "")
          + f"; dated {result.date:%Y-%m-%d} from {result.date_source}; {result.seconds:.1f} s", file=sys.stderr)
    return 0


def _verify(args) -> int:
    from ..findings import FindingError
    from .bag import format_finding, verify
    from .build import DEPOSIT_DIR
    from .edition import load_edition

    if not args.path:
        try:
            args.path = str(DEPOSIT_DIR / load_edition().bag_name)
        except FindingError as err:
            print(err.finding, file=sys.stderr)
            return 1
    findings = verify(Path(args.path))
    for finding in findings:
        print(format_finding(finding), file=sys.stderr)
    if findings:
        print(f"{args.path}: {len(findings)} problem{'s' * (len(findings) != 1)}: the bag is not valid",
              file=sys.stderr)
        return 1
    print(f"{args.path}: valid bag (complete, every checksum matches)", file=sys.stderr)
    return 0


def _citation(args) -> int:
    from ..findings import FindingError
    from ..project import ROOT
    from ..xmlio import write_atomic
    from .edition import load_edition
    from .metadata import root_citation_files

    try:
        files = root_citation_files(load_edition())
    except FindingError as err:
        print(err.finding, file=sys.stderr)
        return 1
    stale = [name for name, text in files.items()
             if not (ROOT / name).is_file() or (ROOT / name).read_text(encoding="utf-8") != text]
    if args.check:
        for name in stale:
            print(f"{ROOT / name}: error: out of date with metadata/edition.toml: run `telegrams deposit citation`",
                  file=sys.stderr)
        return 1 if stale else 0
    for name in stale:
        write_atomic(ROOT / name, files[name])
        print(f"deposit: wrote {ROOT / name}", file=sys.stderr)
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "verify":
        return _verify(args)
    if args.path:
        print(f"deposit {args.action}: takes no path (did you mean `telegrams deposit verify {args.path}`?)",
              file=sys.stderr)
        return 2
    return _citation(args) if args.action == "citation" else _build(args)
