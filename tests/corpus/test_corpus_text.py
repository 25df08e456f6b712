"""The text of every document is the source's text, complete, with the interventions recorded."""

from __future__ import annotations

import difflib

import pytest

from .corpus_views import T, XML_ID, diplomatic_text, reading_text, seed_paragraphs, seed_spans

DOCUMENTS = sorted(seed_spans()["documents"])


def _first_difference(want: str, got: str) -> str:
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{tag}: source {want[max(0, i1 - 40):i2 + 40]!r} / TEI {got[max(0, j1 - 40):j2 + 40]!r}"
    return "no difference"


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_every_seed_paragraph_is_in_its_document(corpus, seeds_dir, doc_id):
    text = diplomatic_text(corpus[doc_id + ".xml"].root.find(T + "text"))
    missing = [paragraph for paragraph in seed_paragraphs(seeds_dir, doc_id) if paragraph not in text]
    assert not missing, f"{doc_id}: seed paragraphs not in the TEI text: {missing}"


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_document_text_is_the_seed_text_nothing_added(corpus, seeds_dir, doc_id):
    text = diplomatic_text(corpus[doc_id + ".xml"].root.find(T + "text"))
    source = " ".join(seed_paragraphs(seeds_dir, doc_id))
    assert text == source, f"{doc_id}: " + _first_difference(source, text)


def test_every_corpus_document_has_its_seed_span(corpus):
    # The introduction is the editors' own text: it has no seed.
    documents = {doc.root.get(XML_ID) for doc in corpus.values()
                 if doc.root.get(XML_ID) != "registers" and _kind(doc) != "introduction"}
    assert documents == set(DOCUMENTS)


def _kind(doc) -> str | None:
    text = doc.root.find(T + "text")
    return None if text is None else text.get("type")


def test_ocr_slips_are_corrected_with_responsibility(corpus):
    choices = [(name, choice) for name, doc in corpus.items() for choice in doc.root.iter(T + "choice")]
    assert choices, "the corpus records no OCR corrections, but the seeds have 'Kim II Sung'"
    for name, choice in choices:
        sic, corr = choice.find(T + "sic"), choice.find(T + "corr")
        if sic is None:
            continue  # abbr/expan or orig/reg
        assert corr is not None and corr.get("resp", "").startswith("#"), f"{name}: sic without corr/@resp"
        assert reading_text(corr) != diplomatic_text(sic), f"{name}: corr repeats sic"


def test_the_kim_il_sung_slip_is_never_left_uncorrected(corpus):
    # The reading view replaces every sic by its corr: any "Kim II" left there is an unrecorded slip.
    for name, doc in corpus.items():
        assert "Kim II" not in reading_text(doc.root), f"{name}: 'Kim II Sung' outside choice/sic"


def test_supplied_text_has_resp_and_reason(corpus):
    for name, doc in corpus.items():
        for supplied in doc.root.iter(T + "supplied"):
            assert supplied.get("resp", "").startswith("#"), f"{name}: supplied without @resp"
            assert supplied.get("reason"), f"{name}: supplied without @reason"


def test_editorial_notes_name_the_editors(corpus):
    for name, doc in corpus.items():
        for note in doc.root.iter(T + "note"):
            if note.get("type") == "editorial":
                assert note.get("resp", "").endswith("_editors"), f"{name}: editorial note without @resp to the editors"
