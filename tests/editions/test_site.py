"""The site's assembly: pages, downloads, assets, search index or a plain word that search is unavailable."""

from __future__ import annotations

from pathlib import Path

import json

import lxml.html

from telegrams.editions import site as site_module

FIXTURE = Path(__file__).parent / "fixtures" / "foreign" / "lite-sample.xml"


def test_site_has_its_pages_sources_texts_and_assets(site, sources):
    out = site.out_dir
    for name in ("index.html", "persons.html", "places.html", "organisations.html", "search.html",
                 "assets/edition.css", "assets/edition.js", "text/corpus.txt", "tei/registers.xml"):
        assert (out / name).is_file(), name
    for doc_id, source in sources.items():
        assert (out / f"{doc_id}.html").is_file()
        assert (out / "tei" / source.path.name).read_bytes() == source.path.read_bytes()
        assert (out / "text" / f"{doc_id}.txt").is_file()


def test_home_page_lists_telegrams_in_date_order_and_by_month(site, correspondence):
    home = lxml.html.parse(str(site.out_dir / "index.html")).getroot()
    listed = [a.get("href")[:-5] for a in home.xpath("//table[contains(@class,'catalogue')]//th//a")]
    telegrams = list(correspondence)
    assert sorted(listed) == sorted(telegrams)
    assert listed == sorted(listed), "ids begin with the date sent, so date order is id order"
    months = [m.text_content() for m in home.xpath("//ol[@class='months']/li/span[@class='month-name']")]
    assert months and months[0].split()[0] in ("January", "February", "March", "April", "May", "June", "July",
                                               "August", "September", "October", "November", "December")
    assert home.xpath("//*[@id='cite-edition-heading']"), "the home page says how to cite the edition"


def test_telegram_page_has_transmission_citation_download_and_neighbours(site, sources, correspondence):
    telegrams = list(correspondence)
    for position, doc_id in enumerate(telegrams):
        page = lxml.html.parse(str(site.out_dir / f"{doc_id}.html")).getroot()
        panel = page.xpath("string(//section[contains(@class,'transmission')])")
        assert "Sent" in panel and "Received" in panel, doc_id
        assert page.xpath(f"//a[@href='tei/{sources[doc_id].path.name}']"), doc_id
        assert page.xpath("//p[@id='citation']"), doc_id
        prev = page.xpath("//a[@rel='prev']/@href")
        nxt = page.xpath("//a[@rel='next']/@href")
        assert prev == ([f"{telegrams[position - 1]}.html"] if position else [])
        assert nxt == ([f"{telegrams[position + 1]}.html"] if position + 1 < len(telegrams) else [])


def test_transmission_panel_names_the_intermediary(site, sources):
    via = [i for i, s in sources.items()
           if s.doc.root.xpath("//*[local-name()='correspAction'][@type='transmitted']")]
    if not via:
        return
    for doc_id in via:
        page = lxml.html.parse(str(site.out_dir / f"{doc_id}.html")).getroot()
        assert "Transmitted through" in page.xpath("string(//section[contains(@class,'transmission')])")


def test_without_pagefind_the_site_builds_and_says_search_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setattr(site_module, "pagefind_executable", lambda: None)
    result = site_module.build_site([str(FIXTURE)], tmp_path / "html")
    assert [f for f in result.findings if f.severity == "error"] == []
    assert result.search.startswith("unavailable")
    assert "Search is unavailable" in (tmp_path / "html" / "search.html").read_text(encoding="utf-8")
    assert not (tmp_path / "html" / "pagefind").exists()


def test_a_large_site_is_indexed_in_parts_that_cover_every_page(parted_site):
    index = parted_site.out_dir / "pagefind"
    parts = json.loads((index / "parts.json").read_text(encoding="utf-8"))
    searchable = [p for p in parted_site.out_dir.glob("*.html") if p.name not in ("index.html", "search.html")]
    assert len(parts) == (len(searchable) + 2) // 3 - 1 and len(parts) >= 1
    counted = 0
    for bundle in [index] + [index / part for part in parts]:
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        counted += sum(language["page_count"] for language in entry["languages"].values())
    assert counted == len(searchable)
    assert not (parted_site.out_dir / ".pagefind-pages").exists(), "the parts' staging folders are removed"


def test_cyrillic_text_is_marked_russian_and_no_empty_datetime(site):
    """Screen readers and fonts need lang="ru" on every Russian word, in notes and registers as in the text."""
    import re

    for path in site.out_dir.glob("*.html"):
        root = lxml.html.parse(str(path)).getroot()
        assert not root.xpath("//time[@datetime='']"), path.name
        unmarked = set()
        for text in root.xpath("//body//text()[normalize-space()]"):
            if not re.search("[\u0400-\u04ff]", text):
                continue
            chain = [text.getparent(), *text.getparent().iterancestors()]
            if any(el.get("hidden") is not None for el in chain):
                continue
            lang = next((el.get("lang") for el in chain if el.get("lang")), "")
            if not lang.startswith("ru"):
                unmarked.add(text.strip()[:40])
        assert not unmarked, f"{path.name}: Cyrillic outside lang=ru: {sorted(unmarked)[:5]}"
