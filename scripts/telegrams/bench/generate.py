"""A deterministic synthetic corpus: N documents made from the real ones, for measuring the pipeline at scale.

The corpus holds the real documents of `tei/` (so pointers between documents resolve) and as many synthetic
telegrams as make N. Each synthetic telegram is a real telegram (the template) with its body varied: texts of other
lengths made of the corpus's own words, other register entries named (only ids that exist in the register), its dates
shifted together inside the corpus's date range, other quantities. A small fraction carries one planted mistake of
a known kind, listed in `manifest.json`, so a validator can be checked against it.

The output is a project-like folder, so every command can run on it with TELEGRAMS_ROOT pointing there:
    OUT/tei/<id>.xml, OUT/tei/registers.xml, OUT/schema/ and OUT/xslt/ (copies), OUT/manifest.json
The same seed gives byte-identical files.
"""

from __future__ import annotations

import copy
import datetime
import json
import random
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..findings import Finding, FindingError
from ..project import ROOT, TEI_DIR
from ..xmlio import TEI_NS, XML_NS, parse

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS
NAME_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
# Elements whose own words may be replaced; names, numbers, dates and OCR slips keep theirs.
PROSE = {"p", "note", "ab", "seg", "item", "head", "l", "supplied"}
KEEP_WORDS = {"num", "date", "sic", "corr", "orig", "reg", "persName", "placeName", "orgName", "name"}
MISTAKES = ("unknown-element", "bad-date", "dangling-ref", "duplicate-id", "not-well-formed")
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")
PARTIAL = re.compile(r"^\d{4}(-\d{2})?$")  # a date given to the year or the month only: the shift leaves it as it is
WORD = re.compile(r"\w[\w'’-]*", re.U)


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
_EN = "|".join(MONTHS_EN)
_RU = "|".join(MONTHS_RU)
# How dates are written in the texts: 8.11.1950 / 7.11.50, 21.6 (after a time), 7 November [1950],
# November 8, 1950, 20 ноября [1950]; each is rewritten in its own form when the document's dates move.
DATE_FORMS = [
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})(?![\d.])"),
    re.compile(r"(?<=\s)(?P<d>\d{1,2})\.(?P<m>\d{1,2})$"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}) (?P<en>{_EN})(?: (?P<y>\d{{4}}))?", re.I),
    re.compile(rf"(?P<en>{_EN}) (?P<d>\d{{1,2}}), (?P<y>\d{{4}})", re.I),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}}) (?P<ru>{_RU})(?: (?P<y>\d{{4}}))?", re.I),
    re.compile(r"^(?P<d>\d{1,2})$"),
]


def _padded(number: int, like: str) -> str:
    return f"{number:02d}" if like.startswith("0") else str(number)


def shift_date_text(text: str, delta: datetime.timedelta, anchor: datetime.date) -> str:
    """Return a date's text with every date written in it moved by `delta`, each in the form it was written in.

    `anchor` is the date the element's attributes give (before the move): it supplies a year the text leaves out.
    """
    def move(match: re.Match) -> str:
        parts = match.groupdict()
        month = (int(parts["m"]) if parts.get("m") else
                 MONTHS_EN.index(parts["en"].capitalize()) + 1 if parts.get("en") else
                 MONTHS_RU.index(parts["ru"].lower()) + 1 if parts.get("ru") else None)
        written = parts.get("y")
        full_year = int(written) + (1900 if len(written) == 2 else 0) if written else anchor.year
        if month is None:  # a day alone ("5"): the anchor's day, moved
            return str((anchor + delta).day) if int(parts["d"]) == anchor.day else match.group()
        try:
            day = datetime.date(full_year, month, int(parts["d"])) + delta
        except (ValueError, OverflowError):
            return match.group()
        values = {"d": _padded(day.day, parts["d"]),
                  "m": _padded(day.month, parts["m"]) if parts.get("m") else None,
                  "en": _cased(MONTHS_EN[day.month - 1], parts.get("en")) if parts.get("en") else None,
                  "ru": MONTHS_RU[day.month - 1] if parts.get("ru") else None,
                  "y": str(day.year)[-len(written):] if written else None}
        out = match.group()
        spans = sorted(((match.start(n) - match.start(), match.end(n) - match.start(), v)
                        for n, v in values.items() if v is not None), reverse=True)
        for begin, end, value in spans:  # right to left, so the offsets still hold
            out = out[:begin] + value + out[end:]
        return out

    for form in DATE_FORMS:
        text = form.sub(move, text)
    return text


def _cased(name: str, like: str | None) -> str:
    return name.lower() if like and like.islower() else name


@dataclass
class Sources:
    """What the generator draws from: telegram templates, register ids by kind, words by language, date range."""

    templates: list[tuple[str, etree._ElementTree]]
    originals: list[Path]  # every real document that parses, copied as it is
    registers: Path
    names: dict[str, list[tuple[str, str]]]  # kind -> [(xml:id, display name)]
    words: dict[str, list[str]]
    first_date: datetime.date
    last_date: datetime.date
    skipped: list[str] = field(default_factory=list)


def _language(element) -> str:
    for node in element.iterancestors():
        if XML_LANG in node.attrib:
            return node.get(XML_LANG)
    return element.get(XML_LANG, "en")


def _story_dates(tree) -> list:
    """Return the date elements of what happened (correspondence, text); archival and revision dates stay put."""
    root = tree.getroot()
    places = root.findall(f".//{T}correspDesc") + root.findall(f"{T}text")
    return [date for place in places for date in place.iter(T + "date")]


def _own_date(element) -> datetime.date | None:
    """Return the first full date of an element's attributes (when, notBefore, ...), or None."""
    for name in ("when", "notBefore", "from", "notAfter", "to"):
        match = DATE.match(element.get(name, ""))
        if match:
            try:
                return datetime.date.fromisoformat(match.group(1))
            except ValueError:
                return None
    return None


def _iso_dates(tree) -> list[datetime.date]:
    found = []
    for element in _story_dates(tree):
        for name in ("when", "notBefore", "notAfter", "from", "to"):
            match = DATE.match(element.get(name, ""))
            if match:
                try:
                    found.append(datetime.date.fromisoformat(match.group(1)))
                except ValueError:
                    pass
    return found


def _spans_kept(tree, dates: list[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """The year (or month) that each full date must stay in, in the order given, when the document also gives a
    date to the year (or month) only; none otherwise. Such a date is not moved, and its text ("this year",
    "в текущем году", "1951") is read against the date of sending: in another year it would say something else."""
    partial = [match for element in _story_dates(tree) for name in ("when", "notBefore", "notAfter", "from", "to")
               if (match := PARTIAL.match(element.get(name, "")))]
    if not partial:
        return []
    spans = []
    for day in dates:
        if any(match.group(1) for match in partial):  # a month: stay in the month
            first = day.replace(day=1)
            last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        else:
            first, last = datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
        spans.append((first, last))
    return spans


def _read_registers(path: Path) -> dict[str, list[tuple[str, str]]]:
    tree = parse(path).tree
    names: dict[str, list[tuple[str, str]]] = {}
    for kind, label in (("person", "persName"), ("place", "placeName"), ("org", "orgName")):
        for entry in tree.iter(T + kind):
            ident = entry.get(XML_ID)
            if not ident:
                continue
            label_el = entry.find(T + label)
            text = " ".join("".join(label_el.itertext()).split()) if label_el is not None else ident
            names.setdefault(kind, []).append((ident, text))
    return names


def load_sources(source_dir: Path = TEI_DIR) -> Sources:
    """Return the telegrams of a TEI folder and its register, or raise FindingError when there is nothing to use."""
    source_dir = Path(source_dir)
    registers = source_dir / "registers.xml"
    if not registers.is_file():
        raise FindingError(Finding(str(registers), 0, 0, "error", "bench", "no register to draw names from"))
    templates, originals, skipped, words, dates = [], [], [], {}, []
    for path in sorted(source_dir.glob("*.xml")):
        if path.name == "registers.xml":
            continue
        try:
            tree = parse(path).tree
        except FindingError as err:  # a source being edited right now: leave it out, say so
            skipped.append(str(err.finding))
            continue
        originals.append(path)
        text = tree.getroot().find(T + "text")
        if text is None or text.get("type") in (None, "commentary", "introduction"):
            continue
        templates.append((path.stem, tree))
        dates.extend(_iso_dates(tree))
        for element in text.iter(T + "*"):
            if etree.QName(element).localname in PROSE:
                own = [element.text or ""] + [child.tail or "" for child in element]
                words.setdefault(_language(element), []).extend(WORD.findall(" ".join(own)))
    if not templates:
        raise FindingError(Finding(str(source_dir), 0, 0, "error", "bench",
                                   "no telegram (<text type=\"telegram\">) to build the synthetic corpus from"))
    words = {lang: sorted(set(pool)) for lang, pool in words.items()}
    first, last = (min(dates), max(dates)) if dates else (datetime.date(1950, 11, 1), datetime.date(1951, 6, 30))
    return Sources(templates, originals, registers, _read_registers(registers), words, first, last, skipped)


class Synthesizer:
    """Turns templates into synthetic telegrams with one random generator, so a seed fixes every choice."""

    def __init__(self, sources: Sources, seed: int):
        self.sources = sources
        self.rng = random.Random(seed)
        self.used_ids: set[str] = {path.stem for path in sources.originals}

    def telegram(self) -> tuple[str, etree._ElementTree]:
        """Return a new (id, tree) varied from a random template."""
        old_id, template = self.rng.choice(self.sources.templates)
        tree = copy.deepcopy(template)
        delta = self._shift_dates(tree)
        new_id = self._new_id(old_id, delta)
        self._rename(tree, old_id, new_id)
        body = tree.getroot().find(T + "text")
        self._vary_words(body, self.rng.choice((0.3, 0.6, 1.0, 1.0, 1.5, 2.5, 4.0)))
        self._vary_names(body)
        self._vary_numbers(body)
        return new_id, tree

    def _shift_dates(self, tree) -> datetime.timedelta:
        """Move all the document's full dates by one offset that keeps them inside the corpus's range (and inside
        their year or month when the document has dates given to the year or month only: `_spans_kept`)."""
        dates = _iso_dates(tree)
        if not dates:
            return datetime.timedelta(0)
        earliest = (self.sources.first_date - min(dates)).days
        latest = (self.sources.last_date - max(dates)).days
        for day, (first, last) in zip(dates, _spans_kept(tree, dates)):
            earliest, latest = max(earliest, (first - day).days), min(latest, (last - day).days)
        delta = datetime.timedelta(self.rng.randint(earliest, latest) if earliest <= latest else 0)
        for element in _story_dates(tree):
            anchor = _own_date(element)
            if anchor and delta:
                for node, slot in [(element, "text")] + [(child, "tail") for child in element]:
                    if getattr(node, slot):
                        setattr(node, slot, shift_date_text(getattr(node, slot), delta, anchor))
            for name in ("when", "notBefore", "notAfter", "from", "to"):
                match = DATE.match(element.get(name, ""))
                if match:
                    try:
                        day = datetime.date.fromisoformat(match.group(1)) + delta
                    except ValueError:
                        continue
                    element.set(name, day.isoformat() + match.group(2))
        return delta

    def _new_id(self, old_id: str, delta: datetime.timedelta) -> str:
        match = re.match(r"^tg-(\d{4}-\d{2}-\d{2})(.*)$", old_id)
        base = old_id
        if match:
            base = f"tg-{(datetime.date.fromisoformat(match.group(1)) + delta).isoformat()}{match.group(2)}"
            base = re.sub(r"-\d+$", "", base) if re.search(r"-[a-z]+-[a-z]+-\d+$", base) else base
        ident, count = base, 1
        while ident in self.used_ids:  # a second telegram of the same day and correspondents gets -2, -3, ...
            count += 1
            ident = f"{base}-{count}"
        self.used_ids.add(ident)
        return ident

    @staticmethod
    def _rename(tree, old_id: str, new_id: str) -> None:
        """Replace the document id in every attribute (its own xml:id, inner ids, pointers to them)."""
        for element in tree.iter():
            for name, value in element.attrib.items():
                if old_id in value:
                    element.set(name, value.replace(old_id, new_id))

    def _words(self, lang: str, count: int) -> str:
        pool = self.sources.words.get(lang) or self.sources.words.get("en") or ["telegram"]
        return " ".join(self.rng.choice(pool) for _ in range(max(1, count)))

    def _replace(self, text: str | None, lang: str, factor: float) -> str | None:
        if not text or not WORD.search(text):
            return text
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        core = text.strip()
        stop = core[-1] if core[-1] in ".,;:!?" else ""
        return lead + self._words(lang, round(len(WORD.findall(core)) * factor)) + stop + trail

    def _vary_words(self, body, factor: float) -> None:
        if body is None:
            return
        for element in body.iter(T + "*"):
            name = etree.QName(element).localname
            lang = _language(element) if XML_LANG not in element.attrib else element.get(XML_LANG)
            if name in PROSE:
                element.text = self._replace(element.text, lang, factor)
            parent = element.getparent()
            if parent is not None and etree.QName(parent).localname in PROSE and name not in ("sic",):
                element.tail = self._replace(element.tail, _language(element), factor)

    def _vary_names(self, body) -> None:
        if body is None:
            return
        for element in body.iter(*(T + name for name in NAME_KINDS)):
            ref = element.get("ref", "")
            choices = self.sources.names.get(NAME_KINDS[etree.QName(element).localname])
            if not ref.startswith("registers.xml#") or not choices:
                continue
            ident, label = self.rng.choice(choices)
            if len(element) == 0:  # a name with markup inside keeps its entry, of which it is a form
                element.set("ref", "registers.xml#" + ident)
                element.text = label

    def _vary_numbers(self, body) -> None:
        """Give each number written in digits a new value, written the way the original was (1,000 / 1 000)."""
        if body is None:
            return
        for element in body.iter(T + "num"):
            text, value = element.text or "", element.get("value", "")
            digits = re.sub(r"[,\s\u00a0\u202f]", "", text)
            if len(element) or not value.isdigit() or digits != value:
                continue
            separator = next((c for c in (",", "\u00a0", "\u202f", " ") if c in text), "")
            new = max(1, round(int(value) * self.rng.uniform(0.1, 10)))
            element.set("value", str(new))
            element.text = f"{new:,}".replace(",", separator)
            measure = next(element.iterancestors(T + "measure"), None)
            if measure is not None and measure.get("quantity") == value:
                measure.set("quantity", str(new))  # a measure repeats its number's value (rule measure-quantity)


def _first(tree, tag):
    body = tree.getroot().find(T + "text")
    found = body.find(".//" + T + tag) if body is not None else None
    return found if found is not None else tree.getroot().find(".//" + T + tag)


def plant(kind: str, tree) -> bool:
    """Put one mistake of a known kind into a tree; return False when the tree has no place for it."""
    if kind == "unknown-element":
        target = _first(tree, "p")
        if target is None:
            return False
        etree.SubElement(target, T + "blink").text = "planted"
        return True
    if kind == "bad-date":
        target = next((d for d in tree.iter(T + "date") if d.get("when")), None)
        if target is None:
            return False
        target.set("when", "1950-13-45")
        return True
    if kind == "dangling-ref":
        target = next((e for e in tree.iter(T + "persName") if e.get("ref")), None)
        if target is None:
            return False
        # an entry missing once per document: the validator reports a missing entry once, at its first use
        target.set("ref", f"registers.xml#pers-nobody-planted-{tree.getroot().get(XML_ID)}")
        return True
    if kind == "duplicate-id":
        inner = [e for e in tree.getroot().iter() if e.get(XML_ID)][1:]
        if len(inner) < 2:
            return False
        inner[1].set(XML_ID, inner[0].get(XML_ID))
        return True
    return kind == "not-well-formed"  # applied to the serialized bytes


def serialize(tree) -> bytes:
    """Return the document as the project writes XML: UTF-8, double-quoted declaration, final newline."""
    root = tree.getroot()
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>']
    parts += [etree.tostring(node, encoding="UTF-8") for node in reversed(list(root.itersiblings(preceding=True)))]
    parts.append(etree.tostring(root, encoding="UTF-8"))
    return b"\n".join(parts) + b"\n"


def _copy_project_parts(out: Path, project_root: Path) -> None:
    for part in ("schema", "xslt"):
        if (project_root / part).is_dir():
            shutil.copytree(project_root / part, out / part, ignore=shutil.ignore_patterns("__pycache__"))


def generate(count: int, seed: int, out: Path, source_dir: Path = TEI_DIR, mistake_rate: float = 0.02,
             project_root: Path = ROOT) -> dict:
    """Write a corpus of `count` documents (the real ones, the rest synthetic) under `out`; return the manifest."""
    sources = load_sources(source_dir)
    synth = Synthesizer(sources, seed)
    originals = sources.originals[:count]
    synthetic = count - len(originals)
    planted = sorted(synth.rng.sample(range(synthetic), min(synthetic, round(count * mistake_rate))))
    kinds = {index: MISTAKES[i % len(MISTAKES)] for i, index in enumerate(planted)}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and swapped in whole, so a reader never sees half a corpus.
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (work / "tei").mkdir()
        shutil.copyfile(sources.registers, work / "tei" / "registers.xml")
        _copy_project_parts(work, project_root)
        for path in originals:
            shutil.copyfile(path, work / "tei" / path.name)
        mistakes = []
        for index in range(synthetic):
            ident, tree = synth.telegram()
            kind = kinds.get(index)
            if kind:
                kind = next(k for k in MISTAKES[MISTAKES.index(kind):] + MISTAKES if plant(k, tree))
                mistakes.append({"file": f"tei/{ident}.xml", "kind": kind})
            data = serialize(tree)
            if kind == "not-well-formed":
                data = data[: len(data) // 2]
            (work / "tei" / f"{ident}.xml").write_bytes(data)
        manifest = {
            "generator": "telegrams bench generate",
            "seed": seed,
            "documents": count,
            "real": [path.name for path in originals],
            "templates": [name for name, _ in sources.templates],
            "mistake_rate": mistake_rate,
            "mistakes": mistakes,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        _swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    for line in sources.skipped:
        print(f"{line} (left out of the templates)", file=sys.stderr)
    return manifest


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
