"""A small ISO Schematron runner for the schema tests: isosch -> XSLT 3 stylesheet -> saxonche -> findings.

It handles what the TEI's extraction produces (ns, let, pattern, rule, assert, report, name, value-of): enough to
check the ODD's rules against fixtures. The validator's own runner (telegrams.validate.schematron) maps findings to
lines and caches compiled stylesheets; the tests only need which rule fired, with which role, where.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

SCH = "{http://purl.oclc.org/dsdl/schematron}"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
XSL = "{%s}" % XSL_NS


@dataclass(frozen=True)
class SchFinding:
    pattern: str
    role: str
    path: str
    message: str


def _message(test, out) -> None:
    """Copy an assertion's message into the stylesheet, turning name/value-of into XSLT."""
    if test.text:
        etree.SubElement(out, XSL + "text").text = test.text
    for child in test:
        if child.tag == SCH + "name":
            etree.SubElement(out, XSL + "value-of", select=f"name({child.get('path') or '.'})")
        elif child.tag == SCH + "value-of":
            etree.SubElement(out, XSL + "value-of", select=child.get("select"))
        else:
            etree.SubElement(out, XSL + "text").text = child.xpath("string()")
        if child.tail:
            etree.SubElement(out, XSL + "text").text = child.tail


def to_xslt(schema_root) -> bytes:
    """Return an XSLT 3 stylesheet that reports every failed assert and successful report of the schema."""
    namespaces = {ns.get("prefix"): ns.get("uri") for ns in schema_root.iter(SCH + "ns")}
    namespaces["xsl"] = XSL_NS
    sheet = etree.Element(XSL + "stylesheet", nsmap=namespaces, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    for let in schema_root.findall(SCH + "let"):
        etree.SubElement(sheet, XSL + "variable", name=let.get("name"), select=let.get("value"))
    main = etree.SubElement(etree.SubElement(sheet, XSL + "template", match="/"), "findings")
    for number, pattern in enumerate(schema_root.findall(SCH + "pattern")):
        mode = f"pattern{number}"
        etree.SubElement(main, XSL + "apply-templates", select="/", mode=mode)
        # Within a pattern only the first matching rule fires on a node: earlier rules get higher priority.
        for order, rule in enumerate(pattern.findall(SCH + "rule")):
            template = etree.SubElement(sheet, XSL + "template", match=rule.get("context"), mode=mode,
                                        priority=str(1000 - order))
            for let in rule.findall(SCH + "let"):
                etree.SubElement(template, XSL + "variable", name=let.get("name"), select=let.get("value"))
            for test in rule:
                if test.tag not in (SCH + "assert", SCH + "report"):
                    continue
                condition = test.get("test") if test.tag == SCH + "report" else f"not({test.get('test')})"
                found = etree.SubElement(etree.SubElement(template, XSL + "if", test=condition), "finding",
                                         role=test.get("role") or "error", pattern=pattern.get("id") or mode)
                etree.SubElement(found, XSL + "attribute", name="path", select="path()")
                _message(test, found)
            etree.SubElement(template, XSL + "apply-templates", select="@*|node()", mode=mode)
        walk = etree.SubElement(sheet, XSL + "template", match="node()|@*", mode=mode, priority="-10")
        etree.SubElement(walk, XSL + "apply-templates", select="@*|node()", mode=mode)
    return etree.tostring(sheet)


class SchematronRunner:
    """Compile an isosch once, then check documents with it."""

    def __init__(self, isosch_path):
        from saxonche import PySaxonProcessor

        self._processor = PySaxonProcessor(license=False)
        schema = etree.parse(str(isosch_path)).getroot()
        compiler = self._processor.new_xslt30_processor()
        self._executable = compiler.compile_stylesheet(stylesheet_text=to_xslt(schema).decode("utf-8"))

    def check(self, path) -> list[SchFinding]:
        node = self._processor.parse_xml(xml_file_name=str(path))
        result = etree.fromstring(self._executable.transform_to_string(xdm_node=node).encode("utf-8"))
        return [SchFinding(f.get("pattern"), f.get("role"), f.get("path"), " ".join((f.text or "").split()))
                for f in result]
