"""The synthetic corpus generator: deterministic, realistic (names from the register), mistakes where it says."""

import dataclasses
import datetime
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from telegrams import project
from telegrams.bench.generate import MISTAKES, Synthesizer, generate, load_sources
from telegrams.findings import FindingError
from telegrams.xmlio import TEI_NS, XML_NS, parse, require_tei

FIXTURES = Path(__file__).parent / "fixtures" / "tei"
T = "{%s}" % TEI_NS


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "60"
    manifest = generate(60, 7, out, FIXTURES, mistake_rate=0.1)
    return out, manifest


def test_same_seed_gives_byte_identical_files(corpus, tmp_path):
    out, _ = corpus
    again = tmp_path / "again"
    generate(60, 7, again, FIXTURES, mistake_rate=0.1)
    assert _files(out) == _files(again)


def test_another_seed_gives_other_files(corpus, tmp_path):
    out, _ = corpus
    other = tmp_path / "other"
    generate(60, 8, other, FIXTURES, mistake_rate=0.1)
    assert _files(out) != _files(other)


def test_layout_is_a_project_root_with_registers_copied(corpus):
    out, manifest = corpus
    telegrams = [p for p in (out / "tei").glob("*.xml") if p.name != "registers.xml"]
    assert len(telegrams) == manifest["documents"] == 60
    assert (out / "tei" / "registers.xml").read_bytes() == (FIXTURES / "registers.xml").read_bytes()
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no work folder left behind


def test_planted_mistakes_are_the_stated_fraction_and_kinds(corpus):
    out, manifest = corpus
    assert len(manifest["mistakes"]) == 6
    assert {m["kind"] for m in manifest["mistakes"]} <= set(MISTAKES)
    for mistake in manifest["mistakes"]:
        path = out / mistake["file"]
        if mistake["kind"] == "not-well-formed":
            with pytest.raises(FindingError):
                parse(path)
        else:
            text = path.read_text()
            marker = {"unknown-element": "<blink>", "bad-date": 'when="1950-13-45"',
                      "dangling-ref": "pers-nobody-planted"}.get(mistake["kind"])
            if marker:
                assert marker in text


def test_clean_documents_are_tei_with_own_ids_and_resolvable_names(corpus):
    out, manifest = corpus
    planted = {m["file"] for m in manifest["mistakes"]}
    registered = {e.get(f"{{{XML_NS}}}id") for e in parse(out / "tei" / "registers.xml").root.iter()}
    first, last = datetime.date(1950, 11, 7), datetime.date(1951, 6, 13)  # the fixtures' date range
    clean = [p for p in sorted((out / "tei").glob("tg-*.xml")) if f"tei/{p.name}" not in planted]
    assert len(clean) == 54
    for path in clean:
        doc = parse(path)
        require_tei(doc)
        assert doc.root.get(f"{{{XML_NS}}}id") == path.stem
        for element in doc.root.iter(T + "persName", T + "placeName", T + "orgName"):
            assert element.get("ref").split("#")[1] in registered, (path, element.get("ref"))
        for date in doc.root.iter(T + "date"):
            for value in (date.get("when"), date.get("notBefore"), date.get("notAfter")):
                if value and len(value) >= 10:
                    assert first <= datetime.date.fromisoformat(value[:10]) <= last, (path, value)
        ids = [e.get(f"{{{XML_NS}}}id") for e in doc.root.iter() if e.get(f"{{{XML_NS}}}id")]
        assert len(ids) == len(set(ids))


def test_numbers_keep_value_and_digits_in_step(corpus):
    out, manifest = corpus
    planted = {m["file"] for m in manifest["mistakes"]}
    nums = [n for p in (out / "tei").glob("tg-*.xml") if f"tei/{p.name}" not in planted
            for n in parse(p).root.iter(T + "num")]
    digits = [n for n in nums if n.text and n.text[0].isdigit()]
    assert digits and all("".join(c for c in n.text if c.isdigit()) == n.get("value") for n in digits)
    assert len({n.get("value") for n in digits}) > 10  # the values really vary


def test_texts_vary_in_length(corpus):
    out, _ = corpus
    sizes = {p.stat().st_size for p in (out / "tei").glob("tg-*.xml")}
    assert max(sizes) > 1.5 * min(sizes)


def test_command_line_generate(tmp_path):
    result = subprocess.run([sys.executable, "-m", "telegrams", "bench", "generate", "5", "--seed", "3",
                             "--out", str(tmp_path / "five"), "--source", str(FIXTURES)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "five" / "tei").glob("tg-*.xml"))) == 5


def test_command_line_refuses_an_empty_source(tmp_path):
    result = subprocess.run([sys.executable, "-m", "telegrams", "bench", "generate", "5",
                             "--out", str(tmp_path / "x"), "--source", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "registers.xml:0:0: error: no register" in result.stderr
    assert "Traceback" not in result.stderr


def _real_telegrams():
    try:
        return load_sources(project.TEI_DIR)
    except FindingError as err:
        pytest.skip(f"the real corpus has no telegrams yet: {err.finding.message}")


def test_generates_from_the_real_corpus(tmp_path):
    sources = _real_telegrams()
    manifest = generate(20, 1, tmp_path / "real", project.TEI_DIR, mistake_rate=0)
    assert manifest["templates"] == [name for name, _ in sources.templates]
    for path in (tmp_path / "real" / "tei").glob("tg-*.xml"):
        require_tei(parse(path))


def test_real_corpus_clean_documents_stay_valid_against_the_schema(tmp_path):
    _real_telegrams()
    rng_path = project.SCHEMA_DIR / "telegrams.rng"
    if not rng_path.is_file():
        pytest.skip("schema/telegrams.rng is not compiled yet")
    schema = etree.RelaxNG(parse(rng_path).tree)
    templates = sorted(p for p in project.TEI_DIR.glob("tg-*.xml"))
    invalid_sources = [p.name for p in templates if not schema.validate(parse(p).tree)]
    if invalid_sources:
        pytest.skip(f"some real telegrams are not valid yet: {invalid_sources[:3]}")
    generate(40, 2, tmp_path / "valid", project.TEI_DIR, mistake_rate=0)
    for path in sorted((tmp_path / "valid" / "tei").glob("tg-*.xml")):
        assert schema.validate(parse(path).tree), (path.name, str(schema.error_log.last_error))


def test_the_validator_finds_exactly_the_planted_mistakes(tmp_path):
    """The synthetic corpus is clean except where the manifest says; the validator must agree, file by file."""
    _real_telegrams()
    if importlib.util.find_spec("telegrams.validate.rng") is None:
        pytest.skip("the validator's schema layers are not available yet")
    root = tmp_path / "corpus"
    manifest = generate(60, 11, root, project.TEI_DIR, mistake_rate=0.15)
    env = dict(os.environ, TELEGRAMS_ROOT=str(root), TELEGRAMS_SHARED=str(project.shared_dir() or ""))
    if not (root / "schema" / "telegrams.rng").is_file():
        if project.p5subset() is None:
            pytest.skip("no compiled schema, and no p5subset.xml to compile one")
        subprocess.run([sys.executable, "-m", "telegrams", "schema"], env=env, capture_output=True, check=True)
    result = subprocess.run([sys.executable, "-m", "telegrams", "validate", "--no-cache", "--format", "json",
                             str(root / "tei")], env=env, capture_output=True, text=True)
    assert "Traceback" not in result.stderr, result.stderr
    flagged = {Path(json.loads(line)["file"]).name for line in result.stdout.splitlines()
               if line.startswith("{") and json.loads(line)["severity"] == "error"}
    planted = {Path(m["file"]).name for m in manifest["mistakes"]}
    assert len(planted) == 9
    assert flagged == planted, (sorted(flagged - planted)[:5], sorted(planted - flagged)[:5])


PARTLY_DATED = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><profileDesc><correspDesc>
<correspAction type="sent"><date when="1951-01-10">10 January 1951</date></correspAction></correspDesc></profileDesc>
</teiHeader><text><body><p><date when="%s">this year</date>, on <date when="1951-01-05">5 January</date></p></body>
</text></TEI>"""


@pytest.mark.parametrize("partial", ["1951", "1951-01"])
def test_a_telegram_with_a_date_given_to_the_year_or_month_is_moved_only_within_it(partial):
    """A date to the year or month only is not moved, and "this year" is read against the date of sending: moved
    into another year, the telegram would contradict itself (the validator then reports what nobody planted)."""
    sources = dataclasses.replace(load_sources(FIXTURES), first_date=datetime.date(1950, 11, 7),
                                  last_date=datetime.date(1951, 6, 22))
    moves = set()
    for seed in range(200):
        tree = etree.ElementTree(etree.fromstring(PARTLY_DATED % partial))
        moves.add(Synthesizer(sources, seed)._shift_dates(tree))
        full = [date.get("when") for date in tree.iter(T + "date") if len(date.get("when")) == 10]
        assert all(when.startswith(partial) for when in full), (seed, full)
    assert len(moves) > 10  # moved all the same, within the year or month
