"""The metadata files: DataCite valid against the unmodified official XSD and the project's own expectations,
rights per part everywhere, .zenodo.json carrying what DataCite carries, and CITATION.cff / .zenodo.json at the
project's root in sync with metadata/edition.toml."""

from __future__ import annotations

import hashlib
import json

import bagit
from lxml import etree

from telegrams.deposit.edition import load_edition
from telegrams.deposit.facts import read_corpus
from telegrams.deposit.metadata import (DATACITE_NS, archival_records, datacite_schema_path, project_expectations,
                                        root_citation_files, validate_datacite)
from telegrams.project import ROOT, corpus_files

NS = {"d": DATACITE_NS}
# sha256 of source/meta/kernel-4.6/ in github.com/datacite/schema (commit 471512cb): the XSD must stay unmodified.
DATACITE_XSD = {
    "include/datacite-contributorType-v4.xsd": "bf70f146ac4b1874877b8248b3f4cb2e1ba676ac90c52a8b862639cc7b2c8afa",
    "include/datacite-dateType-v4.xsd": "d6bf5a93077dccfb53aa73929e41c3d16d0b95920c64e76e655240367dc48812",
    "include/datacite-descriptionType-v4.xsd": "b69733e1cffe134eada14d604db17dcf913c21bc8552f6b7debcd3ce04eba3e9",
    "include/datacite-funderIdentifierType-v4.xsd": "eab86e3c6fb0d24d3508559e667641862838b988fe14147dc187ebd79c9bcfe8",
    "include/datacite-nameType-v4.xsd": "a841e852c1cf00e6301f489ce6b85d94017b6cffbdce991d2b7a5e7e27921e5a",
    "include/datacite-numberType-v4.xsd": "e9f9e3c66b34a4476bab683058734f22922d167f76e642db0c05a50842b94241",
    "include/datacite-relatedIdentifierType-v4.xsd": "d6515b2b990814f8d907cc9a4c8fbd33b419927f6b30c98fd4e511a5e947c2b4",
    "include/datacite-relationType-v4.xsd": "d281da6d2bee4347595e1969ffef34839e1ab663e08beb21cee8ac9967114c2c",
    "include/datacite-resourceType-v4.xsd": "0a0e3a5299ee4824f431a8c5167c897c5958b72a260dd6a22b13cb3f39af86bb",
    "include/datacite-titleType-v4.xsd": "03b4eb8c8b71ca2ef95b6a921be654f0dd18b4d89616a12708198d67f6fa463a",
    "include/xml.xsd": "cc701736c42cc64126fad063bb95f94484b5de3b5f808a86ea098b0957aff829",
    "metadata.xsd": "11341a599b41edd0f92145df8863d43e9067c6aea9ed6fcd549d1340ace0c522",
}


def _read(built, name: str) -> bytes:
    return (built.bag_dir / "data" / name).read_bytes()


def _facts(pristine):
    return read_corpus(corpus_files([str(pristine / "tei")]))[1]


def test_the_datacite_xsd_is_the_unmodified_official_one():
    folder = ROOT / "metadata" / "datacite-4.6"
    found = {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in folder.rglob("*.xsd")}
    assert found == DATACITE_XSD


def test_datacite_is_valid_against_the_official_xsd_and_the_project_expectations(built):
    xsd = datacite_schema_path()
    assert xsd is not None, "the DataCite XSD is committed in metadata/datacite-4.6/"
    record = _read(built, "metadata/datacite.xml")
    assert validate_datacite(record, "datacite.xml", xsd) == []
    assert project_expectations(record, "datacite.xml") == []


def test_a_record_without_rights_passes_the_xsd_but_not_the_project(built):
    root = etree.fromstring(_read(built, "metadata/datacite.xml"))
    root.remove(root.find("d:rightsList", NS))
    record = etree.tostring(root)
    assert validate_datacite(record, "datacite.xml", datacite_schema_path()) == []
    messages = [f.message for f in project_expectations(record, "datacite.xml")]
    assert len(messages) == 2 and all("rights" in m for m in messages)


def test_datacite_points_to_every_archival_record_and_lists_every_letter(built, pristine):
    facts = _facts(pristine)
    root = etree.fromstring(_read(built, "metadata/datacite.xml"))
    related = root.xpath("d:relatedIdentifiers/d:relatedIdentifier[@relationType='IsDerivedFrom']/text()",
                         namespaces=NS)
    assert related == archival_records(facts) and related
    contents = "".join(root.xpath("d:descriptions/d:description[@descriptionType='TableOfContents']//text()",
                                  namespaces=NS))
    letters = [f.id for f in facts if f.is_letter]
    assert letters and all(letter in contents for letter in letters)


def test_rights_per_part_in_datacite_dublin_core_zenodo_corpus_and_bag_info(built):
    edition = load_edition()
    own, sources = edition.rights_by_part
    assert edition.licence_name in own and edition.sources_holder in sources and edition.licence_name not in sources
    for name in ("metadata/datacite.xml", "metadata/dublin-core.xml", "corpus/telegrams-edition.xml"):
        text = " ".join(" ".join(etree.fromstring(_read(built, name)).itertext()).split())
        assert edition.licence_scope in text and sources in text, name
    zenodo = json.loads(_read(built, "metadata/zenodo.json"))
    assert own in zenodo["notes"] and sources in zenodo["notes"]
    assert bagit.Bag(str(built.bag_dir)).info["Rights"] == [own, sources]


def test_zenodo_json_carries_what_datacite_carries(built, pristine):
    facts = _facts(pristine)
    zenodo = json.loads(_read(built, "metadata/zenodo.json"))
    datacite = etree.fromstring(_read(built, "metadata/datacite.xml"))
    assert datacite.find("d:resourceType", NS).get("resourceTypeGeneral") == "Text"
    assert (zenodo["upload_type"], zenodo["publication_type"]) == ("publication", "other")
    assert zenodo["access_right"] == "open"
    assert zenodo["publication_date"] == datacite.find("d:dates/d:date[@dateType='Issued']", NS).text
    assert [r["identifier"] for r in zenodo["related_identifiers"]] == archival_records(facts)
    assert {r["relation"] for r in zenodo["related_identifiers"]} == {"isDerivedFrom"}
    language = load_edition().languages[0]
    assert zenodo["language"] == {"en": "eng", "ru": "rus"}.get(language, zenodo.get("language"))


def test_dublin_core_lists_every_letter_and_record(built, pristine):
    facts = _facts(pristine)
    text = _read(built, "metadata/dublin-core.xml").decode()
    assert all(f.id in text for f in facts if f.is_letter)
    assert all(f"<dc:source>{url}</dc:source>" in text for url in archival_records(facts))


def test_root_citation_files_are_in_sync_with_edition_toml():
    for name, expected in root_citation_files(load_edition()).items():
        path = ROOT / name
        assert path.is_file() and path.read_text(encoding="utf-8") == expected, (
            f"{name} differs from what metadata/edition.toml gives: run `telegrams deposit citation`")


def test_bag_copy_of_citation_cff_is_made_from_the_same_metadata(built, pristine):
    edition = load_edition(pristine / "metadata" / "edition.toml")
    assert _read(built, "metadata/CITATION.cff").decode() == root_citation_files(edition)["CITATION.cff"]
    assert _read(built, "metadata/edition.toml") == (pristine / "metadata" / "edition.toml").read_bytes()
