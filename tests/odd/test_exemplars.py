"""The TEI's own customizations and the project's ODD: same verdicts as the official chain on seed documents and
hundreds of mechanical mutants, same Schematron rules, same documentation. (Compile times are measured by
`make bench`, not here.)

Every exemplar ODD of the shared TEI source is tested (external schemas resolved through an XML catalog, see
oracle.exemplar_catalog); the ones as large as tei_all only with TELEGRAMS_ODD_FULL=1."""

from __future__ import annotations

import os

import pytest

from telegrams import project

from .mutants import write_mutants
from .oracle import CACHE, HERE, documentation, exemplar_catalog, official, ours, rule_set, shared_tei, verdicts

SEEDS = sorted((HERE / "seeds").glob("*.xml"))
LARGE = {"tei_all", "tei_allPlus"}  # lxml needs 10-30 s to load each of their schemas
# Seeds each exemplar must accept: the constructs its external schema brings in.
REQUIRED_SEEDS = {"tei_math": ("math-formula.xml",), "tei_svg": ("svg-figure.xml",), "tei_its": ("its-rules.xml",),
                  "tei_odds": ("odd-spec.xml",), "tei_allPlus": ("svg-figure.xml", "math-formula.xml")}


def exemplar(name: str):
    return shared_tei() / "exemplars" / f"{name}.odd"


def exemplar_names(slow: bool = True) -> list:
    """The exemplar ODDs of the shared TEI source, found when the tests are collected (none without it); with
    `slow`, the ones whose schemas lxml loads slowly run only with TELEGRAMS_ODD_FULL=1."""
    shared = project.shared_dir()
    folder = shared / "tei" / "exemplars" if shared else None
    names = sorted(p.stem for p in folder.glob("*.odd")) if folder and folder.is_dir() else []
    return [pytest.param(n, marks=pytest.mark.skipif(slow and n in LARGE and not os.environ.get("TELEGRAMS_ODD_FULL"),
                                                     reason=f"{n} is slow to load in lxml: set TELEGRAMS_ODD_FULL=1"))
            for n in names] or [pytest.param("none", marks=pytest.mark.skip(reason="no shared TEI exemplars"))]


def compare(odd, seeds, count, tmp_path, timeout=60, catalog=None, reference=None, pick=False):
    """Compile with both chains, mutate the seeds, return (agreements, disagreements, total).

    With `pick`, only the seeds the official schema accepts are mutated (at least one must be)."""
    reference = reference or official(odd, catalog=catalog)
    assert reference is not None, f"the official chain failed on {odd.name}"
    rng, _ = ours(odd, tmp_path / "ours", catalog=catalog)
    theirs = reference / rng.name
    if pick:
        seeds = accepted(seeds, theirs, tmp_path / "pick", timeout)
        assert seeds, f"no seed is valid against the official {theirs.name}"
    docs = write_mutants(seeds, rng, tmp_path / "docs", count)
    result = verdicts([rng, theirs], docs, tmp_path, timeout=timeout, fallback=True)
    assert result[str(rng)]["error"] is None and result[str(theirs)]["error"] is None
    mine, their = result[str(rng)]["verdicts"], result[str(theirs)]["verdicts"]
    disagreements = [d.name for d in docs if mine[str(d)] != their[str(d)]]
    for seed in docs[:len(seeds)]:
        assert their[str(seed)], f"seed {seed} should be valid against the official schema"
    return len(docs) - len(disagreements), disagreements, len(docs)


def accepted(seeds, schema, work, timeout) -> list:
    work.mkdir(parents=True, exist_ok=True)
    result = verdicts([schema], seeds, work, timeout=timeout, fallback=True)[str(schema)]
    assert result["error"] is None, result["error"]
    return [s for s in seeds if result["verdicts"][str(s)]]


def reference_for(odd, catalog):
    """The official chain's output for an exemplar. The chain reads an ODD without XInclude (tei_allPlus then
    fails), so an ODD with xi:include is compared with the official compile of its XInclude-expanded copy."""
    from lxml import etree

    from telegrams import xmlio
    from telegrams.odd.xinclude import XI, Includer

    doc = xmlio.parse(odd)
    if next(doc.root.iter(XI + "include"), None) is None:
        return official(odd, catalog=catalog)

    def fail(node, message):
        raise AssertionError(message)

    from telegrams.odd.catalog import Catalog

    Includer(odd, Catalog([catalog]), fail).expand(doc.root, odd.resolve().as_uri())
    expanded = CACHE / "expanded" / odd.name
    expanded.parent.mkdir(parents=True, exist_ok=True)
    expanded.write_bytes(etree.tostring(doc.tree, xml_declaration=True, encoding="UTF-8"))
    return official(expanded, catalog=catalog)


@pytest.mark.parametrize("name", exemplar_names())
def test_every_exemplar_agrees_with_official(name, tmp_path):
    """Each exemplar: seeds the official schema accepts, and their mutants, get the official verdicts."""
    odd = exemplar(name)
    catalog = exemplar_catalog()
    reference = reference_for(odd, catalog)
    if reference is None:
        pytest.fail(f"the official chain failed on {name}: {official_failure(odd, catalog)}")
    required = [HERE / "seeds" / seed for seed in REQUIRED_SEEDS.get(name, ())]
    if required:
        assert len(accepted(required, reference / f"{name}.rng", tmp_path / "req", 120)) == len(required), \
            f"{[r.name for r in required]} should be valid against the official {name}"
    agree, disagreements, total = compare(odd, SEEDS, 40 if name in LARGE else 80, tmp_path, timeout=120,
                                          catalog=catalog, reference=reference, pick=True)
    assert not disagreements, disagreements


@pytest.mark.parametrize("name", exemplar_names(slow=False))
def test_every_exemplar_schematron_agrees(name, tmp_path):
    catalog = exemplar_catalog()
    reference = reference_for(exemplar(name), catalog)
    assert reference is not None, official_failure(exemplar(name), catalog)
    _, sch = ours(exemplar(name), tmp_path, catalog=catalog)
    assert rule_set(sch) == rule_set(reference / f"{name}.isosch")


@pytest.mark.parametrize("name", exemplar_names(slow=False))
def test_every_exemplar_documentation_agrees(name, tmp_path):
    """The same a:documentation (gloss and description, in the schema's language) on the same elements,
    attributes and values as the official RELAX NG."""
    catalog = exemplar_catalog()
    reference = reference_for(exemplar(name), catalog)
    assert reference is not None, official_failure(exemplar(name), catalog)
    rng, _ = ours(exemplar(name), tmp_path, catalog=catalog)
    mine, theirs = documentation(rng), documentation(reference / f"{name}.rng")
    assert sum(1 for key, text in theirs.items() if key[0] == "element" and text) > 0
    different = {key: (mine.get(key), theirs.get(key)) for key in set(mine) | set(theirs)
                 if mine.get(key) != theirs.get(key)}
    assert not different, sorted(different.items(), key=str)[:5]


def official_failure(odd, catalog) -> str:
    failed = [p for p in CACHE.glob("*/failed")]
    return next((p.read_text()[-600:] for p in failed if odd.stem in p.read_text()), "no log")


def test_tei_lite_mutants_agree(tmp_path):
    agree, disagreements, total = compare(exemplar("tei_lite"), [HERE / "seeds" / "lite-letter.xml"], 320,
                                          tmp_path)
    assert not disagreements, disagreements
    assert total > 300 and agree == total


def test_tei_bare_mutants_agree(tmp_path):
    agree, disagreements, total = compare(exemplar("tei_bare"), [HERE / "seeds" / "bare.xml"], 120, tmp_path)
    assert not disagreements, disagreements


def project_odd():
    odd = project.SCHEMA_DIR / "telegrams.odd"
    if not odd.is_file():
        pytest.skip("schema/telegrams.odd does not exist yet")
    return odd


def corpus_seeds():
    seeds = [p for p in project.corpus_files() if p.name != "registers.xml"][:4]
    if not seeds:
        pytest.skip("no corpus documents in tei/ yet")
    return seeds


def test_project_odd_mutants_agree(tmp_path):
    agree, disagreements, total = compare(project_odd(), corpus_seeds(), 200, tmp_path)
    assert not disagreements, disagreements


def test_project_odd_documentation_agrees(tmp_path):
    """The project's schema documents every element and attribute it keeps, with the official text."""
    reference = official(project_odd())
    rng, _ = ours(project_odd(), tmp_path)
    mine, theirs = documentation(rng), documentation(reference / rng.name)
    assert mine == theirs
    undocumented = [key for key, text in mine.items() if key[0] != "value" and not text]
    assert not undocumented, undocumented[:10]


@pytest.mark.skipif(not os.environ.get("TELEGRAMS_ODD_FULL"),
                    reason="tei_all takes ~30 s (lxml loads its RELAX NG slowly): set TELEGRAMS_ODD_FULL=1")
def test_tei_all_mutants_agree(tmp_path):
    agree, disagreements, total = compare(exemplar("tei_all"), corpus_seeds(), 60, tmp_path, timeout=300)
    assert not disagreements, disagreements
