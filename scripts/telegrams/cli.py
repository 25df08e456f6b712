"""The one command: `telegrams SUBCOMMAND ...`. It parses arguments, calls one stage and prints its result.

Each subcommand lives in a small module with `add_arguments(parser)` and `run(args) -> int`; only the chosen one is
imported, so start-up stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

from .project import NotInProject

COMMANDS = {
    "validate": ("telegrams.validate.command", "check TEI files: well-formedness, RELAX NG, Schematron, corpus rules"),
    "new": ("telegrams.scaffold", "start a document from the template, its id, schemas and correspDesc filled in"),
    "registers": ("telegrams.registers_command", "list the register entries the documents lack, and those unused"),
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


class _Version(argparse.Action):
    """--version: looked up only when asked, so that every other run skips reading the installed metadata."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("telegrams")
        except PackageNotFoundError:  # run from a source tree that was never installed
            found = "unknown (not installed)"
        print(f"telegrams {found}")
        parser.exit()


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """Return the parser; only the chosen subcommand's module is imported (the top-level help needs none, and
    `--help` and `--version` then work outside a project too)."""
    parser = argparse.ArgumentParser(prog="telegrams", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action=_Version)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module, summary) in _available().items():
        child = sub.add_parser(name, help=summary, description=summary)
        if name == chosen:
            importlib.import_module(module).add_arguments(child)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[0] if argv and not argv[0].startswith("-") else None
    try:
        parser = build_parser(chosen)
        args = parser.parse_args(argv)  # exits with 2 on wrong usage
        module = importlib.import_module(_available()[args.command][0])
        return module.run(args)
    except NotInProject as err:
        print(f"telegrams: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
