"""Fixtures of the editions tests: the site and texts built once per session from tei/ (and from the fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from telegrams import project

FIXTURES = Path(__file__).parent / "fixtures"


def corpus_has_documents() -> bool:
    return any(p.name != "registers.xml" for p in project.corpus_files([str(project.TEI_DIR)]))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The HTML edition of tei/ plus the foreign TEI fixture, built into a temporary folder (with search if possible)."""
    if not corpus_has_documents():
        pytest.skip("tei/ has no documents yet: nothing to build")
    from telegrams.editions.site import build_site

    corpus = tmp_path_factory.mktemp("corpus")
    for source in project.TEI_DIR.glob("*.xml"):
        shutil.copy(source, corpus / source.name)
    shutil.copy(FIXTURES / "foreign" / "lite-sample.xml", corpus / "lite-sample.xml")
    out = tmp_path_factory.mktemp("site") / "html"
    result = build_site([str(corpus)], out)
    assert [f for f in result.findings if f.severity == "error"] == [], result.findings
    return result


@pytest.fixture(scope="session")
def texts(site):
    """The plain texts of the same build: {document id: text}."""
    return {p.stem: p.read_text(encoding="utf-8") for p in (site.out_dir / "text").glob("*.txt")}


@pytest.fixture(scope="session")
def sources(site):
    """The parsed TEI documents of the build: {document id: Source}."""
    from telegrams.editions.transform import load_corpus

    corpus = load_corpus([str(site.out_dir / "tei")])
    return {source.id: source for source in corpus.sources}
