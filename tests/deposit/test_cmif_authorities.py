"""The CMIF joins correspSearch through the registers' authority identifiers: each correspondent and place of a letter
whose register entry has a VIAF, Wikidata or GeoNames idno carries that authority's URI in @ref, and no other name
has one. What is expected is read from the TEI (the registers and the letters' correspDesc), never written here."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree

from telegrams.deposit.cmif import cmif, schema_findings
from telegrams.deposit.corpus import tei_corpus
from telegrams.deposit.edition import load_edition
from telegrams.deposit.facts import read_corpus
from telegrams.project import corpus_files
from telegrams.xmlio import TEI_NS, XML_NS, parse, parse_bytes

NS = {"t": TEI_NS}
CMIF = "telegrams-edition-cmif.xml"
NAMES = ("persName", "orgName", "placeName")
# The URI of each identifier type, and which type a name prefers (correspSearch matches on one URI).
URI = {"viaf": "http://viaf.org/viaf/", "wikidata": "http://www.wikidata.org/entity/",
       "geonames": "https://www.geonames.org/"}
PREFERRED = {"placeName": ("geonames", "wikidata"), "persName": ("viaf", "wikidata"), "orgName": ("viaf", "wikidata")}


def register_entries(tei_dir: Path) -> dict[str, etree._Element]:
    """Return every register entry (person, place, org) of the corpus by its xml:id."""
    entries = {}
    for path in corpus_files([str(tei_dir)]):
        for entry in parse(path).root.iterfind(".//t:standOff//*[@xml:id]", {**NS, "xml": XML_NS}):
            if etree.QName(entry).localname in ("person", "place", "org"):
                entries[entry.get(f"{{{XML_NS}}}id")] = entry
    return entries


def authority_uri(entry: etree._Element | None, name: str) -> str | None:
    """Return the URI the CMIF should give a name pointing to this entry, from its typed idno, or None."""
    for kind in PREFERRED[name] if entry is not None else ():
        idno = entry.find(f"t:idno[@type='{kind}']", NS)
        if idno is not None:
            return URI[kind] + "".join(idno.itertext()).strip()
    return None


def expected_actions(tei_dir: Path) -> dict[str, dict[str, list[tuple[str, str | None]]]]:
    """Return, per letter and per sent/received action, its names as (element, expected @ref), in CMIF order."""
    entries = register_entries(tei_dir)
    letters = {}
    for fact in read_corpus(corpus_files([str(tei_dir)]))[1]:
        if not fact.is_letter:
            continue
        desc = parse(fact.path).root.find(".//t:profileDesc/t:correspDesc", NS)
        letters[fact.id] = {}
        for kind in ("sent", "received"):
            action = None if desc is None else desc.find(f"t:correspAction[@type='{kind}']", NS)
            found = [] if action is None else [n for n in action if etree.QName(n).localname in NAMES]
            people = [n for n in found if etree.QName(n).localname != "placeName"]
            places = [n for n in found if etree.QName(n).localname == "placeName"]
            expected = [(etree.QName(n).localname,
                         authority_uri(entries.get(n.get("ref", "").partition("#")[2]), etree.QName(n).localname))
                        for n in people + places]
            letters[fact.id][kind] = expected if people else [("persName", None)] + expected  # "Unknown"
    return letters


def cmif_actions(root: etree._Element) -> dict[str, dict[str, list[tuple[str, str | None]]]]:
    """Return, per correspDesc of a CMIF file and per action, its names as (element, @ref)."""
    return {desc.get("key"): {action.get("type"): [(etree.QName(n).localname, n.get("ref"))
                                                   for n in action if etree.QName(n).localname in NAMES]
                              for action in desc.iterfind("t:correspAction", NS)}
            for desc in root.iterfind(".//t:profileDesc/t:correspDesc", NS)}


def test_cmif_names_carry_the_registers_authority_uris(built, pristine):
    cmif_root = parse(built.bag_dir / "data" / "corpus" / CMIF).root
    assert cmif_actions(cmif_root) == expected_actions(pristine / "tei")


NAMED = ("t:correspAction[@type='sent']/t:persName", "t:correspAction[@type='sent']/t:placeName",
         "t:correspAction[@type='received']/t:persName")


def _first_letter_with_names(tei_dir: Path) -> tuple[str, list[str]]:
    """Return the first letter with a sender, a place of sending and an addressee, and their register ids."""
    for fact in read_corpus(corpus_files([str(tei_dir)]))[1]:
        desc = parse(fact.path).root.find(".//t:profileDesc/t:correspDesc", NS) if fact.is_letter else None
        names = [] if desc is None else [desc.find(path, NS) for path in NAMED]
        if names and all(n is not None and "#" in n.get("ref", "") for n in names):
            return fact.id, [n.get("ref").partition("#")[2] for n in names]
    raise AssertionError("no letter with a sender, a place of sending and an addressee to plant identifiers on")


def _add_idno(entry: etree._Element, kind: str, value: str) -> None:
    idno = etree.Element(f"{{{TEI_NS}}}idno", type=kind)
    idno.text = value
    note = entry.find("t:note", NS)  # the schema wants idno before the entry's note
    if note is None:
        entry.append(idno)
    else:
        note.addprevious(idno)


def test_planted_identifiers_reach_the_cmif_and_it_stays_valid(pristine, tmp_path):
    """Identifiers of every type planted in a copy of the registers (test values): the sender of the first letter naming sender,
    place and addressee gets both VIAF and Wikidata, its place GeoNames, its addressee Wikidata only; the CMIF uses the preferred one of each,
    and is still valid against the official CMIF schema."""
    tei = tmp_path / "tei"
    shutil.copytree(pristine / "tei", tei)
    letter, (sender, place, addressee) = _first_letter_with_names(tei)
    planted = {sender: [("viaf", "101"), ("wikidata", "Q102")], place: [("geonames", "103")],
               addressee: [("wikidata", "Q104")]}
    for path in corpus_files([str(tei)]):
        doc = parse(path)
        entries = {e.get(f"{{{XML_NS}}}id"): e for e in doc.root.iterfind(".//t:standOff//*[@xml:id]",
                                                                          {**NS, "xml": XML_NS})}
        if planted.keys() & entries.keys():
            for ident in planted.keys() & entries.keys():
                for entry_idno in entries[ident].findall("t:idno", NS):
                    entries[ident].remove(entry_idno)  # only the planted values count here
                for kind, value in planted[ident]:
                    _add_idno(entries[ident], kind, value)
            doc.tree.write(str(path), encoding="UTF-8", xml_declaration=True)

    documents, facts = read_corpus(corpus_files([str(tei)]))
    edition = load_edition(pristine / "metadata" / "edition.toml")
    date = datetime(2026, 1, 1, tzinfo=timezone.utc)
    data = cmif(tei_corpus(documents, facts, edition, date), edition, date)
    actions = cmif_actions(parse_bytes(data, CMIF).root)
    assert actions == expected_actions(tei)
    assert ("persName", "http://viaf.org/viaf/101") in actions[letter]["sent"]  # VIAF preferred to Wikidata
    assert ("placeName", "https://www.geonames.org/103") in actions[letter]["sent"]
    assert ("persName", "http://www.wikidata.org/entity/Q104") in actions[letter]["received"]
    assert schema_findings(data, CMIF) == []
