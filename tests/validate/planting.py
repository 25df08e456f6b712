"""Plant mistakes in copies of real corpus documents, mechanically and deterministically, and say where each is.

This is the independent check of the validator: it edits the source text (never the tree, so that what the
editor would see is what is tested), knows nothing of the validator's code, and records for every mistake the
line and column where it was made, the rule family that must report it and the words the message must contain.
Only lxml's RELAX NG verdict is used, as an oracle for preconditions: a mistake the schema cannot see (an open
value list, text where text is allowed) is not planted, and an element is moved only from where its absence
is valid.

A plant is a set of edits of the original text plus one *site* offset (where the mistake is); plants that touch
different lines can be combined into one document with several mistakes.
"""

from __future__ import annotations

import bisect
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SEED = 20260512


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass
class Plant:
    """One planted mistake: the edits that make it, where it is and what must report it."""

    kind: str
    doc: str                      # file name
    edits: list[Edit]
    site: int                     # offset in the original text of the mistake
    rules: tuple[str, ...]        # acceptable rules (a trailing '*' matches a prefix)
    words: tuple[str, ...]        # the message must contain each of these
    what: str = ""                # a short description, for test ids and failure messages
    shift: int = 0                # the mistake starts this many characters into the text inserted at `site`
    line: int = 0                 # filled in by `apply`: where the mistake is in the planted text
    column: int = 0
    touched: frozenset = field(default_factory=frozenset)  # original line numbers the edits change
    precondition: object = None   # a callable: is this really a mistake, and only one? (asked lazily: it is slow)

    def accepts(self, rule: str) -> bool:
        return any(rule == r or (r.endswith("*") and rule.startswith(r[:-1])) for r in self.rules)


# --- where every element is in the text ----------------------------------------------------------------------------

_TAG = re.compile(r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|(</[^>]*>)|<([^\s/>!?]+)((?:\s+[^\s=]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>",
                  re.S)


@dataclass
class Span:
    """Offsets of an element: its start tag [open, open_end), its end tag [close, close_end) (equal if empty)."""

    element: etree._Element
    open: int
    open_end: int
    close: int = -1
    close_end: int = -1

    @property
    def empty(self) -> bool:
        return self.close == self.open

    def attribute(self, text: str, name: str) -> re.Match | None:
        """The attribute `name="..."` in the start tag (match groups: name, value)."""
        pattern = re.compile(r"\s(" + re.escape(name) + r')\s*=\s*"([^"]*)"')
        return pattern.search(text, self.open, self.open_end)


class Source:
    """One clean corpus document: its text, its tree and the span of every element."""

    def __init__(self, path: Path, relaxng: etree.RelaxNG):
        self.path = Path(path)
        self.name = self.path.name
        self.text = self.path.read_text(encoding="utf-8")
        assert "\ue000" not in self.text
        self.tree = etree.fromstring(self.text.encode("utf-8"))
        self.relaxng = relaxng
        self.spans = self._scan()
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def _scan(self) -> dict:
        elements = iter(self.tree.iter(etree.Element))
        spans, stack = {}, []
        for match in _TAG.finditer(self.text):
            if match.group(1):
                span = stack.pop()
                span.close, span.close_end = match.start(), match.end()
            elif match.group(2):
                span = Span(next(elements), match.start(), match.end())
                spans[span.element] = span
                if match.group(4):
                    span.close, span.close_end = span.open, span.open
                else:
                    stack.append(span)
        assert not stack and next(elements, None) is None, self.name
        return spans

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset)

    def named(self, local: str) -> list[Span]:
        return [s for e, s in self.spans.items() if e.tag == TEI + local]

    def valid_after(self, edits: list[Edit]) -> bool:
        """lxml's RELAX NG verdict on the text with these edits (False when it is not even well-formed)."""
        try:
            return self.relaxng.validate(etree.fromstring(apply_edits(self.text, edits).encode("utf-8")))
        except etree.XMLSyntaxError:
            return False

    def plant(self, kind: str, edits: list[Edit], site: int, rules, words, what: str,
              shift: int = 0, precondition=None) -> Plant:
        lines = set()
        for edit in edits:
            lines.update(range(self.line_of(edit.start), self.line_of(max(edit.start, edit.end - 1)) + 1))
        return Plant(kind, self.name, edits, site, tuple(rules), tuple(words), what, shift,
                     touched=frozenset(lines | {self.line_of(site)}), precondition=precondition)

    def invalid_after(self, edit: Edit):
        """A precondition: lxml must find the edited document invalid (else the edit is no mistake)."""
        return lambda: not self.valid_after([edit])


def apply_edits(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def apply(source: Source, plants: list[Plant]) -> str:
    """Return the planted text; set each plant's line and column in it (the edits must not overlap)."""
    marks = [Edit(p.site, p.site, chr(0xE000 + i)) for i, p in enumerate(plants)]
    edits = [e for p in plants for e in p.edits]
    # from the end of the text backwards; at one offset the edits first, then the mark, so that the mark lands
    # before the text inserted there (the site is where the inserted text starts)
    ordered = sorted(marks + edits, key=lambda e: (e.start, e.text[:1] < "\ue000"), reverse=True)
    text = source.text
    for edit in ordered:
        text = text[:edit.start] + edit.text + text[edit.end:]
    for i, plant in enumerate(plants):
        offset = text.index(chr(0xE000 + i))
        plant.line = text.count("\n", 0, offset) + 1
        plant.column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        plant.column -= sum(1 for c in text[text.rfind("\n", 0, offset) + 1:offset] if "\ue000" <= c <= "\ue0ff")
        plant.column += plant.shift
    return re.sub("[\ue000-\ue0ff]", "", text)


# --- the kinds of mistakes ----------------------------------------------------------------------------------------

MISSPELLINGS = {"persName": "persname", "placeName": "placename", "date": "Date", "orgName": "orgname"}


def misspell(src: Source) -> list[Plant]:
    plants = []
    for right, wrong in MISSPELLINGS.items():
        for span in src.named(right):
            edits = [Edit(span.open + 1, span.open + 1 + len(right), wrong)]
            if not span.empty:
                edits.append(Edit(span.close + 2, span.close + 2 + len(right), wrong))
            plants.append(src.plant("misspelled-element", edits, span.open, ["rng-unknown"], [f"<{wrong}>"],
                                    f"<{right}> written <{wrong}>"))
    return plants


# (element moved, where it goes: the container and whether at its start or after its last child)
MOVES = [("p", "opener", "start"), ("seg", "teiHeader", "start"), ("head", "div", "end"),
         ("persName", "body", "start"), ("person", "listPlace", "start"), ("note", "listPerson", "start")]


def misplace(src: Source) -> list[Plant]:
    plants = []
    for moved, container, where in MOVES:
        for span in src.named(moved):
            element = span.element
            if any(a.tag == TEI + "correspDesc" for a in element.iterancestors()):
                continue  # Schematron requires the names and dates there: taking one away is a second mistake
            language = _language(element)
            if where == "end":  # after the last child of its own parent, which must be a `container`
                parent = element.getparent()
                if parent.tag != TEI + container or parent[-1] is element:
                    continue
                target_span = src.spans[parent[-1]]
                targets = [target_span.close_end]
            else:
                targets = [s.open_end for s in src.named(container)
                           if not (s.open <= span.open < s.close_end) and not (span.open <= s.open < span.close_end)
                           and _language(s.element) == language]  # else it is also in the wrong language
            if not targets:
                continue
            removal = Edit(span.open, span.close_end, "")
            chunk = src.text[span.open:span.close_end]
            target = targets[len(plants) % len(targets)]
            insertion = Edit(target, target, chunk)
            plants.append(src.plant("misplaced-element", [removal, insertion], target, ["rng-element"],
                                    [f"<{moved}>"], f"<{moved}> moved into <{container}>",
                                    precondition=lambda r=removal: src.valid_after([r])))  # its absence is no mistake
    return plants


def _language(element) -> str | None:
    return next((e.get("{http://www.w3.org/XML/1998/namespace}lang") for e in element.iterancestors()
                 if e.get("{http://www.w3.org/XML/1998/namespace}lang")), None)


DROPS = [("num", "value", ["rng-attribute-missing"]), ("date", "when", ["sch:dates-are-normalized"]),
         ("persName", "ref", ["sch:names-have-refs"]), ("placeName", "ref", ["sch:names-have-refs"]),
         ("text", "type", ["rng-attribute-missing"])]


def drop_attribute(src: Source) -> list[Plant]:
    plants = []
    for element, attribute, rules in DROPS:
        for span in src.named(element):
            found = span.attribute(src.text, attribute)
            if found is None:
                continue
            plants.append(src.plant("required-attribute-deleted", [Edit(found.start(), found.end(), "")], span.open,
                                    rules, [attribute], f"@{attribute} deleted from <{element}>"))
    return plants


CLOSED = [("div", "type"), ("note", "type"), ("idno", "type"), ("seg", "type"), ("correspAction", "type"),
          ("persName", "type")]


def _typo(value: str, rng: random.Random) -> str:
    """Swap two neighbouring letters (or double the last one when that changes nothing)."""
    for _ in range(5):
        i = rng.randrange(0, max(1, len(value) - 1))
        typo = value[:i] + value[i + 1:i + 2] + value[i] + value[i + 2:]
        if typo != value:
            return typo
    return value + value[-1]


def outside_closed_list(src: Source) -> list[Plant]:
    plants = []
    rng = random.Random(f"{SEED}-{src.name}-closed")
    for element, attribute in CLOSED:
        for span in src.named(element):
            found = span.attribute(src.text, attribute)
            if found is None:
                continue
            wrong = _typo(found[2], rng)
            edit = Edit(found.start(2), found.end(2), wrong)
            plants.append(src.plant("value-outside-list", [edit], found.start(1), ["rng-value"], [f'"{wrong}"'],
                                    f'@{attribute}="{wrong}" on <{element}>',
                                    precondition=src.invalid_after(edit)))  # else an open list
    return plants


_ISO = re.compile(r"^(\d{4})-(\d\d)-(\d\d)(.*)$")


def malformed_date(src: Source) -> list[Plant]:
    plants = []
    for element in ("date", "birth", "death", "change"):
        for span in src.named(element):
            found = span.attribute(src.text, "when")
            iso = _ISO.match(found[2]) if found else None
            if iso is None:
                continue
            year, month, day, rest = iso[1], int(iso[2]), int(iso[3]), iso[4]
            if len(plants) % 2 == 0 and (month < 10 or day < 10):
                wrong = f"{year}-{month}-{day}{rest}"               # unpadded: 1951-6-5
            elif month in (4, 6, 9, 11):
                wrong = f"{year}-{month:02d}-31{rest}"             # no such day: 1951-06-31
            elif month == 2:
                wrong = f"{year}-02-30{rest}"
            else:
                wrong = f"{year}-13-{day:02d}{rest}"               # no such month
            edit = Edit(found.start(2), found.end(2), wrong)
            plants.append(src.plant("malformed-date", [edit], found.start(1), ["rng-datatype"], [wrong],
                                    f'@when="{wrong}" on <{element}>'))
    return plants


HIDDEN = {"note", "sic", "orig", "abbr", "del"}


def visible(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname not in HIDDEN:
            parts.append(visible(child))
        parts.append(child.tail or "")
    return "".join(parts)


def date_text_disagrees(src: Source) -> list[Plant]:
    """Change the day of a @when whose text writes that day in figures: the text now says another day."""
    plants = []
    for span in src.named("date"):
        found = span.attribute(src.text, "when")
        iso = _ISO.match(found[2]) if found else None
        if iso is None:
            continue
        day, text = int(iso[3]), visible(span.element)
        if not re.search(rf"(?<![\d.:]){day}(?!\d)(?![.:]\d\d(?!\.\d))", text) or text.strip().isdigit():
            continue  # a bare "5" may be a day or an hour: the reader leaves it alone
        new_day = day + 1 if day < 28 else day - 1
        wrong = f"{iso[1]}-{iso[2]}-{new_day:02d}{iso[4]}"
        edit = Edit(found.start(2), found.end(2), wrong)
        plants.append(src.plant("date-text-disagrees", [edit], span.open, ["date-text"], [wrong[:10]],
                                f'@when="{wrong}" but the text says day {day}'))
    return plants


def number_text_disagrees(src: Source) -> list[Plant]:
    plants = []
    for span in src.named("num"):
        found = span.attribute(src.text, "value")
        if found is None:
            continue
        value = found[2]
        if value.isdigit():
            wrong = str(int(value) + 1)
        elif re.fullmatch(r"\d+/\d+", value):
            top, bottom = value.split("/")
            wrong = f"{top}/{int(bottom) + 1}"
        else:
            continue
        edit = Edit(found.start(2), found.end(2), wrong)
        plants.append(src.plant("number-text-disagrees", [edit], span.open, ["num-text"], [wrong],
                                f'@value="{wrong}" on <num>{visible(span.element)}</num>'))
    return plants


def dangling_reference(src: Source, register_ids: set[str]) -> list[Plant]:
    plants = []
    for span in src.spans.values():
        found = span.attribute(src.text, "ref")
        if found is None or not found[2].startswith("registers.xml#"):
            continue
        ident = found[2].split("#", 1)[1]
        cut = len(ident) - 2 if len(ident) > 8 else len(ident) - 1
        wrong_id = ident[:cut] + ident[cut + 1:]
        if wrong_id in register_ids:
            continue
        token = "registers.xml#" + wrong_id
        plants.append(src.plant("reference-to-missing-entry", [Edit(found.start(2), found.end(2), token)],
                                found.start(1), ["pointer"], [token], f'ref="{token}"'))
    return plants


def duplicate_id(src: Source) -> list[Plant]:
    """Give an element without xml:id the xml:id of an element before it."""
    plants = []
    seen = []
    prefix = src.tree.get(XML_ID) + "_"  # an id of another form would break the edition's id scheme as well
    for element, span in src.spans.items():
        ident = element.get(XML_ID)
        if ident is not None:
            if ident.startswith(prefix):
                seen.append(ident)
            continue
        if not seen or element.tag in (TEI + "TEI",):
            continue
        reused = seen[len(plants) % len(seen)]
        name_end = span.open + 1 + len(etree.QName(element).localname)
        edit = Edit(name_end, name_end, f' xml:id="{reused}"')
        plants.append(src.plant("duplicate-id", [edit], name_end, ["rng-datatype", "id-duplicate"], [reused],
                                f'second xml:id="{reused}"', shift=1))
    return plants


ELEMENT_ONLY = ["opener", "listPerson", "listPlace", "listOrg", "person", "place", "correspDesc", "correspAction",
                "titleStmt", "fileDesc", "publicationStmt", "sourceDesc", "teiHeader", "profileDesc", "body", "div",
                "respStmt", "availability", "revisionDesc", "keywords", "langUsage", "bibl", "closer"]
STRAY = ["Sent by cipher", "see above", "FILIPPOV", "No. 2784", "к сведению"]


def stray_text(src: Source) -> list[Plant]:
    plants = []
    for container in ELEMENT_ONLY:
        for span in src.named(container):
            if span.empty:
                continue
            words = STRAY[len(plants) % len(STRAY)]
            edit = Edit(span.open_end, span.open_end, words)
            plants.append(src.plant("stray-text", [edit], span.open_end, ["rng-text"], [f'"{words}"', f"<{container}>"],
                                    f'"{words}" in <{container}>', precondition=src.invalid_after(edit)))
    return plants


UNKNOWN_ATTRIBUTES = ["colour", "lang", "tpye", "date", "style2"]


def unknown_attribute(src: Source) -> list[Plant]:
    plants = []
    for element, span in src.spans.items():
        name = UNKNOWN_ATTRIBUTES[len(plants) % len(UNKNOWN_ATTRIBUTES)]
        if span.attribute(src.text, name):
            continue
        local = etree.QName(element).localname
        at = span.open + 1 + len(local)
        edit = Edit(at, at, f' {name}="x"')
        plants.append(src.plant("unknown-attribute", [edit], at, ["rng-attribute"], [f"@{name}"],
                                f"@{name} on <{local}>", shift=1, precondition=src.invalid_after(edit)))
    return plants


def wrong_namespace(src: Source) -> list[Plant]:
    plants = []
    for local in ("p", "persName", "seg", "date", "head", "note", "person", "title"):
        for span in src.named(local):
            at = span.open + 1 + len(local)
            namespace = "http://www.tei-c.org/ns/1.1" if len(plants) % 3 else "http://www.tei-c.org/ns/2.0"
            edit = Edit(at, at, f' xmlns="{namespace}"')
            plants.append(src.plant("wrong-namespace", [edit], span.open, ["rng-unknown"], [f"<{local}>", namespace],
                                    f"<{local}> in namespace {namespace}"))
    return plants


def unclosed_tag(src: Source) -> list[Plant]:
    plants = []
    for local in ("persName", "p", "seg", "date", "head", "note", "hi", "placeName", "title", "person"):
        for span in src.named(local):
            if span.empty:
                continue
            edit = Edit(span.close, span.close_end, "")
            plants.append(src.plant("unclosed-tag", [edit], span.open, ["well-formed"], [f"<{local}>"],
                                    f"<{local}> never closed"))
    return plants


KINDS = {
    "misspelled-element": misspell,
    "misplaced-element": misplace,
    "required-attribute-deleted": drop_attribute,
    "value-outside-list": outside_closed_list,
    "malformed-date": malformed_date,
    "date-text-disagrees": date_text_disagrees,
    "number-text-disagrees": number_text_disagrees,
    "reference-to-missing-entry": None,  # needs the register's ids
    "duplicate-id": duplicate_id,
    "stray-text": stray_text,
    "unknown-attribute": unknown_attribute,
    "wrong-namespace": wrong_namespace,
    "unclosed-tag": unclosed_tag,
}
NOT_COMBINABLE = {"unclosed-tag"}  # a file that is not well-formed gets one finding only


def candidates(src: Source, kind: str, register_ids: set[str]) -> list[Plant]:
    if kind == "reference-to-missing-entry":
        return dangling_reference(src, register_ids)
    return KINDS[kind](src)


def register_ids(tei_dir: Path) -> set[str]:
    tree = etree.parse(str(tei_dir / "registers.xml"))
    return {e.get(XML_ID) for e in tree.iter(etree.Element) if e.get(XML_ID)}


def sources(tei_dir: Path, rng_path: Path) -> list[Source]:
    relaxng = etree.RelaxNG(etree.parse(str(rng_path)))
    return [Source(p, relaxng) for p in sorted(tei_dir.glob("*.xml"))]


def single_plants(srcs: list[Source], ids: set[str], per_kind: int = 2) -> list[Plant]:
    """Up to `per_kind` plants of each kind in each document, at positions drawn with a fixed seed."""
    chosen = []
    for src in srcs:
        for kind in KINDS:
            found = candidates(src, kind, ids)
            rng = random.Random(f"{SEED}-{src.name}-{kind}")
            picked = []
            for plant in rng.sample(found, len(found)):
                if len(picked) == per_kind:
                    break
                if plant.precondition is None or plant.precondition():
                    picked.append(plant)
            chosen.extend(sorted(picked, key=lambda p: p.site))
    return chosen


def several_plants(srcs: list[Source], ids: set[str], per_doc: int = 3) -> list[tuple[Source, list[Plant]]]:
    """`per_doc` documents with 3 to 5 mistakes of different kinds for each source, on lines no two share."""
    combos = []
    for src in srcs:
        pool = [p for kind in KINDS if kind not in NOT_COMBINABLE for p in candidates(src, kind, ids)]
        for n in range(per_doc):
            rng = random.Random(f"{SEED}-{src.name}-several-{n}")
            wanted = rng.randint(3, 5)
            chosen, lines = [], set()
            for plant in rng.sample(pool, len(pool)):
                if plant.touched & lines or plant.kind in {p.kind for p in chosen}:
                    continue
                if any(_near(plant, other) for other in chosen):
                    continue
                if plant.precondition is not None and not plant.precondition():
                    continue
                chosen.append(plant)
                lines |= plant.touched
                if len(chosen) == wanted:
                    break
            if len(chosen) >= 3:
                combos.append((src, sorted(chosen, key=lambda p: p.site)))
    return combos


def _near(a: Plant, b: Plant) -> bool:
    """Two edits inside one element's start tag, or one inside a span another moves, would be one mistake."""
    spans_a = [(e.start, max(e.end, e.start + 1)) for e in a.edits]
    spans_b = [(e.start, max(e.end, e.start + 1)) for e in b.edits]
    return any(x0 < y1 and y0 < x1 for x0, x1 in spans_a for y0, y1 in spans_b)
