"""Wrap the output of text.xsl at 72 columns.

text.xsl writes one logical line per paragraph; a TAB in a line marks where the hanging indent of its wrapped
continuation lines starts.
"""

from __future__ import annotations

import re

WIDTH = 72
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u3000]+")


def wrap_line(line: str, width: int = WIDTH) -> list[str]:
    """Return a logical line wrapped to `width` columns, keeping its indent and its TAB-marked hanging indent."""
    if not line.strip():
        return [""]
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent):]
    if "\t" in body:
        head, _, rest = body.partition("\t")
        hang = indent + " " * len(head)
        first = indent + head
        body = rest
    else:
        hang = first = indent
    body = _SPACES.sub(" ", body.replace("\t", " ")).strip()
    if len(hang) > width // 2:  # a very long label would leave no room: fall back to the plain indent
        hang = indent
    if not body:
        return [first.rstrip()]
    return fill(body, first, hang, width) or [first.rstrip()]


def fill(body: str, first: str, hang: str, width: int = WIDTH) -> list[str]:
    """Return `body` (words separated by single spaces) filled greedily into lines of at most `width` columns.

    The lines textwrap.TextWrapper(initial_indent=first, subsequent_indent=hang, break_long_words=False,
    break_on_hyphens=False) gives for such a body, several times faster: a plain-text edition wraps every line of
    every document, and TextWrapper was half the cost of a text (tests/editions/test_text.py compares the two).
    A word longer than a line stands whole on a line of its own, so that a URL or a quoted word is never cut.
    """
    lines: list[str] = []
    indent, line, used = first, [], 0
    for word in body.split(" ") if body else ():
        if line and used + 1 + len(word) > width - len(indent):  # the word would pass the margin: a new line
            lines.append(indent + " ".join(line))
            indent, line = hang, []
        used = used + 1 + len(word) if line else len(word)  # a line's first word stands there even if too long
        line.append(word)
    if line:
        lines.append(indent + " ".join(line))
    return lines


def wrap_text(text: str, width: int = WIDTH) -> str:
    """Return the whole output of text.xsl wrapped, with runs of blank lines reduced to one."""
    lines: list[str] = []
    for logical in text.splitlines():
        for line in wrap_line(logical, width):
            if line == "" and (not lines or lines[-1] == ""):
                continue
            lines.append(line.rstrip())
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"
