"""The CMIF file and the teiCorpus: valid TEI (tei_all when ../shared is there), with every telegram."""

from __future__ import annotations

import pytest
from lxml import etree

from telegrams.xmlio import TEI_NS, parse

NS = {"t": TEI_NS}


def _doc(built, name: str):
    return parse(built.bag_dir / "data" / "corpus" / name)


def test_cmif_lists_every_telegram_with_sender_addressee_places_and_dates(built):
    root = _doc(built, "telegrams-edition-cmif.xml").root
    letters = root.findall(".//t:profileDesc/t:correspDesc", NS)
    assert [c.get("key") for c in letters] == ["tg-1950-11-07-mao-stalin", "tg-1951-06-13-stalin-mao"]
    first, second = letters
    sent = first.find("t:correspAction[@type='sent']", NS)
    assert sent.find("t:persName", NS).text == "Mao Zedong"
    assert sent.find("t:persName", NS).get("ref") == "https://example.org/authority/mao-zedong"
    assert sent.find("t:placeName", NS).text == "Beijing"
    assert sent.find("t:date", NS).get("when") == "1950-11-07"
    received = first.find("t:correspAction[@type='received']", NS)
    assert received.find("t:persName", NS).text == "Joseph Stalin"  # the register's name, not "Filippov"
    assert received.find("t:date", NS).get("when") == "1950-11-08"  # CMIF dates have no time of day
    assert [a.get("type") for a in second.findall("t:correspAction", NS)] == ["sent", "received"]  # no "transmitted"
    date = second.find("t:correspAction[@type='sent']/t:date", NS)
    assert (date.get("notBefore"), date.get("notAfter")) == ("1951-06-12", "1951-06-13")
    source = root.find(".//t:sourceDesc/t:bibl", NS).get("{http://www.w3.org/XML/1998/namespace}id")
    assert {c.get("source") for c in letters} == {f"#{source}"}
    assert root.find(".//t:licence", NS).get("target") == "https://creativecommons.org/licenses/by/4.0/"


def test_tei_corpus_holds_every_document_with_local_pointers_and_unique_ids(built):
    root = _doc(built, "telegrams-edition.xml").root
    assert etree.QName(root).localname == "teiCorpus"
    members = [m.get("{http://www.w3.org/XML/1998/namespace}id") for m in root.findall("t:TEI", NS)]
    assert members == ["registers", "tg-1950-11-07-mao-stalin", "tg-1951-06-13-stalin-mao"]
    ids = root.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    refs = set(root.xpath("//t:persName/@ref", namespaces=NS))
    assert refs == {"#pers-mao", "#pers-stalin", "#pers-roshchin"}
    assert root.find("t:teiHeader//t:idno[@type='version']", NS).text == "0.1.0"
    records = [b.find("t:ref", NS).get("target") for b in root.findall("t:teiHeader//t:sourceDesc/t:bibl", NS)]
    assert records == ["https://digitalarchive.wilsoncenter.org/document/110702",
                       "https://digitalarchive.wilsoncenter.org/document/110364"]


@pytest.mark.parametrize("name", ["telegrams-edition-cmif.xml", "telegrams-edition.xml"])
def test_valid_against_tei_all(built, tei_all, name):
    valid = tei_all.validate(_doc(built, name).tree)
    assert valid, str(tei_all.error_log)


def test_tei_corpus_of_the_real_edition_is_valid_against_the_project_schema():
    """The fixture project is small; this builds the teiCorpus of the real tei/ and checks it with schema/telegrams.rng."""
    from datetime import datetime, timezone

    from telegrams.deposit.corpus import tei_corpus
    from telegrams.deposit.edition import load_edition
    from telegrams.deposit.facts import read_corpus
    from telegrams.project import SCHEMA_DIR, corpus_files
    from telegrams.xmlio import parse_bytes

    documents, facts = read_corpus(corpus_files())
    data = tei_corpus(documents, facts, load_edition(), datetime(2026, 1, 1, tzinfo=timezone.utc))
    grammar = etree.RelaxNG(parse(SCHEMA_DIR / "telegrams.rng").tree)
    corpus = parse_bytes(data, "telegrams-edition.xml")
    assert grammar.validate(corpus.tree), str(grammar.error_log)
