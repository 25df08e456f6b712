"""The CMIF file and the teiCorpus: the CMIF valid against the official CMIF schema (and tei_all when ../shared is
there), one correspDesc per letter; the teiCorpus with every document."""

from __future__ import annotations

import pytest
from lxml import etree

from telegrams.deposit.cmif import schema_findings
from telegrams.deposit.facts import read_corpus
from telegrams.project import corpus_files
from telegrams.xmlio import TEI_NS, XML_NS, parse

NS = {"t": TEI_NS}
CMIF = "telegrams-edition-cmif.xml"


def _doc(built, name: str):
    return parse(built.bag_dir / "data" / "corpus" / name)


def test_cmif_is_valid_against_the_official_cmif_schema(built):
    data = (built.bag_dir / "data" / "corpus" / CMIF).read_bytes()
    assert schema_findings(data, CMIF) == []


def test_an_invalid_cmif_is_reported(built):
    root = _doc(built, CMIF).root
    root.find(".//t:publicationStmt/t:idno", NS).getparent().remove(root.find(".//t:publicationStmt/t:idno", NS))
    findings = schema_findings(etree.tostring(root), CMIF)
    assert findings and all(f.rule == "cmif" and f.file == CMIF for f in findings)


def test_cmif_has_one_correspdesc_per_letter_with_sender_addressee_and_dated_actions(built, pristine):
    facts = read_corpus(corpus_files([str(pristine / "tei")]))[1]
    root = _doc(built, CMIF).root
    letters = root.findall(".//t:profileDesc/t:correspDesc", NS)
    assert [c.get("key") for c in letters] == [f.id for f in facts if f.is_letter]
    for letter in letters:
        assert [a.get("type") for a in letter.findall("t:correspAction", NS)] == ["sent", "received"]
        for date in letter.iterfind(".//t:date", NS):
            assert set(date.attrib) & {"when", "notBefore", "notAfter", "from", "to"}
            assert all(len(value) == 10 for value in date.attrib.values())  # CMIF dates have no time of day
    source = root.find(".//t:sourceDesc/t:bibl", NS).get(f"{{{XML_NS}}}id")
    assert {c.get("source") for c in letters} == {f"#{source}"}


def test_tei_corpus_holds_every_document_with_unique_ids(built, pristine):
    root = _doc(built, "telegrams-edition.xml").root
    assert etree.QName(root).localname == "teiCorpus"
    members = [m.get(f"{{{XML_NS}}}id") for m in root.findall("t:TEI", NS)]
    assert members == [parse(p).root.get(f"{{{XML_NS}}}id") for p in corpus_files([str(pristine / "tei")])]
    ids = root.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    assert not [r for r in root.xpath("//@ref", namespaces=NS) if "registers.xml#" in r]  # pointers made local


@pytest.mark.parametrize("name", [CMIF, "telegrams-edition.xml"])
def test_valid_against_tei_all(built, tei_all, name):
    valid = tei_all.validate(_doc(built, name).tree)
    assert valid, str(tei_all.error_log)


def test_tei_corpus_of_the_real_edition_is_valid_against_the_project_schema():
    """This builds the teiCorpus of the real tei/ and checks it with schema/telegrams.rng."""
    from datetime import datetime, timezone

    from telegrams.deposit.corpus import tei_corpus
    from telegrams.deposit.edition import load_edition
    from telegrams.project import SCHEMA_DIR
    from telegrams.xmlio import parse_bytes

    documents, facts = read_corpus(corpus_files())
    data = tei_corpus(documents, facts, load_edition(), datetime(2026, 1, 1, tzinfo=timezone.utc))
    grammar = etree.RelaxNG(parse(SCHEMA_DIR / "telegrams.rng").tree)
    corpus = parse_bytes(data, "telegrams-edition.xml")
    assert grammar.validate(corpus.tree), str(grammar.error_log)
