"""a:documentation in the RELAX NG: each element's, attribute's and value's gloss and description, as the official
chain writes them (odd2relax via makeDescription), so that editors show them on hover and in completion.

Runs on the finished grammar and only inserts annotations, which validators ignore: verdicts cannot change.
Text: "(gloss) description", in schemaSpec/@docLang (English by default) with the rules of the official chain for
choosing among translations; for an open or semi-open value list, "Sample values include: 1] a; 2] b (gloss)".
Inline markup is written as text (<gi>p</gi> as "<p>", <att>n</att> as "@n"). The official chain also appends
the Guidelines sections of a listRef ("[3.8. Lists]"); that needs the Guidelines' numbering and is left out
(divergences.py).
"""

from __future__ import annotations

from lxml import etree

from .customize import R, T, kids, kids_path

A_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
DOC = "{%s}documentation" % A_NS
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def language_of(node) -> str | None:
    for current in (node, *node.iterancestors()):
        if current.get(XML_LANG) is not None:
            return current.get(XML_LANG)
    return None


def flat(node) -> str:
    """The text of a gloss or desc, inline elements as plain text (as the official chain renders them: <gi>p</gi>
    as "<p>", <code>x</code> as "`x`", <att>n</att> as "@n" in a description), whitespace normalized."""
    in_gloss = etree.QName(node).localname == "gloss"
    parts = [node.text or ""]
    for child in node:
        if isinstance(child.tag, str):
            name, inner = etree.QName(child).localname, flat(child)
            parts.append({"gi": f"<{inner}>", "code": f"`{inner}`", "tag": f"`<{inner}>`",
                          "att": inner if in_gloss else f"@{inner}"}.get(name, inner))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def gloss(spec, lang: str) -> str:
    glosses = kids(spec, "gloss")
    if not glosses or not flat(glosses[0]):
        return ""
    if len(glosses) == 1 and glosses[0].get(XML_LANG) is None:
        return f"({flat(glosses[0])}) "
    mine = [g for g in glosses if g.get(XML_LANG) == lang]
    if mine:
        return f"({flat(mine[0])}) " if flat(mine[0]) else ""
    found = "".join(f"({flat(g)}) " for g in glosses if language_of(g) == lang)
    if not found:
        english = [g for g in glosses if g.get(XML_LANG) in (None, "en")]
        found = f"({''.join(flat(g) for g in english)}) " if english else ""
    return found


def description(spec, lang: str) -> str:
    descs = [d for d in kids(spec, "desc") if d.get("type") != "deprecationInfo"]
    if len(descs) == 1:
        return flat(descs[0])
    chosen = ([d for d in descs if d.get(XML_LANG) == lang] or [d for d in descs if language_of(d) == lang]
              or [d for d in descs if d.get(XML_LANG) in (None, "en")])
    return "".join(flat(d) for d in chosen)


def sample_values(spec, lang: str) -> str:
    lists = [v for v in kids(spec, "valList") if v.get("type") in ("open", "semi")]
    if not lists:
        return ""
    kind = "Sample" if any(v.get("type") == "open" for v in kids(spec, "valList")) else "Suggested"
    items = [i for v in kids(spec, "valList") for i in kids(v, "valItem")]
    shown = []
    for n, item in enumerate(items, 1):
        alt = kids(item, "altIdent")
        name = " ".join(alt[0].text.split()) if alt and alt[0].text else item.get("ident", "")
        # The official chain looks these glosses up under the language followed by a space, which matches no
        # translation, so they are always the English (or unmarked) ones; reproduced.
        meaning = gloss(item, lang + " ").strip()
        shown.append(f"{n}] {name}" + (f" {meaning}" if meaning else "") + (";" if n < len(items) else ""))
    return f"\n{kind} values include: " + " ".join(shown)


def text_for(spec, lang: str, values=None, inherited=None) -> str:
    """The documentation of a spec, with the sample values of `values` (a spec holding value lists) if given; an
    attribute overriding a class attribute takes the class's gloss and description where it gives none."""
    glossed = spec if kids(spec, "gloss") or inherited is None else inherited
    described = spec if kids(spec, "desc") or inherited is None else inherited
    sample = sample_values(values, lang) if values is not None else ""
    return (gloss(glossed, lang) + description(described, lang) + sample).strip()


def annotation(text: str) -> etree._Element:
    node = etree.Element(DOC, nsmap={"a": A_NS})
    node.text = text or None
    return node


class Annotator:
    """Finds the spec behind each element, attribute and value of the grammar and writes its documentation."""

    def __init__(self, schema, prefix: str):
        self.lang = schema.get("docLang") or "en"
        self.prefix = prefix
        self.specs = {s.get("ident"): s for s in schema if s.tag in (T + "elementSpec", T + "classSpec")}

    def annotate(self, grammar) -> None:
        from .relaxng import merge_class_attribute  # relaxng calls this module once the grammar is complete

        for define in grammar.iterchildren(R + "define"):
            ident = define.get("name", "")[len(self.prefix):]
            owner, att_name = self.specs.get(ident), None
            if owner is None and ".attribute." in ident:
                owner, att_name = self.specs.get(ident.split(".attribute.")[0]), ident.split(".attribute.")[1]
            if owner is None:
                continue
            element = define.find(R + "element")
            if element is not None and owner.tag == T + "elementSpec":
                element.insert(0, annotation(text_for(owner, self.lang)))
                self.values(element, kids(owner, "valList"))
            for attribute in define.iter(R + "attribute"):
                att = self.attribute_spec(owner, attribute.get("name", ""), att_name)
                if att is not None:
                    inherited = self.inherited(owner, att.get("ident"), ()) if att.get("mode") == "change" else None
                    # an override's values are those the schema uses: the class's and the local ones merged
                    values = merge_class_attribute(att, inherited) if inherited is not None else att
                    attribute.insert(0, annotation(text_for(att, self.lang, values, inherited)))
                    self.values(attribute, kids(values, "valList"))

    def attribute_spec(self, owner, name: str, wanted: str | None):
        """The attDef behind an attribute: the owner's own, else the one it inherits from its classes."""
        plain = name.removeprefix("xml:")
        for att in owner.iter(T + "attDef"):
            ident = att.get("ident", "")
            if wanted is not None and ident.replace(":", "") != wanted:
                continue
            alt = kids(att, "altIdent")
            if ident in (name, plain, "xml:" + plain) or (alt and (alt[0].text or "").strip() == name):
                return att
        return self.inherited(owner, name, ()) if wanted is None else None

    def inherited(self, owner, ident: str, seen: tuple):
        for member in kids_path(owner, "classes", "memberOf"):
            cls = self.specs.get(member.get("key"))
            if cls is None or cls.get("ident") in seen or cls.tag != T + "classSpec":
                continue
            for att in cls.iter(T + "attDef"):
                if att.get("ident") == ident and att.get("mode") != "delete":
                    return att
            found = self.inherited(cls, ident, seen + (cls.get("ident"),))
            if found is not None:
                return found
        return None

    def values(self, holder, lists) -> None:
        items = {}
        for value_list in lists:
            for item in kids(value_list, "valItem"):
                alt = kids(item, "altIdent")
                items.setdefault(" ".join(alt[0].text.split()) if alt and alt[0].text else item.get("ident"), item)
        for value in list(holder.iter(R + "value")):
            item = items.get(" ".join((value.text or "").split()))
            owner = next(value.iterancestors(R + "attribute", R + "element"), None)
            if owner is holder:  # every value is annotated, emptily when no valItem describes it (as officially)
                value.addnext(annotation(text_for(item, self.lang) if item is not None else ""))


def annotate(grammar, schema, prefix: str) -> None:
    """Insert a:documentation for every element, attribute and value of `grammar` that a spec of `schema` (the
    compiled schemaSpec) describes."""
    Annotator(schema, prefix).annotate(grammar)
