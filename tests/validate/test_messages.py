"""Recovery after a well-formedness error, and messages that say one mistake once and point the right way."""

from __future__ import annotations

import re

import pytest

from telegrams.project import TEI_DIR, corpus_files
from telegrams.validate import command

from .helpers import options

# the first document of the edition with what these tests edit (a closer, an organisation, a date)
SOURCE = next((p for p in corpus_files([str(TEI_DIR)]) if all(
    part in p.read_text(encoding="utf-8") for part in ("</closer>", "<orgName", "<date ", "</p>", "<titleStmt>"))),
    None)
_needs_source = pytest.mark.skipif(SOURCE is None, reason="no document of tei/ has a closer, an orgName and a date")


def _check(tmp_path, *edits: tuple[str, str]) -> list:
    text = SOURCE.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    folder = tmp_path / "tei"  # beside a link to schema/, so that the xml-model instructions resolve as in tei/
    folder.mkdir()
    (tmp_path / "schema").symlink_to(command.DEFAULT_RNG.parent, target_is_directory=True)
    path = folder / SOURCE.name
    path.write_text(text, encoding="utf-8")
    for name in set(re.findall(r'[\s"]([\w.-]+\.xml)[#"\s]', text)) - {SOURCE.name}:  # files it points into
        if (SOURCE.parent / name).is_file():
            (folder / name).write_bytes((SOURCE.parent / name).read_bytes())
    return command.validate([str(path)], options(rng=command.DEFAULT_RNG, sch=command.DEFAULT_SCH))[0]


def _line_of(text: str) -> int:
    return SOURCE.read_text(encoding="utf-8").split(text, 1)[0].count("\n") + 1


@_needs_source
def test_the_other_mistakes_of_a_file_that_is_not_well_formed_are_reported(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    p_end = text.index("</p>")
    later = text[p_end:]
    date = later[later.index("<date "):].split(">", 1)[0]
    name = later[later.index("<orgName"):].split("</orgName>", 1)[0] + "</orgName>"
    findings = _check(tmp_path, (text[p_end - 20:p_end + 4], text[p_end - 20:p_end]),
                      (date, date.replace(" when=", " wehn=")),
                      (name, name.replace("<orgName", "<orgname").replace("</orgName>", "</orgname>")))
    rules = [f.rule for f in findings]
    assert rules.count("well-formed") == 1, findings
    assert "rng-attribute" in rules and "rng-unknown" in rules, findings
    assert all("consequence" not in f.message for f in findings if f.rule != "well-formed"), findings


@_needs_source
def test_a_misspelled_start_tag_is_not_spread_to_its_end_tag(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    start = text[text.index("<orgName"):].split(">", 1)[0] + ">"
    findings = _check(tmp_path, (start, start.replace("<orgName", "<orgNmae")))
    assert len(findings) == 1 and findings[0].rule == "well-formed", findings
    assert "write <orgName>" in findings[0].message and "</orgNmae>" not in findings[0].message
    assert findings[0].line == _line_of(start)


@_needs_source
def test_a_misspelled_attribute_is_reported_once(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    date = text[text.index("<date "):].split(">", 1)[0]
    findings = _check(tmp_path, (date, date.replace(" when=", " wehn=")))
    assert [f.rule for f in findings] == ["rng-attribute"] and "did you mean @when" in findings[0].message


@_needs_source
def test_a_value_refused_by_relaxng_is_not_reported_again_by_schematron(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    date = text[text.index("<date "):].split(">", 1)[0]
    value = date.split('when="', 1)[1].split('"', 1)[0]
    findings = _check(tmp_path, (date, date.replace(value, value[:4] + "-02-30")))
    assert [f.rule for f in findings] == ["rng-datatype"], findings
    assert len(findings[0].message) < 200 and "(expected" not in findings[0].message


@_needs_source
def test_a_paragraph_after_the_closer_is_told_to_come_before_it(tmp_path):
    findings = _check(tmp_path, ("</closer>", "</closer><p>P.S.</p>"))
    assert len(findings) == 1 and "before <closer>" in findings[0].message, findings


@_needs_source
def test_one_too_many_says_how_many_are_allowed(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    block = text[text.index("<titleStmt>"):text.index("</titleStmt>") + len("</titleStmt>")]
    copy = re.sub(r'\sxml:id="[^"]*"', "", block)
    findings = _check(tmp_path, (block, block + copy))
    assert [f.message for f in findings] == ["one <titleStmt> too many in <fileDesc> (at most 1)"]


@_needs_source
def test_a_tei_element_outside_the_customization_is_named_as_such(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    name = text[text.index("<orgName"):].split("</orgName>", 1)[0] + "</orgName>"
    findings = _check(tmp_path, (name, f"<orig>{name}</orig>"))
    assert len(findings) == 1, findings
    assert findings[0].message == "<orig> is a TEI element (core module) that this customization leaves out"
    assert "did you mean" not in findings[0].message


@_needs_source
def test_inside_an_unknown_element_the_children_are_still_checked(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    name = text[text.index("<orgName"):].split("</orgName>", 1)[0] + "</orgName>"
    wrapped = "<location>" + name.replace("<orgName", '<orgName bogus="1"', 1) + "</location>"
    findings = _check(tmp_path, (name, wrapped))
    assert sorted(f.rule for f in findings) == ["rng-attribute", "rng-unknown"], findings


def test_long_lists_of_expected_names_wait_for_verbose():
    from io import StringIO

    from telegrams.findings import Finding
    from telegrams.validate import report

    names = tuple(f"<name{i}>" for i in range(60))
    finding = Finding("a.xml", 3, 4, "error", "rng-unknown", "element <x> is not defined in the schema", names)
    short, full = StringIO(), StringIO()
    report.human([finding], short, colour=False)
    report.human([finding], full, colour=False, verbose=True)
    line = short.getvalue().splitlines()[1].split(": error: ", 1)[1]
    assert len(line) < 200 and "--verbose" in line
    assert all(name in full.getvalue() for name in names)
    said = Finding("a.xml", 3, 4, "error", "rng-datatype", 'x is not an ISO date such as 1951-06-21, nor …',
                   ("an ISO date such as 1951-06-21", "a year such as 1951"))
    out = StringIO()
    report.human([said], out, colour=False)
    assert "(expected" not in out.getvalue()  # the message already says it


@pytest.mark.parametrize("start, end, advice", [
    ("orgNmae", "orgName", "write <orgName>"),      # the start tag holds the slip
    ("orgName", "orgNmae", "write </orgName>"),     # the end tag does
    ("recrod", "record", "correct whichever"),      # neither is a TEI name: no side taken
])
def test_a_mismatched_pair_of_tags_is_told_which_to_correct(start, end, advice):
    from telegrams.findings import FindingError
    from telegrams.validate import wellformed

    data = f'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<p><{start}>x</{end}></p>\n</TEI>'.encode()
    with pytest.raises(FindingError) as raised:
        wellformed.load("x.xml", data)
    message = raised.value.finding.message
    assert advice in message and f"write </{end}>" not in message and f"write <{start}>" not in message


@_needs_source
def test_a_tei_element_spelled_like_one_allowed_here_is_no_slip(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    name = text[text.index("<orgName"):].split(">", 1)[0]
    findings = _check(tmp_path, (name, name.replace("<orgName", "<orig", 1)),
                      ("</orgName>", "</orig>"))  # <orig>, a TEI element, one letter from <org>... or <orgName>
    assert len(findings) == 1 and "leaves out" in findings[0].message and "did you mean" not in findings[0].message


@_needs_source
def test_a_div_left_open_around_indented_divs_is_closed_at_their_end_not_before_them(tmp_path):
    """A start tag indented deeper than the open element is its child: the recovery does not close an outer <div>
    before an inner one (leaving it empty), but where the indentation comes back, before </body>."""
    text = SOURCE.read_text(encoding="utf-8")
    inside = text[text.index("<body>") + len("<body>"):text.index("</body>")]
    indent = inside[1:len(inside) - len(inside.lstrip())].rsplit("\n", 1)[-1] if inside.startswith("\n") else ""
    deeper = "\n".join(("  " + line) if line.strip() else line for line in inside.split("\n")[:-1])
    wrapped = f"\n{indent}<div>{deeper}\n{inside.split(chr(10))[-1]}"  # the new <div> is never closed
    findings = _check(tmp_path, (inside, wrapped))
    assert len(findings) == 1 and findings[0].rule == "well-formed", findings
    fixed = SOURCE.read_text(encoding="utf-8").replace(inside, wrapped, 1)
    last_line = fixed[:fixed.index("</body>")].rstrip().count("\n") + 1
    assert f"the schemas accept the file with it at line {last_line}," in findings[0].message, findings[0].message


@_needs_source
def test_in_a_long_file_the_findings_after_an_element_left_open_keep_their_places(tmp_path):
    """The tree recovered from a broken file is matched to the file's start tags around the break only: the
    elements before and after it are located one to one, however many there are."""
    text = SOURCE.read_text(encoding="utf-8")
    first_p = text.index("<p>", text.index("<body>"))
    end = text.index("</p>", first_p)
    last = text.rindex("</p>")
    many = "".join(f"\n<p>Paragraph {n}.</p>" for n in range(3000))
    late = '<p><date wehn="1951-01-01">1 January 1951</date></p>'
    findings = _check(tmp_path, (text[first_p:end + 4], text[first_p:end]),  # the first paragraph left open
                      (text[last:], "</p>" + many + late + text[last + 4:]))
    broken = SOURCE.read_text(encoding="utf-8")
    broken = broken[:first_p] + broken[first_p:end] + broken[end + 4:last] + "</p>" + many + late + broken[last + 4:]
    line = broken[:broken.index('wehn="')].count("\n") + 1
    column = broken.index('wehn="') - broken.rfind("\n", 0, broken.index('wehn="'))
    assert [f.rule for f in findings] == ["well-formed", "rng-attribute"], findings
    assert (findings[1].line, findings[1].column) == (line, column) and "consequence" not in findings[1].message
