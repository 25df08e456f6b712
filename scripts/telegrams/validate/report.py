"""How findings are printed: for people (grouped by file, coloured on a terminal), as JSON lines, or as GitHub
workflow annotations; and the closing summary line.

JSON (`--format json`): one object per line and per finding, with exactly these keys:
  file (string, the path as given), line (integer, 1-based; 0 = the whole file), column (integer, 1-based; 0 =
  unknown), severity ("error" | "warning" | "info"), rule (string, see docs/validation.md), message (string),
  expected (array of strings, possibly empty).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from typing import TextIO

from ..findings import ERROR, INFO, WARNING, Finding

_COLOURS = {ERROR: "\033[31m", WARNING: "\033[33m", INFO: "\033[36m"}
_EXPECTED_SHOWN = 8
_LONGEST = 200  # characters of a message with its list of expected names, without --verbose
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


@dataclass
class Summary:
    files: int
    errors: int
    warnings: int
    seconds: float
    cached: int = 0

    def __str__(self) -> str:
        text = (f"{_plural(self.files, 'file')} checked, {_plural(self.errors, 'error')}, "
                f"{_plural(self.warnings, 'warning')} in {self.seconds:.2f} s")
        return text + (f" ({self.cached} unchanged, from cache)" if self.cached else "")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summarize(files: int, findings: list[Finding], seconds: float, cached: int = 0) -> Summary:
    return Summary(files, sum(f.severity == ERROR for f in findings), sum(f.severity == WARNING for f in findings),
                   seconds, cached)


def _expected_shown(f: Finding, verbose: bool) -> str:
    """The expected names to print after a message: all with --verbose; else none when the message names some
    already, or the first few that keep message and list under _LONGEST characters (JSON keeps them all)."""
    if not f.expected or (not verbose and any(item in f.message for item in f.expected)):
        return ""
    if verbose:
        return f" (expected: {', '.join(f.expected)})"
    shown: list[str] = []
    for item in f.expected[:_EXPECTED_SHOWN]:
        if len(f.message) + len(", ".join(shown + [item])) + 40 > _LONGEST:
            break
        shown.append(item)
    if not shown:
        return ""
    more = len(f.expected) - len(shown)
    return f" (expected: {', '.join(shown)}{f' and {more} more: --verbose' if more > 0 else ''})"


def human(findings: list[Finding], out: TextIO, colour: bool, verbose: bool = False) -> None:
    """Print findings grouped by file, each as file:line:col: severity: message [rule]."""
    paint = (lambda code, text: f"{code}{text}{_RESET}") if colour else (lambda code, text: text)
    for file, group in groupby(sorted(findings), key=lambda f: f.file):
        group = list(group)
        print(paint(_BOLD, file), file=out)
        for f in group:
            where = f"{f.file}:{f.line}:{f.column}:"
            text = f"{where} {paint(_COLOURS.get(f.severity, ''), f.severity)}: {f.message}"
            text += _expected_shown(f, verbose)
            print(f"  {text} {paint(_DIM, '[' + f.rule + ']')}", file=out)
        print(file=out)


def json_lines(findings: list[Finding], out: TextIO) -> None:
    for f in sorted(findings):
        print(json.dumps(f.as_dict(), ensure_ascii=False), file=out)


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def github(findings: list[Finding], out: TextIO) -> None:
    """Print GitHub workflow commands, which show each finding on its line of the pull request."""
    level = {ERROR: "error", WARNING: "warning", INFO: "notice"}
    for f in sorted(findings):
        properties = [f"file={_escape(f.file, True)}"]
        if f.line:
            properties.append(f"line={f.line}")
        if f.column:
            properties.append(f"col={f.column}")
        properties.append(f"title={_escape(f.rule, True)}")
        print(f"::{level.get(f.severity, 'error')} {','.join(properties)}::{_escape(f.message)}", file=out)


class Progress:
    """A one-line progress bar on a terminal's stderr; silent elsewhere."""

    def __init__(self, total: int, stream: TextIO, enabled: bool):
        self.total, self.stream, self.enabled, self.done = total, stream, enabled, 0

    def step(self) -> None:
        self.done += 1
        if self.enabled and (self.done == self.total or self.done % max(1, self.total // 50) == 0):
            width = 30
            filled = width * self.done // self.total
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} checked")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 60 + "\r")
            self.stream.flush()
