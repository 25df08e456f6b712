"""Compiled ODD -> RELAX NG (XML syntax), with the same patterns and clean-up semantics as the official chain.

Generation first writes one define per element, class variant, class attribute, macro and anyElement (the
"first pass"), then runs the clean-up passes of odd-processing.md §2/§5: references to undefined patterns are
removed (an only child becomes <empty/>), single-child groups are unwrapped, emptied choices become <empty/>,
repeats of nothing vanish. The clean-up rules are observable behaviour that decides verdicts, so they are kept
as the official chain applies them, including the defect listed in divergences.py (#32).
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .customize import R, RNG_NS, T, TEIX_NS, kids, kids_path, local, occurs, tokens
from .documentation import annotate
from .source import SPEC_TAGS

A_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
XSD = "http://www.w3.org/2001/XMLSchema-datatypes"
XML_NS = "http://www.w3.org/XML/1998/namespace"
TEI_NS = T[1:-1]
VARIANTS = ("", "_alternation", "_sequence", "_sequenceOptional", "_sequenceOptionalRepeatable",
            "_sequenceRepeatable")
VARIANT_RE = re.compile(r"_(alternation|sequenceOptionalRepeatable|sequenceOptional|sequenceRepeatable|sequence)$")
RAW = "{urn:telegrams:odd}raw"  # marks refs from content with autoPrefix="false": never removed


def rng(tag: str, *children, **attrib) -> etree._Element:
    node = etree.Element(R + tag, {k: v for k, v in attrib.items() if v is not None})
    for child in children:
        node.append(child)
    return node


def elements(node) -> list:
    return [c for c in node if isinstance(c.tag, str)]


class RelaxNGWriter:
    """Turns one compiled ODD into a RELAX NG grammar."""

    def __init__(self, compiled: etree._ElementTree):
        root = compiled.getroot()
        self.schema = next(root.iter(T + "schemaSpec"))
        self.prefix = self.schema.get("prefix", "")
        self.specs = [c for c in self.schema if c.tag in SPEC_TAGS]
        self.idents: dict[str, list] = {}
        for spec in self.specs:
            self.idents.setdefault(spec.get("ident"), []).append(spec)
        self.att_classes = {s.get("ident"): s for s in self.specs
                            if s.tag == T + "classSpec" and s.get("type") == "atts"}
        self.members: dict[str, list] = {}
        for spec in self.specs:
            if spec.tag in (T + "elementSpec", T + "classSpec"):
                for m in kids_path(spec, "classes", "memberOf"):
                    self.members.setdefault(m.get("key"), []).append(spec)
        self.any_names: dict = {}  # anyElement node -> its define's name (the dict keeps the proxies alive)
        self.imported: list = []  # the divs of moduleRef/@url grammars

    # -- names --------------------------------------------------------------------------------------------------
    def spec(self, ident: str):
        found = self.idents.get(ident)
        return found[0] if found else None

    def pattern_name(self, ident: str) -> str:
        spec = self.spec(ident)
        prefix = spec.get("prefix") if spec is not None and spec.get("prefix") is not None else self.prefix
        return prefix + ident

    def ref_name(self, name: str, raw: bool) -> str:
        """Prefix a reference when it names a spec (or a variant of one), unless autoPrefix is off."""
        if raw:
            return name
        base = VARIANT_RE.sub("", name)
        if self.spec(base) is not None:
            return self.pattern_name(base) + name[len(base):]
        return name

    # -- the whole grammar --------------------------------------------------------------------------------------
    def grammar(self) -> etree._Element:
        grammar = etree.Element(R + "grammar", nsmap={None: RNG_NS, "a": A_NS},
                                datatypeLibrary=XSD, ns=self.schema.get("ns") or TEI_NS)
        defines = [self.external(module) for module in kids(self.schema, "moduleRef") if module.get("url")]
        for spec in self.specs:
            if spec.tag in (T + "macroSpec", T + "dataSpec"):
                defines.extend(self.macro(spec))
        for n, node in enumerate(self.schema.iter(T + "anyElement"), 1):
            owner = next((a for a in node.iterancestors(T + "elementSpec", T + "macroSpec")), None)
            name = f"anyElement_{owner.get('ident') if owner is not None else ''}_{n}"
            self.any_names[node] = name
            defines.append(self.any_element(node, name))
        for spec in self.specs:
            if spec.tag == T + "elementSpec":
                defines.append(self.element(spec))
            elif spec.tag == T + "classSpec":
                defines.extend(self.model_class(spec) if spec.get("type") != "atts" else self.attribute_class(spec))
        grammar.extend(defines)
        grammar.append(self.start())
        cleanup(grammar, self.prefix, self.imported)
        return grammar

    def external(self, module) -> etree._Element:
        """moduleRef/@url: the imported grammar (prepared by customize) and the moduleRef's own RELAX NG, in a div
        that the clean-up passes leave alone, as the official chain does."""
        div = rng("div")
        self.imported.append(div)
        for child in module:
            if child.tag == R + "div":
                div.append(copy.deepcopy(child))
            elif child.tag == T + "content":
                div.append(rng("div", *[copy.deepcopy(c) for c in elements(child)]))
        return div

    def start(self) -> etree._Element:
        value = self.schema.get("start")
        if value is not None and not value.strip():
            return rng("start", rng("notAllowed"))
        if value:
            return rng("start", rng("choice", *[rng("ref", name=n) for n in value.split()]))
        if self.spec("teiCorpus") is not None:
            return rng("start", rng("choice", rng("ref", name=self.prefix + "TEI"),
                                    rng("ref", name=self.prefix + "teiCorpus")))
        return rng("start", rng("ref", name=self.prefix + "TEI"))

    # -- elements -----------------------------------------------------------------------------------------------
    def element(self, spec) -> etree._Element:
        define = rng("define", name=self.pattern_name(spec.get("ident")))
        content = kids(spec, "content")
        if content and any(c.tag == R + "notAllowed" for c in content[0]):
            define.append(rng("notAllowed"))
            return define
        alt = kids(spec, "altIdent")
        name = " ".join(alt[0].text.split()) if alt and alt[0].text else spec.get("ident")
        element = rng("element", name=name, ns=spec.get("ns"))
        define.append(element)
        closed = [v for v in kids(spec, "valList") if v.get("type") == "closed"]
        body = []
        if closed:
            body = [self.values(kids(spec, "valList"))]
        elif content:
            raw = content[0].get("autoPrefix") == "false"
            for child in elements(content[0]):
                body.extend(self.pattern(child, raw=raw))
        element.extend(body or [rng("empty")])
        has_attributes = (any(True for _ in spec.iter(T + "attDef", T + "attRef"))
                          or any(m.get("key") in self.att_classes for m in kids_path(spec, "classes", "memberOf")))
        if has_attributes:
            element.extend(self.element_attributes(spec))
            element.append(rng("empty"))
        return define

    def element_attributes(self, spec) -> list:
        """Class attribute refs, element-level overrides resolved (classatts), then local attributes."""
        local_defs = list(spec.iter(T + "attDef"))
        by_ident: dict[str, list] = {}
        for att in local_defs:
            by_ident.setdefault(att.get("ident"), []).append(att)
        out, encountered = [], set()
        for member in kids_path(spec, "classes", "memberOf"):
            cls = self.att_classes.get(member.get("key"))
            if cls is None:
                continue
            inherited = self.class_attribute_walk(cls)
            if not local_defs or not any(att.get("ident") in by_ident for _, att in inherited):
                out.append(rng("ref", name=self.pattern_name(cls.get("ident")) + ".attributes"))
                continue
            for owner, att in inherited:
                ident = att.get("ident")
                encountered.add(ident)
                if ident not in by_ident:
                    out.append(rng("ref", name=self.pattern_name(owner.get("ident")) + ".attribute."
                                   + ident.replace(":", "")))
                    continue
                for mine in by_ident[ident]:
                    if mine.get("mode") == "delete":
                        continue
                    if mine.get("mode") in (None, "replace"):
                        out.extend(self.attribute(mine))
                    else:
                        out.extend(self.attribute(merge_class_attribute(mine, att)))
        for att_list in kids(spec, "attList"):
            for child in elements(att_list):
                out.extend(self.local_attribute_item(child, encountered))
        return out

    def local_attribute_item(self, node, encountered: set) -> list:
        if node.tag == T + "attDef":
            mode = node.get("mode")
            if mode == "replace" and node.get("ident") not in encountered:
                return self.attribute(node)
            if mode and mode != "add":
                return []
            return self.attribute(node)
        if node.tag == T + "attRef":
            return self.attribute_ref(node)
        if node.tag == T + "attList":
            inner = [p for c in elements(node) for p in self.local_attribute_item(c, encountered)]
            if not inner:
                return []
            if node.get("org") == "choice":
                return [rng("choice", *inner)]
            if node.get("org") == "group" and node.getparent().get("org") == "choice":
                return [rng("group", *inner)]
            return inner
        return []

    def attribute_ref(self, node) -> list:
        cls = node.get("class")
        if cls:
            if self.spec(cls) is None:
                return []
            suffix = ".attributes" if not node.get("name") else ".attribute." + node.get("name").replace(":", "")
            return [rng("ref", name=self.pattern_name(cls) + suffix)]
        return [rng("ref", name=node.get("name"))] if node.get("name") else []

    def class_attribute_walk(self, cls, seen=()) -> list:
        """(class, attDef) for every attribute of an attribute class and, recursively, of its superclasses."""
        if cls.get("ident") in seen:
            return []
        seen = seen + (cls.get("ident"),)
        found = [(cls, att) for att in cls.iter(T + "attDef")]
        for member in kids_path(cls, "classes", "memberOf"):
            parent = self.att_classes.get(member.get("key"))
            if parent is not None:
                found.extend(self.class_attribute_walk(parent, seen))
        return found

    # -- attributes ---------------------------------------------------------------------------------------------
    def attribute(self, att) -> list:
        ident = att.get("ident", "")
        if ident.startswith("xmlns"):
            return []
        alt = kids(att, "altIdent")
        if alt and alt[0].text:
            name = " ".join(alt[0].text.split())
        else:
            name = ("xml:" if att.get("ns") == XML_NS else "") + ident
        node = rng("attribute", name=name, ns=att.get("ns") if att.get("ns") != XML_NS else None)
        default = kids(att, "defaultVal")
        if default and (default[0].text or "").strip():
            node.set("{%s}defaultValue" % A_NS, " ".join(default[0].text.split()))
        datatype = kids(att, "datatype")
        low, high = occurs(datatype[0]) if datatype else (1, 1)
        data = lambda: self.attribute_data(att)  # noqa: E731 (built afresh for every copy)
        if (low, high) == (0, 1):
            node.append(rng("optional", *data()))
        elif not datatype or high == 1 or any(c.tag == R + "text" for c in datatype[0]):
            node.extend(data())
        else:
            lst = rng("list")
            if high == -1 and low == 1:
                lst.append(rng("oneOrMore", *data()))
            else:
                for _ in range(low):
                    lst.extend(data())
                if high == -1:
                    lst.append(rng("zeroOrMore", *data()))
                else:
                    for _ in range(low, high):
                        lst.append(rng("optional", *data()))
            node.append(lst)
        return [node] if att.get("usage") == "req" else [rng("optional", node)]

    def attribute_data(self, att) -> list:
        lists = kids(att, "valList")
        datatype = kids(att, "datatype")
        if any(v.get("type") == "closed" for v in lists):
            return [self.values(lists)]
        if any(v.get("type") == "semi" for v in lists):
            choice = self.values(lists)
            if datatype:
                for child in elements(datatype[0]):
                    choice.extend(self.pattern(child))
            else:
                choice.append(rng("data", type="Name"))
            return [choice]
        if datatype and elements(datatype[0]):
            return [p for child in elements(datatype[0]) for p in self.pattern(child)]
        return [rng("text")]

    def values(self, lists) -> etree._Element:
        choice = rng("choice")
        for value_list in lists:
            for item in kids(value_list, "valItem"):
                alt = kids(item, "altIdent")
                text = " ".join(alt[0].text.split()) if alt and alt[0].text else item.get("ident", "")
                value = rng("value")
                value.text = text
                choice.append(value)
        return choice

    # -- content models -----------------------------------------------------------------------------------------
    def pattern(self, node, raw: bool = False, restriction: str | None = None) -> list:
        """RELAX NG for one content-model node (Pure ODD or embedded rng:*)."""
        tag = node.tag
        if tag in (T + "sequence", T + "interleave"):
            parts = [p for c in elements(node) for p in self.pattern(c, raw)]
            if node.get("preserveOrder") == "false" or tag == T + "interleave":
                parts = [rng("interleave", *parts)]
            outer = "list" if all(c.tag == T + "dataRef" for c in elements(node)) else "group"
            return [rng(outer, *repeat(node, parts))]
        if tag == T + "alternate":
            choice = rng("choice", *[p for c in elements(node) for p in self.pattern(c, raw)])
            return repeat(node, [choice])
        if tag in (T + "elementRef", T + "classRef", T + "macroRef"):
            return self.reference(node, raw)
        if tag == T + "dataRef":
            return self.data_ref(node, restriction)
        if tag == T + "textNode":
            return [rng("text")]
        if tag == T + "valList":
            return [self.values([node])]
        if tag == T + "anyElement":
            ref = rng("ref", name=self.any_names.get(node, "anyElement"))
            ref.set(RAW, "1")
            return repeat(node, [ref])
        if tag == T + "dataFacet":
            param = rng("param", name=node.get("name"))
            param.text = node.get("value")
            return [param]
        if tag.startswith(R):
            return self.embedded(node, raw)
        return []

    def embedded(self, node, raw: bool) -> list:
        name = local(node)
        if name == "ref":
            ref = rng("ref", name=self.ref_name(node.get("name", ""), raw))
            if raw:
                ref.set(RAW, "1")
            return [ref]
        children = [p for c in node if isinstance(c.tag, str) for p in self.pattern(c, raw)]
        if name == "choice" and len(children) == 1:
            return children
        if name == "zeroOrMore" and len(children) == 1 and children[0].tag == R + "zeroOrMore":
            return children
        copy_ = etree.Element(R + name, dict(node.attrib))
        copy_.text = node.text if name in ("value", "param", "name", "nsName") else None
        copy_.extend(children)
        return [copy_]

    def reference(self, node, raw: bool) -> list:
        key = node.get("key", "")
        expand, include, exclude = node.get("expand"), tokens(node.get("include")), tokens(node.get("except"))

        def wanted(ident):
            return ident in include if include else ident not in exclude

        members = [m for m in self.members.get(key, [])] if node.tag == T + "classRef" else []
        if node.tag != T + "classRef" or (not expand and not include and not exclude):
            ref = rng("ref", name=self.ref_name(key, raw))
            if raw:
                ref.set(RAW, "1")
            found = [ref]
        elif not expand:
            found = [p for m in members if wanted(m.get("ident")) for p in self.class_member(m, key, "")]
        elif expand == "sequence":
            found = [p for m in members if wanted(m.get("ident")) for p in self.class_member(m, key, expand)]
        elif expand in ("sequenceOptional", "sequenceRepeatable", "sequenceOptionalRepeatable"):
            wrapper = {"sequenceOptional": "optional", "sequenceRepeatable": "oneOrMore",
                       "sequenceOptionalRepeatable": "zeroOrMore"}[expand]
            found = [rng(wrapper, *self.class_member(m, key, expand)) for m in members if wanted(m.get("ident"))]
        else:
            found = [rng("choice", *[p for m in members if wanted(m.get("ident"))
                                     for p in self.class_member(m, key, expand)])]
        return occurrences(node, found)

    def class_member(self, member, cls: str, suffix: str) -> list:
        name = self.pattern_name(member.get("ident"))
        if member.tag == T + "classSpec":
            return [rng("ref", name=name + ("_" + suffix if suffix else ""))]
        link = next((m for m in kids_path(member, "classes", "memberOf") if m.get("key") == cls), None)
        low = int(link.get("min")) if link is not None and (link.get("min") or "").isdigit() else 1
        high = link.get("max") if link is not None else None
        out = [rng("ref", name=name) for _ in range(low)]
        if high == "unbounded":
            out.append(rng("zeroOrMore", rng("ref", name=name)))
        else:
            top = int(high) if high and high.isdigit() else 1
            out.extend(rng("optional", rng("ref", name=name)) for _ in range(low, top))
        return out

    def data_ref(self, node, inherited: str | None) -> list:
        if node.get("name"):
            data = rng("data", type=node.get("name"))
            facets = kids(node, "dataFacet")
            if facets:
                for facet in facets:
                    data.extend(self.pattern(facet))
            elif node.get("restriction") or inherited:
                param = rng("param", name="pattern")
                param.text = node.get("restriction") or inherited
                data.append(param)
            return [data]
        spec = self.spec(node.get("key", ""))
        if spec is None:
            return []
        # The restriction reaches only the dataSpec's own top-level dataRefs (defect #33, reproduced).
        out = []
        for content in kids(spec, "content"):
            for child in elements(content):
                out.extend(self.pattern(child, restriction=node.get("restriction")))
        return out

    # -- classes, macros, anyElement ----------------------------------------------------------------------------
    def model_class(self, spec) -> list:
        ident = spec.get("ident")
        base = self.pattern_name(ident)
        members = self.members.get(ident, [])
        wanted = spec.get("generate")
        variants = [""] + ["_" + v for v in wanted.split()] if wanted else VARIANTS
        defines = []
        for variant in variants:
            kind = variant[1:]
            define = rng("define", name=base + variant)
            if not members:
                empty = kind in ("sequence", "sequenceOptional", "sequenceOptionalRepeatable")
                define.append(rng("empty" if empty else "notAllowed"))
            elif kind == "sequence":
                define.extend(p for m in members for p in self.class_member(m, ident, kind))
            elif kind in ("sequenceOptional", "sequenceRepeatable", "sequenceOptionalRepeatable"):
                wrapper = {"sequenceOptional": "optional", "sequenceRepeatable": "oneOrMore",
                           "sequenceOptionalRepeatable": "zeroOrMore"}[kind]
                define.extend(rng(wrapper, *self.class_member(m, ident, kind)) for m in members)
            else:
                define.append(rng("choice", *[p for m in members for p in self.class_member(m, ident, kind)]))
            defines.append(define)
        return defines

    def attribute_class(self, spec) -> list:
        base = self.pattern_name(spec.get("ident"))
        refs = []
        for member in kids_path(spec, "classes", "memberOf"):
            if member.get("key") in self.att_classes:
                refs.append(rng("ref", name=self.pattern_name(member.get("key")) + ".attributes"))
        atts = [a for al in kids(spec, "attList") for a in al.iter(T + "attDef") if a.get("mode") != "delete"
                and not a.get("ident", "").startswith("xmlns")]
        refs.extend(rng("ref", name=f"{base}.attribute.{a.get('ident').replace(':', '')}") for a in atts)
        for al in kids(spec, "attList"):
            for ref in al.iter(T + "attRef"):
                refs.extend(self.attribute_ref(ref))
        defines = [rng("define", *(refs or [rng("empty")]), name=base + ".attributes")]
        for att in atts:
            defines.append(rng("define", *self.attribute(att), name=f"{base}.attribute.{att.get('ident').replace(':', '')}"))
        return defines

    def macro(self, spec) -> list:
        content = kids(spec, "content")
        closed = [v for v in kids(spec, "valList") if v.get("type") == "closed"]
        if closed:
            body = [self.values(kids(spec, "valList"))]
        elif content:
            raw = content[0].get("autoPrefix") == "false"
            body = [p for c in elements(content[0]) for p in self.pattern(c, raw)]
        else:
            body = []
        define = rng("define", name=self.pattern_name(spec.get("ident")))
        if not body:
            define.append(rng("choice", rng("empty")))
        elif len(body) > 1 and content and any(c.tag in (R + "text", R + "ref") for c in content[0]):
            define.append(rng("choice", *body))
        else:
            define.extend(body)
        return [define]

    def any_element(self, node, name: str) -> etree._Element:
        exclude = node.get("exclude") or self.schema.get("defaultExceptions") or "http://www.tei-c.org/ns/1.0 teix:egXML"
        except_ = rng("except")
        for token in dict.fromkeys(exclude.split()):
            if token == "teix:egXML":
                item = rng("name", ns=TEIX_NS)
                item.text = "egXML"
            elif re.search(r"\w+:\w+", token) and token.split(":")[0] in (node.nsmap or {}):
                item = rng("name", ns=node.nsmap[token.split(":")[0]])
                item.text = token.split(":", 1)[1]
            else:
                item = rng("nsName", ns=token)
            except_.append(item)
        self_ref = rng("ref", name=name)
        self_ref.set(RAW, "1")
        element = rng("element", rng("anyName", except_), rng("zeroOrMore", rng("attribute", rng("anyName"))),
                      rng("zeroOrMore", rng("choice", rng("text"), self_ref)))
        return rng("define", element, name=name)


def repeat(node, items: list) -> list:
    """Wrap items as @minOccurs/@maxOccurs ask (repeat_as_needed): optional, zeroOrMore, oneOrMore or copies."""
    low, high = occurs(node)
    wrapper = {(0, 1): "optional", (0, -1): "zeroOrMore", (1, -1): "oneOrMore"}.get((low, high))
    if wrapper:
        return [rng(wrapper, *items)]
    out = [copy.deepcopy(i) for _ in range(low) for i in items]
    if high == -1:
        out.append(rng("zeroOrMore", *[copy.deepcopy(i) for i in items]))
    else:
        out.extend(rng("optional", *[copy.deepcopy(i) for i in items]) for _ in range(low, high))
    return out


def occurrences(node, found: list) -> list:
    """Occurrence wrapper of an element/class/macro reference (m..n: m copies then nested optionals)."""
    low, high = occurs(node)
    if (low, high) == (1, 1):
        return found
    if low in (0, 1) and high in (1, -1):
        wrapper = {(0, 1): "optional", (0, -1): "zeroOrMore", (1, -1): "oneOrMore"}[(low, high)]
        return [rng(wrapper, *found)]
    group = rng("group")
    if low == 0:
        group.append(rng("optional", *[copy.deepcopy(f) for f in found]))
    else:
        for _ in range(min(low, 400)):
            group.extend(copy.deepcopy(f) for f in found)
    if high == -1 or high - low >= 400:
        group.append(rng("zeroOrMore", *[copy.deepcopy(f) for f in found]))
    else:
        nested = None
        for _ in range(high - low):
            layer = rng("optional", *[copy.deepcopy(f) for f in found])
            if nested is not None:
                layer.append(nested)
            nested = layer
        if nested is not None:
            group.append(nested)
    return [group]


def merge_class_attribute(new, old):
    """An element's attDef in change mode over the class attribute it overrides (§4), field by field."""
    att = etree.Element(T + "attDef", ident=old.get("ident", ""))
    usage = new.get("usage") or old.get("usage")
    if usage:
        att.set("usage", usage)
    if old.get("ns"):
        att.set("ns", old.get("ns"))

    def either(name):
        return [copy.deepcopy(c) for c in (kids(new, name) or kids(old, name))]

    att.extend(copy.deepcopy(c) for c in kids(new, "altIdent"))
    for name in ("datatype", "defaultVal"):
        att.extend(either(name))
    new_lists, old_lists = kids(new, "valList"), kids(old, "valList")
    modes = [v.get("mode") for v in new_lists]
    if "delete" in modes:
        pass
    elif "add" in modes or "replace" in modes or ("change" in modes and not old_lists):
        first = new_lists[0]
        merged = etree.SubElement(att, T + "valList")
        if first.get("type"):
            merged.set("type", first.get("type"))
        merged.extend(copy.deepcopy(c) for c in first)
    elif "change" in modes:
        first = new_lists[0]
        merged = etree.SubElement(att, T + "valList", dict(first.attrib))
        mine = {i.get("ident"): i for i in kids(first, "valItem")}
        for item in kids(old_lists[0], "valItem"):
            if mine.get(item.get("ident")) is None or mine[item.get("ident")].get("mode") not in ("delete", "replace"):
                merged.append(copy.deepcopy(item))
        for mode in ("add", "replace"):
            merged.extend(copy.deepcopy(i) for i in kids(first, "valItem") if i.get("mode") == mode)
    elif old_lists:
        att.extend(copy.deepcopy(v) for v in old_lists)
    return att


# -- clean-up passes ------------------------------------------------------------------------------------------------
def cleanup(grammar, prefix: str, imported: list) -> None:
    """Run the official clean-up semantics: drop unused defines and dangling refs, then simplify. The `imported`
    divs (external grammars) are copied as they are: none of their refs is ours to remove."""
    defined = {d.get("name") for d in grammar.iter(R + "define")}
    referenced = {r.get("name") for r in grammar.iter(R + "ref")}
    protected = {ref for div in imported for ref in div.iter(R + "ref")}
    ours = {d.get("name") for d in grammar.iterchildren(R + "define")}
    for div in imported:  # an imported define named like one of ours gives way, as officially (tei_odds: param)
        for define in list(div.iter(R + "define")):
            if define.get("name") in ours and not define.get("combine"):
                define.getparent().remove(define)
    for define in [d for d in grammar if d.tag == R + "define"]:
        name = define.get("name")
        if name not in referenced and name[len(prefix):] not in referenced:
            grammar.remove(define)
    for ref in list(grammar.iter(R + "ref")):
        parent = ref.getparent()
        if ref in protected or ref.get(RAW) or ref.get("name") in defined or (parent.tag == R + "choice"
                                                           and parent.getparent().tag == R + "start"):
            continue
        if len(elements(parent)) == 1:
            parent.replace(ref, rng("empty"))
        else:
            parent.remove(ref)
    for ref in grammar.iter(R + "ref"):
        ref.attrib.pop(RAW, None)
    for group in list(grammar.iter(R + "group")):  # group(optional(x)) -> optional(group(x)), as pass 3 does
        only = elements(group)
        if len(only) == 1 and only[0].tag == R + "optional":
            inner = rng("group", *elements(only[0]))
            group.getparent().replace(group, rng("optional", inner))
    defined = {}
    for define in grammar.iterchildren(R + "define"):  # two of our defines with one name: neither is kept (#17)
        defined[define.get("name")] = defined.get(define.get("name"), 0) + 1
    for define in (d for div in imported for d in div.iter(R + "define")):
        defined.setdefault(define.get("name"), 1)
    referenced = {r.get("name") for r in grammar.iter(R + "ref")}
    result = []
    for child in grammar:
        if child.tag == R + "define":
            name = child.get("name")
            keep = (name in referenced or child.find(R + "element") is not None) and defined[name] == 1
            if keep:
                result.append(simplified_copy(child))
        elif child.tag == R + "start":
            result.append(simplified_start(child, defined, prefix))
        else:
            result.append(child)
    for child in list(grammar):
        grammar.remove(child)
    grammar.extend(result)
    unwrap_single_groups(grammar)


def unwrap_single_groups(grammar) -> None:
    """Replace every group holding one pattern by that pattern: same language, and libxml2 hangs compiling some
    single-child groups (odd-processing.md §9); the official clean-up can leave them behind."""
    for group in reversed(list(grammar.iter(R + "group"))):
        inner = elements(group)
        if len(inner) == 1:
            group.getparent().replace(group, inner[0])


def simplified_start(start, defined: dict, prefix: str):
    choice = start.find(R + "choice")
    if choice is None:
        return copy.deepcopy(start)
    refs = []
    for ref in choice.iter(R + "ref"):
        name = ref.get("name")
        name = name if name in defined else (prefix + name if prefix + name in defined else "")
        if name:
            refs.append(rng("ref", name=name))
    return rng("start", rng("choice", *refs)) if len(refs) != 1 else rng("start", refs[0])


MEANINGFUL = (R + "text", R + "ref", R + "anyName", R + "attribute", R + "data", R + "name", R + "value")


def simplified_copy(node):
    out = simplify(node)
    return out[0]


def simplify(node) -> list:
    """Pass 4: decide on the input node, then recurse; returns the replacement nodes."""
    tag = node.tag
    if not isinstance(tag, str):
        return []
    kids_ = elements(node)
    if tag in (R + "element", R + "list"):
        out = etree.Element(tag, dict(node.attrib))
        out.text = None
        body = [p for c in kids_ for p in simplify(c)]
        if any(n.tag in MEANINGFUL or any(True for _ in n.iter(*MEANINGFUL)) for n in body):
            out.extend(body)
        else:
            out.extend(n for n in body if n.tag.startswith("{%s}" % A_NS))
            out.append(rng("empty"))
        return [out]
    if tag == R + "group" and len(kids_) == 1:
        return simplify(kids_[0])
    if tag in (R + "choice", R + "group"):
        keeps = any(c.tag in (R + "value", R + "name") for c in kids_) or \
            any(True for _ in node.iter(R + "ref", R + "text", R + "data") if _ is not node)
        if not keeps:
            return [rng("empty")]
    if tag in (R + "optional", R + "zeroOrMore", R + "oneOrMore"):
        if not kids_ or (len(kids_) == 1 and kids_[0].tag == R + "empty"):
            return []
        if len(kids_) == 1:
            only = kids_[0]
            if only.tag == R + "ref" and repeated_in_next(node, only.get("name")):
                return []  # defect #32: the repeat is dropped when the next sibling lists the same ref
            if only.tag == R + "zeroOrMore" or (only.tag == R + "group" and len(elements(only)) == 1
                                                  and elements(only)[0].tag == R + "zeroOrMore"):
                return simplify(only)
    out = etree.Element(tag, dict(node.attrib))
    if tag in (R + "value", R + "param", R + "name", R + "nsName"):
        out.text = node.text
    for child in kids_:
        out.extend(simplify(child))
    return [out]


def repeated_in_next(node, name: str) -> bool:
    following = node.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    if following is None or len(elements(following)) != 1:
        return False
    only = elements(following)[0]
    if any(r.get("name") == name for r in elements(only) if r.tag == R + "ref"):
        return True
    if only.tag == R + "group" and len(elements(only)) == 1:
        return any(r.get("name") == name for r in elements(elements(only)[0]) if r.tag == R + "ref")
    return False


def to_relaxng(compiled: etree._ElementTree) -> etree._ElementTree:
    """Return the RELAX NG grammar (an lxml tree) for a compiled ODD."""
    writer = RelaxNGWriter(compiled)
    grammar = writer.grammar()
    annotate(grammar, writer.schema, writer.prefix)
    return etree.ElementTree(grammar)
