"""What readers meet first: notes numbered in reading order, a missing part said before its empty place,
corrections marked in both editions."""

from __future__ import annotations

import re

import lxml.html

T = "{http://www.tei-c.org/ns/1.0}"


def page_of(site, doc_id):
    return lxml.html.parse(str(site.out_dir / f"{doc_id}.html")).getroot()


def test_note_numbers_follow_the_reading(site, texts, sources):
    for doc_id, source in sources.items():
        page = page_of(site, doc_id)
        cells = page.xpath("//div[contains(@class,'cell-translation')]")
        scope = cells if cells else page.xpath("//div[contains(@class,'text-body')]")
        numbers = [int(a.get("href")[len("#note"):]) for part in scope for a in part.xpath(".//a[@role='doc-noteref']")]
        assert numbers == sorted(numbers), f"{doc_id}: notes read {numbers}"
        if numbers:
            assert numbers[0] == 1, f"{doc_id}: the first note read is {numbers[0]}"
            body = texts[doc_id].split("\nNOTES\n")[0]
            first = re.search(r"\[(\d+)\]", body.split("\n-----", 1)[-1])
            assert first and first.group(1) == "1", f"{doc_id}: the text edition starts its notes at {first}"


def test_a_missing_start_is_said_before_the_empty_cells(site, sources):
    for doc_id, source in sources.items():
        originals = source.doc.root.xpath("//t:body/t:div[@type='original']", namespaces={"t": T[1:-1]})
        if not originals or not len(originals[0]) or not originals[0].xpath("./*[1]//t:gap | ./*[1][self::t:gap]",
                                                                           namespaces={"t": T[1:-1]}):
            continue
        pairs = page_of(site, doc_id).xpath("//div[@class='parallel']/div[contains(@class,'pair')][not(contains(@class,'pair-head'))]")
        assert pairs[0].xpath(".//div[contains(@class,'cell-original')]//*[contains(@class,'gap')]"), doc_id


def test_corrections_are_marked_and_explained_in_both_editions(site, texts, sources):
    for doc_id, source in sources.items():
        corrections = source.doc.root.xpath("//t:text//t:choice[t:corr][t:sic]", namespaces={"t": T[1:-1]})
        if not corrections:
            continue
        page = page_of(site, doc_id)
        listed = page.xpath("//section[contains(@class,'corrections')]//li")
        assert len(listed) >= len(corrections) and len(page.xpath("//a[@class='corr-ref']")) == len(listed), doc_id
        for item in listed:
            assert "the source reads" in item.text_content()
        assert texts[doc_id].count("[corr.; source:") >= len(corrections), doc_id
