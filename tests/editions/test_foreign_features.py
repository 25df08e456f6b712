"""A TEI document not made for this edition: the elements the Guidelines use most render as their meaning asks."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import lxml.html
import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "foreign" / "features.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from telegrams.editions.site import build_site

    out = tmp_path_factory.mktemp("features") / "html"
    result = build_site([str(FIXTURE)], out, search=False)
    assert [f for f in result.findings if f.severity == "error"] == []
    page = lxml.html.parse(str(out / "features.html")).getroot()
    return page, (out / "text" / "features.txt").read_text(encoding="utf-8")


def squash(text: str) -> str:
    return " ".join(text.split())


def test_a_line_break_inside_a_word_joins_it(built):
    page, text = built
    body = squash(page.xpath("//div[contains(@class,'text-body')]")[0].text_content())
    assert "Apollo stood" in body and "A pollo" not in body
    assert "Apollo stood" in squash(text)


def test_apparatus_keeps_lemma_readings_and_witnesses(built):
    page, text = built
    app = page.xpath("//span[@class='app']")[0]
    assert squash(app.xpath("string(span[@class='lem'])")) == "quickly"
    readings = squash(app.xpath("string(span[@class='rdgs'])"))
    assert "slowly" in readings and "Witness B" in readings and "Witness A" in readings
    assert "quickly [Witness A; slowly Witness B]" in squash(text)


def test_lists_of_persons_and_places_are_lists(built):
    page, text = built
    items = [squash(li.text_content()) for li in page.xpath("//ul[@class='entity-list']/li")]
    assert items == ["Lionel Grant 1901", "Wendy Hale Engraver", "Thessaloniki 40.64 22.94", "Lund"]
    assert "- Lionel Grant 1901" in text and "- Lund" in text


def test_figures_keep_their_description_and_never_print_data(built):
    page, text = built
    captions = [squash(c.text_content()) for c in page.xpath("//figcaption")]
    assert "A drawing of a lighthouse at dusk." in " ".join(captions) and "A single grey dot." in " ".join(captions)
    markers = [squash(m.text_content()) for m in page.xpath("//span[@class='marker']")]
    assert "[image: figure-1.png]" in markers and "[embedded image]" in markers
    assert "iVBORw0KGgo" not in text and "iVBORw0KGgo" not in lxml.html.tostring(page, encoding="unicode")
    assert "[Figure: A single grey dot.]" in text


def test_tables_code_examples_trees_and_speeches(built):
    page, text = built
    assert [squash(th.text_content()) for th in page.xpath("//table[@class='table']//th")] == ["Name", "Tonnage"]
    assert "Name | Tonnage" in text and "Argo | 50" in text
    assert page.xpath("//pre[@class='eg']/code") and "    print(x)" in page.xpath("string(//pre[@class='eg'])")
    assert "<hi>example</hi>" in page.xpath("string(//pre[@class='egxml'])")
    assert "<hi>example</hi>" in text and "        print(x)" in text
    body = squash(page.xpath("//div[contains(@class,'text-body')]")[0].text_content())
    assert "Root Branch Twig" in body and "Root Branch Twig" in text
    assert page.xpath("//p[@class='speaker']")


def test_no_invalid_language_code_and_no_duplicate_id(built):
    page, _ = built
    assert not page.xpath("//*[@lang='not a language!']")
    ids = Counter(page.xpath("//@id"))
    assert [i for i, n in ids.items() if n > 1] == []


def test_no_page_of_the_site_has_an_id_twice(site):
    for path in site.out_dir.glob("*.html"):
        ids = Counter(lxml.html.parse(str(path)).getroot().xpath("//@id"))
        assert [i for i, n in ids.items() if n > 1] == [], path.name


def test_content_not_shown_is_marked(built):
    page, text = built
    markers = [squash(m.text_content()) for m in page.xpath("//span[@class='marker']")]
    assert "[interpGrp: not shown]" in markers
    assert "[interpGrp: not shown]" in text
