"""The RELAX NG explainer: typical editor mistakes found where they are, and the same verdict as lxml."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from lxml import etree

from telegrams import xmlio
from telegrams.project import ROOT, SCHEMA_DIR, TEI_DIR, shared_dir
from telegrams.validate.explain import explain, is_valid, load_grammar
from telegrams.validate.rng_model import SchemaError

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from mutants import mutants  # noqa: E402

SCHEMAS = HERE / "schemas"
CASES = sorted((HERE / "cases").glob("*.xml"))
_EXPECT = re.compile(r'expect: (\d+):(\d+) (\S+)(?: "([^"]*)")?')


def lxml_validator(rng_path: Path) -> etree.RelaxNG:
    """The oracle: libxml2's RELAX NG, loaded with its file's URL so that includes resolve."""
    tree = xmlio.parse(rng_path).tree
    tree.docinfo.URL = str(Path(rng_path).resolve())
    return etree.RelaxNG(tree)


_ORACLES: dict = {}


def oracle(rng_path: Path) -> etree.RelaxNG:
    """Load each schema into libxml2 once per test session (big schemas are slow to load)."""
    key = str(rng_path)
    if key not in _ORACLES:
        _ORACLES[key] = lxml_validator(rng_path)
    return _ORACLES[key]


def reference(name: str) -> Path:
    shared = shared_dir()
    path = shared / "tei" / "reference" / name if shared else None
    if path is None or not path.is_file():
        pytest.skip(f"the reference schema {name} is in ../shared (or $TELEGRAMS_SHARED), which is not here")
    return path


def agree(rng_path: Path, documents: list[bytes], name: str) -> tuple[int, int]:
    """Return (documents, of which valid) after checking that explain's verdict and the engine's verdict walk
    (validate's fast path) both equal lxml's on each."""
    grammar, validator = load_grammar(rng_path), oracle(rng_path)
    valid = 0
    for index, data in enumerate(documents):
        doc = xmlio.parse_bytes(data, f"{name}#{index}")
        verdict = validator.validate(doc.tree)
        findings = explain(doc, grammar)
        assert verdict == (not findings), (doc.name, verdict, [str(f) for f in findings],
                                           str(validator.error_log)[:500], data.decode("utf-8"))
        assert is_valid(doc.root, grammar) == verdict, (doc.name, "the verdict walk departs", data.decode("utf-8"))
        valid += verdict
    return len(documents), valid


def mutants_of(rng_path: Path, paths: list[Path], count: int) -> list[bytes]:
    grammar = load_grammar(rng_path)
    names = sorted({local for _, local in grammar.element_names()})
    attributes = sorted(f"{{{ns}}}{local}" if ns else local for ns, local in grammar.attribute_names)
    found = []
    for path in paths:
        base = xmlio.parse(path)
        found.append(xmlio.read_bytes(path))
        found.extend(mutants(base.tree, count, seed=sum(map(ord, path.name)), names=names, attributes=attributes))
    return found


# ------------------------------------------------------------------------------------------ editor mistakes

def test_there_are_enough_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_findings(case: Path):
    text = case.read_text(encoding="utf-8")
    name = re.search(r"schema: (\S+)", text).group(1)
    schema = reference(name.split(":", 1)[1]) if name.startswith("shared:") else SCHEMAS / name
    expected = _EXPECT.findall(text)
    assert expected, "a case must say what it expects"
    doc = xmlio.parse(case)
    findings = explain(doc, load_grammar(schema))
    assert [(f.line, f.column, f.rule) for f in findings] == [(int(l), int(c), r) for l, c, r, _ in expected]
    for finding, (_, _, _, phrase) in zip(findings, expected):
        assert phrase in finding.message
        assert finding.file == str(case) and finding.severity == "error" and finding.message
    assert not oracle(schema).validate(doc.tree)


def test_valid_fixtures_have_no_findings():
    for path in (HERE / "valid").glob("*.xml"):
        schema = {"letter": SCHEMAS / "letter.rng", "features": SCHEMAS / "features.rng"}.get(path.stem.split("-")[0])
        if schema is None:
            continue
        doc = xmlio.parse(path)
        assert explain(doc, load_grammar(schema)) == []
        assert oracle(schema).validate(doc.tree)


def test_expected_names_are_written_as_in_documents():
    doc = xmlio.parse(HERE / "cases" / "01-misspelled-element.xml")
    finding = explain(doc, load_grammar(SCHEMAS / "letter.rng"))[0]
    assert "persName" in finding.expected and "<text>" in finding.expected
    assert str(finding).startswith(f"{doc.name}:{finding.line}:{finding.column}: error: element <persname>")


def test_grammar_is_loaded_once():
    assert load_grammar(SCHEMAS / "letter.rng") is load_grammar(str(SCHEMAS / "letter.rng"))


@pytest.mark.parametrize("body, message", [
    ('<start><ref name="nowhere"/></start>', "undefined pattern 'nowhere'"),
    ('<start><element name="a"><ref name="nowhere"/></element></start>', "undefined pattern 'nowhere'"),
    ('<start><element name="a"><data type="date" datatypeLibrary="urn:x"/></element></start>', "unsupported datatype"),
    ('<start><element name="a" xmlns:p="urn:p"><attribute name="q:x"/></element></start>', "prefix 'q'"),
])
def test_schema_errors_are_reported_in_words(tmp_path, body, message):
    bad = tmp_path / "bad.rng"
    bad.write_text(f'<grammar xmlns="http://relaxng.org/ns/structure/1.0">{body}</grammar>', encoding="utf-8")
    with pytest.raises(SchemaError, match=message):
        load_grammar(bad)


def test_missing_schema_file_is_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match="no such file"):
        load_grammar(tmp_path / "none.rng")


# ------------------------------------------------------------------------------------ verdict equivalence

@pytest.mark.parametrize("schema, document", [("letter.rng", "letter-telegram.xml"),
                                              ("features.rng", "features-archive.xml")])
def test_verdict_matches_lxml_on_mutants(schema, document):
    total, valid = agree(SCHEMAS / schema, mutants_of(SCHEMAS / schema, [HERE / "valid" / document], 400), schema)
    assert total > 300 and 0 < valid < total


def _datatype_values() -> list[str]:
    values = []
    for line in (HERE / "data" / "datatype-values.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            values.append(line.replace("\\t", "\t").replace("\\n", "\n").replace("\\s", " "))
    return values


_TYPES = ["string", "token", "normalizedString", "anyURI", "NCName", "Name", "QName", "ID", "IDREFS", "NMTOKEN",
          "NMTOKENS", "language", "boolean", "decimal", "integer", "nonNegativeInteger", "positiveInteger", "double",
          "float", "date", "dateTime", "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay", "duration",
          "hexBinary", "base64Binary"]
_PARAMS = ["", r'<param name="pattern">\S+</param>', r'<param name="pattern">[^\p{C}\p{Z}]+</param>']


def _libxml2_departs(value: str) -> bool:
    """A value on which libxml2 departs from the XSD datatypes as Jing reads them, where the engine rightly
    disagrees with it: an exponent without digits, the hour 24, a leap second, surrounding whitespace."""
    from telegrams.validate.rng import libxml2_lenient

    return libxml2_lenient(value) or ":60" in value or value != value.strip(" \t\r\n")


@pytest.mark.parametrize("param", _PARAMS, ids=["plain", "pattern-S", "pattern-word"])
def test_datatypes_match_libxml2(tmp_path, param):
    values = _datatype_values()
    checked = 0
    for type_name in _TYPES:
        for where in ("attribute", "text"):
            data = f'<data type="{type_name}">{param}</data>'
            body = f'<attribute name="a">{data}</attribute>' if where == "attribute" else data
            rng = tmp_path / f"{type_name}-{where}.rng"
            rng.write_text(f'<element name="r" xmlns="http://relaxng.org/ns/structure/1.0" datatypeLibrary='
                           f'"http://www.w3.org/2001/XMLSchema-datatypes">{body}</element>', encoding="utf-8")
            grammar, validator = load_grammar(rng), lxml_validator(rng)
            for value in values:
                element = etree.Element("r")
                if where == "attribute":
                    element.set("a", value)
                else:
                    element.text = value
                doc = xmlio.parse_bytes(etree.tostring(element), "value")
                findings = explain(doc, grammar)
                assert is_valid(doc.root, grammar) == (not findings), (type_name, where, value)
                agree = validator.validate(doc.tree) == (not findings)
                assert agree or _libxml2_departs(value), (type_name, where, value)
                checked += 1
    assert checked == len(_TYPES) * 2 * len(values)


# ------------------------------------------------------------- the TEI reference schemas and the corpus

def corpus() -> list[Path]:
    return sorted(p for p in TEI_DIR.glob("*.xml"))


def test_tei_lite_on_lite_documents_and_the_corpus():
    schema = reference("tei_lite.rng")
    documents = mutants_of(schema, [HERE / "valid" / "lite-telegram.xml"], 300)
    documents += mutants_of(schema, corpus(), 15)
    total, valid = agree(schema, documents, "tei_lite")
    assert valid > 0


def test_tei_bare_on_bare_documents_and_the_corpus():
    schema = reference("tei_bare.rng")
    documents = mutants_of(schema, [HERE / "valid" / "bare-telegram.xml"], 200)
    documents += mutants_of(schema, corpus(), 10)
    total, valid = agree(schema, documents, "tei_bare")
    assert valid > 0


def test_project_schema_on_the_corpus():
    schema = SCHEMA_DIR / "telegrams.rng"
    if not schema.is_file():
        pytest.skip("schema/telegrams.rng is not built yet")
    try:
        load_grammar(schema)
    except SchemaError as err:
        pytest.fail(f"the project schema does not load: {err}")
    agree(schema, mutants_of(schema, corpus(), 40), "telegrams")


def test_project_root_is_the_repository():
    assert (ROOT / "pyproject.toml").is_file()


ITEMS_RNG = """<grammar xmlns="http://relaxng.org/ns/structure/1.0"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><element name="root"><oneOrMore><element name="item">
    <attribute name="id"><data type="ID"/></attribute>
    <optional><attribute name="ref"><data type="IDREF"/></attribute></optional>
    <optional><attribute name="refs"><data type="IDREFS"/></attribute></optional>
    <text/>
  </element></oneOrMore></element></start>
</grammar>"""


def test_the_verdict_walk_replays_the_ids_of_elements_met_before(tmp_path):
    """The verdict walk's steps are memoized across documents, its IDs and IDREFs are not: an element met again, in
    the same document or a later one, must still count an ID used twice and a reference to an ID the document
    lacks, whichever comes first."""
    rng = tmp_path / "items.rng"
    rng.write_text(ITEMS_RNG, encoding="utf-8")
    documents = [b'<root><item id="a"/><item id="b" ref="a" refs="a b">x</item></root>',
                 b'<root><item id="a"/><item id="a"/></root>',  # the same element twice: one ID twice
                 b'<root><item id="b" ref="a" refs="a b">x</item></root>',  # met before; "a" is missing here
                 b'<root><item id="b" ref="a" refs="a b">x</item><item id="a"/></root>',  # the reference comes first
                 b'<root><item id="c" refs="a">x</item><item id="a"/></root>']
    assert agree(rng, documents, "items") == (5, 3)
