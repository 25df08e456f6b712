"""`telegrams lsp`: run the language server on standard input and output (see `lsp/server.py`)."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default)")


def run(args: argparse.Namespace) -> int:
    try:
        from .server import server
    except ImportError as err:
        print(f"telegrams lsp: the language server needs pygls ({err.name} is not installed): "
              f"pip install 'telegrams[editor]' or `make editor`", file=sys.stderr)
        return 2
    server.start_io()
    return 0
