"""The editors' schema reference (telegrams.odd.docs) built from the official compiled ODD and the corpus."""

from __future__ import annotations

import re

import lxml.html
import pytest
from lxml import etree

from telegrams import project, xmlio
from telegrams.odd import docs

TEI = "{%s}" % xmlio.TEI_NS
RNG = "{http://relaxng.org/ns/structure/1.0}"


@pytest.fixture(scope="module")
def schema(compiled_tree):
    return docs.Schema(compiled_tree)


@pytest.fixture(scope="module")
def pages(compiled_tree):
    return docs.build_reference(compiled_tree, project.corpus_files(), project.ROOT)


@pytest.fixture(scope="module")
def rng_defines(official):
    tree = etree.parse(str(official / "telegrams.rng"))
    return {d.get("name"): d for d in tree.iter(RNG + "define")}


def _reachable(node, defines, seen, want) -> set[str]:
    """Names of attributes (want="attribute") or child elements (want="element") an RNG pattern allows."""
    found: set[str] = set()
    for child in node:
        if not isinstance(child.tag, str):
            continue
        if child.tag in (RNG + "attribute", RNG + "element"):
            if child.tag == RNG + want:
                found.add(child.get("name"))
            continue
        if child.tag == RNG + "ref":
            name = child.get("name")
            if name in defines and name not in seen:
                seen.add(name)
                found |= _reachable(defines[name], defines, seen, want)
            continue
        found |= _reachable(child, defines, seen, want)
    return found


def _visible(html: str) -> str:
    return lxml.html.fromstring(html).text_content()


def test_an_index_and_one_page_per_element(schema, pages):
    assert set(pages) == {"index.html"} | {docs.page_name(name) for name in schema.elements}
    index = _visible(pages["index.html"])
    for name in schema.elements:
        assert f"<{name}>" in index


def test_every_attribute_is_documented(schema, pages):
    index = _visible(pages["index.html"])
    for name in schema.elements:
        page = _visible(pages[docs.page_name(name)])
        for attribute in schema.attributes(name):
            assert f"@{attribute}" in page, f"{name}: @{attribute} missing"
    for attribute in schema.global_attributes():
        assert f"@{attribute}" in index, f"global @{attribute} missing from the index"


def test_attributes_are_those_of_the_rng(schema, rng_defines):
    for name in schema.elements:
        element = rng_defines[name].find(RNG + "element")
        assert set(schema.attributes(name)) == _reachable(element, rng_defines, set(), "attribute"), name


def test_children_are_those_of_the_rng(schema, rng_defines):
    for name in schema.elements:
        element = rng_defines[name].find(RNG + "element")
        assert schema.children(name) == _reachable(element, rng_defines, set(), "element"), name


def test_required_attributes_and_closed_lists_are_shown(schema, pages):
    supplied = schema.attributes("supplied")
    assert supplied["reason"].required and supplied["resp"].required
    assert supplied["reason"].list_type == "closed"
    assert [v for v, _ in supplied["reason"].values] == ["cover-name", "identification", "clarification", "completion"]
    page = lxml.html.fromstring(pages[docs.page_name("supplied")])
    row = page.get_element_by_id("att-reason")
    assert "required" in row.text_content() and "Closed list" in row.text_content()
    assert "the real name behind a cover name" in row.text_content()
    assert schema.attributes("num")["value"].required


def test_content_model_and_parents_are_readable(pages):
    page = _visible(pages[docs.page_name("correspDesc")])
    assert "correspAction" in page and "profileDesc" in page
    listperson = _visible(pages[docs.page_name("listPerson")])
    assert "person+" in listperson and "standOff" in listperson


def test_schematron_rules_are_shown_with_their_elements(pages):
    page = _visible(pages[docs.page_name("persName")])
    assert "names-have-refs" in page and "name-refs-point-into-registers" in page
    date = _visible(pages[docs.page_name("date")])
    for rule in ("dates-are-normalized", "date-ranges-are-ordered", "correspondence-dates-in-period"):
        assert rule in date
    assert "dates-are-normalized" in _visible(pages[docs.page_name("birth")])
    assert "parallel-paragraphs-correspond" in _visible(pages["index.html"])


def test_examples_are_first_occurrences_in_the_corpus(schema, pages):
    for name in ("num", "correspAction", "person", "supplied"):
        first = next(path for path in project.corpus_files()
                     if xmlio.parse(path).root.find(f".//{TEI}{name}") is not None)
        page = _visible(pages[docs.page_name(name)])
        assert f"{first.name}, line" in page, name
        assert f"<{name}" in page.split("Example from the corpus", 1)[1]


def test_pages_are_deterministic_self_contained_and_say_they_are_generated(compiled_tree, pages):
    again = docs.build_reference(compiled_tree, project.corpus_files(), project.ROOT)
    assert again == pages
    for name, html in pages.items():
        assert "generated by `make schema`" in html.lower(), name
        assert not re.search(r"<(script|link|img|iframe)\b", html), name
        assert not re.search(r'\s(src|href)="(https?:)?//', html), name
        assert not re.search(r"20\d\d-\d\d-\d\dT\d\d:\d\d", html), name


def test_write_reference_writes_pages_and_removes_stale_ones(compiled_tree, tmp_path):
    (tmp_path / "element-gone.html").write_text("old", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("kept", encoding="utf-8")
    written = docs.write_reference(compiled_tree, tmp_path, project.corpus_files()[:2], project.ROOT)
    names = {p.name for p in written}
    assert "index.html" in names and "element-persName.html" in names
    assert not (tmp_path / "element-gone.html").exists()
    assert (tmp_path / "notes.txt").exists()
    assert sorted(p.name for p in tmp_path.glob("*.html")) == sorted(names)
