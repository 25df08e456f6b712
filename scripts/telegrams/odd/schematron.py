"""Compiled ODD -> ISO Schematron: the English schematron constraints of the whole compiled document (§7).

Every constraintSpec[@scheme='schematron' or 'isoschematron']/constraint anywhere in the compiled ODD is taken,
in document order, when its in-scope language is English (a root without xml:lang counts as English). Bare
assertions get a derived rule context; @validUntil adds nonfatal deprecation reports; roles are kept as written.
"""

from __future__ import annotations

import copy

from lxml import etree

from .customize import T, TEIX_NS

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
S = "{%s}" % SCH_NS
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
SQF_NS = "http://www.schematron-quickfix.com/validator/process"
TEI_NS = T[1:-1]
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def sch(tag: str, text: str | None = None, **attrib) -> etree._Element:
    node = etree.Element(S + tag, {k: v for k, v in attrib.items() if v is not None})
    node.text = text
    return node


class SchematronWriter:
    def __init__(self, compiled: etree._ElementTree, lang: str = "en"):
        self.root = compiled.getroot()
        self.lang = lang
        self.schema_spec = next(self.root.iter(T + "schemaSpec"), None)
        self.generated: dict[str, str] = {}  # namespace URI -> generated esp- prefix

    def in_language(self, node) -> bool:
        """XPath lang(): the nearest xml:lang, the root counting as English when it has none."""
        current = node
        while current is not None:
            value = current.get(XML_LANG)
            if value is not None:
                value = value.lower()
                return value == self.lang or value.startswith(self.lang + "-")
            current = current.getparent()
        return True

    def prefix_for(self, node) -> str:
        """The namespace prefix (with ':') for an elementSpec's or attDef's namespace, as extract-isosch picks it."""
        if node.tag == T + "attDef":
            uri = node.get("ns", "")
        else:
            holder = next((a for a in [node, *node.iterancestors()] if a.get("ns")), None)
            uri = holder.get("ns") if holder is not None else TEI_NS
        if uri == "":
            return ""
        if uri == TEI_NS:
            return "tei:"
        if uri == TEIX_NS:
            return "teix:"
        if self.schema_spec is not None:
            for ns in self.schema_spec.iter(S + "ns"):
                if ns.get("uri") == uri:
                    return ns.get("prefix") + ":"
        for prefix, value in (node.nsmap or {}).items():
            if value == uri and prefix:
                return prefix + ":"
        if uri not in self.generated:
            self.generated[uri] = f"esp-{len(self.generated) + 1}"
        return self.generated[uri] + ":"

    def context(self, node) -> str:
        ancestors = list(node.iterancestors())
        att = next((a for a in ancestors if a.tag == T + "attDef"), None)
        element = next((a for a in ancestors if a.tag == T + "elementSpec"), None)
        in_class = any(a.tag == T + "classSpec" for a in ancestors)
        if att is not None and in_class and (element is None or ancestors.index(element) > ancestors.index(att)):
            return "@" + self.prefix_for(att) + att.get("ident", "")
        if att is not None and element is not None:
            return self.prefix_for(element) + element.get("ident", "") + "/@" + self.prefix_for(att) + att.get("ident", "")
        if in_class:
            return "*"
        if element is not None:
            return self.prefix_for(element) + element.get("ident", "")
        if any(a.tag == T + "macroSpec" for a in ancestors):
            return ""
        if any(a.tag == T + "schemaSpec" for a in ancestors):
            return "/"
        return ""

    def copied(self, node) -> list:
        """Copy Schematron/XSLT content, dropping sch:ns, sch:key and quick fixes (declared elsewhere or unused)."""
        if not isinstance(node.tag, str):
            return []
        if not (node.tag.startswith(S) or node.tag.startswith("{%s}" % XSL_NS)):
            return [c for child in node for c in self.copied(child)]
        if node.tag in (S + "ns", S + "key"):
            return []
        out = copy.deepcopy(node)
        out.tail = None
        for doomed in [d for d in out.iter() if isinstance(d.tag, str) and d is not out and
                       (d.tag in (S + "ns", S + "key") or d.tag.startswith("{%s}" % SQF_NS))]:
            _remove(doomed)
        for rule, original in zip(out.iter(S + "rule"), node.iter(S + "rule")):
            if not rule.get("context"):
                rule.set("context", self.context(original))
        return [out]

    def schema(self) -> etree._Element:
        binding = next((d.get("queryBinding") for d in self.root.iter(T + "constraintDecl")
                        if d.get("scheme") == "schematron" and d.get("queryBinding")), "xslt2")
        out = etree.Element(S + "schema", nsmap={None: SCH_NS}, queryBinding=binding)
        out.append(sch("title", "ISO Schematron rules"))
        declared = set()
        for ns in self.root.iter(S + "ns"):
            if self.in_language(ns) and ns.get("prefix") != "xsl":
                out.append(sch("ns", prefix=ns.get("prefix"), uri=ns.get("uri")))
                declared.add((ns.get("prefix"), ns.get("uri")))
        for key in self.root.iter("{%s}key" % XSL_NS):
            if self.in_language(key):
                out.extend(self.copied(key))
        for decl in self.root.iter(T + "constraintDecl"):
            if decl.get("scheme") == "schematron":
                for child in decl:
                    if isinstance(child.tag, str) and child.tag != S + "ns":
                        out.extend(self.copied(child))
        patterns = []
        for constraint in self.root.iter(T + "constraint"):
            spec = constraint.getparent()
            if spec is None or spec.tag != T + "constraintSpec":
                continue
            if spec.get("scheme") not in ("schematron", "isoschematron") or not self.in_language(constraint):
                continue
            made = self.constraint_patterns(constraint)
            for pattern in made:  # the constraint's name becomes the rule id editors see in findings
                if pattern.get("id") is None and spec.get("ident"):
                    pattern.set("id", spec.get("ident"))
            patterns.extend(made)
        patterns.extend(self.deprecations())
        patterns.extend(self.parameter_lists())
        _make_ids_unique(patterns)
        implicit = self.implicit_namespaces()
        for prefix, uri in sorted(implicit):
            if (prefix, uri) not in declared:
                out.append(sch("ns", prefix=prefix, uri=uri))
        out.extend(patterns)
        return out

    def implicit_namespaces(self) -> set:
        found = set()
        for node in self.root.iter(T + "attDef", T + "elementSpec", T + "schemaSpec"):
            prefix = self.prefix_for(node)
            uri = TEI_NS if prefix == "tei:" else None
            if prefix and prefix != "tei:":
                if node.tag == T + "attDef":
                    uri = node.get("ns")
                else:
                    holder = next((a for a in [node, *node.iterancestors()] if a.get("ns")), None)
                    uri = holder.get("ns") if holder is not None else TEI_NS
            if prefix and uri and uri != XSL_NS:
                found.add((prefix[:-1], uri))
        return found

    def constraint_patterns(self, constraint) -> list:
        children = [c for c in constraint if isinstance(c.tag, str)]
        tags = {c.tag for c in children}
        if S + "pattern" in tags:
            return [p for c in constraint for p in self.copied(c) if isinstance(p.tag, str)]
        if S + "rule" in tags:
            pattern = sch("pattern")
            for c in constraint:
                pattern.extend(self.copied(c))
            return [pattern]
        if tags & {S + "assert", S + "report", S + "extends"}:
            rule = sch("rule", context=self.context(children[0]))
            for c in constraint:
                rule.extend(self.copied(c))
            pattern = sch("pattern")
            pattern.append(rule)
            return [pattern]
        return [p for c in constraint for p in self.copied(c) if isinstance(p.tag, str)]

    def deprecations(self) -> list:
        patterns = []
        message = "will be removed from the TEI on"
        for node in self.root.iter():
            if not isinstance(node.tag, str) or not node.get("validUntil") or not node.tag.startswith(T):
                continue
            until = node.get("validUntil")
            ancestors = list(node.iterancestors())
            element = next((a for a in ancestors if a.tag == T + "elementSpec"), None)
            cls = next((a for a in ancestors if a.tag == T + "classSpec"), None)
            if node.tag == T + "attDef" and element is not None:
                context = self.prefix_for(element) + element.get("ident")
                test = "@" + self.prefix_for(node) + node.get("ident")
                shown = self.prefix_for(element) if self.prefix_for(element) != "tei:" else ""
                text = (f"WARNING: use of deprecated attribute — @{node.get('ident')} of the "
                        f"{shown}{element.get('ident')} element {message} {until}.")
            elif node.tag == T + "attDef" and cls is not None:
                ident = cls.get("ident")
                if "global" in ident:
                    context = "tei:*"
                else:
                    members = [e for e in self.root.iter(T + "elementSpec")
                               if any(m.get("key") == ident for m in e.iter(T + "memberOf"))]
                    context = "|".join(self.prefix_for(e) + e.get("ident") for e in members)
                test = "@" + node.get("ident")
                text = (f"WARNING: use of deprecated attribute — @{node.get('ident')} of the ",
                        f" element {message} {until}.")
            elif node.tag == T + "elementSpec":
                context, test = self.prefix_for(node) + node.get("ident"), "true()"
                text = ("WARNING: use of deprecated element — The ", f" element {message} {until}.")
            elif node.tag == T + "valItem" and element is not None:
                att = next((a for a in ancestors if a.tag == T + "attDef"), None)
                name = att.get("ident") if att is not None else ""
                context = self.prefix_for(element) + element.get("ident")
                test = f"@{name} eq '{node.get('ident')}'"
                text = (f"WARNING: use of deprecated attribute value — The the value '{node.get('ident')}' of "
                        f"@{name} of the {element.get('ident')} element {message} {until}.")
            elif node.tag == T + "macroSpec":
                context = "tei:dataRef|rng:ref"
                test = f"concat(normalize-space(@key), normalize-space(@name)) eq '{node.get('ident')}'"
                text = f"WARNING: reference to deprecated macro — '{node.get('ident')}' {message} {until}."
            else:
                continue
            if not context:
                continue
            pattern = sch("pattern")
            rule = etree.SubElement(pattern, S + "rule", context=context)
            report = etree.SubElement(rule, S + "report", test=test, role="nonfatal")
            if isinstance(text, tuple):  # the message names the element in context: <name/>
                report.text = text[0]
                etree.SubElement(report, S + "name").tail = text[1]
            else:
                report.text = text
            patterns.append(pattern)
        return patterns


    def parameter_lists(self) -> list:
        """Processing-model parameters: a param of a model with behaviour B must be one B declares."""
        patterns = []
        for params in self.root.iter(T + "paramList"):
            behaviour = params.getparent().get("ident", "") if params.getparent().tag == T + "valItem" else ""
            names = [p.get("ident", "") for p in params.iter(T + "paramSpec")]
            pattern = sch("pattern")
            rule = etree.SubElement(pattern, S + "rule",
                                    context=f"tei:param[parent::tei:model/@behaviour='{behaviour}']")
            test = " or ".join(f"@name='{n}'" for n in names)
            check = etree.SubElement(rule, S + "assert", test=test, role="error")
            check.text = "Parameter name '"
            etree.SubElement(check, S + "value-of", select="@name").tail = "' (on "
            etree.SubElement(check, S + "value-of", select="ancestor::tei:elementSpec/@ident").tail = (
                ") not allowed. Must be drawn from the list: " + ", ".join(names))
            patterns.append(pattern)
        return patterns


def _make_ids_unique(patterns: list) -> None:
    """Number repeated pattern ids (a constraint copied twice, or two specs with one constraint name): xs:ID."""
    seen: dict[str, int] = {}
    for pattern in patterns:
        ident = pattern.get("id")
        if ident is None:
            continue
        seen[ident] = seen.get(ident, 0) + 1
        if seen[ident] > 1:
            pattern.set("id", f"{ident}-{seen[ident]}")


def _remove(node) -> None:
    parent, tail = node.getparent(), node.tail
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def to_schematron(compiled: etree._ElementTree) -> etree._ElementTree:
    """Return the ISO Schematron schema (an lxml tree) extracted from a compiled ODD."""
    return etree.ElementTree(SchematronWriter(compiled).schema())
