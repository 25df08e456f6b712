"""The rules the corpus is held to are the validator's: each one is reported, once, at its place, with its code.

Each test changes a copy of a real document found by what it contains (never by its name) and validates the copy
of the whole edition."""

from __future__ import annotations

import shutil

from telegrams.xmlio import parse

from .conftest import XML_ID, documents_with, edit, find, first_with, validate

EDITORIAL = "//tei:note[@type='editorial'][substring(@resp, string-length(@resp) - 7) = '_editors']"


def _rules(findings) -> list[str]:
    return [f.rule for f in findings]


def test_the_copied_edition_is_clean(edition):
    assert [f for f in validate(edition / "tei") if f.severity == "error"] == []


def test_an_editorial_note_credited_to_another_respstmt(edition):
    path = first_with(edition / "tei", EDITORIAL + "/ancestor::tei:TEI//tei:respStmt[not(substring(@xml:id, "
                                                  "string-length(@xml:id) - 7) = '_editors')]")
    doc = edit(path, EDITORIAL, lambda note: note.set("resp", "#" + _other_respstmt(note)))
    note = find(doc, "//tei:note[@type='editorial'][@resp='#%s']" % _other_respstmt(doc.root))
    findings = validate(edition / "tei")
    assert _rules(findings) == ["resp-editors"], findings
    assert (findings[0].line, findings[0].file) == (doc.locate(note)[0], str(path))
    assert "_editors" in findings[0].message


def _other_respstmt(element) -> str:
    root = element.getroottree().getroot()
    return next(r.get(XML_ID) for r in root.iter("{*}respStmt") if not r.get(XML_ID, "").endswith("_editors"))


def test_an_editorial_note_without_resp(edition):
    path = first_with(edition / "tei", EDITORIAL)
    edit(path, EDITORIAL, lambda note: note.attrib.pop("resp"))
    assert "resp-editors" in _rules(validate(path))


def test_a_measure_whose_quantity_is_not_its_number(edition):
    path = first_with(edition / "tei", "//tei:measure[@quantity][.//tei:num/@value = @quantity]")
    doc = edit(path, "//tei:measure[@quantity][.//tei:num/@value = @quantity]",
               lambda measure: measure.set("quantity", measure.get("quantity") + "1"))
    findings = validate(path)
    assert _rules(findings) == ["measure-quantity"], findings
    assert findings[0].line == doc.locate(find(doc, "//tei:measure[.//tei:num/@value != @quantity]"))[0]


def test_xml_model_instructions_are_checked(edition):
    path = first_with(edition / "tei", "/tei:TEI[tei:teiHeader]")
    text = path.read_text(encoding="utf-8")
    assert 'href="../schema/telegrams.rng"' in text and 'href="../schema/telegrams.sch"' in text
    wrong = text.replace('href="../schema/telegrams.rng"', 'href="../../schema/telegrams.rng"', 1)
    wrong = wrong.replace('schematypens="http://purl.oclc.org/dsdl/schematron"',
                          'schematypens="http://relaxng.org/ns/structure/1.0"', 1)
    path.write_text(wrong, encoding="utf-8")
    findings = validate(path)
    assert _rules(findings) == ["xml-model-target", "xml-model-type"], findings
    assert 'href="../schema/telegrams.rng"' in findings[0].message  # the path that would be right
    assert "ISO Schematron" in findings[1].message


def test_xml_model_paths_are_relative_to_the_file(edition):
    path = first_with(edition / "tei", "/tei:TEI[tei:teiHeader]")
    (edition / "tei" / "more").mkdir()
    moved = edition / "tei" / "more" / path.name
    shutil.move(path, moved)
    findings = [f for f in validate(moved) if f.rule.startswith("xml-model")]
    assert [f.rule for f in findings] == ["xml-model-target", "xml-model-target"]
    assert 'href="../../schema/telegrams.rng"' in findings[0].message


def test_a_missing_register_entry_is_one_finding_with_its_uses_and_the_entry(edition):
    names = "//tei:text//tei:persName[starts-with(@ref, 'registers.xml#')]"
    first, second = (documents_with(edition / "tei", names) * 2)[:2]
    for path in (first, first, second):
        edit(path, f"({names})[not(@ref = 'registers.xml#pers-nobody')][1]",
             lambda name: name.set("ref", "registers.xml#pers-nobody"))
    uses = {path: list(dict.fromkeys(parse(path).locate(e)[0]
                                     for e in parse(path).root.xpath("//*[@ref='registers.xml#pers-nobody']")))
            for path in (first, second)}
    findings = [f for f in validate(edition / "tei") if f.severity == "error"]
    assert _rules(findings) == ["pointer"], findings
    message = findings[0].message
    assert "used 3 times" in message, message
    for path, lines in uses.items():
        assert f"{path} line{'s' * (len(lines) > 1)} {', '.join(map(str, lines))}" in message, message
    assert '<person xml:id="pers-nobody"><persName type="normalized">…</persName>' in message


def _rename(name, text: str) -> None:
    for child in list(name):
        name.remove(child)
    name.text = text


def test_a_name_not_among_its_entrys_forms(edition):
    registers = edition / "tei" / "registers.xml"
    listed = first_with(edition / "tei", "//tei:person[count(tei:persName) > 1]")
    assert listed == registers
    entry = find(parse(registers), "//tei:person[count(tei:persName) > 1]").get(XML_ID)
    using = f"//tei:text//tei:persName[@ref='registers.xml#{entry}']"
    path = first_with(edition / "tei", using)
    edit(path, using, lambda name: _rename(name, "Nobody Atall"))
    findings = validate(edition / "tei")
    assert _rules(findings) == ["register-form"], findings
    assert findings[0].severity == "warning" and '<persName type="form">Nobody Atall</persName>' in findings[0].message
