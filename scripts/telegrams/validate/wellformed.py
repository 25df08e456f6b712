"""Layer 1: from a file's bytes to a parsed TEI Document, or one clear finding saying why not.

The safe parser (`xmlio`) refuses URLs, pipes and devices, DOCTYPEs (saying what each would have done), entities
and network access. The edition adds its own policy here, checked first so that each kind of bad file gets its own
plain sentence: a binary file, a UTF-16 file, bytes that are not UTF-8, an encoding other than UTF-8 declared.
"""

from __future__ import annotations

import re

from ..findings import ERROR, Finding, FindingError
from ..xmlio import Document, parse_bytes, require_tei

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


def load(name: str, data: bytes) -> Document:
    """Return the parsed TEI document, or raise FindingError with the first thing that makes it unusable."""
    text = check_encoding(name, data)
    doc = parse_bytes(data, name)
    require_tei(doc)
    return doc
