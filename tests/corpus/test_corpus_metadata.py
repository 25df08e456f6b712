"""Every telegram has complete correspondence metadata; dates are ISO 8601; quantities have values."""

from __future__ import annotations

import re

import pytest

from .corpus_views import T, XML_ID, local

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2})?)?)?$")
TELEGRAMS = "tg-"


def _telegrams(corpus):
    return [(name, doc) for name, doc in corpus.items() if name.startswith(TELEGRAMS)]


def test_the_corpus_has_seven_telegrams_and_a_commentary(corpus):
    assert len(_telegrams(corpus)) == 7
    kinds = {doc.root.find(T + "text").get("type") for doc in corpus.values() if doc.root.find(T + "text") is not None}
    assert kinds - {"introduction"} == {"ciphered-telegram", "commentary"}


def test_every_telegram_has_a_complete_correspdesc(corpus):
    for name, doc in _telegrams(corpus):
        correspondence = doc.root.find(f"{T}teiHeader/{T}profileDesc/{T}correspDesc")
        assert correspondence is not None, f"{name}: no correspDesc"
        actions = {action.get("type"): action for action in correspondence.findall(T + "correspAction")}
        sent, received = actions.get("sent"), actions.get("received")
        assert sent is not None and received is not None, f"{name}: needs sent and received"
        assert sent.find(T + "persName") is not None, f"{name}: sent without persName"
        date = sent.find(T + "date")
        assert date is not None and (date.get("when") or (date.get("notBefore") and date.get("notAfter"))), \
            f"{name}: sent without a normalised date"
        assert received.find(T + "persName") is not None, f"{name}: received without persName"
        assert doc.root.find(T + "text").get("type") == "ciphered-telegram", name


def test_intermediaries_are_transmitted_actions(corpus):
    transmitted = {}
    for name, doc in _telegrams(corpus):
        for action in doc.root.iter(T + "correspAction"):
            if action.get("type") == "transmitted":
                transmitted[name] = action.find(T + "persName").get("ref")
    assert transmitted == {
        "tg-1951-06-05-stalin-mao.xml": "registers.xml#pers-krasovsky",
        "tg-1951-06-13-stalin-mao.xml": "registers.xml#pers-roshchin",
    }


def test_the_undated_reply_is_dated_from_the_surrounding_telegrams(corpus):
    date = corpus["tg-1951-06-05-stalin-mao.xml"].root.find(f".//{T}correspAction[@type='sent']/{T}date")
    assert (date.get("notBefore"), date.get("notAfter"), date.get("cert")) == ("1951-06-05", "1951-06-07", "medium")


@pytest.mark.parametrize("attribute", ["when", "from", "to", "notBefore", "notAfter"])
def test_dates_are_iso_8601(corpus, attribute):
    for name, doc in corpus.items():
        for element in doc.root.iter(T + "date", T + "birth", T + "death", T + "change"):
            value = element.get(attribute)
            assert value is None or ISO.match(value), f"{name}: {local(element)}/@{attribute}={value!r}"


def test_every_number_has_a_value_and_every_measure_agrees_with_its_number(corpus):
    for name, doc in corpus.items():
        for num in doc.root.iter(T + "num"):
            assert num.get("value"), f"{name}: num {num.text!r} without @value"
        for measure in doc.root.iter(T + "measure"):
            num = measure.find(T + "num")
            assert num is not None and num.get("value") == measure.get("quantity"), f"{name}: measure/num differ"
            assert measure.get("unit") and measure.get("commodity"), f"{name}: measure without unit/commodity"


def test_the_arms_list_has_eleven_items_with_quantities(corpus):
    doc = corpus["tg-1950-11-07-mao-stalin.xml"]
    items = doc.root.findall(f".//{T}list/{T}item")
    assert [item.get("n") for item in items] == [str(n) for n in range(1, 12)]
    quantities = [item.find(T + "measure").get("quantity") for item in items]
    assert quantities[0] == "140000" and quantities[-1] == "1000"
    assert items[-1].find(T + "measure").get("unit") == "ton"


def test_russian_and_english_paragraphs_are_aligned_both_ways(corpus):
    doc = corpus["tg-1951-06-21-mao-stalin.xml"]
    by_id = {element.get(XML_ID): element for element in doc.root.iter() if element.get(XML_ID)}
    russian = doc.root.find(f".//{T}div[@type='original']")
    assert russian.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    paragraphs = russian.findall(f".//{T}p")
    assert len(paragraphs) == 5
    for paragraph in paragraphs:
        english = by_id[paragraph.get("corresp").lstrip("#")]
        assert english.get("corresp") == "#" + paragraph.get(XML_ID)
        assert english.getparent().get("n") == paragraph.getparent().get("n")


def test_tei_headers_carry_licence_source_and_summary(corpus):
    for name, doc in corpus.items():
        header = doc.root.find(T + "teiHeader")
        licence = header.find(f".//{T}availability/{T}licence")
        assert licence is not None and "by/4.0" in licence.get("target"), name
        if name.startswith(TELEGRAMS):
            assert header.find(f".//{T}sourceDesc/{T}bibl/{T}idno[@type='record']") is not None, name
            assert header.find(f".//{T}profileDesc/{T}abstract") is not None, name
            assert header.find(f".//{T}revisionDesc/{T}change") is not None, name
