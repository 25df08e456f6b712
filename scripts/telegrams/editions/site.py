"""Assemble the static HTML edition in build/html: pages, registers, TEI downloads, plain texts, assets, search.

Everything a reader needs is static files; search is Pagefind's index, built here when its binary is installed
(PyPI `pagefind[bin]`), and the site says so plainly when it is not.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import project, xmlio
from ..findings import Finding, FindingError
from .text import TextResult, corpus_text, render_texts
from .transform import Corpus, Transformer, load_corpus

STYLESHEETS = ["telegram", "index", "register", "text"]
REGISTER_PAGES = {"persons": "persons.html", "places": "places.html", "organisations": "organisations.html"}
PAGEFIND_TIMEOUT = 120  # seconds; the corpus indexes in well under one


@dataclass
class SiteResult:
    """What a site build wrote, what went wrong, and how long the documents took."""

    out_dir: Path
    written: set[Path] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    document_seconds: float = 0.0  # HTML page + plain text of every document, stylesheets compiled and warm
    compile_seconds: float = 0.0
    document_cpu_seconds: float = 0.0  # the same in CPU time of this process: steadier on a shared machine
    warm_up_seconds: float = 0.0  # the first document once through both stylesheets (Saxon's lazy set-up)
    search: str = "not built"

    @property
    def per_document_ms(self) -> float:
        return 1000 * self.document_seconds / self.documents if self.documents else 0.0

    @property
    def per_document_cpu_ms(self) -> float:
        return 1000 * self.document_cpu_seconds / self.documents if self.documents else 0.0


def pagefind_executable() -> Path | None:
    """Return Pagefind's binary (from the pagefind-bin wheel, or on PATH), or None."""
    try:
        import pagefind_bin  # shipped by `pip install pagefind[bin]`

        return pagefind_bin.get_executable()
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind") or shutil.which("pagefind_extended")
        return Path(found) if found else None


def _write(result: SiteResult, relative: str, data: bytes | str) -> None:
    path = result.out_dir / relative
    xmlio.write_atomic(path, data)
    result.written.add(path)


def _render_documents(transformer: Transformer, corpus: Corpus, result: SiteResult, base_url: str) -> dict[str, str]:
    """Write one page per document and return their plain texts; time both together, per document."""
    if corpus.sources:
        result.warm_up_seconds = transformer.warm_up(["telegram", "text"], corpus.sources[0])
    started, started_cpu = time.perf_counter(), time.process_time()
    pages: dict[str, str] = {}
    for source in list(corpus.sources):
        try:
            pages[source.id] = transformer.run("telegram", source, base_url=base_url)
        except FindingError as err:
            result.findings.append(err.finding)
    text_result = TextResult()
    texts = render_texts(transformer, corpus, text_result)
    result.document_seconds = time.perf_counter() - started
    result.document_cpu_seconds = time.process_time() - started_cpu
    result.documents = len(pages)
    result.findings.extend(text_result.findings)
    for doc_id, page in pages.items():
        _write(result, f"{doc_id}.html", page)
    return texts


def _copy_sources(corpus: Corpus, result: SiteResult) -> None:
    """Offer every TEI source for download, byte for byte as it is in tei/."""
    for source in corpus.all_sources:
        _write(result, f"tei/{source.path.name}", xmlio.read_bytes(source.path))


def _copy_assets(result: SiteResult) -> None:
    for asset in sorted((project.XSLT_DIR / "assets").glob("*")):
        if asset.is_file():
            _write(result, f"assets/{asset.name}", asset.read_bytes())


def _remove_stale(result: SiteResult) -> None:
    """Delete pages, sources and texts left from documents that are no longer in the corpus."""
    for pattern in ("*.html", "tei/*.xml", "text/*.txt", "assets/*"):
        for path in result.out_dir.glob(pattern):
            if path.is_file() and path not in result.written:
                path.unlink()


def _run_pagefind(result: SiteResult, binary: Path) -> bool:
    """Index the written site with Pagefind into pagefind/; return whether it worked.

    Pagefind writes its index file by file, so it writes beside the live index, which is swapped out only once the
    new one is complete: a build killed while indexing leaves the previous index in place.
    """
    target = result.out_dir / "pagefind"
    fresh, old = result.out_dir / ".pagefind-new", result.out_dir / ".pagefind-old"
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        done = subprocess.run([str(binary), "--site", str(result.out_dir), "--output-path", str(fresh)],
                              capture_output=True, text=True, timeout=PAGEFIND_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        result.findings.append(Finding(str(binary), 0, 0, "warning", "search", f"Pagefind could not run: {err}"))
        return False
    if done.returncode != 0 or not (fresh / "pagefind.js").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        result.findings.append(Finding(str(binary), 0, 0, "warning", "search", f"Pagefind failed: {detail[0]}"))
        shutil.rmtree(fresh, ignore_errors=True)
        return False
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _edition_date(corpus: Corpus) -> str:
    """Return the date the home page names: reproducible, from the sources (see telegrams.deposit.dates)."""
    from ..deposit.dates import build_date

    changes = [when for source in corpus.all_sources
               for when in source.doc.root.xpath("//t:revisionDesc/t:change/@when", namespaces={"t": xmlio.TEI_NS})]
    try:
        return build_date(changes, project.TEI_DIR)[0].date().isoformat()
    except FindingError:
        return ""


def build_site(paths: list[str] | None = None, out_dir: Path | None = None, search: bool = True,
               base_url: str = "") -> SiteResult:
    """Build the whole static site; inputs that cannot be read or transformed are findings and are skipped."""
    result = SiteResult(out_dir=Path(out_dir or project.HTML_DIR))
    corpus = load_corpus(paths)
    transformer = Transformer(STYLESHEETS)
    result.compile_seconds = transformer.compile_seconds
    transformer.load(corpus)
    binary = pagefind_executable() if search else None
    available = "yes" if binary else "no"

    texts = _render_documents(transformer, corpus, result, base_url)
    for doc_id, text in texts.items():
        _write(result, f"text/{doc_id}.txt", text)
    _write(result, "text/corpus.txt", corpus_text(transformer, texts))
    _write(result, "index.html", transformer.run("index", base_url=base_url, build_date=_edition_date(corpus),
                                                 search_available=available))
    for kind, page in REGISTER_PAGES.items():
        _write(result, page, transformer.run("register", template="register", register_kind=kind,
                                             search_available=available))
    _write(result, "search.html", transformer.run("index", template="search", search_available=available))
    _copy_sources(corpus, result)
    _copy_assets(result)
    _remove_stale(result)

    if binary is None:
        result.search = "unavailable (Pagefind's binary was not found: pip install 'pagefind[bin]')" if search \
            else "not built (--no-search)"
    elif _run_pagefind(result, binary):
        result.search = f"built with {binary.name}"
    else:
        result.search = "unavailable (Pagefind failed; see the warning)"
        _write(result, "search.html", transformer.run("index", template="search", search_available="no"))
    result.findings[:0] = corpus.findings
    return result
