"""The safe parser: positions, refusals, plain messages, atomic writes."""

import os

import pytest

from telegrams.findings import FindingError
from telegrams.xmlio import TEI_NS, parse, parse_bytes, require_tei, write_atomic

DOC = f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="{TEI_NS}">
  <text><body><p>One <persName
     ref="registers.xml#pers-mao">MAO</persName> and <date when="1950-11-07">7.11.50</date></p>
  <!-- a comment with <fake> tag --><p n="2">Два</p></body></text>
</TEI>
"""


def test_locate_gives_line_and_column_of_each_start_tag():
    doc = parse_bytes(DOC.encode(), "t.xml")
    ns = {"t": TEI_NS}
    pers = doc.root.find(".//t:persName", ns)
    date = doc.root.find(".//t:date", ns)
    second = doc.root.findall(".//t:p", ns)[1]
    assert doc.locate(doc.root) == (2, 1)
    assert doc.locate(pers) == (3, 22)
    assert doc.locate(date) == (4, 54)
    assert doc.locate(second) == (5, 37)  # the <fake> inside the comment is not counted


def test_locate_attribute_points_at_the_attribute_name():
    doc = parse_bytes(DOC.encode(), "t.xml")
    pers = doc.root.find(f".//{{{TEI_NS}}}persName")
    assert doc.locate_attribute(pers, "ref") == (4, 6)


@pytest.mark.parametrize(
    "text, line, column, words",
    [
        ("<TEI>\n<p>x</div>\n</TEI>", 2, 11, "does not match the start tag <p>"),
        ("<TEI>\n<p>x", 2, 5, "ends before"),
        ("<TEI a='1' a='2'/>", 1, 17, "given twice"),
        ("<TEI>&nbsp;</TEI>", 1, 12, "&nbsp; is not defined"),
        ("<TEI/><TEI/>", 1, 7, "after the end of the root element"),
    ],
)
def test_well_formedness_errors_are_plain_and_located(text, line, column, words):
    with pytest.raises(FindingError) as caught:
        parse_bytes(text.encode(), "bad.xml")
    finding = caught.value.finding
    assert (finding.file, finding.line, finding.column) == ("bad.xml", line, column)
    assert words in finding.message


@pytest.mark.parametrize(
    "text",
    [
        '<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]><TEI>&x;</TEI>',
        '<!DOCTYPE TEI SYSTEM "http://example.org/evil.dtd"><TEI/>',
        '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><l>&c;&c;&c;</l>',
    ],
)
def test_doctypes_and_entities_are_refused(text):
    with pytest.raises(FindingError) as caught:
        parse_bytes(text.encode(), "evil.xml")
    assert caught.value.finding.rule in ("doctype", "well-formed")
    assert "passwd" not in caught.value.finding.message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(FindingError, match="no such file"):
        parse(tmp_path / "nothing.xml")
    with pytest.raises(FindingError, match="directory"):
        parse(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file, so unreadability cannot be tested")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.xml"
    path.write_text("<TEI/>")
    path.chmod(0)
    with pytest.raises(FindingError, match="permission denied"):
        parse(path)


def test_utf16_file_is_read_and_positions_count_characters():
    data = f'<?xml version="1.0" encoding="UTF-16"?>\n<TEI xmlns="{TEI_NS}"><p>й</p></TEI>'.encode("utf-16")
    doc = parse_bytes(data, "u16.xml")
    assert doc.locate(doc.root[0]) == (2, 42)


def test_invalid_utf8_is_a_finding():
    with pytest.raises(FindingError, match="UTF-8"):
        parse_bytes(b"<TEI>\xff\xfe</TEI>", "bin.xml")


@pytest.mark.parametrize(
    "text, words",
    [
        ("<html/>", "not a TEI document"),
        ("<TEI/>", "in no namespace"),
        ('<TEI xmlns="http://example.org/"/>', "must be in the TEI namespace"),
    ],
)
def test_require_tei(text, words):
    with pytest.raises(FindingError, match=words):
        require_tei(parse_bytes(text.encode(), "x.xml"))
    require_tei(parse_bytes(f'<TEI xmlns="{TEI_NS}"/>'.encode(), "ok.xml"))


def test_write_atomic_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out" / "a.txt"
    write_atomic(target, "first")
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_start_tags_are_those_of_the_full_markup_scan():
    """`start_tags` skips the full scan for the usual text: on texts built from every kind of markup, broken or
    not (a comment holding '<', an unclosed PI, a name running into '<'), it finds the same offsets."""
    import random

    from telegrams import xmlio

    def scanned(text):
        return [match.start() for match in xmlio._MARKUP.finditer(text) if match.group(1)]

    pieces = ["<", ">", "/", "!", "?", "-", "-->", "<!--", "<![CDATA[", "]]>", "<?", "?>", " ", "\n", "\u3000", "a",
              "<a", "</a>", "<a/>", "<!DOCTYPE", "=", '"', "'", "<b c='<'>", "<t:p n=\"1\">"]
    generator = random.Random(19)
    usual = 0
    for _ in range(5000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(0, 12)))
        usual += xmlio._UNUSUAL_MARKUP.search(text) is None
        assert xmlio.start_tags(text) == scanned(text), repr(text)
    assert 500 < usual < 4500  # both ways were taken
    tags = xmlio.start_tags(DOC)
    assert tags == scanned(DOC) and DOC.index("<fake>") not in tags
    assert len(tags) == len(list(parse_bytes(DOC.encode(), "t.xml").root.iter("{*}*")))


def test_an_attribute_is_found_as_the_tag_s_attribute_loop_finds_it(monkeypatch):
    """`locate_attribute` finds a usual attribute with one regex: on start tags built from every piece that could
    mislead it (a name inside a value, a longer or prefixed name, a broken value), it finds the attribute that
    the loop over the tag's attributes finds first, or nothing where that loop finds nothing."""
    import random

    from telegrams import xmlio

    def looped(text, name):
        position = xmlio._TAG_NAME.match(text, 0).end()
        while (match := xmlio._ATTRIBUTE.match(text, position)) is not None:
            if match[1] == name:
                return match.start(1)
            position = match.end()
        return None

    monkeypatch.setattr(xmlio, "_ATTRIBUTE_PATTERNS", {})  # whatever names this process located before
    pieces = [" ", "\n", "ref", "xml:id", "id", "a:ref", "refx", "=", '"', "'", '"v"', "'w'", '"a>b ref=1"', ">", "/",
              " = ", "ref=", ' ref="1"', " xml:id='i'"]
    generator = random.Random(19)
    found = 0
    for _ in range(5000):
        text = "<p" + "".join(generator.choice(pieces) for _ in range(generator.randint(0, 10)))
        for name in ("ref", "xml:id", "id"):
            match = xmlio._attribute_in_tag(name).match(text, 0)
            assert (match.start(1) if match else None) == looped(text, name), (text, name)
            found += match is not None
    assert 500 < found < 12000  # both found and not found were tried


def test_attributes_are_located_alike_once_the_patterns_run_out(monkeypatch):
    """Past `_MOST_PATTERNS` names, an attribute is located from the table of its tag's attributes, at the same
    place (a file with thousands of names compiles no more patterns)."""
    from lxml import etree

    from telegrams import xmlio

    text = DOC.replace('<p n="2">', '<p n="2" xml:id="p2" a:n="3" xmlns:a="urn:a">')
    names = ["n", "ref", "when", "{http://www.w3.org/XML/1998/namespace}id", "xml:id", "id", "{urn:a}n", "absent"]
    def located():
        doc = parse_bytes(text.encode(), "t.xml")
        return [doc.locate_attribute(element, name) for element in doc.root.iter(etree.Element) for name in names]

    monkeypatch.setattr(xmlio, "_ATTRIBUTE_PATTERNS", {})
    with_patterns = located()
    assert xmlio._ATTRIBUTE_PATTERNS  # the patterns were used
    monkeypatch.setattr(xmlio, "_MOST_PATTERNS", 0)
    monkeypatch.setattr(xmlio, "_ATTRIBUTE_PATTERNS", {})
    assert located() == with_patterns and not xmlio._ATTRIBUTE_PATTERNS
    assert (4, 6) in with_patterns and len(set(with_patterns)) > 5  # `ref` on its own line; no constant list
