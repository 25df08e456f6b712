"""What the deposit's metadata needs to know about the corpus: each document's kind, title, dates, correspondents,
archival sources and revision dates, read from the TEI headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..xmlio import TEI_NS, XML_NS, Document, parse, require_tei

NS = {"t": TEI_NS}
_URL = re.compile(r"https?://[^\s<>\"']+")
_DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
NOT_LETTERS = ("commentary", "introduction", "registers", "")


@dataclass(frozen=True)
class DocumentFacts:
    id: str
    path: Path
    kind: str  # text/@type ("ciphered-telegram", "letter", "commentary"...); "registers" for the registers
    title: str
    sender: str
    addressee: str
    sent: str  # when it was sent: YYYY-MM-DD, or an interval "notBefore/notAfter"; "" when unknown
    earliest: str  # YYYY-MM-DD, "" when the document has no correspondence dates
    latest: str
    sources: tuple[str, ...]  # URLs of the archival records, from the header's sourceDesc
    rights: tuple[str, ...]  # publicationStmt/availability/p: what the document says of its source's rights
    changes: tuple[str, ...]  # revisionDesc/change/@when and publicationStmt/date/@when

    @property
    def is_letter(self) -> bool:
        """Correspondence, by the project's convention: every kind but commentary and introduction."""
        return self.kind not in NOT_LETTERS

    @property
    def date_label(self) -> str:
        return self.sent or "undated"


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def register_names(documents: list[Document]) -> dict[str, str]:
    """Return the preferred name of every register entry (person, place, org), keyed by xml:id."""
    names = {}
    for doc in documents:
        for entry in doc.root.iterfind(".//t:standOff//*[@{%s}id]" % XML_NS, NS):
            first = next((child for child in entry if isinstance(child.tag, str)
                          and child.tag.endswith(("persName", "placeName", "orgName"))), None)
            if first is not None:
                names[entry.get(f"{{{XML_NS}}}id")] = _text(first)
    return names


def _names(action, registers: dict[str, str]) -> str:
    """Return the names in a correspAction, each as its register's preferred form when the pointer resolves."""
    found = []
    for name in [*action.iterfind("t:persName", NS), *action.iterfind("t:orgName", NS)]:
        key = (name.get("ref") or "").partition("#")[2]
        found.append(registers.get(key) or _text(name))
    return "; ".join(found)


def _correspondent(header, kind: str, registers: dict[str, str]) -> str:
    action = header.find(f".//t:correspDesc/t:correspAction[@type='{kind}']", NS)
    return _names(action, registers) if action is not None else ""


def _dates(header) -> list[str]:
    dates = []
    for date in header.iterfind(".//t:correspDesc/t:correspAction/t:date", NS):
        dates.extend(date.get(name)[:10] for name in _DATE_ATTRIBUTES if date.get(name))
    return sorted(dates)


def _sent(header) -> str:
    date = header.find(".//t:correspDesc/t:correspAction[@type='sent']/t:date", NS)
    if date is None:
        return ""
    if date.get("when"):
        return date.get("when")[:10]
    start, end = (date.get("notBefore") or date.get("from") or ""), (date.get("notAfter") or date.get("to") or "")
    return f"{start[:10]}/{end[:10]}" if start or end else ""


def _sources(header) -> tuple[str, ...]:
    """Return the record URLs of the sourceDesc: pointer attributes, and the text of idno, ref and ptr."""
    urls: list[str] = []
    for source_desc in header.iterfind("t:fileDesc/t:sourceDesc", NS):
        for element in source_desc.iter(etree.Element):
            candidates = [element.get(name) or "" for name in ("target", "url", "ref")]
            if etree.QName(element).localname in ("idno", "ref", "ptr"):
                candidates.append(element.text or "")
            for candidate in candidates:
                urls.extend(url.rstrip(".,;)") for url in _URL.findall(candidate))
    return tuple(dict.fromkeys(urls))


def _rights(header) -> tuple[str, ...]:
    """Return the document's rights statements (availability paragraphs; the licence is the edition's)."""
    return tuple(_text(p) for p in header.iterfind("t:fileDesc/t:publicationStmt/t:availability/t:p", NS))


def _changes(header) -> tuple[str, ...]:
    found = [c.get("when") for c in header.iterfind(".//t:revisionDesc//t:change[@when]", NS)]
    found += [d.get("when") for d in header.iterfind("t:fileDesc/t:publicationStmt/t:date[@when]", NS)]
    return tuple(sorted(value[:10] for value in found if value))


def document_facts(doc: Document, registers: dict[str, str]) -> DocumentFacts:
    """Return the facts of one parsed TEI document."""
    root = doc.root
    header = root.find("t:teiHeader", NS)
    text = root.find("t:text", NS)
    kind = text.get("type", "") if text is not None else ("registers" if root.find("t:standOff", NS) is not None
                                                          else "")
    dates = _dates(header)
    return DocumentFacts(
        id=root.get(f"{{{XML_NS}}}id") or Path(doc.name).stem,
        path=Path(doc.name),
        kind=kind,
        title=_text(header.find("t:fileDesc/t:titleStmt/t:title", NS)),
        sender=_correspondent(header, "sent", registers),
        addressee=_correspondent(header, "received", registers),
        sent=_sent(header),
        earliest=dates[0] if dates else "",
        latest=dates[-1] if dates else "",
        sources=_sources(header),
        rights=_rights(header),
        changes=_changes(header),
    )


def read_corpus(files: list[Path]) -> tuple[list[Document], list[DocumentFacts]]:
    """Parse every TEI file (raising FindingError on the first unreadable one) and return documents and facts."""
    documents = []
    for path in files:
        doc = parse(path)
        require_tei(doc)
        documents.append(doc)
    registers = register_names(documents)
    return documents, [document_facts(doc, registers) for doc in documents]
