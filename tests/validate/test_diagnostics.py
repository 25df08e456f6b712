"""The diagnostics benchmark on a small planted set: the project finds every mistake Jing finds, at the line Jing
finds it, and more; no message points the wrong way; every message is short (Jing needed: else skipped)."""

from __future__ import annotations

import shutil

import pytest

from telegrams.bench import diagnostics

pytestmark = pytest.mark.skipif(shutil.which("jing") is None,
                                reason="Jing is not installed (Debian: jing); it is the comparison, never a dependency")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    suite = diagnostics.suites()[0][0]  # the edition's documents with the edition's schemas
    suite.sources = suite.sources[:2]   # two documents: every kind of mistake, in a few seconds
    mistakes, ours, theirs, _ = diagnostics.run_suite(suite, tmp_path_factory.mktemp("planted"))
    return mistakes, ours, theirs


def test_every_mistake_jing_finds_is_found_at_least_as_well(planted):
    mistakes, ours, theirs = planted
    assert len({m.kind for m in mistakes}) >= 10
    for kind, jing in theirs.items():
        mine = ours[kind]
        assert mine.found >= jing.found and mine.line >= jing.line and mine.actionable >= jing.actionable, kind
    assert ours["total"].found == ours["total"].planted, ours["total"].missed


def test_no_message_points_the_wrong_way_and_none_is_long(planted):
    _mistakes, ours, _theirs = planted
    assert ours["total"].wrong == 0
    assert ours["total"].spurious == 0
    assert ours["total"].longest < diagnostics.MAX_ACTIONABLE


def test_scoring_counts_a_miss_and_a_spurious_error(tmp_path):
    mistake = diagnostics.Mistake("k", tmp_path / "a.xml", (3, 5), (3, 12), "persNmae", ("<persName>",))
    far = diagnostics.Reported(40, 1, "something else entirely")
    scores = diagnostics.score([mistake], {mistake.file: [far]})
    assert scores["k"].found == 0 and scores["k"].spurious == 1 and scores["k"].missed == [mistake]
    near = diagnostics.Reported(3, 6, "element <persNmae> is wrong; write <persName>")
    scores = diagnostics.score([mistake], {mistake.file: [near, far]})
    assert (scores["k"].found, scores["k"].column, scores["k"].actionable, scores["k"].spurious) == (1, 1, 1, 1)


def test_the_section_is_replaced_in_place_and_kept_by_bench_run(tmp_path):
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\ntimes\n", encoding="utf-8")
    first = diagnostics._SECTION[0] + "\nold table\n" + diagnostics._SECTION[1] + "\n"
    diagnostics.write_section(page, first)
    diagnostics.write_section(page, first.replace("old", "new"))
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\ntimes\n") and "new table" in text and "old table" not in text
    assert diagnostics.kept_section(page) == first.replace("old", "new")


def test_foreign_tei_gets_jings_verdicts_and_every_mistake_jing_finds(tmp_path):
    foreign = [suite for suite in diagnostics.suites()[0] if not suite.project]
    if not foreign:
        pytest.skip("the TEI's reference tei_all.rng is absent (../shared/tei/reference/)")
    suite = foreign[0]
    clean = {path: [] for path in suite.sources}
    assert diagnostics.ours(suite.sources, suite.rng, suite.profile) == clean  # valid, the corpus rules off
    assert diagnostics.jing(suite.sources, suite.rng) == clean
    # one document's plants: Jing stops at each file that is not well-formed, and restarting it is slow
    mistakes = diagnostics.plant_all(suite.sources[:1], tmp_path, project=False)
    files = sorted({m.file for m in mistakes})
    ours = diagnostics.score(mistakes, diagnostics.ours(files, suite.rng, suite.profile))
    theirs = diagnostics.score(mistakes, diagnostics.jing(files, suite.rng))
    assert all(ours[kind].found >= theirs[kind].found and ours[kind].line >= theirs[kind].line for kind in theirs)
    assert ours["total"].found == ours["total"].planted == len(mistakes) and ours["total"].spurious == 0
    assert len(files) >= 10
