"""The one command: `telegrams SUBCOMMAND ...`. It parses arguments, calls one stage and prints its result.

Each subcommand lives in a small module with `add_arguments(parser)` and `run(args) -> int`; only the chosen one is
imported, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

COMMANDS = {
    "validate": ("telegrams.validate.command", "check TEI files: well-formedness, RELAX NG, Schematron, corpus rules"),
    "html": ("telegrams.editions.html_command", "build the HTML edition under build/html"),
    "text": ("telegrams.editions.text_command", "build the plain-text editions under build/text"),
    "schema": ("telegrams.odd.command", "compile the ODD in schema/ to RELAX NG, Schematron and documentation"),
    "deposit": ("telegrams.deposit.command", "build or verify the archival deposit package"),
    "bench": ("telegrams.bench.command", "generate a synthetic corpus and measure the pipeline"),
    "lsp": ("telegrams.lsp.command", "run the language server for XML editors (stdio)"),
}


def _available() -> dict[str, tuple[str, str]]:
    found = {}
    for name, (module, summary) in COMMANDS.items():
        try:
            if importlib.util.find_spec(module) is not None:
                found[name] = (module, summary)
        except ModuleNotFoundError:  # a stage whose package is not there yet
            pass
    return found


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="telegrams", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, summary) in _available().items():
        child = sub.add_parser(name, help=summary, description=summary)
        if only is None or only == name:
            importlib.import_module(module).add_arguments(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and not argv[0].startswith("-") else None
    parser = build_parser(chosen if chosen in COMMANDS else None)
    args = parser.parse_args(argv)  # exits with 2 on wrong usage
    module = importlib.import_module(_available()[args.command][0])
    try:
        return module.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
