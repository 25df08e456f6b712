"""Layer 1: from a file's bytes to a parsed TEI Document, or one clear finding saying why not.

The safe parser (`xmlio`) refuses URLs, pipes and devices, DOCTYPEs (saying what each would have done), entities
and network access. The edition adds its own policy here, checked first so that each kind of bad file gets its own
plain sentence: a binary file, a UTF-16 file, bytes that are not UTF-8, an encoding other than UTF-8 declared.
A missing end tag is reported at the start tag of the element left open, not where libxml2 noticed it.

A file that is not well-formed is also *recovered* (`recover`): the element left open is closed where it most
likely ends, or libxml2's recovery is taken, so that the later layers still report the file's other mistakes in
the same run; those after the break are marked as possible consequences of it (`after_break`).
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass, replace

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..xmlio import Document, parse_bytes, parse_recovered, require_tei
from . import teinames

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
    open_line = _position_in(text, open_offset)[0]
    if end_name in [name for name, _ in stack[:-1]]:
        line, column = _position_in(text, open_offset)
        message = (f"element <{open_name}> is never closed: the end tag </{end_name}> on line {end_line}, column "
                   f"{end_column}, comes first; add </{open_name}> where the element ends")
    elif _known(end_name) and not _known(open_name):  # the start tag holds the slip: do not spread it
        line, column = _position_in(text, open_offset)
        message = (f"the start tag <{open_name}> does not match its end tag </{end_name}> (line {end_line}): "
                   f"<{open_name}> is no TEI element; write <{end_name}>")
    else:
        line, column = end_line, end_column
        fix = f"write </{open_name}>" if _known(open_name) and not _known(end_name) else \
            "correct whichever of the two is misspelled"
        message = (f"the end tag </{end_name}> does not match the start tag <{open_name}> opened on line "
                   f"{open_line}: {fix}")
    return Finding(finding.file, line, column, finding.severity, finding.rule, message)


def _known(name: str) -> bool:
    return teinames.is_tei_element(name.split(":")[-1])


def load(name: str, data: bytes, tei_root: bool = True) -> Document:
    """Return the parsed document, or raise FindingError with the first thing that makes it unusable.

    `tei_root`: the root must be TEI's <TEI> or <teiCorpus> (the edition's documents); else the schema judges it."""
    text = check_encoding(name, data)
    try:
        doc = parse_bytes(data, name)
    except FindingError as err:
        if err.finding.rule != "well-formed":
            raise
        raise FindingError(_locate_unclosed(err.finding, text)) from None
    if tei_root:
        require_tei(doc)
    return doc


# --- going on after a well-formedness error ------------------------------------------------------------------------

@dataclass(frozen=True)
class Recovered:
    """A tree recovered from a file that is not well-formed, and how its positions map back to the file."""

    doc: Document
    broken: Finding             # the well-formedness error
    inserted: tuple[int, int, int] | None = None  # (line, column, length) of an end tag added to close an element


def recover(name: str, data: bytes, broken: Finding, judge=None) -> Recovered | None:
    """Return the file's tree as it most likely was meant, or None when no usable tree can be had.

    An element left open is closed where the rest of the file reads best: each place it could end (`_closings`,
    most likely first) is tried, and the first in which `judge` (a tree -> counts of errors, in the order they
    weigh) finds no error is kept, else the one with the fewest (of those tried within CLOSINGS_SECONDS: a very
    large file gets one or two). Every other break is left to libxml2's recovery. Elements are then matched to
    their start tags by name, so that a tag libxml2 dropped does not shift the positions of the others."""
    text = data.decode("utf-8", errors="replace")
    closings = _closings(text) if broken.rule == "well-formed" and "never closed" in broken.message else []
    best, started = None, time.perf_counter()
    for offset, end_tag in closings:
        if best is not None and time.perf_counter() - started > CLOSINGS_SECONDS:
            break
        try:
            doc = parse_bytes((text[:offset] + end_tag + text[offset:]).encode("utf-8"), name)
        except FindingError:
            continue
        score = judge(doc) if judge else ()
        if best is None or score < best[0]:
            best = score, doc, offset, end_tag
        if not any(score):
            break
    if best is not None:
        score, doc, offset, end_tag = best
        line, column = doc.position(offset)
        if judge and not any(score):  # say where: the editor's next question
            broken = replace(broken, message=f"{broken.message}; the schemas accept the file with it at line {line}, "
                                             f"column {column}")
        return Recovered(_aligned(doc), broken, (line, column, len(end_tag)))
    try:
        doc = parse_recovered(data, name)
        if doc is None:
            return None
        parse_bytes(etree.tostring(doc.tree), name)  # some recoveries are not well-formed themselves
    except FindingError:
        return None
    return Recovered(_aligned(doc), broken)


_MOST_CLOSINGS = 12  # each costs a parse and a check of the whole file by the schemas...
CLOSINGS_SECONDS = 1.0  # ...which for a telegram takes milliseconds, and for a file of many megabytes seconds


def _closings(text: str) -> list[tuple[int, str]]:
    """Where the element left open may end, most likely first: [(offset, "</name>")], each after the text before it.

    The indentation of hand-written XML says much: the first start tag of a line indented no deeper than the open
    element's line is where it most likely ends; a start tag of the same name not indented deeper is its next
    sibling (a forgotten </p> before the next <p>), one indented deeper its child (a <div> in a <div>). Then the
    end tag that revealed the break, then before each of its would-be children."""
    stack, end_name, end_offset = _open_elements(text)
    if not stack:
        return []
    name, start = stack[-1]
    limit = end_offset if end_name is not None else len(text.rstrip())
    line_start = text.rfind("\n", 0, start) + 1
    own = len(text[line_start:start]) - len(text[line_start:start].lstrip())  # its line's indentation
    same_name, dedent, children = [], [], []
    depth = 0
    for match in _TAGS.finditer(text, text.index(">", start) + 1, limit):
        if match.group(1):
            depth -= 1
        elif match.group(2) and depth == 0:
            indent = _indent(text, match.start())
            outdented = indent is not None and indent <= own
            if match.group(2) == name and not same_name and (indent is None or outdented):
                same_name.append(match.start())
            if outdented and not dedent:
                dedent.append(match.start())
            children.append(match.start())
        if match.group(2) and not match.group(3):
            depth += 1
    offsets = [_before_space(text, offset) for offset in dedent + same_name + [limit] + children]  # as one types it
    return [(offset, f"</{name}>") for offset in dict.fromkeys(offsets)][:_MOST_CLOSINGS]


def _indent(text: str, offset: int) -> int | None:
    """How far the tag at `offset` is indented, when it starts its line (else None)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return offset - line_start if not text[line_start:offset].strip() else None


def _before_space(text: str, offset: int) -> int:
    while text[offset - 1].isspace():
        offset -= 1
    return offset


_START = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</[^>]*>|<([^\s/>]+)", re.S)


_MOST_DIFFERING = 2000  # elements around the break matched by difflib, whose time grows with their square


def _aligned(doc: Document) -> Document:
    """Locate each element of a recovered tree at its own start tag, matched by name (unmatched: its line).

    The tags before the break and after the recovery's last change match the elements one to one; only those
    between are matched by difflib (when not too many: a file of 100,000 paragraphs would take hours)."""
    tags = [(m.start(), m.group(1)) for m in _START.finditer(doc.text) if m.group(1)]
    elements = list(doc.root.iter(etree.Element))
    names = [(f"{e.prefix}:" if e.prefix else "") + etree.QName(e).localname for e in elements]
    written = [name for _, name in tags]
    same = min(len(written), len(names))
    head = next((k for k in range(same) if written[k] != names[k]), same)
    tail = next((k for k in range(same - head) if written[-1 - k] != names[-1 - k]), same - head)
    starts = {elements[k]: tags[k][0] for k in range(head)}
    starts.update((elements[len(names) - 1 - k], tags[len(tags) - 1 - k][0]) for k in range(tail))
    middle_written, middle_names = written[head:len(written) - tail], names[head:len(names) - tail]
    if len(middle_written) + len(middle_names) <= _MOST_DIFFERING:
        matcher = difflib.SequenceMatcher(None, middle_written, middle_names, autojunk=False)
        for block in matcher.get_matching_blocks():
            for k in range(block.size):
                starts[elements[head + block.b + k]] = tags[head + block.a + k][0]
    doc._starts = starts
    return doc


def after_break(recovered: Recovered, findings: list[Finding]) -> list[Finding]:
    """Map the findings on a recovered tree back to the file; drop those that repeat the break; mark those after
    it as possible consequences (when an end tag was added: those before it only, the rest is as written). A
    warning there is dropped: it is about text whose extent the recovery only guessed (a name that swallowed the
    rest of its paragraph is not a new form of the name)."""
    broken = recovered.broken
    kept = []
    for finding in findings:
        where = (finding.line, finding.column)
        if recovered.inserted and where[0] == recovered.inserted[0] and where[1] > recovered.inserted[1]:
            finding = replace(finding, column=finding.column - recovered.inserted[2])
        if (finding.line, finding.column) == (broken.line, broken.column):
            continue  # the same slip, seen again by the schema (a misspelled start tag)
        if where > (broken.line, broken.column) and (recovered.inserted is None or where <= recovered.inserted[:2]):
            if finding.severity != ERROR:
                continue
            finding = replace(finding, message=f"{finding.message} (perhaps a consequence of the "
                                               f"well-formedness error on line {broken.line})")
        kept.append(finding)
    return kept
