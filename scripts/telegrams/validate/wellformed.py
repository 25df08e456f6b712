"""Layer 1: from a file's bytes to a parsed TEI Document, or one clear finding saying why not.

The safe parser (`xmlio`) refuses URLs, pipes and devices, DOCTYPEs (saying what each would have done), entities
and network access. The edition adds its own policy here, checked first so that each kind of bad file gets its own
plain sentence: a binary file, a UTF-16 file, bytes that are not UTF-8, an encoding other than UTF-8 declared.
A missing end tag is reported at the start tag of the element left open, not where libxml2 noticed it.
"""

from __future__ import annotations

import re

from ..findings import ERROR, Finding, FindingError
from ..xmlio import Document, parse_bytes, require_tei

# xmlio's words for libxml2's "Opening and ending tag mismatch" and "Premature end of data in tag"
_MISMATCH = re.compile(r"the end tag </(\S+)> does not match the start tag <(\S+)> opened on line \d+")
_FILE_ENDS = re.compile(r"the file ends before the element <(\S+)> opened on line \d+ is closed")
# What can hold a '<' that is not a tag, then end tags and start tags (with their name, and '/' if empty).
_TAGS = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>"
                   r"|</([^\s>]+)\s*>|<([^\s/>!?]+)(?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*\s*(/?)>", re.S)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[line_start:].decode("utf-8", errors="replace")) + 1


def check_encoding(name: str, data: bytes) -> str:
    """Return the text of a UTF-8 file, or raise FindingError saying which encoding problem it has."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or re.match(rb"^(\x00<|<\x00)", data):
        raise FindingError(Finding(name, 1, 1, ERROR, "encoding",
                                   "the file is encoded as UTF-16; the edition's files must be saved as UTF-8"))
    if b"\x00" in data[:8192]:
        raise FindingError(Finding(name, 1, 1, ERROR, "binary",
                                   "this is a binary file, not XML text (it holds NUL bytes)"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        raise FindingError(Finding(name, line, column, ERROR, "encoding",
                                   f"byte 0x{data[err.start]:02X} is not valid UTF-8 here: the file was saved in "
                                   f"another encoding (save it as UTF-8)")) from None
    declared = _DECLARED.match(data)
    if declared and declared[1].decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise FindingError(Finding(name, 1, 1, ERROR, "encoding",
                                   f"the XML declaration says encoding=\"{declared[1].decode()}\"; the edition's "
                                   f"files must be UTF-8 (save as UTF-8 and declare encoding=\"UTF-8\")"))
    return text


def _position_in(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _open_elements(text: str) -> tuple[list[tuple[str, int]], str | None, int]:
    """Scan the tags up to the first end tag that does not close the innermost open element; return the open
    elements then, as (name, offset of the start tag), with that end tag's name and offset (None, -1 if all
    end tags match)."""
    stack: list[tuple[str, int]] = []
    for match in _TAGS.finditer(text):
        if match.group(1):
            if not stack or stack[-1][0] != match.group(1):
                return stack, match.group(1), match.start()
            stack.pop()
        elif match.group(2) and not match.group(3):
            stack.append((match.group(2), match.start()))
    return stack, None, -1


def _locate_unclosed(finding: Finding, text: str) -> Finding:
    """Put a missing or misspelled end tag where the mistake is. libxml2 reports it where it notices it: at the
    end tag that does not match, or at the end of the file. When that end tag closes an element further out, or
    the file ends, the mistake is the inner element left open: the finding goes to its start tag (possibly many
    lines up). Otherwise the end tag itself is misspelled, and the finding goes to its '<'."""
    mismatch, at_end = _MISMATCH.fullmatch(finding.message), _FILE_ENDS.fullmatch(finding.message)
    if not (mismatch or at_end):
        return finding
    stack, end_name, end_offset = _open_elements(text)
    if not stack or (mismatch and end_name is None) or (at_end and end_name is not None):
        return finding
    open_name, open_offset = stack[-1]
    if at_end:
        line, column = _position_in(text, open_offset)
        message = f"element <{open_name}> is never closed: the file ends before its end tag </{open_name}>"
        return Finding(finding.file, line, column, finding.severity, finding.rule, message)
    end_line, end_column = _position_in(text, end_offset)
    if end_name in [name for name, _ in stack[:-1]]:
        line, column = _position_in(text, open_offset)
        message = (f"element <{open_name}> is never closed: the end tag </{end_name}> on line {end_line}, column "
                   f"{end_column}, comes first; add </{open_name}> where the element ends")
    else:
        line, column = end_line, end_column
        message = (f"the end tag </{end_name}> does not match the start tag <{open_name}> opened on line "
                   f"{_position_in(text, open_offset)[0]}: write </{open_name}>")
    return Finding(finding.file, line, column, finding.severity, finding.rule, message)


def load(name: str, data: bytes) -> Document:
    """Return the parsed TEI document, or raise FindingError with the first thing that makes it unusable."""
    text = check_encoding(name, data)
    try:
        doc = parse_bytes(data, name)
    except FindingError as err:
        if err.finding.rule != "well-formed":
            raise
        raise FindingError(_locate_unclosed(err.finding, text)) from None
    require_tei(doc)
    return doc
