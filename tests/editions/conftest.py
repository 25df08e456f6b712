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
    for foreign in ("lite-sample.xml", "features.xml"):
        shutil.copy(FIXTURES / "foreign" / foreign, corpus / foreign)
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
    """The parsed TEI documents of the build (not the registers): {document id: Source}."""
    from telegrams.editions.transform import load_source

    loaded = (load_source(path) for path in project.corpus_files([str(site.out_dir / "tei")]))
    return {source.id: source for source in loaded if source.kind != "registers"}


@pytest.fixture(scope="session")
def correspondence(sources):
    """The ids of the letters of the build (any kind but the editors' texts), in id (= date) order."""
    return sorted(i for i, s in sources.items() if s.kind not in ("commentary", "introduction", "text"))


@pytest.fixture(scope="session")
def telegram_copies():
    """Return a function writing a corpus of `size` copies of a real telegram, each with its own id, and the registers."""
    telegrams = sorted(project.TEI_DIR.glob("tg-*.xml"))
    if not telegrams or not project.REGISTERS.is_file():
        pytest.skip("tei/ has no telegram or no registers yet")
    model = telegrams[0]
    text = model.read_text(encoding="utf-8")

    def write(folder: Path, size: int) -> Path:
        folder.mkdir(parents=True)
        for n in range(size):
            copy = text.replace(f'xml:id="{model.stem}"', f'xml:id="{model.stem}-{n}"', 1)
            (folder / f"{model.stem}-{n}.xml").write_text(copy, encoding="utf-8")
        (folder / "registers.xml").write_bytes(project.REGISTERS.read_bytes())
        return folder

    return write


@pytest.fixture(scope="session")
def parted_site(tmp_path_factory):
    """The HTML edition of tei/ with its search index built in parts of three pages, as a large corpus's would be."""
    from telegrams.editions import site as site_module

    if not corpus_has_documents():
        pytest.skip("tei/ has no documents yet: nothing to build")
    if site_module.pagefind_executable() is None:
        pytest.skip("Pagefind's binary is not installed: no search index to build in parts")
    out = tmp_path_factory.mktemp("parted") / "html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_module, "SEARCH_PART", 3)
        result = site_module.build_site([str(project.TEI_DIR)], out)
    assert result.search.startswith("built"), result.findings
    return result
