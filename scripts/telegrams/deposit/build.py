"""Build the deposit package: validate the corpus as `make validate` does, generate the metadata, CMIF and teiCorpus
files and check them against their official schemas, make the bag and its zip beside the old package, verify them,
and only then put them in place of the old ones. Nothing outside the output folder is ever moved or deleted, and
there only the package's own files."""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.metadata
import json
import os
import platform
import posixpath
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from lxml import etree

from ..editions import output
from ..findings import ERROR, Finding, FindingError
from ..project import BUILD_DIR, HTML_DIR, ROOT, SCHEMA_DIR, TEI_DIR, TEXT_DIR, XSLT_DIR, corpus_files
from ..xmlio import parse, parse_bytes
from . import bag, cmif, corpus, metadata
from .dates import build_date
from .edition import EDITION_FILE, Edition, child, load_edition
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
    xslt_dir: Path = XSLT_DIR
    docs_dir: Path = ROOT / "docs"
    licence_file: Path = ROOT / "LICENSE"
    cache: bool = True  # the validate stage's cache (build/cache), as `make validate` uses it


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

def corpus_findings(inputs: Inputs) -> list[Finding]:
    """Return the errors `make validate` reports for the corpus (the validate stage itself, with its cache)."""
    from ..validate.command import validate

    options = argparse.Namespace(rng=inputs.schema_dir / "telegrams.rng", sch=inputs.schema_dir / "telegrams.sch",
                                 no_cache=not inputs.cache, jobs=0)
    findings, _checked, _cached = validate([str(inputs.tei_dir)], options)
    return sorted({f for f in findings if f.severity == ERROR})


def file_findings(folders: list[Path]) -> list[Finding]:
    """Return a finding for each file that cannot go into the bag as it is: a name that is not UTF-8 or holds a
    control character (no manifest or archive listing could carry it faithfully), or a symbolic link (it may point
    anywhere, and its target would be published)."""
    findings = []
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            try:
                name = os.fsencode(path.name).decode("utf-8")
            except UnicodeDecodeError:
                findings.append(Finding(shown, 0, 0, ERROR, "deposit", "this file name is not UTF-8: rename it"))
                continue
            if any(unicodedata.category(c)[0] == "C" for c in name):
                findings.append(Finding(shown.encode("unicode_escape").decode("ascii"), 0, 0, ERROR, "deposit",
                                        "this file name holds a control or formatting character: rename it"))
            elif path.is_symlink():
                findings.append(Finding(shown, 0, 0, ERROR, "deposit", "a symbolic link: only files are packaged "
                                        "(a link may point outside the project); put the file itself here"))
    return findings


def out_findings(out_dir: Path, inputs: Inputs) -> list[Finding]:
    """Refuse an output folder that is, is inside or holds a folder of sources or of the editions."""
    out = out_dir.resolve()
    for folder in (inputs.tei_dir, inputs.schema_dir, inputs.docs_dir, inputs.xslt_dir, inputs.edition_file.parent,
                   inputs.html_dir, inputs.text_dir):
        if out.is_relative_to(folder.resolve()) or folder.resolve().is_relative_to(out):
            return [Finding(str(out_dir), 0, 0, ERROR, "deposit", f"cannot put the package here: it would mix with "
                            f"{folder} (give a folder of its own, e.g. under build/)")]
    return []


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
                                    "`make html` first (`make deposit` does it for you)"))
        elif built < newest_source:
            findings.append(Finding(str(folder), 0, 0, ERROR, "deposit", f"the {target} edition is older than the "
                                    "TEI sources: run `make html` first (`make deposit` does it for you)"))
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

# What an editions build leaves in its folder for itself: not part of the edition.
_BUILD_BOOKKEEPING = (output.MARKER, output.LOCK)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder's files (contents only: no times or modes, which would not be reproducible)."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not path.name.endswith(".tmp") and "__pycache__" not in relative.parts \
                and path.name not in _BUILD_BOOKKEEPING:
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
        "BagIt-Profile-Identifier": bag.profile_identifier(),
        "Rights": list(edition.rights_by_part),
    }
    return {label: value for label, value in info.items() if value}


def _ours(path: Path) -> bool:
    """Whether an existing path may be replaced: a package this command made (a bag folder, its zip or checksum)."""
    if path.is_symlink():
        return False
    return (path / "bagit.txt").is_file() if path.is_dir() else path.is_file() and path.suffix in (".zip", ".sha256")


def _replace(new: Path, old: Path, trash: Path) -> None:
    """Put a new file or folder in place of the old one; the old one is removed only once the new one is there."""
    if old.exists() or old.is_symlink():
        old.rename(trash / f"old-{old.name}")
    new.rename(old)


# ---- the payload ------------------------------------------------------------------------------------------------

_LINK = re.compile(r'(\s(?:href|src)=")([^"#?:]+)([#?][^"]*)?"')


def _dedupe_html(folder: Path) -> None:
    """Remove from html/ the site's downloads of the sources and text editions (html/tei/X and html/text/X when tei/X
    and text/X exist, and any byte-identical copy of a file there), and point the pages' links at the bag's own
    copies instead: the archival copy is the one in tei/ (the site may serve a copy prepared for browsers)."""
    kept: dict[bytes, str] = {}
    for part in ("tei", "text"):
        for path in sorted((folder / part).rglob("*")):
            if path.is_file():
                kept.setdefault(hashlib.sha256(path.read_bytes()).digest(), path.relative_to(folder).as_posix())
    moved = {}
    for path in sorted((folder / "html").rglob("*")):
        if not path.is_file() or path.suffix == ".html":
            continue
        relative = path.relative_to(folder / "html").as_posix()
        same_name = relative.startswith(("tei/", "text/")) and (folder / relative).is_file()
        target = relative if same_name else kept.get(hashlib.sha256(path.read_bytes()).digest())
        if target:
            moved[f"html/{relative}"] = target
            path.unlink()
    for page in sorted((folder / "html").rglob("*.html")):
        here = posixpath.dirname(page.relative_to(folder).as_posix())

        def relink(match, here=here):
            target = moved.get(posixpath.normpath(posixpath.join(here, match.group(2))))
            if target is None:
                return match.group(0)
            return f'{match.group(1)}{posixpath.relpath(target, here)}{match.group(3) or ""}"'

        text = page.read_text(encoding="utf-8")
        relinked = _LINK.sub(relink, text)
        if relinked != text:
            page.write_text(relinked, encoding="utf-8")
    for directory in sorted((p for p in (folder / "html").rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()


def schema_link_findings(folder: Path) -> list[Finding]:
    """Return each xml-model processing instruction of the payload's XML that does not resolve inside the bag."""
    findings = []
    for path in sorted(folder.rglob("*.xml")):
        with open(path, "rb") as handle:
            head = handle.read(4096)  # the instructions come before the root element
        for href in re.findall(rb'<\?xml-model\s[^?]*?href="([^"]*)"', head):
            target = (path.parent / href.decode("utf-8", "replace")).resolve()
            if b":" in href or not target.is_file() or not target.is_relative_to(folder.resolve()):
                findings.append(Finding(str(path.relative_to(folder)), 1, 1, ERROR, "deposit",
                                        f"xml-model href=\"{href.decode('utf-8', 'replace')}\" does not resolve "
                                        "inside the bag"))
    return findings


def software_record(inputs: Inputs) -> bytes:
    """Return what built the package: Python, the libraries, the pipeline's version, the stylesheets' checksums."""
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "unknown"

    sheets = {p.relative_to(inputs.xslt_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
              for p in sorted(inputs.xslt_dir.rglob("*.xsl"))}
    record = {
        "pipeline": {"name": "telegrams", "version": version("telegrams")},
        "python": platform.python_version(),
        "libraries": {name: version(name) for name in ("lxml", "saxonche", "xmlschema", "elementpath", "bagit",
                                                        "pagefind")},
        "stylesheets": {"sha256": sheets,
                        "combined-sha256": hashlib.sha256("".join(sheets.values()).encode()).hexdigest()},
    }
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def payload_readme(edition: Edition, date: datetime, documents: int) -> bytes:
    """Return the payload's README: what the package is, what each folder holds, and the rights of each part."""
    licence, sources = edition.rights_by_part
    text = f"""{edition.title}
Version {edition.version}, {date:%Y-%m-%d}. {edition.publisher}.

{edition.description}

What this package holds (data/):
  tei/       the TEI P5 sources ({documents} documents); their xml-model instructions point to schema/
  schema/    the project's ODD and the RELAX NG and Schematron compiled from it
  html/      the HTML edition (open html/index.html); its TEI and text downloads are the files in tei/ and text/
  text/      the plain-text editions
  corpus/    the whole edition as one teiCorpus, and its letters' index in CMIF (for correspSearch)
  docs/      the encoding guidelines and the schema's element reference
  metadata/  DataCite, Dublin Core, CITATION.cff, zenodo.json, the edition.toml they were made from, and
             software.json (the software and versions that built this package)
  LICENSE    the licences of the software and of the edition

Rights:
  - {licence}
  - {sources}
  Each document's own statement is in its TEI header and in metadata/datacite.xml.
"""
    return text.encode("utf-8")


def _stage(folder: Path, inputs: Inputs, files: list[Path], edition: Edition, generated: dict[str, bytes]) -> None:
    """Lay out the payload in folder (it becomes data/ when bagged)."""
    for path in files:  # the corpus only: not the editors' templates
        target = folder / "tei" / path.relative_to(inputs.tei_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    _copy_tree(inputs.schema_dir, folder / "schema")
    _copy_tree(inputs.html_dir, folder / "html")
    _copy_tree(inputs.text_dir, folder / "text")
    _dedupe_html(folder)
    for name in ("encoding-guidelines.md", "schema"):
        source = inputs.docs_dir / name
        if source.is_dir():
            _copy_tree(source, folder / "docs" / name)
        elif source.is_file():
            (folder / "docs").mkdir(exist_ok=True)
            shutil.copyfile(source, folder / "docs" / name)
    shutil.copyfile(inputs.licence_file, folder / "LICENSE")
    for name, data in generated.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def _check_generated(inputs: Inputs, edition: Edition, corpus_name: str, corpus_xml: bytes, cmif_xml: bytes,
                     datacite: bytes, notes: list[str]) -> list[Finding]:
    """Return the problems of the generated files against their official schemas and the project's expectations."""
    problems = _schema_findings(corpus_xml, corpus_name, inputs.schema_dir, notes)
    problems += cmif.schema_findings(cmif_xml, f"corpus/{edition.package_name}-cmif.xml")
    xsd = metadata.datacite_schema_path()
    if xsd is None:
        notes.append("the DataCite XML was not validated: no DataCite XSD (set DATACITE_XSD)")
    else:
        problems += metadata.validate_datacite(datacite, "metadata/datacite.xml", xsd)
    return problems + metadata.project_expectations(datacite, "metadata/datacite.xml")


def _clean_debris(out_dir: Path) -> None:
    """Remove what killed builds left in the output folder (their staging folders only, recognised by name)."""
    for path in out_dir.glob(".staging-*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def build(inputs: Inputs | None = None, out_dir: Path = DEPOSIT_DIR, make_zip: bool = True) -> Result:
    """Build the deposit package under out_dir, or raise DepositError (FindingError for one problem)."""
    started = time.perf_counter()
    inputs = inputs or Inputs()
    edition = load_edition(inputs.edition_file)
    source = str(inputs.edition_file)
    targets = [child(out_dir, name, source, "[edition] package_name and version")
               for name in (edition.bag_name, f"{edition.bag_name}.zip", f"{edition.bag_name}.zip.sha256")]
    problems = out_findings(out_dir, inputs) + file_findings([inputs.tei_dir, inputs.schema_dir, inputs.html_dir,
                                                              inputs.text_dir, inputs.docs_dir])
    if problems:
        raise DepositError(problems)
    files = corpus_files([str(inputs.tei_dir)])
    problems = missing_inputs(inputs, files) + cmif.missing_fields(edition, source)
    problems += [Finding(str(t), 0, 0, ERROR, "deposit", "exists and is not a package this command made: move it "
                         "away, it is never replaced") for t in targets if (t.exists() or t.is_symlink())
                 and not _ours(t)]
    if not problems:
        problems = corpus_findings(inputs)
    if problems:
        raise DepositError(problems)
    documents, facts = read_corpus(files)
    date, date_source = build_date([c for f in facts for c in f.changes], inputs.tei_dir)
    notes: list[str] = []

    corpus_xml = corpus.tei_corpus(documents, facts, edition, date)
    corpus_name = f"corpus/{edition.package_name}.xml"
    cmif_xml = cmif.cmif(corpus_xml, edition, date, inputs.stylesheet)
    datacite = metadata.datacite_xml(edition, facts, date)
    problems = _check_generated(inputs, edition, corpus_name, corpus_xml, cmif_xml, datacite, notes)
    if problems:
        raise DepositError(problems)
    generated = {
        corpus_name: corpus_xml,
        f"corpus/{edition.package_name}-cmif.xml": cmif_xml,
        "metadata/datacite.xml": datacite,
        "metadata/dublin-core.xml": metadata.dublin_core_xml(edition, facts, date),
        "metadata/CITATION.cff": metadata.citation_cff(edition).encode("utf-8"),
        "metadata/zenodo.json": metadata.zenodo_json(edition, facts, date).encode("utf-8"),
        "metadata/edition.toml": inputs.edition_file.read_bytes(),
        "metadata/software.json": software_record(inputs),
        "README.txt": payload_readme(edition, date, len(files)),
    }
    try:
        return _package(inputs, out_dir, edition, files, generated, date, date_source, make_zip, notes, started)
    except OSError as err:  # disk full, permissions...: the old package is untouched
        raise DepositError([Finding(str(getattr(err, "filename", None) or out_dir), 0, 0, ERROR, "deposit",
                                    f"cannot write the package: {err.strerror or err}")]) from None


def _package(inputs, out_dir, edition, files, generated, date, date_source, make_zip, notes, started) -> Result:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".deposit.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DepositError([Finding(str(out_dir), 0, 0, ERROR, "deposit", "another deposit build is writing "
                                        "here: wait for it to finish")]) from None
        _clean_debris(out_dir)
        staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".staging-"))
        try:
            folder = staging / edition.bag_name
            _stage(folder, inputs, files, edition, generated)
            problems = schema_link_findings(folder)
            if problems:
                raise DepositError(problems)
            size = bag.payload_size(folder)
            bag.make_bag(folder, _bag_info(edition, date, size))
            problems = bag.errors(bag.verify(folder))
            zip_path = staging / f"{edition.bag_name}.zip"
            if make_zip and not problems:
                bag.write_zip(folder, zip_path, date)
                bag.checksum_path(zip_path).write_text(bag.checksum_line(zip_path, zip_path.name), encoding="utf-8")
                problems = bag.errors(bag.verify_zip(zip_path))
            if problems:
                raise DepositError(problems)
            payload_files = sum(1 for p in (folder / "data").rglob("*") if p.is_file())
            _replace(folder, out_dir / folder.name, staging)
            if make_zip:
                _replace(zip_path, out_dir / zip_path.name, staging)
                _replace(bag.checksum_path(zip_path), out_dir / bag.checksum_path(zip_path).name, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    final_zip = out_dir / f"{edition.bag_name}.zip"
    return Result(out_dir / edition.bag_name, final_zip, payload_files, size,
                  final_zip.stat().st_size if make_zip else 0, date, date_source,
                  time.perf_counter() - started, notes)
