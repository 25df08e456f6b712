"""The metadata files: DataCite valid against its XSD, every telegram and the sources' rights statement carried,
and CITATION.cff / .zenodo.json at the project's root in sync with metadata/edition.toml."""

from __future__ import annotations

import json

from lxml import etree

from telegrams.deposit.edition import load_edition
from telegrams.deposit.metadata import DATACITE_NS, datacite_schema_path, root_citation_files, validate_datacite
from telegrams.project import ROOT

TELEGRAMS = ("tg-1950-11-07-mao-stalin", "tg-1951-06-13-stalin-mao")
RECORDS = ("https://digitalarchive.wilsoncenter.org/document/110702",
           "https://digitalarchive.wilsoncenter.org/document/110364")


def _read(built, name: str) -> bytes:
    return (built.bag_dir / "data" / name).read_bytes()


def test_datacite_is_valid_against_the_datacite_xsd(built):
    xsd = datacite_schema_path()
    assert xsd is not None, "the DataCite XSD is committed in metadata/datacite-4.6/"
    assert validate_datacite(_read(built, "metadata/datacite.xml"), "datacite.xml", xsd) == []


def test_datacite_points_to_every_archival_record_and_lists_every_telegram(built):
    root = etree.fromstring(_read(built, "metadata/datacite.xml"))
    ns = {"d": DATACITE_NS}
    related = root.xpath("d:relatedIdentifiers/d:relatedIdentifier[@relationType='IsDerivedFrom']/text()",
                         namespaces=ns)
    assert related == list(RECORDS)
    contents = "".join(root.xpath("d:descriptions/d:description[@descriptionType='TableOfContents']//text()",
                                  namespaces=ns))
    assert all(telegram in contents for telegram in TELEGRAMS)
    assert root.xpath("d:dates/d:date[@dateType='Coverage']/text()", namespaces=ns) == ["1950-11-07/1951-06-13"]


def test_every_metadata_file_carries_the_sources_rights_statement(built):
    rights = load_edition().sources_rights
    assert "welcomes reuse of Digital Archive materials" in rights
    for name in ("metadata/datacite.xml", "metadata/dublin-core.xml", "corpus/telegrams-edition.xml"):
        text = " ".join(etree.fromstring(_read(built, name)).itertext())
        assert rights in text, name
    assert rights in json.loads(_read(built, "metadata/zenodo.json"))["notes"]


def test_dublin_core_lists_every_telegram_and_record(built):
    text = _read(built, "metadata/dublin-core.xml").decode()
    assert all(telegram in text for telegram in TELEGRAMS)
    assert all(f"<dc:source>{url}</dc:source>" in text for url in RECORDS)


def test_root_citation_files_are_in_sync_with_edition_toml():
    for name, expected in root_citation_files(load_edition()).items():
        path = ROOT / name
        assert path.is_file() and path.read_text(encoding="utf-8") == expected, (
            f"{name} differs from what metadata/edition.toml gives: run `telegrams deposit citation`")


def test_bag_copies_of_the_citation_files_match_the_root_ones(built):
    files = root_citation_files(load_edition())
    assert _read(built, "metadata/CITATION.cff").decode() == files["CITATION.cff"]
    assert _read(built, "metadata/zenodo.json").decode() == files[".zenodo.json"]
