"""`telegrams deposit [build | verify PATH | citation]`: build the archival package under build/deposit, verify a
bag's completeness and fixity, or regenerate CITATION.cff and .zenodo.json from metadata/edition.toml."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path


def _say(text: str, out=None) -> None:
    """Print a line with control characters and undecodable bytes of file names escaped, never raw."""
    shown = "".join(c if unicodedata.category(c)[0] != "C" or c == "\t" else repr(c)[1:-1] for c in
                    text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))
    print(shown, file=out or sys.stderr)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=("build", "verify", "citation"), default="build",
                        help="build the package (default), verify a bag, or regenerate the citation files")
    parser.add_argument("path", nargs="?", help="verify: the bag's folder or its zip (default: the folder `build` "
                                                "makes)")
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
            _say(str(finding))
        count = len(err.findings)
        _say(f"deposit: not built ({count} problem{'s' * (count != 1)}); the previous package, if any, is unchanged")
        return 1
    except FindingError as err:
        _say(str(err.finding))
        _say("deposit: not built; the previous package, if any, is unchanged")
        return 1
    except OSError as err:  # an input that cannot be read: say which, plainly
        _say(f"{getattr(err, 'filename', '') or 'deposit'}: error: {err.strerror or err}")
        _say("deposit: not built; the previous package, if any, is unchanged")
        return 1
    for note in result.notes:
        _say(f"deposit: note: {note}")
    _say(f"deposit: {result.bag_dir} ({result.payload_files} files, {result.payload_bytes:,} bytes of payload)"
         + (f" and {result.zip_path} ({result.zip_bytes:,} bytes)" if result.zip_bytes else "")
         + f"; dated {result.date:%Y-%m-%d} from {result.date_source}; {result.seconds:.1f} s")
    return 0


def _verify(args) -> int:
    from ..findings import Finding, FindingError
    from .bag import format_finding, verify
    from .build import DEPOSIT_DIR
    from .edition import load_edition

    if args.path:
        paths = [Path(args.path)]
    else:  # the package `build` makes: the bag folder, and its zip when there is one
        try:
            folder = DEPOSIT_DIR / load_edition().bag_name
        except FindingError as err:
            _say(str(err.finding))
            return 1
        paths = [folder] + [p for p in [folder.with_name(folder.name + ".zip")] if p.exists()]
    status = 0
    for path in paths:
        try:
            findings = verify(path)
        except OSError as err:
            findings = [Finding(str(getattr(err, "filename", "") or path), 0, 0, "error", "bag",
                                f"cannot be read: {err.strerror or err}")]
        for finding in findings:
            _say(format_finding(finding))
        problems = [f for f in findings if f.severity == "error"]
        if problems:
            _say(f"{path}: {len(problems)} problem{'s' * (len(problems) != 1)}: the bag is not valid")
            status = 1
        else:
            _say(f"{path}: valid bag (complete, every checksum matches)", sys.stdout)
    return status


def _citation(args) -> int:
    from ..findings import FindingError
    from ..project import ROOT
    from ..xmlio import write_atomic
    from .edition import load_edition
    from .metadata import root_citation_files

    try:
        files = root_citation_files(load_edition())
    except FindingError as err:
        _say(str(err.finding))
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
        _say(f"deposit {args.action}: takes no path (did you mean `telegrams deposit verify {args.path}`?)")
        return 2
    return _citation(args) if args.action == "citation" else _build(args)
