"""Every text node of every TEI text appears in its HTML page and in its plain text (normalized reading)."""

from __future__ import annotations

import re

import lxml.html
import pytest

from telegrams.xmlio import TEI_NS

T = f"{{{TEI_NS}}}"
# Readings the normalized view replaces: their text shows only in the diplomatic view.
DIPLOMATIC = {f"{T}sic", f"{T}orig", f"{T}abbr"}
# Analyses and links, not reading text: the editions put a marker where they hold words.
NOT_SHOWN = {f"{T}{name}" for name in ("interp", "interpGrp", "fs", "f", "link", "linkGrp", "span", "spanGrp",
                                        "certainty", "precision", "index", "alt", "altGrp")}


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def reading_text_nodes(root) -> list[str]:
    """Return the non-blank text nodes of <text> in the normalized reading (no sic/orig/abbr inside choice)."""
    found = []
    for text_el in root.iter(f"{T}text"):
        if text_el.getparent() is not None and text_el.getparent().tag != root.tag:
            continue  # nested texts are reached from the outer one
        for node in text_el.xpath(".//text()"):
            parent = node.getparent()
            chain = [parent, *parent.iterancestors()]
            if any(el.tag in DIPLOMATIC and el.getparent() is not None and el.getparent().tag == f"{T}choice"
                   for el in chain):
                continue
            if parent.tag == f"{T}binaryObject" or any(el.tag in NOT_SHOWN for el in chain):
                continue  # data (an image in base64), analyses: shown as a marker ("[interpGrp: not shown]")
            if squash(node):
                found.append(squash(node))
    return found


def html_reading(path, files: dict[str, str]) -> str:
    """Return the text of a page's text and notes, without the diplomatic-only readings.

    A document of the edition named by its file in a note is a link to its page (titled): read back as the file.
    """
    page = lxml.html.parse(str(path)).getroot()
    for hidden in page.xpath("//*[contains(concat(' ', @class, ' '), ' dipl ')]"):
        hidden.drop_tree()
    for link in page.xpath("//a[@class='doc-link']"):
        file = files[link.get("href")[:-len(".html")]]
        for child in list(link):
            link.remove(child)
        link.text = file
    parts = page.xpath("//div[contains(@class, 'text-body')] | //section[contains(@class, 'notes')]")
    return squash(" ".join(part.text_content() for part in parts))


def test_every_text_node_is_in_the_html_page(site, sources):
    assert sources, "no documents were built"
    files = {doc_id: source.path.name for doc_id, source in sources.items()}
    for doc_id, source in sources.items():
        page = html_reading(site.out_dir / f"{doc_id}.html", files)
        missing = [text for text in reading_text_nodes(source.doc.root) if text not in page]
        assert missing == [], f"{doc_id}: text lost in HTML: {missing[:5]}"


def test_every_text_node_is_in_the_plain_text(texts, sources):
    for doc_id, source in sources.items():
        plain = squash(texts[doc_id])
        missing = [text for text in reading_text_nodes(source.doc.root) if text not in plain]
        assert missing == [], f"{doc_id}: text lost in plain text: {missing[:5]}"


def test_diplomatic_reading_is_in_the_page_too(site, sources):
    """The source's slips (sic) are in the page, for the diplomatic view, marked as such."""
    for doc_id, source in sources.items():
        slips = [squash("".join(el.itertext())) for el in source.doc.root.iter(f"{T}sic")
                 if el.getparent().tag == f"{T}choice"]
        if not slips:
            continue
        page = lxml.html.parse(str(site.out_dir / f"{doc_id}.html")).getroot()
        shown = {squash(el.text_content()) for el in page.xpath("//*[contains(concat(' ', @class, ' '), ' dipl ')]")}
        assert set(slips) <= shown, f"{doc_id}: diplomatic readings missing: {set(slips) - shown}"


def test_corpus_has_correspondence():
    """The real corpus has letters of some kind (telegram, ciphered-telegram...), not only the editors' texts."""
    from telegrams import project
    from telegrams.editions.transform import load_source

    kinds = {load_source(path).kind for path in project.corpus_files() if path.name != "registers.xml"}
    assert kinds - {"commentary", "introduction", "text"}, kinds
