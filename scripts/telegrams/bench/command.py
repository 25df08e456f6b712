"""`telegrams bench generate N` and `telegrams bench run`: a synthetic corpus, and the pipeline measured on it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..findings import FindingError


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be whole numbers separated by commas, not '{text}'") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be at least 1")
    return sizes


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="bench_command", metavar="ACTION")
    gen = sub.add_parser("generate", help="write a corpus of N documents: the real ones of tei/ and synthetic telegrams (default build/bench/N)")
    gen.add_argument("count", type=int, help="number of telegrams")
    gen.add_argument("--seed", type=int, default=1950, help="random seed: the same seed gives identical files")
    gen.add_argument("--out", type=Path, help="output folder (default: build/bench/N)")
    gen.add_argument("--mistakes", type=float, default=0.02, help="fraction of telegrams with a planted mistake")
    gen.add_argument("--source", type=Path, help="TEI folder to draw from (default: tei/)")
    run = sub.add_parser("run", help="measure every stage; write docs/benchmarks.md and docs/benchmarks.json")
    run.add_argument("--sizes", type=_sizes, default=[100, 1000, 10000], help="corpus sizes (default 100,1000,10000)")
    run.add_argument("--quick", action="store_true", help="sizes 100 only, fewer samples (a smoke test)")
    run.add_argument("--seed", type=int, default=1950, help="random seed of the synthetic corpora")
    run.add_argument("--out", type=Path, help="where to write benchmarks.md/.json (default: docs/)")
    diag = sub.add_parser("diagnostics", help="plant editors' mistakes and score the messages of the project and "
                                              "Jing; write the table into docs/benchmarks.md")
    diag.add_argument("--out", type=Path, help="folder of the benchmarks.md to update (default: docs/)")


def run(args: argparse.Namespace) -> int:
    from ..project import BUILD_DIR, TEI_DIR

    action = getattr(args, "bench_command", None) or "run"
    try:
        if action == "generate":
            from .generate import generate

            if args.count < 1:
                print("telegrams bench generate: N must be at least 1", file=sys.stderr)
                return 2
            out = args.out or BUILD_DIR / "bench" / str(args.count)
            manifest = generate(args.count, args.seed, out, args.source or TEI_DIR, args.mistakes)
            real = len(manifest["real"])
            print(f"{args.count} documents written to {out}/tei: {real} real, {args.count - real} synthetic "
                  f"({len(manifest['mistakes'])} with planted mistakes, listed in {out}/manifest.json)")
            return 0
        if action == "diagnostics":
            from .diagnostics import run_diagnostics

            return run_diagnostics(args.out)
        from .run import run_benchmarks

        sizes = [100] if getattr(args, "quick", False) else getattr(args, "sizes", [100, 1000, 10000])
        return run_benchmarks(sizes, seed=getattr(args, "seed", 1950), quick=getattr(args, "quick", False),
                              out_dir=getattr(args, "out", None))
    except FindingError as err:
        print(err.finding, file=sys.stderr)
        return 1
