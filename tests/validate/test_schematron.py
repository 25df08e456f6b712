"""The Schematron compiler: every supported feature, the compiled-XSLT cache, and broken schemas."""

from __future__ import annotations

import json
import os

import pytest
from lxml import etree

from telegrams import project
from telegrams.findings import FindingError
from telegrams.validate import schematron
from telegrams.xmlio import parse, parse_bytes

from .helpers import FIXTURE_SCH, FIXTURES, HERE

FEATURES = HERE / "schema" / "features.sch"


@pytest.fixture(scope="module")
def runner():
    return schematron.Runner(schematron.compile_schematron(FEATURES), FEATURES)


def test_every_feature_gives_its_finding(runner):
    document = FIXTURES / "schematron" / "features.xml"
    expected = [line.split("\t") for line in document.with_suffix(".expected").read_text().splitlines()]
    found = [[f"{f.line}:{f.column}", f.severity, f.rule, f.message] for f in runner.check(parse(document))]
    assert sorted(found) == sorted(expected)


def test_a_valid_document_gives_nothing(runner):
    clean = parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text type="telegram"><p>On <date '
                        b'when="1951-06-21">21 June</date> <num value="3">three</num></p></text></TEI>')
    assert runner.check(clean) == []


def test_patterns_that_are_not_plain_paths_walk_the_tree_and_find_the_same(runner, tmp_path):
    """A plain context is run on the nodes it selects; a predicate or parenthesized pattern makes its pattern walk
    the whole tree instead. Both ways give the same findings."""
    walked = tmp_path / "walked.sch"
    walked.write_text(FEATURES.read_text().replace('value="tei:num"', 'value=".[self::tei:num]"')
                      .replace('context="@type"', 'context="(@type)"'))
    compiled = schematron.compile_schematron(walked)
    assert compiled.xslt.count('select="." mode="pattern-') == 2
    assert 'select="//tei:persName[@ref] | //tei:persName"' in runner.compiled.xslt
    document = parse(FIXTURES / "schematron" / "features.xml")
    assert sorted(schematron.Runner(compiled, walked).check(document)) == sorted(runner.check(document))


@pytest.mark.parametrize("context,select", [
    ("tei:date", "//tei:date"),
    ("tei:p[@a = 'x|y'] | @when", "//tei:p[@a = 'x|y'] | //@when"),
    ("/ | /tei:TEI", "/ | /tei:TEI"),
    ("tei:text//tei:date[1]", "//tei:text//tei:date[1]"),
    (".[self::tei:p]", None),  # a predicate pattern can match the document node
    ("document-node()", None),
    ("tei:p except tei:p[1]", None),  # except binds tighter than '|': not split
    ("doc('other.xml')//tei:p", None),  # nodes of another document
    ("$nodes", None),
    ("(tei:p | tei:ab)/tei:hi", None),
])
def test_which_contexts_are_selected_directly(context, select):
    assert schematron._select_matching([context]) == select


def test_tei_generated_schematron_compiles_with_stable_rule_ids():
    compiled = schematron.compile_schematron(FIXTURE_SCH)
    rules = {rule for rule, _ in compiled.assertions}
    assert "sch:date-date-needs-when" in rules
    assert all(not rule.rstrip("0123456789").endswith("-") for rule in rules), rules


def test_compiled_stylesheet_is_cached_by_schema_hash(tmp_path):
    first = schematron.load(FEATURES, tmp_path)
    entries = list(tmp_path.glob("*.json"))
    assert len(entries) == 1
    assert json.loads(entries[0].read_text())["xslt"] == first.xslt
    entries[0].write_text(json.dumps({"xslt": "<cached/>", "assertions": []}))
    assert schematron.load(FEATURES, tmp_path).xslt == "<cached/>"  # read back, not compiled again
    copy = tmp_path / "changed.sch"
    copy.write_text(FEATURES.read_text().replace("'telegrams'", "'edition'"))
    assert schematron.load(copy, tmp_path).xslt != "<cached/>"


@pytest.mark.parametrize("text,words", [
    ("<schema", "not well-formed"),
    ("<schema xmlns='http://www.ascc.net/xml/schematron'/>", "not ISO Schematron"),
    ("<schema xmlns='http://purl.oclc.org/dsdl/schematron' queryBinding='exslt'/>", "queryBinding"),
    ("<schema xmlns='http://purl.oclc.org/dsdl/schematron'><pattern><rule context='*'>"
     "<assert>no test</assert></rule></pattern></schema>", "has no @test"),
    ("<schema xmlns='http://purl.oclc.org/dsdl/schematron'><pattern is-a='nothing'/></schema>",
     "no abstract pattern"),
])
def test_a_broken_schema_is_one_clear_finding(tmp_path, text, words):
    path = tmp_path / "broken.sch"
    path.write_text(text)
    with pytest.raises(FindingError) as caught:
        schematron.compile_schematron(path)
    assert caught.value.finding.rule == "schema-broken"
    assert words in caught.value.finding.message


def test_an_xpath_error_is_reported_when_the_stylesheet_compiles(tmp_path):
    path = tmp_path / "bad-xpath.sch"
    path.write_text("<schema xmlns='http://purl.oclc.org/dsdl/schematron'><pattern><rule context='*'>"
                    "<assert test='count(('>x</assert></rule></pattern></schema>")
    with pytest.raises(FindingError) as caught:
        schematron.Runner(schematron.compile_schematron(path), path)
    assert caught.value.finding.rule == "schema-broken"
    assert "does not compile" in caught.value.finding.message


def test_a_missing_schema_is_one_clear_finding(tmp_path):
    with pytest.raises(FindingError) as caught:
        schematron.compile_schematron(tmp_path / "absent.sch")
    assert caught.value.finding.rule == "schema-missing"


def test_paths_are_located_in_the_document():
    doc = parse(FIXTURES / "valid" / "tg-1950-11-07-mao-stalin.xml")
    tei = "Q{http://www.tei-c.org/ns/1.0}"
    assert schematron.locate_path(doc, f"/{tei}TEI[1]") == (4, 1)
    assert schematron.locate_path(doc, f"/{tei}TEI[1]/@Q{{http://www.w3.org/XML/1998/namespace}}id") == (4, 42)
    assert schematron.locate_path(doc, f"/{tei}TEI[1]/{tei}text[1]/@type") == (36, 9)
    assert schematron.locate_path(doc, f"/{tei}TEI[1]/{tei}text[1]/text()[1]") == (36, 3)
    assert schematron.locate_path(doc, "/") == (1, 1)


def test_more_attributes_than_saxon_reads_is_a_finding_never_raw_stderr(runner, capfd):
    attributes = " ".join(f'a{i}="1"' for i in range(250))
    document = parse_bytes(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text type="telegram">\n  <p {attributes}>x</p>'
                           f'</text></TEI>'.encode())
    capfd.readouterr()
    [finding] = runner.check(document)
    assert capfd.readouterr().err == "", "Saxon's own report is caught"
    assert (finding.line, finding.column, finding.rule) == (3, 3, "schematron-runtime")
    assert "<p> has 250 attributes, more than the 200" in finding.message
    os.write(2, b"after")  # the standard error is given back
    assert capfd.readouterr().err == "after"
    assert runner.check(parse_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text type="telegram"><p>On <date '
                                    b'when="1951-06-21">21 June</date></p></text></TEI>')) == []


def test_the_projects_messages_stay_under_200_characters():
    """Every assert and report of the project's ODD, each value it inserts counted as 20 characters."""
    odd = etree.parse(str(project.SCHEMA_DIR / "telegrams.odd"))
    sch = "{http://purl.oclc.org/dsdl/schematron}"
    too_long = []
    for message in (*odd.iter(sch + "assert"), *odd.iter(sch + "report")):
        parts = [message.text or ""]
        for child in message:
            parts += ["x" * 20 if child.tag in (sch + "value-of", sch + "name") else "".join(child.itertext()),
                      child.tail or ""]
        text = " ".join("".join(parts).split())
        if len(text) >= 200:
            too_long.append((message.sourceline, len(text)))
    assert not too_long, too_long
