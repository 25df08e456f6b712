"""`telegrams new --date D --from ID --to ID`: start a document from the template, with what the options know filled in.

The id and file name come from the date and the register keys of sender and addressee (`tg-1951-06-29-mao-stalin`);
the `xml-model` instructions and the pointers into the registers are made relative to the folder the file is written
to; the correspondence metadata (sender, addressee, places, date sent) and the author are filled from the registers.
Everything else is the template's, with its "…" to fill. An existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys
from pathlib import Path

from lxml import etree

from . import project
from .findings import FindingError
from .xmlio import TEI_NS, XML_NS, parse, parse_bytes, read_bytes

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NOT_CORRESPONDENCE = ("commentary", "introduction")
NAME_ELEMENTS = {"person": "persName", "org": "orgName", "place": "placeName"}
PLACEHOLDER = "…"


class ScaffoldError(Exception):
    """Raised with a message for the editor when the document cannot be made."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", required=True, help="the date sent, YYYY-MM-DD")
    parser.add_argument("--from", dest="sender", required=True, metavar="ID",
                        help="the sender's register entry (e.g. pers-mao, or org-... for an office)")
    parser.add_argument("--to", dest="addressee", required=True, metavar="ID", help="the addressee's register entry")
    parser.add_argument("--from-place", metavar="ID", help="the place sent from (e.g. place-beijing); optional")
    parser.add_argument("--to-place", metavar="ID", help="the place received at; optional")
    parser.add_argument("--kind", help="the document's kind, text/@type (default: the template's)")
    parser.add_argument("--dir", type=Path, metavar="FOLDER", help="where to write it (default: tei/)")
    parser.add_argument("--template", type=Path, metavar="FILE",
                        help="the template (default: tei/templates/telegram.xml)")


def run(args: argparse.Namespace) -> int:
    try:
        path, to_fill = scaffold(args)
    except ScaffoldError as err:
        print(f"new: {err}; nothing written", file=sys.stderr)
        return 1
    shown = _shown(path)
    print(f"new: wrote {shown}")
    if to_fill:
        print(f"new: fill in or delete the {len(to_fill)} places marked {PLACEHOLDER} (lines "
              f"{', '.join(map(str, to_fill))}), then run: telegrams validate {shown}")
    return 0


def scaffold(args: argparse.Namespace) -> tuple[Path, list[int]]:
    """Write the new document; return its path and the lines that still hold a placeholder."""
    sent, folder = _date(args.date), _folder(args.dir)
    entries = _register_entries(project.REGISTERS)
    sender, addressee = (_entry(entries, ident, ("person", "org"), option)
                         for ident, option in ((args.sender, "--from"), (args.addressee, "--to")))
    places = [_entry(entries, ident, ("place",), option) if ident else None
              for ident, option in ((args.from_place, "--from-place"), (args.to_place, "--to-place"))]
    if args.kind in NOT_CORRESPONDENCE:
        raise ScaffoldError(f"a {args.kind} has no sender and addressee: `telegrams new` starts correspondence only")
    ident = f"tg-{sent.isoformat()}-{_key(args.sender)}-{_key(args.addressee)}"
    target = folder / f"{ident}.xml"
    if target.exists():
        raise ScaffoldError(f"{_shown(target)} already exists (a second document of that day between the same "
                            f"correspondents needs its own id: write it by hand, e.g. {ident}-2)")
    root = _template(Path(args.template or project.TEI_DIR / "templates" / "telegram.xml"), ident, sent)
    _relocate(root.getroottree(), folder)
    if args.kind and root.find(T + "text") is not None:
        root.find(T + "text").set("type", args.kind)
    registers = _pointer_prefix(folder)
    _fill_action(root, "sent", sender, places[0], sent, registers)
    _fill_action(root, "received", addressee, places[1], None, registers)
    _fill_author(root, sender, registers)
    for change in root.iter(T + "change"):
        change.set("when", datetime.date.today().isoformat())
    data = _serialize(root)
    _write_new(target, data)
    return target, [number for number, line in enumerate(data.decode("utf-8").splitlines(), 1) if PLACEHOLDER in line]


def _folder(given: Path | None) -> Path:
    """Return the folder to write to: tei/ or a folder inside it (not templates/)."""
    tei = project.TEI_DIR.absolute()
    folder = Path(given or tei).absolute()
    if not folder.is_relative_to(tei) or "templates" in folder.relative_to(tei).parts:
        raise ScaffoldError(f"--dir {given} is not inside the edition's tei/ folder ({_shown(tei)}), where documents "
                            f"are validated and published")
    return folder


def _template(path: Path, ident: str, sent: datetime.date):
    """Return the root of the template with its ids made the document's and its how-to comment replaced."""
    try:
        text = _without_how_to(read_bytes(path).decode("utf-8").replace("DOCID", ident), sent)
        return parse_bytes(text.encode("utf-8"), str(path)).root
    except (FindingError, UnicodeDecodeError) as err:
        raise ScaffoldError(f"the template {path} cannot be read: {err}") from None


def _serialize(root) -> bytes:
    """The document as bytes: the declaration, each instruction and comment before the root on its own line."""
    before = [etree.tostring(node, encoding="UTF-8") for node in root.itersiblings(preceding=True)][::-1]
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>', *before, etree.tostring(root, encoding="UTF-8")]
    return b"\n".join(parts) + b"\n"


def _date(given: str) -> datetime.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", given or ""):
        raise ScaffoldError(f"--date {given!r} is not a date written YYYY-MM-DD (e.g. 1951-06-29)")
    try:
        return datetime.date.fromisoformat(given)
    except ValueError:
        raise ScaffoldError(f"--date {given} is no real day") from None


def _register_entries(registers: Path) -> dict[str, tuple[str, str]]:
    """Return {id: (kind of entry, normalized name)} of the registers."""
    try:
        root = parse(registers).root
    except FindingError as err:
        raise ScaffoldError(f"the registers cannot be read: {err.finding}") from None
    entries = {}
    for kind, element in NAME_ELEMENTS.items():
        for entry in root.iter(T + kind):
            names = [child for child in entry if child.tag == T + element]
            normalized = next((n for n in names if n.get("type") == "normalized"), names[0] if names else None)
            text = "".join(normalized.itertext()) if normalized is not None else ""
            if entry.get(XML_ID):
                entries[entry.get(XML_ID)] = kind, " ".join(text.split())
    return entries


def _entry(entries: dict, ident: str, kinds: tuple[str, ...], option: str) -> tuple[str, str, str]:
    """Return (id, kind, normalized name) of the register entry an option names."""
    if ident not in entries:
        raise ScaffoldError(f"{option} {ident}: there is no such entry in {_shown(project.REGISTERS)}; add it first "
                            f"(see docs/encoding-guidelines.md), then run this again")
    kind, name = entries[ident]
    if kind not in kinds:
        raise ScaffoldError(f"{option} {ident} is a {kind} entry; {option} needs a {' or '.join(kinds)}")
    return ident, kind, name


def _key(ident: str) -> str:
    """The register key of an entry, for the file name: "pers-mao" -> "mao"."""
    return ident.split("-", 1)[1] if "-" in ident else ident


def _pointer_prefix(folder: Path) -> str:
    """How a document in `folder` names the registers: "registers.xml" in tei/, else a relative path."""
    return Path(os.path.relpath(project.REGISTERS, folder)).as_posix()


def _relocate(tree, folder: Path) -> None:
    """Point the xml-model instructions at the project's schemas, and the pointers into the registers at the
    registers, relative to the folder the document is written to (the template's are relative to templates/)."""
    node = tree.getroot().getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-model":
            node.text = re.sub(r'href="([^"]+)"', lambda m: f'href="{_schema_href(m[1], folder)}"', node.text or "")
        node = node.getprevious()
    prefix = _pointer_prefix(folder)
    if prefix != "registers.xml":
        for element in tree.getroot().iter(etree.Element):
            for attribute, value in element.items():
                if "registers.xml#" in value:
                    element.set(attribute, re.sub(r"(?<![\w./-])registers\.xml#", prefix + "#", value))


def _schema_href(href: str, folder: Path) -> str:
    if re.match(r"^[A-Za-z][\w+.-]*:", href):
        return href  # a URL stays as it is
    return Path(os.path.relpath(project.SCHEMA_DIR / Path(href).name, folder)).as_posix()


def _without_how_to(text: str, sent: datetime.date) -> str:
    """Replace the template's how-to comments before the root by one saying what is done and what is left."""
    head, root, rest = text.partition("<TEI")
    note = (f"<!-- Started with `telegrams new` on {datetime.date.today().isoformat()} (sent {sent.isoformat()}): "
            f"fill in every \"{PLACEHOLDER}\", delete what the source does not have and the template's comments "
            f"(see docs/encoding-guidelines.md), then delete this comment. -->\n")
    return re.sub(r"<!--.*?-->\s*", "", head, flags=re.S) + note + root + rest


def _fill_action(root, kind: str, who: tuple, place: tuple | None, when: datetime.date | None, registers: str):
    """Put the correspondent, the place (or none) and the date (when known) into a correspAction."""
    action = root.find(f".//{T}correspDesc/{T}correspAction[@type='{kind}']")
    if action is None:
        raise ScaffoldError(f"the template has no correspAction type=\"{kind}\" in its correspDesc")
    name = next((child for child in action if child.tag in (T + "persName", T + "orgName")), None)
    name = _named(action, name, who, registers, 0)
    found = action.find(T + "placeName")
    if place is None and found is not None:
        action.remove(found)
    elif place is not None:
        _named(action, found, place, registers, action.index(name) + 1)
    date = action.find(T + "date")
    if when is not None:
        if date is None:
            date = etree.SubElement(action, T + "date")
        for attribute in ("notBefore", "notAfter", "from", "to", "cert"):
            date.attrib.pop(attribute, None)
        _set_text(date, f"{when.day} {MONTHS[when.month - 1]} {when.year}")
        date.set("when", when.isoformat())


def _named(parent, old, entry: tuple, registers: str, index: int):
    """Put a name element for a register entry in place of `old` (or at `index`); return it."""
    ident, kind, name = entry
    new = etree.Element(T + NAME_ELEMENTS[kind], ref=f"{registers}#{ident}")
    new.text = name
    if old is None:
        parent.insert(index, new)
        new.tail = parent.text
    else:
        new.tail = old.tail
        parent.replace(old, new)
    return new


def _fill_author(root, sender: tuple, registers: str) -> None:
    ident, _, name = sender
    for author in root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}author"):
        author.set("ref", f"{registers}#{ident}")
        _set_text(author, name)


def _set_text(element, text: str) -> None:
    for child in list(element):
        element.remove(child)
    element.text = text


def _write_new(target: Path, data: bytes) -> None:
    """Write a file that does not exist yet, whole or not at all: a temporary file, then a hard link that fails
    when the name is taken (so a file made meanwhile is never overwritten either)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "xb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.link(temporary, target)
    except FileExistsError:
        raise ScaffoldError(f"{_shown(target)} already exists") from None
    except OSError as err:
        raise ScaffoldError(f"{_shown(target)} cannot be written: {err.strerror}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _shown(path: Path) -> str:
    """A path as an editor typed it: relative to the working folder when inside it."""
    path = Path(path).absolute()
    return str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
