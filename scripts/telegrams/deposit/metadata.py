"""The deposit's metadata files, all generated from metadata/edition.toml and the corpus's headers:
DataCite XML (kernel 4.6), Dublin Core (oai_dc), CITATION.cff and .zenodo.json.

CITATION.cff and .zenodo.json depend on edition.toml alone, so the copies at the project's root stay stable while
the corpus grows; DataCite and Dublin Core also list every telegram and every archival record it comes from.
"""

from __future__ import annotations

import html
import json
import os
from datetime import datetime
from pathlib import Path

from lxml import etree

from ..findings import Finding
from ..project import ROOT
from .edition import Edition
from .facts import DocumentFacts

DATACITE_NS = "http://datacite.org/schema/kernel-4"
DATACITE_LOCATION = "https://schema.datacite.org/meta/kernel-4.6/metadata.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
FORMATS = ("application/tei+xml", "text/html", "text/plain")
GENERATED = "Generated from metadata/edition.toml by `telegrams deposit citation`; edit that file, not this one."


def _serialize(root) -> bytes:
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag, {k.replace("__", ":"): v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def coverage(facts: list[DocumentFacts]) -> str:
    """Return the span of the telegrams' dates as an ISO 8601 interval ("" when none is dated)."""
    dates = sorted(d for f in facts if f.is_letter for d in (f.earliest, f.latest) if d)
    return f"{dates[0]}/{dates[-1]}" if dates else ""


def archival_records(facts: list[DocumentFacts]) -> list[str]:
    """Return the URLs of the archival records, each once, in corpus order."""
    return list(dict.fromkeys(url for f in facts for url in f.sources))


def rights_statements(edition: Edition, facts: list[DocumentFacts]) -> list[str]:
    """Return the sources' rights statements: the holder's (edition.toml), then each document's own, once each."""
    statements = [edition.rights_by_part[1]]
    by_text: dict[str, list[str]] = {}
    for f in facts:
        for text in f.rights:
            by_text.setdefault(text, []).append(f.id)
    statements += [f"{', '.join(ids)}: {text}" for text, ids in by_text.items()]
    return statements


def table_of_contents(facts: list[DocumentFacts]) -> list[str]:
    """Return one line per telegram: id, date, sender to addressee, title."""
    return [f"{f.id} ({f.date_label}): {f.title}" for f in facts if f.is_letter]


def identifier(edition: Edition) -> tuple[str, str]:
    """Return (type, value) of the package's identifier: its DOI once the archive assigned one."""
    if edition.doi:
        return "DOI", edition.doi
    if edition.url:
        return "URL", edition.url
    return "Local", edition.bag_name


# ---- DataCite -------------------------------------------------------------------------------------------------

def datacite_xml(edition: Edition, facts: list[DocumentFacts], date: datetime) -> bytes:
    """Return the DataCite kernel-4.6 record of the package."""
    d = lambda tag: f"{{{DATACITE_NS}}}{tag}"  # noqa: E731 - a short name keeps the tree below readable
    root = etree.Element(d("resource"), nsmap={None: DATACITE_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{DATACITE_NS} {DATACITE_LOCATION}")
    id_type, id_value = identifier(edition)
    _sub(root, d("identifier"), id_value, identifierType=id_type)
    creators = _sub(root, d("creators"))
    for person in edition.creators:
        creator = _sub(creators, d("creator"))
        _sub(creator, d("creatorName"), person.name, nameType=person.type)
        if person.type == "Personal":
            family, given = person.family_given
            if given:
                _sub(creator, d("givenName"), given)
            _sub(creator, d("familyName"), family)
    titles = _sub(root, d("titles"))
    _sub(titles, d("title"), edition.title, **{"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    if edition.short_title != edition.title:
        _sub(titles, d("title"), edition.short_title, titleType="AlternativeTitle")
    _sub(root, d("publisher"), edition.publisher)
    _sub(root, d("publicationYear"), f"{date.year:04d}")
    _sub(root, d("resourceType"), "Digital scholarly edition", resourceTypeGeneral="Text")
    if edition.keywords:
        subjects = _sub(root, d("subjects"))
        for keyword in edition.keywords:
            _sub(subjects, d("subject"), keyword)
    dates = _sub(root, d("dates"))
    _sub(dates, d("date"), date.strftime("%Y-%m-%d"), dateType="Issued")
    if coverage(facts):
        _sub(dates, d("date"), coverage(facts), dateType="Coverage",
             dateInformation="dates the telegrams were sent and received")
    _sub(root, d("language"), edition.languages[0])
    related = _sub(root, d("relatedIdentifiers"))
    for url in archival_records(facts):
        _sub(related, d("relatedIdentifier"), url, relatedIdentifierType="URL", relationType="IsDerivedFrom",
             resourceTypeGeneral="Text")
    sizes = _sub(root, d("sizes"))
    _sub(sizes, d("size"), f"{sum(f.is_letter for f in facts)} letters and telegrams")
    _sub(sizes, d("size"), f"{len(facts)} TEI documents")
    formats = _sub(root, d("formats"))
    for media_type in FORMATS:
        _sub(formats, d("format"), media_type)
    _sub(root, d("version"), edition.version)
    rights = _sub(root, d("rightsList"))
    _sub(rights, d("rights"), f"{edition.licence_scope}: {edition.licence_name}", rightsURI=edition.licence_url,
         rightsIdentifier=edition.licence_id.lower(), rightsIdentifierScheme="SPDX",
         schemeURI="https://spdx.org/licenses/")
    for statement in rights_statements(edition, facts):
        _sub(rights, d("rights"), statement)
    descriptions = _sub(root, d("descriptions"))
    _sub(descriptions, d("description"), edition.description, descriptionType="Abstract")
    contents = _sub(descriptions, d("description"), None, descriptionType="TableOfContents")
    lines = table_of_contents(facts)
    contents.text = lines[0] if lines else ""
    for line in lines[1:]:
        _sub(contents, d("br")).tail = line
    return _serialize(root)


def datacite_schema_path() -> Path | None:
    """Return the DataCite kernel-4 XSD: $DATACITE_XSD, else the copy committed in metadata/datacite-4.6/."""
    explicit = os.environ.get("DATACITE_XSD")
    candidate = Path(explicit) if explicit else ROOT / "metadata" / "datacite-4.6" / "metadata.xsd"
    return candidate if candidate.is_file() else None


def validate_datacite(data: bytes, name: str, schema_path: Path) -> list[Finding]:
    """Return the findings of validating a DataCite record against the XSD (no network: local files only)."""
    import xmlschema

    schema = xmlschema.XMLSchema(str(schema_path), allow="local")
    if schema.target_namespace != DATACITE_NS:
        return [Finding(str(schema_path), 0, 0, "error", "datacite",
                        f"this XSD is not DataCite kernel 4 (its namespace is {schema.target_namespace})")]
    findings = []
    for error in schema.iter_errors(etree.fromstring(data)):
        line = getattr(error.elem, "sourceline", 0) or 0
        findings.append(Finding(name, line, 0, "error", "datacite", error.reason or str(error)))
    return findings


# What the project asks of its record beyond the XSD (which makes all of these optional), with its own messages:
# (XPath that must find something, message when it does not).
EXPECTATIONS = (
    ("d:rightsList/d:rights[@rightsURI]", "no rightsList/rights with a rightsURI: the record must name the edition's "
     "licence ([licence] in metadata/edition.toml)"),
    ("d:rightsList/d:rights[not(@rightsURI)]", "no rights statement of the archival sources' holder ([sources] in "
     "metadata/edition.toml)"),
    ("d:descriptions/d:description[@descriptionType='Abstract']", "no abstract ([edition] description)"),
    ("d:dates/d:date[@dateType='Issued']", "no issued date"),
    ("d:language", "no language ([edition] languages)"),
)


def project_expectations(data: bytes, name: str) -> list[Finding]:
    """Return the project's own requirements of its DataCite record that the record does not meet."""
    root = etree.fromstring(data)
    return [Finding(name, 0, 0, "error", "datacite-project", message) for path, message in EXPECTATIONS
            if not root.xpath(path, namespaces={"d": DATACITE_NS})]


# ---- Dublin Core ----------------------------------------------------------------------------------------------

def dublin_core_xml(edition: Edition, facts: list[DocumentFacts], date: datetime) -> bytes:
    """Return the package's simple Dublin Core record (OAI-PMH oai_dc)."""
    dc = lambda tag: f"{{{DC_NS}}}{tag}"  # noqa: E731
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    _sub(root, dc("title"), edition.title)
    for person in edition.creators:
        _sub(root, dc("creator"), person.name)
    for keyword in edition.keywords:
        _sub(root, dc("subject"), keyword)
    _sub(root, dc("description"), edition.description)
    for line in table_of_contents(facts):
        _sub(root, dc("description"), f"Telegram {line}")
    _sub(root, dc("publisher"), edition.publisher)
    _sub(root, dc("date"), date.strftime("%Y-%m-%d"))
    _sub(root, dc("type"), "Text")
    for media_type in FORMATS:
        _sub(root, dc("format"), media_type)
    id_type, id_value = identifier(edition)
    _sub(root, dc("identifier"), f"https://doi.org/{id_value}" if id_type == "DOI" else id_value)
    for url in archival_records(facts):
        _sub(root, dc("source"), url)
    for language in edition.languages:
        _sub(root, dc("language"), language)
    if coverage(facts):
        _sub(root, dc("coverage"), coverage(facts))
    _sub(root, dc("rights"), edition.rights_by_part[0])
    for statement in rights_statements(edition, facts):
        _sub(root, dc("rights"), statement)
    return _serialize(root)


# ---- CITATION.cff and .zenodo.json (edition.toml only) ----------------------------------------------------------

def _yaml(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(value, ensure_ascii=False)


def citation_cff(edition: Edition) -> str:
    """Return CITATION.cff (Citation File Format 1.2.0)."""
    lines = [f"# {GENERATED}", "cff-version: 1.2.0",
             'message: "If you use this edition, please cite it using these metadata."',
             "type: dataset", f"title: {_yaml(edition.title)}", f"version: {_yaml(edition.version)}", "authors:"]
    for person in edition.creators:
        if person.type == "Personal":
            family, given = person.family_given
            lines.append(f"  - family-names: {_yaml(family)}")
            if given:
                lines.append(f"    given-names: {_yaml(given)}")
        else:
            lines.append(f"  - name: {_yaml(person.name)}")
    lines.append(f"abstract: {_yaml(edition.description)}")
    if edition.keywords:
        lines.append("keywords:")
        lines.extend(f"  - {_yaml(keyword)}" for keyword in edition.keywords)
    lines.append(f"license: {_yaml(edition.licence_id)}")
    if edition.url:
        lines.append(f"url: {_yaml(edition.url)}")
    if edition.doi:
        lines.append(f"doi: {_yaml(edition.doi)}")
    return "\n".join(lines) + "\n"


# ISO 639-1 (edition.toml) to ISO 639-3 (Zenodo), for the languages an edition of these archives may hold.
_ISO_639_3 = {"en": "eng", "ru": "rus", "zh": "zho", "ko": "kor", "de": "deu", "fr": "fra"}


def zenodo_json(edition: Edition, facts: list[DocumentFacts] | None = None, date: datetime | None = None) -> str:
    """Return .zenodo.json, the deposit metadata Zenodo reads from a repository or an upload.

    From edition.toml alone (the copy at the project's root, which must not change when a document is added), or,
    given the corpus's facts and the build's date, with what the DataCite record says of them too (the bag's copy):
    the archival records as related identifiers, the publication date, the coverage.
    """
    creators = [{"name": person.name} for person in edition.creators]  # "Family, Given" for persons, as Zenodo asks
    record = {
        "title": edition.title,
        "upload_type": "publication",  # DataCite's resourceTypeGeneral Text
        "publication_type": "other",
        "description": f"<p>{html.escape(edition.description)}</p>",
        "creators": creators,
        "keywords": list(edition.keywords),
        "access_right": "open",
        "license": edition.licence_id.lower(),
        "version": edition.version,
        "notes": "Rights. " + " ".join(s if s.endswith(".") else s + "." for s in edition.rights_by_part),
    }
    language = _ISO_639_3.get(edition.languages[0])
    if language:
        record["language"] = language
    if edition.doi:
        record["doi"] = edition.doi
    if date is not None:
        record["publication_date"] = date.strftime("%Y-%m-%d")
    if facts:
        record["related_identifiers"] = [{"identifier": url, "relation": "isDerivedFrom", "scheme": "url",
                                          "resource_type": "publication-other"} for url in archival_records(facts)]
        if coverage(facts):
            record["notes"] += f" Coverage: {coverage(facts)}."
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


def root_citation_files(edition: Edition) -> dict[str, str]:
    """Return the files kept at the project's root, by name."""
    return {"CITATION.cff": citation_cff(edition), ".zenodo.json": zenodo_json(edition)}
