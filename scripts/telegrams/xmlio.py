"""The project's one XML parser: safe (no network, no DTD, no entity expansion), with line and column of every node.

Every stage reads XML through `parse` or `parse_bytes`, so no stage can be tricked into fetching a URL, reading a
file named by an entity, or expanding an entity bomb. Outputs are written through `write_atomic`.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .findings import Finding, FindingError

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 32 * 1024 * 1024  # a telegram is a few kB; anything this large is not a document of this edition


def _parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        collect_ids=False,  # a duplicate xml:id is a validation finding, not a reason to refuse the whole file
    )


# Everything that can hold a '<' that is not a start tag, then a start tag's name.
_MARKUP = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|</[^>]*>|<([^\s/>]+)",
    re.S,
)
# The usual text, in which `_MARKUP` finds a start tag at every '<' followed by a name character and nowhere else:
# every comment, CDATA section, PI and end tag ends before the next '<', and no name runs on into a '<'.
_UNUSUAL_MARKUP = re.compile(r"<(?:!(?!--[^<]*?-->|\[CDATA\[[^<]*?\]\]>)|\?(?![^<]*?\?>)|/(?![^<]*>)|[^\s/>]*<)")
_PLAIN_START_TAG = re.compile(r"<[^\s/>!?]")
# Inside a start tag: its name, then each attribute in turn (a value may hold '>').
_TAG_NAME = re.compile(r"<[^\s/>]+")
_ATTRIBUTE = re.compile(r"\s+([^\s=/>]+)\s*=\s*(?:\"[^\"]*\"|'[^']*')")


@functools.lru_cache(maxsize=1024)
def _written_names(name: str) -> tuple[str, str | None]:
    """Return an attribute name's local part, and "xml:" with it for a name in the XML namespace (else None)."""
    local = name.split("}")[-1].split(":")[-1]
    return local, "xml:" + local if name.startswith(("{" + XML_NS + "}", "xml:")) else None


_ATTRIBUTE_PATTERNS: dict[str, re.Pattern] = {}
_MOST_PATTERNS = 64  # a pattern takes a tenth of a millisecond to compile: a file of 10,000 names must not pay that


def _attribute_in_tag(name: str) -> re.Pattern | None:
    """The start tag up to the first attribute written `name`, as the loop over `_ATTRIBUTE` reads the tag; None
    once the process holds `_MOST_PATTERNS` (the names located everywhere, xml:id and the pointers, come first)."""
    pattern = _ATTRIBUTE_PATTERNS.get(name)
    if pattern is None and len(_ATTRIBUTE_PATTERNS) < _MOST_PATTERNS:
        value = "\\s*=\\s*(?:\"[^\"]*\"|'[^']*')"
        pattern = _ATTRIBUTE_PATTERNS[name] = re.compile(
            rf"<[^\s/>]+(?:\s+(?!{re.escape(name)}\s*=)[^\s=/>]+{value})*\s+({re.escape(name)}){value}")
    return pattern


_ALL_ATTRIBUTES = etree.XPath("@*")
_MANY_ATTRIBUTES = 64


def attribute_items(element) -> list[tuple[str, str]]:
    """Return an element's attributes as (Clark name, value), in time linear in their number.

    lxml's items() looks each value up by name, which costs the square of the number of attributes (30,000 take
    it ten seconds); XPath collects them in one pass but costs more per element, so it serves only the rare
    element with many attributes."""
    if len(element.attrib) <= _MANY_ATTRIBUTES:
        return element.items()
    return [(value.attrname, str(value)) for value in _ALL_ATTRIBUTES(element)]


def start_tags(text: str) -> list[int]:
    """Return the offset of every start tag in an XML text (or what would be one, in a text that is not
    well-formed), skipping the '<' in comments, CDATA sections and processing instructions."""
    if _UNUSUAL_MARKUP.search(text) is None:  # no match to tell apart: a third less time
        return [match.start() for match in _PLAIN_START_TAG.finditer(text)]
    return [match.start() for match in _MARKUP.finditer(text) if match.group(1)]


@dataclass
class Document:
    """A parsed XML file: its tree, its decoded text and where each element starts."""

    name: str
    tree: etree._ElementTree
    text: str
    _line_starts: list[int] = field(default_factory=list, repr=False)
    _starts: dict | None = field(default=None, repr=False)
    _attributes: dict | None = field(default=None, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset in the text."""
        if not self._line_starts:  # each line's length plus its newline, summed (at C speed, unlike a regex loop)
            lines = self.text.split("\n")
            self._line_starts = list(map(operator.add, itertools.accumulate(map(len, lines[:-1]), initial=0),
                                         range(len(lines))))
        index = bisect.bisect_right(self._line_starts, offset) - 1
        return index + 1, offset - self._line_starts[index] + 1

    def _start_offsets(self) -> dict:
        if self._starts is None:  # once per document
            self._starts = dict(zip(self.root.iter(etree.Element), start_tags(self.text)))
        return self._starts

    def start_offsets(self) -> list[int | None]:
        """The offset of each element's start tag, in the order of root.iter(etree.Element) (None: not found), for
        a caller that walks every element anyway: no table keyed by element is built for it."""
        if self._starts is not None:
            return [self._starts.get(element) for element in self.root.iter(etree.Element)]
        return start_tags(self.text)

    def locate(self, node) -> tuple[int, int]:
        """Return the (line, column) where an element's start tag (or a comment or PI) begins."""
        offset = self._start_offsets().get(node)
        if offset is None:
            return (getattr(node, "sourceline", None) or 0), 0
        return self.position(offset)

    def locate_attribute(self, element, name: str, start: int | None = None) -> tuple[int, int]:
        """Return the (line, column) of an attribute of an element, given as Clark name or qualified name; `start`
        is the offset of the element's start tag when the caller has it (`start_offsets`)."""
        offset = start if start is not None else self._start_offsets().get(element)
        if offset is None:
            return self.locate(element)
        local, wanted = _written_names(name)
        if (self._attributes is None or element not in self._attributes) and len(element.attrib) <= _MANY_ATTRIBUTES:
            # the usual element, its attribute written with that name: one regex, no table of the tag's attributes
            # (counting an element's attributes takes a pass over them: only for one not read before)
            for written_name in (wanted, local) if wanted else (local,):
                pattern = _attribute_in_tag(written_name)
                if pattern is None:
                    break
                match = pattern.match(self.text, offset)
                if match is not None:
                    return self.position(match.start(1))
        written, by_local = self._attribute_offsets(element, offset)
        found = written.get(wanted) if wanted else None
        if found is None:  # the name as written, else whatever its prefix (an approximation for prefixed names)
            found = written.get(local, by_local.get(local))
        return self.position(found if found is not None else offset)

    def _attribute_offsets(self, element, offset: int) -> tuple[dict[str, int], dict[str, int]]:
        """Return the offsets of an element's attributes by qualified name as written and by local name, read
        from its start tag once (an element may have thousands: each lookup must not read the tag again)."""
        if self._attributes is None:
            self._attributes = {}
        found = self._attributes.get(element)
        if found is None:
            written: dict[str, int] = {}
            by_local: dict[str, int] = {}
            position = _TAG_NAME.match(self.text, offset).end()
            while (match := _ATTRIBUTE.match(self.text, position)) is not None:
                written.setdefault(match[1], match.start(1))
                by_local.setdefault(match[1].rpartition(":")[2], match.start(1))
                position = match.end()
            found = self._attributes[element] = (written, by_local)
        return found

    def finding(self, node, message: str, rule: str, severity: str = "error", expected=()) -> Finding:
        """Return a finding located at a node of this document."""
        line, column = self.locate(node)
        return Finding(self.name, line, column, severity, rule, message, tuple(expected))


def read_bytes(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> bytes:
    """Return a file's bytes, or raise FindingError saying in plain words why it cannot be read."""
    name = str(path)
    if re.match(r"^[a-z][a-z0-9+.-]*://", name, re.I):
        raise FindingError(Finding(name, 0, 0, "error", "io",
                                   "this is a URL: the pipeline reads local files only and never fetches anything"))
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):  # a FIFO or a device would block or never end
            raise FindingError(Finding(name, 0, 0, "error", "io", "this is not a regular file (a pipe or a device)"))
        if Path(path).is_dir():
            raise FindingError(Finding(name, 0, 0, "error", "io", "is a directory, not an XML file"))
        size = os.path.getsize(path)
        if size > max_bytes:
            raise FindingError(Finding(name, 0, 0, "error", "io",
                                       f"file is too large ({size:,} bytes; the limit is {max_bytes:,})"))
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise FindingError(Finding(name, 0, 0, "error", "io", "no such file")) from None
    except PermissionError:
        raise FindingError(Finding(name, 0, 0, "error", "io", "permission denied: the file cannot be read")) from None
    except OSError as err:
        raise FindingError(Finding(name, 0, 0, "error", "io", f"cannot be read: {err.strerror or err}")) from None


_PLAIN = [
    (re.compile(r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)"),
     r"the end tag </\3> does not match the start tag <\1> opened on line \2"),
    (re.compile(r"Premature end of data in tag (\S+) line (\d+)"),
     r"the file ends before the element <\1> opened on line \2 is closed"),
    (re.compile(r"EndTag: '</' not found"), "the file ends before an element is closed"),
    (re.compile(r"Extra content at the end of the document"),
     "there is content after the end of the root element (a document has exactly one root element)"),
    (re.compile(r"Document is empty|Start tag expected, '<' not found"), "the file holds no XML element"),
    (re.compile(r"Attribute (\S+) redefined"), r"the attribute \1 is given twice on the same element"),
    (re.compile(r"Namespace prefix (\S+) on (\S+) is not defined"), r"the namespace prefix '\1' of <\2> is not declared"),
    (re.compile(r"Namespace prefix (\S+) for (\S+) on (\S+) is not defined"),
     r"the namespace prefix '\1' of the attribute \1:\2 on <\3> is not declared"),
    (re.compile(r"Entity '(\S+)' not defined"),
     r"the entity &\1; is not defined (XML knows only &amp;amp; &amp;lt; &amp;gt; &amp;quot; &amp;apos;; write the character itself)"),
    (re.compile(r"Excessive depth in document.*"),
     "elements are nested too deeply (a depth of more than 256 levels): this cannot be an edition document"),
    (re.compile(r"xmlParseEntityRef: no name"), "a bare '&' must be written as &amp;amp;"),
    (re.compile(r"Input is not proper UTF-8.*|Invalid bytes in character encoding"),
     "the file is not valid UTF-8, or not in the encoding it declares (save it as UTF-8)"),
    (re.compile(r"AttValue: \" or ' expected"), "an attribute value must be in quotes"),
    (re.compile(r"attributes construct error|Couldn't find end of Start Tag (\S+).*"),
     "a start tag is malformed (check its attributes: name=\"value\")"),
]


def _plain(message: str) -> str:
    message = message.strip()
    for pattern, replacement in _PLAIN:
        if pattern.search(message):
            return pattern.sub(replacement, message).replace("&amp;", "&")
    return message[0].lower() + message[1:] if message else "the file is not well-formed XML"


# The first markup that is not a comment or a processing instruction: a DOCTYPE, or the root's start tag.
_PROLOG = re.compile(r"<!--.*?-->|<\?.*?\?>|(<!DOCTYPE|<[A-Za-z_])", re.S)
_DOCTYPE = re.compile(r"<!DOCTYPE\b(?:[^\[>]|\[.*?\])*>?", re.S)


def _sniff_text(data: bytes) -> str:
    """Decode enough of the bytes to read the prolog, whatever the encoding (before the parser sees them)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\x00<"):
        return data.decode("utf-16-be", errors="replace")
    if data.startswith(b"<\x00"):
        return data.decode("utf-16-le", errors="replace")
    return data.decode("utf-8", errors="replace")


def refuse_doctype(name: str, text: str) -> None:
    """Raise FindingError when the prolog holds a DOCTYPE, saying what it would have made a parser do.

    This runs before libxml2 sees the bytes, so no external subset is ever opened and no entity ever declared.
    """
    prolog = next((m for m in _PROLOG.finditer(text) if m.group(1)), None)
    if prolog is None or prolog.group(1) != "<!DOCTYPE":
        return
    match = _DOCTYPE.match(text, prolog.start())
    body = match.group()
    if re.search(r"<!ENTITY[^>]*(SYSTEM|PUBLIC)", body):
        what = "it declares an external entity, which would read a file or a URL into the text"
    elif body.count("<!ENTITY") > 1 or re.search(r"<!ENTITY\s+%", body):
        what = "it declares entities that expand into one another (an 'entity bomb')"
    elif "<!ENTITY" in body:
        what = "it declares an entity; write the text itself instead"
    elif re.search(r"\b(SYSTEM|PUBLIC)\b", body):
        what = "it names an external DTD, which would be loaded from outside"
    else:
        what = "TEI documents are validated with RELAX NG and need none"
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    raise FindingError(Finding(name, line, column, "error", "doctype",
                               f"a DOCTYPE declaration is not allowed: {what}; remove it"))


def parse_bytes(data: bytes, name: str = "<string>") -> Document:
    """Parse bytes safely into a Document, or raise FindingError with the first well-formedness error."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    refuse_doctype(name, _sniff_text(data))
    parser = _parser()
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as err:
        entry = parser.error_log[0] if len(parser.error_log) else None  # the first error of this parse only
        line = entry.line if entry else (err.position[0] if err.position else 0)
        column = entry.column if entry else 0
        message = entry.message if entry else str(err)
        raise FindingError(Finding(name, line, column, "error", "well-formed", _plain(message))) from None
    except ValueError as err:
        raise FindingError(Finding(name, 1, 1, "error", "well-formed", str(err))) from None
    encoding = tree.docinfo.encoding or "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return Document(name, tree, text)


def parse_recovered(data: bytes, name: str = "<string>", max_errors: int = 1) -> Document | None:
    """Parse bytes that are not well-formed as libxml2 recovers them (as safely as `parse_bytes`), so that a
    validator can report the file's other mistakes too; None when no element can be recovered, or when libxml2
    had to recover from more than `max_errors` errors (its guesses then go astray)."""
    refuse_doctype(name, _sniff_text(data))
    parser = _parser(recover=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    if root is None or len(parser.error_log) > max_errors:
        return None
    return Document(name, etree.ElementTree(root), data.decode("utf-8", errors="replace").removeprefix("\ufeff"))


def parse(path: str | os.PathLike, name: str | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read and parse one XML file safely; raise FindingError (file:line:col, plain words) on any problem.

    `max_bytes` raises the size limit for the few large inputs that are not edition documents (p5subset.xml).
    """
    return parse_bytes(read_bytes(path, max_bytes), name or str(path))


def require_tei(doc: Document) -> None:
    """Raise FindingError unless the document's root is TEI's <TEI> (or <teiCorpus>) in the TEI namespace."""
    root = doc.root
    qname = etree.QName(root)
    if qname.namespace == TEI_NS and qname.localname in ("TEI", "teiCorpus"):
        return
    if qname.localname in ("TEI", "teiCorpus"):
        where = f"in namespace '{qname.namespace}'" if qname.namespace else "in no namespace"
        message = f"the root element <{qname.localname}> is {where}; it must be in the TEI namespace {TEI_NS}"
    else:
        message = f"the root element is <{qname.localname}>, not <TEI>: this is not a TEI document"
    line, column = doc.locate(root)
    raise FindingError(Finding(doc.name, line, column, "error", "tei-root", message))


@contextmanager
def atomic_path(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `path` to fill; it replaces `path` only when the block ends without error.

    Readers (and a build killed half-way) see the old file or the new one, never half of one. `durable` syncs the
    file before the rename; a build writing thousands of files passes False and syncs once at its end instead.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        if durable:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_atomic(path: str | os.PathLike, data: bytes | str, durable: bool = True) -> None:
    """Write a file so that readers see either the old content or the new, never half of it."""
    with atomic_path(path, durable) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
