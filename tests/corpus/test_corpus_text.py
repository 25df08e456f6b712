"""A document made from a seed transcription gives the seed's text, complete, nothing added.

Which documents: those whose record names a seed (`sourceDesc//bibl/note[@type='seed']`, "seeds/NAME.txt"), and only
those. What a seed holds is recorded in `data/seed_texts.json` as spans of its lines; a seeded document's diplomatic
text must be one of the texts recorded for its seed. A copy of a seeded document under another id passes as its
original does; a document from a new seed needs its text recorded there first.
"""

from __future__ import annotations

import difflib

import pytest

from telegrams.xmlio import parse

from .corpus_views import T, diplomatic_text, seed_paragraphs, seed_texts, seeded_documents

SEEDED = seeded_documents()


def _first_difference(want: str, got: str) -> str:
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            return f"{tag}: source {want[max(0, i1 - 40):i2 + 40]!r} / TEI {got[max(0, j1 - 40):j2 + 40]!r}"
    return "no difference"


def _texts_of(seeds_dir, seed: str) -> list[str]:
    data = seed_texts()
    return [" ".join(seed_paragraphs(seeds_dir, text, data["debris"]))
            for text in data["texts"] if text["seed"] == seed]


@pytest.mark.parametrize(("path", "seed"), SEEDED, ids=[path.stem for path, _ in SEEDED])
def test_a_seeded_document_gives_its_seeds_text_exactly(seeds_dir, path, seed):
    assert (seeds_dir / seed).is_file(), f"{path.name} names the seed {seed}, which {seeds_dir} does not have"
    candidates = _texts_of(seeds_dir, seed)
    assert candidates, f"no text of {seed} is recorded in tests/corpus/data/seed_texts.json: record its spans"
    text = diplomatic_text(parse(path).root.find(T + "text"))
    if text not in candidates:
        closest = max(candidates, key=lambda c: difflib.SequenceMatcher(None, c, text, autojunk=False).quick_ratio())
        pytest.fail(f"{path.name}: its text is none of the texts recorded for {seed}; nearest: "
                    + _first_difference(closest, text))


def test_every_recorded_text_is_in_its_seed(seeds_dir):
    data = seed_texts()
    for text in data["texts"]:
        paragraphs = seed_paragraphs(seeds_dir, text, data["debris"])  # ValueError: a span's line is not there
        assert paragraphs, f"{text['what']}: its spans give no paragraph in {text['seed']}"


def test_the_comparison_sees_a_changed_word(seeds_dir):
    if not SEEDED:
        pytest.skip("no document of tei/ declares a seed")
    path, seed = SEEDED[0]
    text = diplomatic_text(parse(path).root.find(T + "text"))
    changed = text.replace(" the ", " a ", 1) if " the " in text else text + " added"
    assert changed not in _texts_of(seeds_dir, seed)
