"""Word for word: a TEI document not made for this edition reads in its HTML page and its plain text with no word
lost, glued to its neighbour, split in two or made up.

The words of a TEI document are those of its <text>, read as the TEI means them:
- a line, column or page break inside a word joins the word: said so (`@break="no"`: "A<lb break="no"/> pollo" is
  "Apollo"), or, @break silent, written between a letter and a small letter with no space ("ma<lb/>terials", as the
  TCP texts have it); any other break, a block (paragraph, cell, item, note, speaker...) and the gap between children
  of an element that holds only elements (a person's names, a tree's labels) part words; an empty milestone or
  anchor does not;
- what the editors supply is bracketed, as both editions show it ("[Al]exander");
- the figure's description (`figDesc`, an image's `desc`) is reading text: the page shows it, the text says
  "[Figure: ...]";
- an encoded example (`egXML`) reads as the markup it shows (as its text when it is given as text, in CDATA);
- a substitution (`subst`) stands inside its word, whatever its children; a speech event without words (incident,
  kinesic, vocal, pause, shift) is set apart from the words around it; so is a formula;
- of a `choice`, the reading the editions follow (corr, reg, expan, else the first) is required, the others may show;
- analyses and links (interp, fs, link, index, alt, certainty...) are not reading text: their words may be left
  out, but then a marker "[name: not shown]" says so; embedded data (`binaryObject`) must never show.
The page is read as a browser shows it (the reading view; blocks, and the classes edition.css sets as blocks, apart).
A word the plain text cuts at the end of a full line (a run longer than a line: a URL, markup) is not split.
Output words the TEI lacks (not words it has, repeated: a correction listed under the text) may come from its
attributes (sheet numbers, witnesses), its header, or the editions' own labels; any other is made up. Words are
compared as runs of letters and digits, case folded.

Runs on the fixtures under fixtures/foreign always, and on every TEI file of the folder $TELEGRAMS_FOREIGN_TEI (the
TEI's own test documents, say; they are not part of the project) when it is set.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from telegrams.xmlio import TEI_NS

FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
T = f"{{{TEI_NS}}}"
EXAMPLES_NS = "http://www.tei-c.org/ns/Examples"

BREAK, JOIN = object(), object()
BREAKS = {"lb", "pb", "cb"}
# Elements never inside a word: their start and end part words.
BLOCKS = {
    "p", "ab", "l", "lg", "item", "list", "label", "cell", "row", "table", "head", "div", "div1", "div2", "div3",
    "div4", "div5", "div6", "div7", "sp", "speaker", "stage", "note", "figure", "figDesc", "closer", "opener",
    "salute", "signed", "dateline", "byline", "trailer", "docTitle", "titlePart", "docAuthor", "docDate",
    "docImprint", "docEdition", "titlePage", "argument", "epigraph", "front", "body", "back", "group", "text",
    "floatingText", "postscript", "person", "place", "org", "event", "listPerson", "listPlace", "listOrg",
    "listEvent", "listBibl", "bibl", "biblStruct", "rdg", "rdgGrp", "lem", "eg", "quote", "cit", "address",
    "addrLine", "castList", "castItem", "castGroup", "role", "roleDesc", "set", "move", "view", "camera",
    "sound", "tech", "caption", "spGrp", "u", "incident", "kinesic", "vocal", "pause", "writing", "shift",
    "gap", "space", "graphic", "media", "binaryObject", "formula", "code", "eTree", "eLeaf", "tree", "leaf",
    "iNode", "root", "forest", "graph", "node", "arc", "desc", "gloss", "entry", "form", "sense", "def",
}
# Analyses and links: not reading text, shown as a marker when they hold words.
NOT_SHOWN = {"interp", "interpGrp", "fs", "f", "fsDecl", "fvLib", "fLib", "link", "linkGrp", "join", "joinGrp",
             "span", "spanGrp", "certainty", "precision", "respons", "index", "alt", "altGrp", "timeline", "when",
             "witDetail", "anchor", "milestone"}
# Elements that hold only elements but stand inside a word: "<subst><add>T</add><del>t</del></subst>he".
UNSPACED = {"subst", "mod"}
PREFERRED = ("corr", "reg", "expan", "seg", "sic", "orig", "abbr")
# Words the editions write themselves: labels, markers, notes' and corrections' sections.
LABELS = set("""text notes note translation original quoted telegram end of the figure image embedded file media page
break sheet not shown corr source sic corrections corrected reads by editors supplied back to normalized as in
line column uncertain and or english russian chinese korean""".split())
WORD = re.compile(r"\w+")
BASE64 = re.compile(r"[A-Za-z0-9+/]{60,}")
WIDTH = 72  # of the plain text's lines


def words(text: str) -> list[str]:
    return WORD.findall(unicodedata.normalize("NFC", text).casefold())


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


@dataclass
class Reading:
    """The words a TEI document's text must show, in order, and those it may show."""
    required: list[str] = field(default_factory=list)
    optional: set[str] = field(default_factory=set)
    hidden: list[str] = field(default_factory=list)  # analyses left out: each needs its marker
    data: list[str] = field(default_factory=list)  # embedded data, never shown


def tei_reading(root) -> Reading:
    reading, chunks = Reading(), []
    texts = root.findall(f"{T}text")
    for text in texts:
        walk(text, chunks, reading)
        chunks.append(BREAK)
    reading.required = words(join(chunks))
    header = root.find(f"{T}teiHeader")
    if header is not None:
        reading.optional.update(words(" ".join(header.itertext())))
    for el in root.iter():
        for value in el.attrib.values():
            reading.optional.update(words(value))
        if isinstance(el.tag, str):
            reading.optional.update(words(local(el)))
    return reading


def join(chunks: list) -> str:
    """The chunks as one string: BREAK is a space, JOIN takes the whitespace on both sides away."""
    out: list[str] = []
    joining = False
    for chunk in chunks:
        if chunk is BREAK:
            out.append(" ")
            joining = False
        elif chunk is JOIN:
            while out and not out[-1].strip():
                out.pop()
            if out:
                out[-1] = out[-1].rstrip()
            joining = True
        else:
            if joining:
                chunk = chunk.lstrip()
                joining = not chunk
            out.append(chunk)
    return "".join(out)


def in_word(el) -> bool:
    """A break inside a word: said so, or (no @break) with no space on either side, between a letter and a small
    letter ("ma<lb/>terials", as the TCP texts encode it)."""
    if el.get("break") in ("no", "yes"):
        return el.get("break") == "no"
    before = el.getprevious().tail if el.getprevious() is not None else el.getparent().text
    return bool(re.search(r"[^\W\d_]$", before or "") and re.match(r"[^\W\d_]", el.tail or "")
                and (el.tail or " ")[0].islower())


def walk(el, chunks: list, reading: Reading) -> None:
    name = local(el)
    if el.tag == f"{{{EXAMPLES_NS}}}egXML":
        markup = "".join(etree.tostring(child, encoding="unicode", with_tail=True) for child in el)
        shown = (el.text or "") + re.sub(r' xmlns(:\w+)?="[^"]*"', "", markup) if len(el) else "".join(el.itertext())
        chunks += [BREAK, shown, BREAK]
        return
    if name == "binaryObject":
        reading.data.append("".join(el.itertext()))
        chunks.append(BREAK)
        return
    if name in NOT_SHOWN or name == "teiHeader":
        content = words("".join(el.itertext()))
        if content and name != "teiHeader":
            reading.hidden.append(name)
            chunks.append(BREAK)  # its marker stands between words; an empty milestone may stand inside one
        reading.optional.update(content)
        return
    if name == "choice":
        options = [c for c in el if local(c) in PREFERRED]
        chosen = min(options, key=lambda c: PREFERRED.index(local(c)), default=None)
        for child in options:  # each reading may show alone too (the list of corrections)
            reading.optional.update(words("".join(child.itertext())))
            if child is chosen:
                walk(child, chunks, reading)
        return
    if name in BREAKS:
        chunks.append(JOIN if in_word(el) else BREAK)
        return
    block = name in BLOCKS
    if block:
        chunks.append(BREAK)
    mixed = name in UNSPACED or bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)
    if name == "supplied":  # both editions bracket what the editors supply: "[Al]exander"
        chunks.append("[")
    if el.text and isinstance(el.tag, str):
        chunks.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            walk(child, chunks, reading)
        if not mixed:
            chunks.append(BREAK)
        if child.tail:
            chunks.append(child.tail)
    if name == "supplied":
        chunks.append("]")
    if block:
        chunks.append(BREAK)


# ===== the editions' words =====

HTML_BLOCKS = {"p", "div", "section", "li", "ul", "ol", "td", "th", "tr", "table", "caption", "figure", "figcaption",
               "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "dl", "dt", "dd", "br", "hr", "aside",
               "mi", "mn", "mo", "ms", "mtext"}  # MathML's tokens are each set apart
CSS = Path(__file__).parents[2] / "xslt" / "assets" / "edition.css"


def block_classes() -> set[str]:
    """The classes the edition's style sheet sets apart as blocks (`.line { display: block; }`)."""
    found = set()
    for selectors, rules in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS.read_text(encoding="utf-8")):
        if re.search(r"display:\s*block", rules):
            for selector in selectors.split(","):
                found.update(re.findall(r"^\s*(?:[\w-]+\s+)?\.([\w-]+)\s*$", selector))
    return found


def html_words(path: Path) -> tuple[list[str], str]:
    """The words of a page's text and notes in the reading view (the diplomatic view's spans are hidden), parted
    where a browser parts them (blocks, line breaks, note and correction markers set as superscripts), and the
    page's markup."""
    page = lxml.html.parse(str(path)).getroot()
    chunks: list = []
    blocks = block_classes() | {"noteref", "corr-ref"}

    def visit(el) -> None:
        classes = (el.get("class") or "").split() if isinstance(el.tag, str) else []
        if not isinstance(el.tag, str) or el.get("hidden") is not None or el.tag in ("script", "style") \
                or "dipl" in classes:
            chunks.append(el.tail or "")
            return
        apart = el.tag in HTML_BLOCKS or bool(blocks & set(classes))
        chunks.append(" " if apart else "")
        chunks.append(el.text or "")
        for child in el:
            visit(child)
        chunks.append(" " if apart else "")
        chunks.append(el.tail or "")

    for part in page.xpath("//div[contains(@class,'text-body')] | //section[contains(@class,'notes')]"):
        tail, part.tail = part.tail, None
        visit(part)
        part.tail = tail
        chunks.append(" ")
    return words("".join(chunks)), lxml.html.tostring(page, encoding="unicode")


def text_words(path: Path) -> tuple[list[str], str, set[int]]:
    """The words of a plain text after its header block (which comes from the TEI header), and the positions of the
    words that end a full line: wrapping cuts a run longer than a line (a long URL, markup) there."""
    content = path.read_text(encoding="utf-8")
    parts = content.split("=" * WIDTH + "\n", 2)
    body = parts[2] if len(parts) == 3 else content
    found: list[str] = []
    cut_after = set()
    for line in body.split("\n"):
        found += words(line)
        if len(line) == WIDTH and not line.endswith(" ") and found:
            cut_after.add(len(found) - 1)
    if BASE64.search(body):  # no data of any kind is reading text
        body += "\n" + BASE64.search(body).group()
    return found, body, cut_after


@dataclass
class Report:
    lost: Counter
    glued: Counter
    split: Counter
    invented: Counter
    missing_markers: list[str]
    data_shown: bool

    def faults(self) -> int:
        return sum(self.lost.values()) + sum(self.glued.values()) + sum(self.split.values())

    def __str__(self) -> str:
        def show(counter: Counter) -> str:
            return f"{sum(counter.values())} {[w for w, _ in counter.most_common(6)]}"
        return (f"lost {show(self.lost)}, glued {show(self.glued)}, split {show(self.split)}, invented "
                f"{show(self.invented)}, markers missing {self.missing_markers}, data shown {self.data_shown}")


def compare(reading: Reading, shown: list[str], raw: str, cut_after: set[int] = frozenset()) -> Report:
    """What the edition shows against what the TEI reads: lost, glued and split words, and made-up ones. A word
    split where the plain text's wrapping cut a run too long for a line (`cut_after`) is not a fault."""
    need, have = Counter(reading.required), Counter(shown)
    missing = need - have
    extra = have - need
    glued: Counter = Counter()
    for a, b in zip(reading.required, reading.required[1:]):
        both = a + b
        if extra[both] and missing[a] and missing[b]:
            glued[a + "|" + b] += 1
            extra[both] -= 1
            missing[a] -= 1
            missing[b] -= 1
    split: Counter = Counter()
    for i, (a, b) in enumerate(zip(shown, shown[1:])):
        both = a + b
        if missing[both] and extra[a] and extra[b]:
            if i not in cut_after:
                split[a + "|" + b] += 1
            missing[both] -= 1
            extra[a] -= 1
            extra[b] -= 1
    invented = Counter({w: n for w, n in extra.items() if n > 0 and w not in need and w not in reading.optional
                        and w not in LABELS and not w.isdigit()})
    markers = [name for name in dict.fromkeys(reading.hidden) if f"[{name}: not shown]" not in raw]
    data = any(BASE64.search(d) and BASE64.search(d).group()[:60] in raw for d in reading.data)
    return Report(+missing, glued, split, invented, markers, data)


# ===== building and checking =====

@dataclass
class Checked:
    doc_id: str
    html: Report | None  # None: not built
    text: Report | None
    duplicate_ids: list[str]


def build_and_check(folder: Path, out: Path) -> list[Checked]:
    """Build the HTML and text editions of a folder of TEI files and check every document that was built."""
    from telegrams import project
    from telegrams.editions.site import build_site
    from telegrams.editions.transform import load_source
    from telegrams.findings import FindingError

    build_site([str(folder)], out, search=False)
    checked = []
    for path in project.corpus_files([str(folder)]):
        try:
            source = load_source(path)
        except FindingError:  # not TEI, or nothing to publish: the build reported it
            continue
        page, plain = out / f"{source.id}.html", out / "text" / f"{source.id}.txt"
        if source.kind == "registers":
            continue
        if not page.is_file() or not plain.is_file():
            checked.append(Checked(source.id, None, None, []))
            continue
        reading = tei_reading(source.doc.root)
        html_shown, markup = html_words(page)
        ids = Counter(lxml.html.parse(str(page)).getroot().xpath("//@id"))
        checked.append(Checked(source.id, compare(reading, html_shown, markup), compare(reading, *text_words(plain)),
                               sorted(i for i, n in ids.items() if n > 1)))
    return checked


def problems(checked: list[Checked]) -> list[str]:
    found = []
    for c in checked:
        if c.html is None:
            found.append(f"{c.doc_id}: not built")
            continue
        for edition, report in (("html", c.html), ("text", c.text)):
            if report.faults() or report.invented or report.missing_markers or report.data_shown:
                found.append(f"{c.doc_id} ({edition}): {report}")
        if c.duplicate_ids:
            found.append(f"{c.doc_id} (html): ids used twice {c.duplicate_ids[:5]}")
    return found


# ===== the checker itself =====

def reading_of(xml: str) -> Reading:
    return tei_reading(etree.fromstring(f'<TEI xmlns="{TEI_NS}"><text><body>{xml}</body></text></TEI>'))


def test_the_reading_joins_broken_words_and_parts_blocks():
    assert reading_of('<p>A<lb break="no"/>\n   pollo stood<lb/>\nhere, ma<lb/>terials<lb/>Moscow</p><p>next</p>'
                      ).required == ["apollo", "stood", "here", "materials", "moscow", "next"]
    assert reading_of("<p><persName><forename>Ada</forename><surname>Lovelace</surname></persName> and "
                      "<hi>bold</hi>ly</p>").required == ["ada", "lovelace", "and", "boldly"]
    got = reading_of('<p>the <choice><sic>teh</sic><corr>the</corr></choice> end<interpGrp><interp>x</interp>'
                     '</interpGrp></p>')
    assert got.required == ["the", "the", "end"] and "teh" in got.optional and got.hidden == ["interpGrp"]


def test_the_comparison_finds_lost_glued_split_and_made_up_words():
    reading = reading_of('<p>Apollo stood on the hill</p><p>Lionel</p><p>Wendy</p>')
    report = compare(reading, words("A pollo stood the hill LionelWendy zebra"), "")
    assert report.lost == Counter({"on": 1})
    assert report.glued == Counter({"lionel|wendy": 1})
    assert report.split == Counter({"a|pollo": 1})
    assert report.invented == Counter({"zebra": 1})
    clean = compare(reading, words("Apollo stood on the hill [sheet 2] Lionel Wendy"), "")
    assert clean.faults() == 0 and not clean.invented


def test_a_run_cut_at_the_end_of_a_full_line_is_not_a_split_word(tmp_path):
    url = "http://example.org/" + "a" * 100
    plain = tmp_path / "t.txt"
    plain.write_text(f"see {url[:68]}\n{url[68:]} here\nsplit ted\n")
    shown, raw, cut_after = text_words(plain)
    report = compare(reading_of(f"<p>see {url} here splitted</p>"), shown, raw, cut_after)
    assert report.split == Counter({"split|ted": 1}) and not report.lost


def test_the_page_parts_words_where_the_browser_does(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><body><div class="text-body"><p>one<a class="noteref"><sup>1</sup></a></p><p>two'
                    '<span>three</span><span class="line">four</span></p><ul><li>five</li><li>six</li></ul></div></body></html>')
    assert html_words(page)[0] == ["one", "1", "twothree", "four", "five", "six"]


# ===== the editions =====

def check_folder(folder: Path, tmp_path: Path) -> list[str]:
    checked = build_and_check(folder, tmp_path / "html")
    assert checked, f"no document of {folder} was built"
    return problems(checked)


def test_every_word_of_the_foreign_fixtures_reads_in_both_editions(tmp_path):
    assert check_folder(FOREIGN, tmp_path) == []


def test_every_word_of_the_tei_test_documents_reads_in_both_editions(tmp_path):
    folder = os.environ.get("TELEGRAMS_FOREIGN_TEI")
    if not folder:
        pytest.skip("set TELEGRAMS_FOREIGN_TEI to a folder of TEI documents (the TEI's own test files, say) to "
                    "check them word for word")
    if not Path(folder).is_dir():
        pytest.skip(f"TELEGRAMS_FOREIGN_TEI={folder} is not a folder")
    found = check_folder(Path(folder), tmp_path)
    assert found == [], f"{len(found)} problem(s):\n" + "\n".join(found)
