"""The CMIF file (Correspondence Metadata Interchange Format) of the edition, made by xslt/cmif.xsl from the
teiCorpus: one correspDesc per letter, for correspSearch and other letter indexes. It is checked against the official
CMIF schema (RELAX NG and Schematron, vendored unmodified in metadata/cmif/) before it is packaged."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..project import ROOT, XSLT_DIR
from ..xmlio import parse, parse_bytes
from .edition import Edition
from .metadata import identifier

STYLESHEET = XSLT_DIR / "cmif.xsl"
SCHEMA_DIR = ROOT / "metadata" / "cmif"
CMIF_LICENCES = ("CC-BY-4.0", "CC0-1.0")  # the only licences correspSearch accepts
# What the CMIF schema requires that edition.toml may leave empty: (table, key, attribute of Edition, why).
REQUIRED = (("edition", "url", "url", "the edition's home page, from which its own address (the idno "
             "correspSearch harvests) and each letter's link are made"),
            ("contact", "email", "contact_email", "its editor's e-mail address"))


def missing_fields(edition: Edition, source: str) -> list[Finding]:
    """Return a finding for each field of edition.toml that the CMIF schema needs and that is empty."""
    return [Finding(source, 0, 0, ERROR, "cmif", f"[{table}] {key} is empty: the CMIF file needs {why}; fill it in "
                    "(a real one: see docs/deposit.md)")
            for table, key, attribute, why in REQUIRED if not getattr(edition, attribute)]


def schema_findings(data: bytes, name: str, schema_dir: Path = SCHEMA_DIR) -> list[Finding]:
    """Return the CMIF file's findings against the official CMIF RELAX NG and Schematron (errors only)."""
    from ..validate import schematron

    doc = parse_bytes(data, name)
    grammar = etree.RelaxNG(parse(schema_dir / "cmi-customization.rng").tree)
    findings = [] if grammar.validate(doc.tree) else [
        Finding(name, e.line, e.column, ERROR, "cmif", f"not valid CMIF: {e.message}") for e in grammar.error_log]
    sch = schema_dir / "cmif.sch"
    runner = schematron.Runner(schematron.load(sch, None), sch)
    findings += [f for f in runner.check(doc) if f.severity == ERROR]
    return findings


def citation(edition: Edition, date: datetime) -> str:
    """Return the edition's bibliographic citation, as CMIF's sourceDesc/bibl wants it."""
    creators = "; ".join(person.name for person in edition.creators)
    return f"{creators}: {edition.title}. Version {edition.version}. {edition.publisher}, {date.year}."


def parameters(edition: Edition, date: datetime) -> dict[str, str]:
    """Return the stylesheet's parameters, from the edition's metadata."""
    if edition.licence_id not in CMIF_LICENCES:
        raise FindingError(Finding("metadata/edition.toml", 0, 0, "error", "cmif",
                                   f"CMIF files must be licensed {' or '.join(CMIF_LICENCES)}, not "
                                   f"{edition.licence_id}"))
    return {
        "title": f"Index of letters: {edition.title}",
        "editor": edition.contact_name,
        "editor-email": edition.contact_email,
        "publisher": edition.publisher,
        "publisher-url": edition.publisher_url,
        "cmif-url": f"{edition.url.rstrip('/')}/{edition.bag_name}-cmif.xml" if edition.url else "",
        "edition-url": edition.url.rstrip("/") + "/" if edition.url else "",
        "timestamp": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licence-url": edition.licence_url,
        "licence-text": f"This file is licensed under the terms of the {edition.licence_name} licence "
                        f"({edition.licence_id}).",
        # CMIF recommends a UUID; a name-based one keeps builds reproducible. xml:id may not start with a digit.
        "bibl-id": "bibl-" + str(uuid.uuid5(uuid.NAMESPACE_URL, identifier(edition)[1])),
        "citation": citation(edition, date),
    }


def cmif(corpus_xml: bytes, edition: Edition, date: datetime, stylesheet: Path = STYLESHEET) -> bytes:
    """Return the CMIF file of a teiCorpus, serialized as UTF-8."""
    from saxonche import PySaxonProcessor

    params = parameters(edition, date)
    with PySaxonProcessor(license=False) as processor:
        xslt = processor.new_xslt30_processor()
        try:
            executable = xslt.compile_stylesheet(stylesheet_file=str(stylesheet))
        except Exception as err:  # saxonche raises PySaxonApiError, with Saxon's message
            raise FindingError(Finding(str(stylesheet), 0, 0, "error", "xslt", f"cannot compile: {err}")) from None
        for name, value in params.items():
            executable.set_parameter(name, processor.make_string_value(value))
        source = processor.parse_xml(xml_text=corpus_xml.decode("utf-8"))
        result = executable.transform_to_string(xdm_node=source)
    if result is None:
        raise FindingError(Finding(str(stylesheet), 0, 0, "error", "xslt", "the transformation gave no result"))
    return result.encode("utf-8") if result.endswith("\n") else (result + "\n").encode("utf-8")
