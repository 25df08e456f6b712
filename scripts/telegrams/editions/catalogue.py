"""The catalogue: what the corpus-wide pages need to know about every document, gathered once per run.

The first pass runs facts.xsl on each document and keeps only its small record (id, kind, the date it is filed
under, titles, correspondents, summary) and its register mentions. From these, once: the date order, each page's
previous and next document, the catalogue the pages and the home page read through xsl:key, and the lists of
mentions the register pages read. Nothing here looks at a document again, so the cost is linear in the corpus.

The mentions are the bulk (about 20 per document): they go straight to one file per register page as they arrive,
so that neither this process nor Saxon ever holds more than one register's mentions.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .. import xmlio
from ..names import RESERVED_PAGES, page_key
from ..findings import Finding
from .transform import load_source

TG_NS = "urn:telegrams:edition"


@dataclass
class Facts:
    """What the first pass learnt about one document (facts.xsl's output, and what Python read on its own)."""

    path: Path
    id: str
    file: str  # the file name, which links between documents name
    kind: str  # text/@type ("text" when it has none), as the stylesheets read it (tg:kind)
    correspondence: bool  # a telegram, cable, letter...: any kind but the editors' texts, with a correspDesc
    sort_key: str  # the date it is filed under (tg:sort-key)
    short_title: str  # what a neighbour's previous/next link says
    record: str  # the <tg:doc> element, serialized
    mentions: dict[str, str] = field(default_factory=dict)  # register page -> its <tg:mentions>, serialized
    listed: dict[str, int] = field(default_factory=dict)  # register page -> how many of its entries it names
    changes: list[str] = field(default_factory=list)  # revisionDesc/change/@when, for the edition's date
    relations: str = ""  # its <tg:rel type= file=/> elements (replies, citations), serialized


def read_facts(output: str, path: Path, changes: list[str]) -> Facts:
    """Split facts.xsl's output for one document into its record and its mentions for each register page."""
    facts = xmlio.parse_bytes(output.encode("utf-8"), f"facts of {path}").root
    record = facts.find(f"{{{TG_NS}}}doc")
    mentions, listed = {}, {}
    for element in facts.iterfind(f"{{{TG_NS}}}mentions"):
        mentions[element.get("register")] = etree.tostring(element, encoding="unicode")
        listed[element.get("register")] = len({m.get("entry") for m in element})
    return Facts(path=path, id=record.get("id"), file=record.get("file"), kind=record.get("kind"),
                 correspondence=record.get("correspondence") == "true",
                 sort_key=record.get("sort-key"), short_title=record.findtext(f"{{{TG_NS}}}short-title") or "",
                 record=etree.tostring(record, encoding="unicode"), mentions=mentions, listed=listed,
                 changes=changes,
                 relations="".join(etree.tostring(rel, encoding="unicode") for rel in record.iterfind(f"{{{TG_NS}}}rel")))


class Catalogue:
    """The documents of the run in corpus order (first come, first kept), and the orders derived from them."""

    def __init__(self, register_pages: list[str] = ()):
        self.entries: list[Facts] = []
        self._paths: dict[str, Path] = {}
        self._folded: dict[str, Path] = {}  # page names taken, case-folded
        self._folder = tempfile.TemporaryDirectory(prefix="telegrams-mentions-") if register_pages else None
        self._mentions = {page: self._start_list(page) for page in register_pages}
        self.listed: Counter = Counter()  # register page -> its lists' length: the documents under each entry, summed

    def _start_list(self, page: str):
        handle = open(Path(self._folder.name) / f"{page}.xml", "w", encoding="utf-8")
        handle.write(f'<tg:mention-list xmlns:tg="{TG_NS}">')
        return handle

    def reserve(self, doc_id: str, path: Path) -> None:
        """Take an id for a file that is not a page of its own (the registers)."""
        self._paths[doc_id] = path
        self._folded[page_key(doc_id)] = path

    def add(self, facts: Facts) -> Finding | None:
        """Keep a document, or return the finding that its page name is reserved or taken (it is then skipped).

        Page names are compared case-folded: on a file system that ignores case, "Tg-1" and "tg-1" are one file.
        """
        folded = page_key(facts.id)
        if folded in RESERVED_PAGES:
            return self._refuse(facts, "reserved-name", f"the id '{facts.id}' names one of the site's own pages "
                                f"({folded}.html, {folded}.txt); give the document another id; skipped")
        if facts.id in self._paths:
            return self._refuse(facts, "duplicate-id",
                                f"the id '{facts.id}' is already used by {self._paths[facts.id]}; skipped")
        if folded in self._folded:
            return self._refuse(facts, "duplicate-id", f"the id '{facts.id}' gives the page name of "
                                f"{self._folded[folded]} (ids that differ only in case or form are one page); skipped")
        self._folded[folded] = facts.path
        self._paths[facts.id] = facts.path
        for page, mentions in facts.mentions.items():
            if page in self._mentions:
                self._mentions[page].write(mentions)
        self.listed.update(facts.listed)
        facts.mentions = {}
        self.entries.append(facts)
        return None

    @staticmethod
    def _refuse(facts: Facts, rule: str, message: str) -> Finding:
        doc = load_source(facts.path).doc  # read again only to say where: refusals are rare
        line, column = doc.locate(doc.root)
        return Finding(str(facts.path), line, column, "error", rule, message)

    def __len__(self) -> int:
        return len(self.entries)

    def date_order(self) -> list[Facts]:
        """Every document by the date it is filed under, then by id (the order of the stylesheets' codepoints)."""
        return sorted(self.entries, key=lambda facts: (facts.sort_key, facts.id))

    def reading_order(self) -> list[Facts]:
        """The correspondence in date order, then the other texts in date order (corpus.txt, the home page)."""
        ordered = self.date_order()
        return [f for f in ordered if f.correspondence] + [f for f in ordered if not f.correspondence]

    def neighbours(self) -> dict[str, tuple[str | None, str | None]]:
        """Each document's previous and next: among the correspondence for a letter, among all texts otherwise."""
        ordered = self.date_order()
        letters = [f for f in ordered if f.correspondence]
        found = {}
        for series in (ordered, letters):  # the second pass gives letters their neighbours among letters
            for i, facts in enumerate(series):
                found[facts.id] = (series[i - 1].id if i > 0 else None,
                                   series[i + 1].id if i + 1 < len(series) else None)
        return found

    def same_titles(self) -> dict[str, str]:
        """For each document whose short title others share (two telegrams of a day between the same people):
        "n of k", its place among them in date order, which its heading and every link to it add."""
        shared: dict[str, list[str]] = {}
        for facts in self.date_order():
            shared.setdefault(facts.short_title, []).append(facts.id)
        return {doc_id: f"{n} of {len(ids)}" for ids in shared.values() if len(ids) > 1
                for n, doc_id in enumerate(ids, 1)}

    def catalogue_xml(self, whole: bool = True) -> str:
        """The catalogue: every record in corpus order, then a tg:position per document in date order.

        Not `whole`: what a document's page needs, and no more (each worker holds it): id, file, short title and
        relations (so that a page lists the documents that answer or cite it). A short title that others share
        ends with the document's place among them ("… (2 of 2)"), also given as the position's `same-title`.
        """
        neighbours, same = self.neighbours(), self.same_titles()
        parts = [f'<tg:catalogue xmlns:tg="{TG_NS}">']
        for f in self.entries:
            title = f"<tg:short-title>{escape(f.short_title)}"
            suffix = f" ({same[f.id]})" if f.id in same else ""
            shown = f"{title}{suffix}</tg:short-title>"
            if not whole:
                parts.append(f"<tg:doc id={quoteattr(f.id)} file={quoteattr(f.file)}>{shown}{f.relations}</tg:doc>")
            elif suffix:  # the record as facts.xsl wrote it, but for its short title
                parts.append(f.record.replace(f"{title}</tg:short-title>", shown, 1))
            else:
                parts.append(f.record)
        for facts in self.date_order():
            before, after = neighbours[facts.id]
            parts.append(f"<tg:position id={quoteattr(facts.id)}"
                         + (f" prev={quoteattr(before)}" if before else "")
                         + (f" next={quoteattr(after)}" if after else "")
                         + (f" same-title={quoteattr(same[facts.id])}" if facts.id in same else "") + "/>")
        parts.append("</tg:catalogue>")
        return "".join(parts)

    def mention_lists(self) -> dict[str, Path]:
        """Close the lists of mentions and return their files, one per register page (each in corpus order)."""
        for handle in self._mentions.values():
            if not handle.closed:
                handle.write("</tg:mention-list>")
                handle.close()
        return {page: Path(handle.name) for page, handle in self._mentions.items()}

    def close(self) -> None:
        """Delete the lists of mentions."""
        self.mention_lists()
        if self._folder is not None:
            self._folder.cleanup()
