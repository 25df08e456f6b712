"""The work per document does not grow with the corpus.

Timing is no proof on a shared machine, so these tests check the structure that keeps the editions linear:
- each document goes through each per-document stylesheet exactly once, and everything corpus-wide (the
  catalogue, the home, register and search pages, the run's parameters) is done a fixed number of times;
- the per-document stylesheets cannot scan the corpus: they get no sequence of documents, sort nothing, and reach
  the catalogue only through xsl:key (whose index Saxon builds once per run, not once per page).
The previous design (every document handed to every page as a parameter, the corpus sorted for each page's
previous/next link) fails all of them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from telegrams import project, xmlio
from telegrams.editions import site as site_module
from telegrams.editions.catalogue import Catalogue
from telegrams.editions.transform import Transformer

XSL = "{http://www.w3.org/1999/XSL/Transform}"
CORPUS_WIDE = ("$catalogue", "$mention-list")


def count_work(monkeypatch, corpus: Path, out: Path) -> Counter:
    """Build the site in one process and count each stylesheet run, each parameter set, each catalogue built."""
    work: Counter = Counter()
    run, set_global, catalogue_xml = Transformer.run, Transformer.set_global, Catalogue.catalogue_xml

    def counted_run(self, name, *args, **kwargs):
        work[f"run {name}"] += 1
        return run(self, name, *args, **kwargs)

    def counted_set_global(self, key, value):
        work[f"set {key}"] += 1
        return set_global(self, key, value)

    def counted_catalogue_xml(self, *args, **kwargs):
        work["catalogue built"] += 1
        return catalogue_xml(self, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Transformer, "run", counted_run)
        patch.setattr(Transformer, "set_global", counted_set_global)
        patch.setattr(Catalogue, "catalogue_xml", counted_catalogue_xml)
        result = site_module.build_site([str(corpus)], out, search=False, jobs=1)
    assert [f for f in result.findings if f.severity == "error"] == []
    return work


def test_per_document_work_is_constant_and_corpus_work_is_done_once(tmp_path, monkeypatch, telegram_copies):
    small, large = 10, 100
    work = {size: count_work(monkeypatch, telegram_copies(tmp_path / f"tei-{size}", size), tmp_path / f"html-{size}")
            for size in (small, large)}
    for size, counted in work.items():
        for name in site_module.DOCUMENT_STYLESHEETS:
            assert counted.pop(f"run {name}") == size, f"{name}.xsl must run exactly once per document"
    assert work[small] == work[large], "corpus-wide work must not depend on the size of the corpus"
    assert work[large]["catalogue built"] <= 2


def test_a_paged_register_is_still_one_run(tmp_path, monkeypatch, telegram_copies):
    """Paged, each register is still made in one stylesheet run (its pages of mentions by xsl:result-document), so
    the index of its mentions is built once, however many pages the corpus gives it."""
    monkeypatch.setattr(site_module, "REGISTER_PAGE_DOCS", 2)
    work = {size: count_work(monkeypatch, telegram_copies(tmp_path / f"tei-{size}", size), tmp_path / f"html-{size}")
            for size in (10, 100)}
    assert len(list((tmp_path / "html-100").glob("*~*.html"))) > len(list((tmp_path / "html-10").glob("*~*.html")))
    assert work[10] - Counter({f"run {name}": 10 for name in site_module.DOCUMENT_STYLESHEETS}) \
        == work[100] - Counter({f"run {name}": 100 for name in site_module.DOCUMENT_STYLESHEETS})
    assert work[100]["run register"] == len(site_module.REGISTER_PAGES)


def stylesheet_modules(names: list[str]) -> dict[Path, xmlio.Document]:
    """The given stylesheets and every module they import or include."""
    found: dict[Path, xmlio.Document] = {}
    todo = [project.XSLT_DIR / f"{name}.xsl" for name in names]
    while todo:
        path = todo.pop().resolve()
        if path in found:
            continue
        found[path] = doc = xmlio.parse(path)
        todo += [path.parent / el.get("href") for el in doc.root if el.tag in (f"{XSL}import", f"{XSL}include")]
    return found


def expressions(doc: xmlio.Document):
    """Every attribute value and text node of a stylesheet (XPath, AVTs and text value templates), with its element."""
    for element in doc.root.iter():
        if not isinstance(element.tag, str):
            continue
        for value in element.attrib.values():
            yield element, value
        if element.text and element.text.strip():
            yield element, element.text


def test_per_document_stylesheets_cannot_scan_the_corpus():
    modules = stylesheet_modules(site_module.DOCUMENT_STYLESHEETS)
    assert {p.name for p in modules} >= {"common.xsl", "html.xsl", "telegram.xsl", "text.xsl", "facts.xsl"}
    allowed = re.compile(r"key\('[\w-]+',\s*[^,()]*(\([^()]*\))?[^,()]*,\s*\$[\w-]+\)|if \(\$[\w-]+\)")
    for path, doc in modules.items():
        for element in doc.root.iter(f"{XSL}sort", f"{XSL}perform-sort"):
            pytest.fail(f"{path.name}:{doc.locate(element)[0]}: a per-document stylesheet sorts")
        for param in doc.root.iterchildren(f"{XSL}param"):
            declared = param.get("as", "")
            assert not re.search(r"(node\(\)|document-node\(\)|element\([^)]*\))[*+]", declared), \
                f"{path.name}: global parameter ${param.get('name')} takes a sequence of nodes ({declared})"
        for element, value in expressions(doc):
            assert not re.search(r"\bsort\(", value), f"{path.name}:{doc.locate(element)[0]}: sorts"
            rest = allowed.sub("", value)
            for name in CORPUS_WIDE:
                assert not re.search(re.escape(name) + r"\b(?!-)", rest), \
                    f"{path.name}:{doc.locate(element)[0]}: {name} is read other than through key(): {value.strip()}"
