"""Assemble the static HTML edition in build/html: pages, registers, TEI downloads, plain texts, assets, search.

Everything a reader needs is static files; search is Pagefind's index, built here when its binary is installed
(PyPI `pagefind[bin]`), and the site says so plainly when it is not.

The documents go through in two passes (passes.py), one document at a time: the first writes each plain text and
gathers the catalogue, the second writes each page. Between them, once, the corpus-wide facts: date order,
neighbours, mentions. Then the home, register and search pages are made from the catalogue alone. The cost is
linear in the corpus and the memory bounded by the catalogue, not by the documents.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .. import project, xmlio
from ..findings import Finding, FindingError
from .catalogue import Catalogue
from .metadata import edition_xml
from .output import Output, claimed
from .published import publishable
from .passes import Setup, choose_jobs, registers_setup, run_pass
from .text import TextFolder, first_pass
from .transform import REGISTERS_ID, Source, Transformer, find_registers, list_sources

DOCUMENT_STYLESHEETS = ["facts", "text", "telegram"]
CORPUS_STYLESHEETS = ["index", "register"]
REGISTER_PAGES = {"persons": "persons.html", "places": "places.html", "organisations": "organisations.html"}
PAGEFIND_TIMEOUT = 300  # seconds for one part; the real corpus indexes in well under one, a part of 500 pages in 2
# Pages per Pagefind run (see SearchIndex). A part of 1,000 telegram pages took 335 MB alone, but up to 547 MB while
# the other part and this process ran beside it; 500 pages take 170 MB alone, at the same cost per page.
SEARCH_PART = 500
# A register whose lists of mentions would name more documents than this is paged (register.xsl): its page keeps
# every entry, and each entry's mentions go to pages of this many documents, at most 0.9 MB each at 10,000 synthetic
# telegrams (a browser's comfort is about 2 MB; unpaged, the persons page of that corpus was 35 MB).
REGISTER_PAGE_DOCS = 2000
# Above this many documents of the correspondence, the home page lists months, not documents, and each month's
# documents go to pages of at most this many (index.xsl): unpaged, the home page of 10,000 synthetic telegrams was
# 6 MB; a page of 1,000 rows is about 0.4 MB.
HOME_PAGE_DOCS = 1000


@dataclass
class SiteResult:
    """What a site build wrote, what went wrong, and how long the documents took."""

    out_dir: Path
    written: set[Path] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    document_seconds: float = 0.0  # wall time of both passes (plain text and page of every document)
    corpus_seconds: float = 0.0  # wall time of the home, register and search pages
    jobs: int = 1
    search: str = "not built"
    texts: set[Path] = field(default_factory=set)  # the plain-text edition's files, when it was asked for

    @property
    def per_document_ms(self) -> float:
        return 1000 * self.document_seconds / self.documents if self.documents else 0.0


def pagefind_executable() -> Path | None:
    """Return Pagefind's binary (from the pagefind-bin wheel, or on PATH), or None."""
    try:
        import pagefind_bin  # shipped by `pip install pagefind[bin]`

        return pagefind_bin.get_executable()
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind") or shutil.which("pagefind_extended")
        return Path(found) if found else None


def _copy_assets(output: Output) -> None:
    for asset in sorted((project.XSLT_DIR / "assets").glob("*")):
        if asset.is_file():
            output.write(f"assets/{asset.name}", asset.read_bytes())


def _publish_schema(output: Output) -> None:
    """Publish the schema beside the TEI downloads: their xml-model instructions point to ../schema/ (tei/ -> schema/)."""
    for name in ("telegrams.rng", "telegrams.sch"):
        schema = project.SCHEMA_DIR / name
        if schema.is_file():
            output.write(f"schema/{name}", schema.read_bytes())


def _remove_stale(result: SiteResult, output: Output) -> None:
    """Delete pages, sources and texts left from documents that are no longer in the corpus."""
    for pattern in ("*.html", "tei/*.xml", "text/*.txt", "assets/*", "schema/*"):
        for path in result.out_dir.glob(pattern):
            if path.is_file() and path not in output.written:
                path.unlink()


class SearchIndex:
    """Pagefind's index of the pages, built in parts while the rest of the site is made.

    Pagefind holds every page in memory until it writes its index (about 0.3 MB a page, more on a busy machine: 2.9
    GB for 10,000), so a large site is indexed in parts of SEARCH_PART pages, each its own bundle (the first in
    pagefind/, the others in pagefind/part-N/, listed in pagefind/parts.json), which the search page merges
    (edition.js). A part starts as soon as its pages are written, one per core: the documents' parts run while this
    process makes the home and register pages (one core's work), and the last part holds what is left with the
    register pages. The new index is written beside the live one, which is swapped out only once complete: a build
    killed while indexing leaves the previous index in place.
    """

    def __init__(self, result: SiteResult, binary: Path):
        self.result, self.binary = result, binary
        self.fresh, self.staging = result.out_dir / ".pagefind-new", result.out_dir / ".pagefind-pages"
        for folder in (self.fresh, self.staging):
            shutil.rmtree(folder, ignore_errors=True)
        self.pending: list[Path] = []
        self.parts: list = []
        self.pool = ThreadPoolExecutor(max(1, result.jobs))

    def add(self, pages: list[Path]) -> None:
        """Index these pages: start every part that is full now."""
        self.pending += pages
        while len(self.pending) >= SEARCH_PART:
            self._start(self.pending[:SEARCH_PART])
            self.pending = self.pending[SEARCH_PART:]

    def _start(self, pages: list[Path]) -> None:
        n = len(self.parts)
        site = _stage(self.staging / str(n), pages)
        self.parts.append(self.pool.submit(_pagefind, self.binary, site,
                                           self.fresh if n == 0 else self.fresh / f"part-{n}"))

    def abandon(self) -> None:
        """Wait for the parts running (a Pagefind run is not interrupted), start no other, remove the staging."""
        self.pool.shutdown(cancel_futures=True)
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self) -> bool:
        """Index what is left, wait for every part, and put the index in place; return whether it worked."""
        try:
            if self.pending or not self.parts:
                self._start(self.pending)
            problems = [problem for problem in (part.result() for part in self.parts) if problem]
        finally:
            self.abandon()
        if problems:
            self.result.findings.append(Finding(str(self.binary), 0, 0, "warning", "search", problems[0]))
            shutil.rmtree(self.fresh, ignore_errors=True)
            return False
        parts = [f"part-{n}/" for n in range(1, len(self.parts))]
        (self.fresh / "parts.json").write_text(json.dumps(parts), encoding="utf-8")
        target, old = self.result.out_dir / "pagefind", self.result.out_dir / ".pagefind-old"
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        self.fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
        return True


def searchable(result: SiteResult, written: set[Path]) -> list[Path]:
    """The pages Pagefind indexes: those with a data-pagefind-body (documents and registers; not home, search, nor
    the pages of mentions of a paged register, which hold nothing but links)."""
    return sorted(path for path in written if path.parent == result.out_dir and path.suffix == ".html"
                  and path.name not in ("index.html", "search.html") and "~" not in path.name)


def _stage(folder: Path, pages: list[Path]) -> Path:
    """Return a folder holding (hard links to) just these pages, for Pagefind to index as one part."""
    folder.mkdir(parents=True)
    for page in pages:
        try:
            os.link(page, folder / page.name)
        except OSError:  # a file system without hard links
            shutil.copyfile(page, folder / page.name)
    return folder


def _pagefind(binary: Path, site: Path, output: Path) -> str | None:
    """Run Pagefind on one folder; return what went wrong, or None."""
    try:
        done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(output)],
                              capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"Pagefind could not run: {err}"
    if done.returncode != 0 or not (output / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return f"Pagefind failed: {detail[0]}"
    return None


def _edition_date(catalogue: Catalogue, registers: Source | None) -> str:
    """Return the date the home page names: reproducible, from the sources (see telegrams.deposit.dates)."""
    from ..deposit.dates import build_date

    changes = [when for facts in catalogue.entries for when in facts.changes]
    if registers:
        changes += registers.doc.root.xpath("//t:revisionDesc/t:change/@when", namespaces={"t": xmlio.TEI_NS})
    try:
        return build_date([str(when) for when in changes], project.TEI_DIR)[0].date().isoformat()
    except FindingError:
        return ""


def _render_pages(files: list[Path], registers: Source | None, base_url: str, output: Output,
                  result: SiteResult, catalogue: Catalogue, transformer: Transformer | None,
                  text_edition: TextFolder | None) -> None:
    """Both passes over the documents: texts and TEI sources, then the catalogue, then a page per document.

    The site publishes the plain texts under text/; the same texts go to `text_edition` too when one is given.
    """
    if registers:
        catalogue.reserve(REGISTERS_ID, registers.path)
    given = {**registers_setup(registers), "edition_text": edition_xml()}
    site_texts = TextFolder(output, "text/")
    texts = first_pass(files, Setup(["facts", "text"], **given), result.jobs,
                       [site_texts] + ([text_edition] if text_edition else []), catalogue, result.findings,
                       transformer, sources=output)
    site_texts.write_corpus(catalogue, texts)
    if text_edition:
        text_edition.copy_corpus(site_texts)
    # The catalogue is this run's own XML (records serialized by lxml, attributes escaped): Saxon may read it as is.
    setup = Setup(["telegram"], **given, catalogue_text=catalogue.catalogue_xml(whole=False), base_url=base_url)
    for rendered in run_pass("render", [(f.path, f.id) for f in catalogue.entries], setup, result.jobs, transformer):
        result.findings.extend(rendered.findings)
        if rendered.page is not None:
            output.write(f"{rendered.id}.html", rendered.page)
            result.documents += 1


def _corpus_pages(catalogue: Catalogue, registers: Source | None, output: Output, result: SiteResult,
                  transformer: Transformer, available: str) -> None:
    """The pages about the whole corpus: home, registers, search; from the catalogue and the mentions only.

    Saxon writes them straight to their files, and each register page reads only its own mentions, then drops them.
    """
    registers_node = None
    if registers:
        try:
            registers_node = transformer.parse(registers.doc.name, registers.doc.text)
        except FindingError as err:
            if err.finding not in result.findings:  # the first pass's workers may have said so already
                result.findings.append(err.finding)
    transformer.set_global("registers", registers_node)
    transformer.set_global("search-available", available)
    transformer.set_global("edition", transformer.parse("metadata/edition.toml", edition_xml()))
    transformer.set_global("catalogue", transformer.parse("the catalogue", catalogue.catalogue_xml()))
    staging = output.root / ".staging-pages"  # where index.xsl and register.xsl write pages (output.DEBRIS)
    shutil.rmtree(staging, ignore_errors=True)
    with output.target("index.html") as path:
        transformer.run("index", output_file=path, build_date=_edition_date(catalogue, registers),
                        home_docs_per_page=str(HOME_PAGE_DOCS), month_pages_folder=staging.name)
    _adopt_staged(output, staging)
    transformer.set_global("catalogue", None)  # the registers do not need it: room for their mentions
    mention_lists = catalogue.mention_lists()
    for kind, page in REGISTER_PAGES.items():
        paged = catalogue.listed[page] > REGISTER_PAGE_DOCS
        transformer.set_global("mention-list", transformer.parse_file(mention_lists[page]))
        transformer.set_global("mention-docs-per-page", str(REGISTER_PAGE_DOCS if paged else 0))
        with output.target(page) as path:
            transformer.run("register", template="register", output_file=path, register_kind=kind,
                            mention_pages_folder=staging.name)
        _adopt_staged(output, staging)
        transformer.set_global("mention-list", None)
    with output.target("search.html") as path:
        transformer.run("index", template="search", output_file=path)  # needs neither catalogue nor mentions
    if registers:
        output.write(f"tei/{registers.path.name}", publishable(registers.path))


def _adopt_staged(output: Output, staging: Path) -> None:
    """Move the pages a stylesheet wrote with xsl:result-document into the site, and clear the staging folder."""
    for written in sorted(staging.glob("*.html")):
        output.adopt(written.name, written)
    shutil.rmtree(staging, ignore_errors=True)


def build_site(paths: list[str] | None = None, out_dir: Path | None = None, search: bool = True,
               base_url: str = "", jobs: int = 0, text_dir: Path | None = None) -> SiteResult:
    """Build the whole static site; inputs that cannot be read or transformed are findings and are skipped.

    With `text_dir`, the plain-text edition is written there too, from the same pass over the documents (the site
    holds the same texts under text/): `telegrams text` would read and transform every document again.
    Each output folder is checked and locked first (output.claimed): one build at a time, never over the sources.
    """
    result = SiteResult(out_dir=Path(out_dir or project.HTML_DIR))
    inputs = [Path(p) for p in (paths or [project.TEI_DIR])]
    if text_dir is not None:
        _check_apart(result.out_dir, Path(text_dir))  # before either folder is made
    with ExitStack() as claims:
        claims.enter_context(claimed(result.out_dir, inputs))
        text_edition = None
        if text_dir is not None:
            claims.enter_context(claimed(Path(text_dir), inputs))
            text_edition = TextFolder(Output(Path(text_dir)))
        _build_site(result, paths, search, base_url, jobs, text_edition)
    return result


def _check_apart(site: Path, texts: Path) -> None:
    """Refuse a text folder that is, holds or lies in the site's folder: each build removes what it did not write."""
    site, texts = site.resolve(), texts.resolve()
    if texts == site or texts.is_relative_to(site) or site.is_relative_to(texts):
        raise FindingError(Finding(str(texts), 0, 0, "error", "output-folder",
                                   f"the plain-text edition needs a folder of its own, apart from the site's ({site})"))


def _build_site(result: SiteResult, paths: list[str] | None, search: bool, base_url: str, jobs: int,
                text_edition: TextFolder | None) -> None:
    output = Output(result.out_dir)
    sources, result.findings = list_sources(paths)
    registers, files, unread = find_registers(sources)
    result.findings += unread
    result.jobs = choose_jobs(jobs, len(files))
    # One process: one Saxon processor compiles everything once. A pool: the workers compile what they run.
    shared = Transformer(DOCUMENT_STYLESHEETS + CORPUS_STYLESHEETS) if result.jobs == 1 else None
    binary = pagefind_executable() if search else None

    catalogue = Catalogue(list(REGISTER_PAGES.values()))
    index, indexed = (SearchIndex(result, binary) if binary else None), False
    try:
        started = time.perf_counter()
        _render_pages(files, registers, base_url, output, result, catalogue, shared, text_edition)
        result.document_seconds = time.perf_counter() - started
        documents = searchable(result, output.written)
        if index:
            index.add(documents)  # Pagefind starts on the documents while this process makes the corpus pages
        started = time.perf_counter()
        transformer = shared or Transformer(CORPUS_STYLESHEETS)
        transformer.set_global("base-url", base_url)
        _corpus_pages(catalogue, registers, output, result, transformer, "yes" if binary else "no")
        result.corpus_seconds = time.perf_counter() - started
        _copy_assets(output)
        _publish_schema(output)
        _remove_stale(result, output)
        if index:
            index.add(sorted(set(searchable(result, output.written)) - set(documents)))
            indexed = index.finish()
    finally:
        catalogue.close()
        if index:
            index.abandon()  # nothing left to do after finish(); after an error, no part is left running

    if binary is None:
        result.search = "unavailable (Pagefind's binary was not found: pip install 'pagefind[bin]')" if search \
            else "not built (--no-search)"
        shutil.rmtree(result.out_dir / "pagefind", ignore_errors=True)  # an old index would find removed pages
    elif indexed:
        result.search = f"built with {binary.name}"
    else:
        result.search = "unavailable (Pagefind failed; see the warning)"
        shutil.rmtree(result.out_dir / "pagefind", ignore_errors=True)
        transformer.set_global("search-available", "no")
        with output.target("search.html") as path:
            transformer.run("index", template="search", output_file=path)
    if text_edition:
        text_edition.remove_stale()
        result.texts = set(text_edition.output.written)
    output.finish()  # one sync of the whole file system: the text edition's files too
    result.written = output.written
