"""The site and texts follow the corpus and metadata/edition.toml: titles, counts, dates, kinds, correspondents."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from telegrams import project
from telegrams.editions import metadata

FIXTURE = Path(__file__).parent / "fixtures" / "kinds" / "cable-fixture.xml"
TOML = """
[edition]
title = "A Test Title That No Stylesheet Holds"
short_title = "Test Short"
description = "A description written for this test only."
[[creators]]
name = "Test Editors"
type = "Organizational"
[kinds]
ciphered-telegram = { label = "Ciphered telegram", plural = "Ciphered telegrams" }
telegram = { label = "Plain telegram", plural = "Plain telegrams" }
"""


# A letter that answers and cites the copy, which itself says nothing of it: the copy's page must still say so.
ANSWER = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="zz-answer"><teiHeader><fileDesc>
<titleStmt><title>Answer</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>
<sourceDesc><p>Test.</p></sourceDesc></fileDesc><profileDesc><correspDesc>
<correspAction type="sent"><persName>Someone</persName><date when="1952-02-01">1 February 1952</date></correspAction>
<correspAction type="received"><persName>Someone Else</persName></correspAction>
<correspContext><ref type="replyTo" target="zz-copy.xml">the copy</ref></correspContext>
</correspDesc></profileDesc></teiHeader>
<text type="letter"><body><p>As <ref target="zz-copy.xml#p1">your letter</ref> says.</p></body></text></TEI>"""

INTRODUCTION = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="zz-introduction"><teiHeader><fileDesc>
<titleStmt><title>An introduction for the test</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>
<sourceDesc><p>Written for the test.</p></sourceDesc></fileDesc></teiHeader>
<text type="introduction"><front><head>Introduction</head></front><body><div><head>Scope</head>
<p>Words of the introduction.</p></div></body></text></TEI>"""


def _text(node) -> str:
    return " ".join(node.text_content().split())


@pytest.fixture(scope="module")
def grown(tmp_path_factory):
    """tei/ plus a real telegram under a new id, a later date and the other telegram kind, the same telegram under
    another id (a second of its day), a made-up cable, a letter answering the copy and an introduction."""
    models = sorted(project.TEI_DIR.glob("tg-*.xml"))
    if not models:
        pytest.skip("tei/ has no telegram yet")
    folder = tmp_path_factory.mktemp("grown")
    corpus = folder / "tei"
    shutil.copytree(project.TEI_DIR, corpus, ignore=shutil.ignore_patterns("templates"))
    model = models[0]
    text = model.read_text(encoding="utf-8")
    kind = re.search(r'<text[^>]*\btype="([^"]+)"', text).group(1)
    other = "telegram" if kind == "ciphered-telegram" else "ciphered-telegram"
    date = re.search(r'<correspAction type="sent">.*?when="(\d{4}-\d{2}-\d{2})', text, re.S).group(1)
    copy = (text.replace(f'xml:id="{model.stem}"', 'xml:id="zz-copy"', 1).replace(date, "1952-01-02")
            .replace(f'type="{kind}"', f'type="{other}"'))
    (corpus / "zz-copy.xml").write_text(copy, encoding="utf-8")
    # a second telegram of the model's day between the same people: its heading must still tell them apart
    (corpus / "zz-same-day.xml").write_text(text.replace(f'xml:id="{model.stem}"', 'xml:id="zz-same-day"', 1),
                                            encoding="utf-8")
    shutil.copy(FIXTURE, corpus / FIXTURE.name)
    (corpus / "zz-answer.xml").write_text(ANSWER, encoding="utf-8")
    (corpus / "zz-introduction.xml").write_text(INTRODUCTION, encoding="utf-8")
    toml = folder / "edition.toml"
    toml.write_text(TOML, encoding="utf-8")
    from telegrams.editions.site import build_site

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(metadata, "edition_file", lambda: toml)
        result = build_site([str(corpus)], folder / "html", search=False)
    assert [f for f in result.findings if f.severity == "error"] == []
    documents = [p for p in corpus.glob("*.xml") if p.name != "registers.xml"]
    return result.out_dir, documents, other


def test_title_and_description_come_from_edition_toml(grown):
    out, _, _ = grown
    for page in out.glob("*.html"):
        root = lxml.html.parse(str(page)).getroot()
        assert _text(root.xpath("//p[@class='site-title']")[0]) == "A Test Title That No Stylesheet Holds", page
    home = lxml.html.parse(str(out / "index.html")).getroot()
    assert _text(home.xpath("//h1")[0]) == "A Test Title That No Stylesheet Holds"
    assert "A description written for this test only." in _text(home.xpath("//section[@class='intro']")[0])
    assert "Test Editors" in _text(home.xpath("//p[@class='citation']")[0])
    assert "A Test Title That No Stylesheet Holds" in (out / "text" / "corpus.txt").read_text(encoding="utf-8")


def test_home_page_counts_and_dates_follow_the_corpus(grown):
    out, documents, _ = grown
    home = lxml.html.parse(str(out / "index.html")).getroot()
    facts = _text(home.xpath("//p[@class='corpus-facts']")[0])
    assert f"holds {len(documents)} documents" in facts
    assert "to 1 February 1952" in facts, "the latest date is the added answer's"
    assert "Walter Gifford" in facts and "Dean Acheson" in facts
    introductions = sum('type="introduction"' in p.read_text(encoding="utf-8") for p in documents)
    assert "1 exotic cable" in facts
    assert (f"{introductions} introductions" if introductions > 1 else "1 introduction") in facts
    rows = home.xpath("//table[contains(@class,'catalogue')]/tbody/tr")
    assert any("zz-copy.html" in r.xpath("string(.//a/@href)") for r in rows)


def test_labels_follow_the_kind_with_table_and_fallback(grown):
    out, _, other = grown
    copy = lxml.html.parse(str(out / "zz-copy.html")).getroot()
    expected = "Plain telegram" if other == "telegram" else "Ciphered telegram"
    assert _text(copy.xpath("//p[@class='doc-kind']")[0]).startswith(expected)
    cable = lxml.html.parse(str(out / "cable-fixture.html")).getroot()
    assert _text(cable.xpath("//p[@class='doc-kind']")[0]).startswith("Exotic cable")
    assert "Cite this exotic cable" in _text(cable.xpath("//section[contains(@class,'cite')]")[0])


def test_several_addressees_are_separated_and_actions_have_labels(grown):
    out, _, _ = grown
    cable = lxml.html.parse(str(out / "cable-fixture.html")).getroot()
    heading = _text(cable.xpath("//h1")[0])
    assert "Dean Acheson and Department of State" in heading
    assert "29 June 1951" in heading, "the heading names the date, so that every page's h1 differs"
    labels = [_text(dt) for dt in cable.xpath("//section[contains(@class,'transmission')]//dt")]
    assert "Repeated to" in labels and "Info copy" in labels, labels
    assert not [label for label in labels if label.islower()], labels
    text = (out / "text" / "cable-fixture.txt").read_text(encoding="utf-8")
    assert "Repeated to:" in text and "Info copy:" in text
    assert not re.search(r"^Note:", text, re.M)


def test_every_h1_is_unique(grown):
    out, _, _ = grown
    headings = [_text(lxml.html.parse(str(p)).getroot().xpath("//h1")[0]) for p in out.glob("*.html")]
    assert len(headings) == len(set(headings)), sorted(headings)


def test_documents_that_share_a_heading_are_told_apart_wherever_they_are_named(grown):
    out, _, _ = grown
    model = sorted(project.TEI_DIR.glob("tg-*.xml"))[0].stem
    pages = {name: lxml.html.parse(str(out / f"{name}.html")).getroot() for name in (model, "zz-same-day")}
    first, second = sorted(pages)  # the date order of the two puts them by id
    headings = {name: _text(page.xpath("//h1")[0]) for name, page in pages.items()}
    assert headings[first].endswith("(1 of 2)") and headings[second].endswith("(2 of 2)"), headings
    assert headings[first].removesuffix(" (1 of 2)") == headings[second].removesuffix(" (2 of 2)")
    assert _text(pages[second].xpath("//title")[0]).split(" — ")[0].endswith("(2 of 2)")
    previous = pages[second].xpath("//a[@rel='prev']")[0]
    assert previous.get("href") == f"{first}.html" and _text(previous).endswith("(1 of 2)"), _text(previous)


def test_kind_labels_without_edition_toml(tmp_path):
    xml = metadata.edition_xml(tmp_path / "missing.toml")
    assert 'title="A Digital Scholarly Edition"' in xml and "<tg:kind" not in xml


def test_relations_show_on_both_pages(grown):
    out, _, _ = grown
    copy = lxml.html.parse(str(out / "zz-copy.html")).getroot()
    related = [(_text(li).split(":")[0], li.xpath("string(.//a/@href)"))
               for li in copy.xpath("//section[contains(@class,'related')]//li")]
    assert ("Answered by", "zz-answer.html") in related, "said only by the answer, shown on the copy's page too"
    assert [href for _, href in related].count("zz-answer.html") == 1, related
    answer = lxml.html.parse(str(out / "zz-answer.html")).getroot()
    items = [_text(li) for li in answer.xpath("//section[contains(@class,'related')]//li")]
    assert items == ["In reply to: the copy"], "the answer's own reference, once; its citation is the same document"
    cable = lxml.html.parse(str(out / "cable-fixture.html")).getroot()
    assert not cable.xpath("//section[contains(@class,'related')]")


def test_an_introduction_renders_as_a_text(grown):
    out, _, _ = grown
    page = lxml.html.parse(str(out / "zz-introduction.html")).getroot()
    assert _text(page.xpath("//p[@class='doc-kind']")[0]).startswith("Introduction")
    assert _text(page.xpath("//h1")[0]) == "An introduction for the test"
    assert "Words of the introduction." in _text(page.xpath("//div[contains(@class,'text-body')]")[0])
    home = lxml.html.parse(str(out / "index.html")).getroot()
    assert home.xpath("//ul[@class='other-texts']//a[@href='zz-introduction.html']")
    assert not home.xpath("//table[contains(@class,'catalogue')]//a[@href='zz-introduction.html']")
