"""`telegrams bench diagnostics`: how well the validator's messages serve an editor, against Jing's.

Mistakes that editors make are planted, by text edits, in copies of the edition's documents (validated with the
edition's schemas) and in foreign TEI documents (`foreign/`, validated against the TEI's tei_all.rng when the TEI
reference schemas are at hand). Each mistake records where it is (the span of text it changed), a token that a
message about it names (the misspelled name, the bad value), the words of an actionable message (what to write
instead) and the words of advice that would point the wrong way. Both tools are scored per mistake:

- found: some error names the mistake's token or lies on its lines;
- right line / right column: that error is on the mistake's lines / inside its span (Jing reports element errors
  at the end of the start tag: the span includes the character after it);
- actionable: that error holds the fix words and is at most 200 characters long (a list of every allowed name is
  not advice);
- spurious: errors left over once each mistake has taken its best one (one mistake, one finding);
- wrong way: errors whose advice would spread or misplace the mistake.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

FOREIGN_DIR = Path(__file__).parent / "foreign"
TEI_NS = "http://www.tei-c.org/ns/1.0"
MAX_ACTIONABLE = 200
_SECTION = ("<!-- diagnostics: written by `telegrams bench diagnostics` -->", "<!-- /diagnostics -->")


@dataclass
class Mistake:
    kind: str
    file: Path
    start: tuple[int, int]        # (line, column) of the first character of the mistake
    end: tuple[int, int]          # (line, column) of its last character
    token: str
    fix: tuple[str, ...]          # an actionable message holds one of these
    wrong: tuple[str, ...] = ()   # advice that points the wrong way


@dataclass
class Reported:
    line: int
    column: int
    message: str


@dataclass
class Score:
    planted: int = 0
    found: int = 0
    line: int = 0
    column: int = 0
    actionable: int = 0
    spurious: int = 0
    wrong: int = 0
    longest: int = 0
    missed: list = field(default_factory=list)


# --- planting --------------------------------------------------------------------------------------------------------

def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _slip(name: str) -> str:
    """An editor's slip of the pen: two inner letters swapped (persName -> persNmae)."""
    i = max(1, len(name) - 3)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


_NAMED = re.compile(r"<(persName|placeName|orgName|title|publisher|salute)((?:\s[^>]*)?)>([^<\n]{2,})</\1>")
_DATE = re.compile(r"<date\b[^>]*\swhen=\"(\d{4})-(\d\d)-(\d\d)\"")


class Plant:
    """One way to plant a mistake: `apply(text)` returns (new text, [(start, end, token, fix, wrong)]) or None."""

    def __init__(self, kind: str, label: str, apply, project_only: bool = False):
        self.kind, self.label, self.apply, self.project_only = kind, label, apply, project_only


def _misspelled_element(text):
    m = _NAMED.search(text)
    if not m:
        return None
    slip = m[1].lower() if m[1] != m[1].lower() else _slip(m[1])
    new = f"<{slip}{m[2]}>{m[3]}</{slip}>"
    return text[:m.start()] + new + text[m.end():], [(m.start(), m.start() + len(slip) + len(m[2]) + 1, slip,
                                                      (f"<{m[1]}>",), ())]


def _misspelled_start_tag(text):
    m = _NAMED.search(text)
    if not m:
        return None
    slip = _slip(m[1])
    new = f"<{slip}{m[2]}>{m[3]}</{m[1]}>"
    return text[:m.start()] + new + text[m.end():], [(m.start(), m.start() + len(slip) + len(m[2]) + 1, slip,
                                                      (f"<{m[1]}>",), (f"write </{slip}>",))]


def _misspelled_end_tag(text):
    m = _NAMED.search(text)
    if not m:
        return None
    slip = _slip(m[1])
    end = m.end() - len(m[1]) - 3
    return (text[:end] + f"</{slip}>" + text[m.end():],
            [(end, end + len(slip) + 2, slip, (f"</{m[1]}>",), (f"write <{slip}>",))])


_P_THEN_P = re.compile(r"(<p\b[^>]*>)(?:(?!</?p\b)[^\n])*?(</p>)(?=\s*<p\b)")


def _unclosed_p(text):
    m = _P_THEN_P.search(text)
    if not m:
        return None
    return text[:m.start(2)] + text[m.end(2):], [(m.start(), m.start(2), "</p>", ("</p>",), ())]


def _after_closer(text):
    at = text.find("</closer>")
    if at < 0:
        return None
    at += len("</closer>")
    new = "<p>P.S. Regards to all.</p>"
    return text[:at] + new + text[at:], [(at, at + len(new) - 1, "<p>", ("must come before",),
                                          ("before <opener>",))]


def _one_too_many(text):
    m = re.search(r"( *)<titleStmt>.*?</titleStmt>\n", text, re.S)
    if not m:
        return None
    copy = re.sub(r'\sxml:id="[^"]*"', "", m[0])  # the copy repeats the element, not its identifiers
    at = m.end()
    start = at + len(m[1])
    return text[:at] + copy + text[at:], [(start, start + len("<titleStmt>") - 1, "titleStmt", ("too many",), ())]


def _misspelled_attribute(text):
    m = re.search(r"<date\b[^>]*?\s(when)=", text)
    if not m:
        return None
    return (text[:m.start(1)] + "wehn" + text[m.end(1):],
            [(m.start(1), m.start(1) + 3, "wehn", ("@when", '"when"'), ())])


def _impossible_date(text):
    m = _DATE.search(text)
    if not m:
        return None
    value = f"{m[1]}-02-30"
    at = text.rindex(" when=", m.start(), m.start(1)) + 1
    return (text[:m.start(2)] + "02-30" + text[m.end(3):],
            [(at, m.end(3) - 1, value, ("date",), ())])


def _value_not_in_list(text):
    m = re.search(r'<correspAction type="(sent)"', text)
    if not m:
        return None
    return text[:m.start(1)] + "snet" + text[m.end(1):], [(m.start(1) - 6, m.end(1) - 1, "snet", ('"sent"',), ())]


def _left_out_element(text):
    m = re.search(r"<placeName\b[^>]*>[^<\n]*</placeName>", text)
    if not m:
        return None
    new = f"<location>{m[0]}</location>"
    return (text[:m.start()] + new + text[m.end():],
            [(m.start(), m.start() + len("<location>") - 1, "location", ("leaves out", "not allowed anywhere"),
              ("did you mean",))])


def _stray_text(text):
    m = re.search(r"<titleStmt>", text)
    if not m:
        return None
    words = "Sent by post."
    return text[:m.end()] + words + text[m.end():], [(m.end(), m.end() + len(words) - 1, words, ("text",), ())]


def _duplicate_id(text):
    """The id of an element given again to a later element of the same name (one that nothing points to)."""
    ids = list(re.finditer(r'<([\w:]+)\s[^>]*?xml:id="([^"]+)"', text))[1:]  # not the root's: it follows no scheme
    for k, m in enumerate(ids):
        first = next((e for e in ids[:k] if e[1] == m[1]), None)
        if first and f"#{m[2]}" not in text and f'"{m[2]}"' not in text[m.end():]:
            return (text[:m.start(2)] + first[2] + text[m.end(2):],
                    [(m.start(2) - 8, m.start(2) + len(first[2]), first[2], ("already", "duplicate"), ())])
    return None


def _wrong_namespace(text):
    m = _NAMED.search(text)
    if not m:
        return None
    at = m.start() + 1 + len(m[1])
    attribute = ' xmlns="http://www.tei-c.org/ns/1.1"'
    return text[:at] + attribute + text[at:], [(m.start(), at + len(attribute) + len(m[2]), m[1], ("namespace",),
                                                ())]


def _bare_ampersand(text):
    m = re.search(r"(<p\b[^>]*>[^<\n]*?) and ", text)
    if not m:
        return None
    at = m.end(1) + 1
    return text[:at] + "&" + text[at + 3:], [(at, at, "&", ("&amp;",), ())]


def _missing_attribute(text):
    m = re.search(r'<num\b[^>]*?(\svalue="[^"]*")', text)
    if not m:
        return None
    return text[:m.start(1)] + text[m.end(1):], [(m.start(), m.start(1) - 1, "num", ("@value",), ())]


def _three_in_one(text):
    """A forgotten </p> first, then a misspelled element and a misspelled attribute further on."""
    first = _unclosed_p(text)
    if not first:
        return None
    text, (p_mistake,) = first
    after = p_mistake[1]
    rest = text[after:]
    mistakes = [p_mistake]
    for plant in (_misspelled_attribute, _misspelled_element):
        planted = plant(rest)
        if not planted:
            return None
        rest, (found,) = planted
        mistakes.append((found[0] + after, found[1] + after, *found[2:]))
    return text[:after] + rest, mistakes


PLANTS = [
    Plant("element-misspelled", "element name misspelled (start and end tag)", _misspelled_element),
    Plant("start-tag-misspelled", "start tag misspelled, end tag right (`<orgNmae>…</orgName>`)",
          _misspelled_start_tag),
    Plant("end-tag-misspelled", "end tag misspelled", _misspelled_end_tag),
    Plant("p-not-closed", "a forgotten `</p>`", _unclosed_p),
    Plant("after-closer", "a paragraph after `<closer>`", _after_closer),
    Plant("one-too-many", "an element repeated once too often (`<titleStmt>`)", _one_too_many),
    Plant("attribute-misspelled", "attribute misspelled (`@wehn`)", _misspelled_attribute),
    Plant("impossible-date", "a day that does not exist (`02-30`)", _impossible_date),
    Plant("value-not-in-list", "value outside a closed list (`snet`)", _value_not_in_list, project_only=True),
    Plant("left-out-element", "a TEI element the customization leaves out (`<location>`)", _left_out_element,
          project_only=True),
    Plant("stray-text", "text where only elements are allowed", _stray_text),
    Plant("duplicate-id", "an `xml:id` used twice", _duplicate_id),
    Plant("wrong-namespace", "an element in a wrong namespace", _wrong_namespace),
    Plant("bare-ampersand", "a bare `&`", _bare_ampersand),
    Plant("missing-attribute", "a required attribute left out (`num/@value`)", _missing_attribute,
          project_only=True),
    Plant("three-in-one", "three mistakes in one file, a forgotten `</p>` first", _three_in_one),
]


def plant_all(sources: list[Path], out: Path, project: bool) -> list[Mistake]:
    """Write one planted copy per source and plant (in its own folder, beside copies of the files it points into,
    so that its pointers still resolve); return the mistakes planted."""
    mistakes = []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for plant in PLANTS:
            if plant.project_only and not project:
                continue
            planted = plant.apply(text)
            if planted is None:
                continue
            new, spans = planted
            # tei/ beside a link to schema/, as in the edition, so that the xml-model instructions resolve
            folder = out / f"{source.stem}--{plant.kind}" / "tei"
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder.parent / "schema").exists():
                from ..project import SCHEMA_DIR

                (folder.parent / "schema").symlink_to(SCHEMA_DIR.resolve(), target_is_directory=True)
            for name in set(re.findall(r'[\s"]([\w.-]+\.xml)[#"\s]', text)) - {source.name}:
                if (source.parent / name).is_file():
                    shutil.copyfile(source.parent / name, folder / name)
            target = folder / source.name
            target.write_text(new, encoding="utf-8")
            for start, end, token, fix, wrong in spans:
                mistakes.append(Mistake(plant.kind, target, _position(new, start), _position(new, end), token,
                                        fix, wrong))
    return mistakes


# --- the tools -------------------------------------------------------------------------------------------------------

def ours(files: list[Path], rng: Path | None, profile: str) -> dict[Path, list[Reported]]:
    """The project's errors per file, each file checked alone (as an editor checks the file at hand)."""
    from ..validate import command

    options = argparse.Namespace(rng=rng, sch=None, profile=profile, no_sch=False, no_corpus=False,
                                 format="human", quiet=True, verbose=False, no_cache=True, jobs=1)
    found = {}
    for path in files:
        findings = command.validate([str(path)], options)[0]
        found[path] = [Reported(f.line, f.column, f.message) for f in findings
                       if f.severity == "error" and Path(f.file) == path]
    return found


_JING_LINE = re.compile(r"^(.+?):(\d+):(\d+): (error|fatal(?: error)?): (.*)$")


def jing(files: list[Path], rng: Path) -> dict[Path, list[Reported]] | None:
    """Jing's errors per file, or None when Jing is not installed. Jing stops the whole run at a file that is not
    well-formed, so it is run again on the files after that one."""
    if not shutil.which("jing") or not files:
        return None
    found: dict[Path, list[Reported]] = {path: [] for path in files}
    remaining = list(files)
    while remaining:
        result = subprocess.run(["jing", str(rng), *map(str, remaining)], capture_output=True, text=True)
        stopped = None
        for line in result.stdout.splitlines():
            match = _JING_LINE.match(line)
            if match and Path(match[1]) in found:
                found[Path(match[1])].append(Reported(int(match[2]), int(match[3]), match[5]))
                if match[4].startswith("fatal"):
                    stopped = Path(match[1])
        remaining = remaining[remaining.index(stopped) + 1:] if stopped in remaining else []
    return found


# --- scoring ---------------------------------------------------------------------------------------------------------

def _on_lines(m: Mistake, r: Reported) -> bool:
    return m.start[0] <= r.line <= m.end[0]


def _inside(m: Mistake, r: Reported) -> bool:
    return m.start <= (r.line, r.column) <= (m.end[0], m.end[1] + 2)


def _about(m: Mistake, r: Reported) -> bool:
    return _on_lines(m, r) or m.token in r.message


def _rank(m: Mistake, r: Reported) -> tuple:
    return (_inside(m, r), _on_lines(m, r), any(word in r.message for word in m.fix))


def score(mistakes: list[Mistake], reports: dict[Path, list[Reported]]) -> dict[str, Score]:
    """Score one tool: per kind of mistake (and "total")."""
    scores: dict[str, Score] = {}
    by_file: dict[Path, list[Mistake]] = {}
    for m in mistakes:
        by_file.setdefault(m.file, []).append(m)
    for path, planted in by_file.items():
        left = list(reports.get(path, []))
        for m in planted:
            s = scores.setdefault(m.kind, Score())
            s.planted += 1
            candidates = [r for r in left if _about(m, r)]
            if not candidates:
                s.missed.append(m)
                continue
            best = max(candidates, key=lambda r: _rank(m, r))
            left.remove(best)
            s.found += 1
            s.line += _on_lines(m, best)
            s.column += _inside(m, best)
            s.actionable += any(w in best.message for w in m.fix) and len(best.message) <= MAX_ACTIONABLE
        for r in reports.get(path, []):
            s = scores[planted[0].kind]
            s.longest = max(s.longest, len(r.message))
            s.wrong += any(w in r.message for m in planted for w in m.wrong)
        scores[planted[0].kind].spurious += len(left)
    total = Score()
    for s in scores.values():
        for name in ("planted", "found", "line", "column", "actionable", "spurious", "wrong"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.longest = max(total.longest, s.longest)
        total.missed.extend(s.missed)
    scores["total"] = total
    return scores


# --- the run ---------------------------------------------------------------------------------------------------------

@dataclass
class Suite:
    name: str
    sources: list[Path]
    rng: Path
    profile: str
    project: bool


def suites() -> tuple[list[Suite], list[str]]:
    """The suites that can run here: the edition's documents, and the foreign ones when tei_all.rng is at hand."""
    from ..project import TEI_DIR, corpus_files, shared_dir
    from ..validate.command import DEFAULT_RNG

    found = [Suite("edition", [p for p in corpus_files([str(TEI_DIR)])], DEFAULT_RNG, "edition", True)]
    notes = []
    shared = shared_dir()
    tei_all = shared / "tei" / "reference" / "tei_all.rng" if shared else None
    if tei_all and tei_all.is_file():
        found.append(Suite("foreign TEI against tei_all", sorted(FOREIGN_DIR.glob("*.xml")), tei_all, "tei", False))
    else:
        notes.append("foreign TEI left out: the TEI's reference tei_all.rng (../shared/tei/reference/) is absent")
    return found, notes


def run_suite(suite: Suite, work: Path, with_jing: bool = True) -> tuple[list[Mistake], dict, dict | None, list]:
    """Plant, check with both tools, score. Sources either tool finds invalid as they are are left out."""
    clean_ours = ours(suite.sources, suite.rng, suite.profile)
    clean_jing = jing(suite.sources, suite.rng) if with_jing else None
    notes = []
    sources = []
    for path in suite.sources:
        if clean_ours[path] or (clean_jing and clean_jing[path]):
            notes.append(f"{path.name} left out of '{suite.name}': it is not valid as it is")
        else:
            sources.append(path)
    mistakes = plant_all(sources, work / suite.name.split()[0], suite.project)
    files = sorted({m.file for m in mistakes})
    our_scores = score(mistakes, ours(files, suite.rng, suite.profile))
    jing_reports = jing(files, suite.rng) if with_jing else None
    jing_scores = score(mistakes, jing_reports) if jing_reports is not None else None
    return mistakes, our_scores, jing_scores, notes


def table(results: list[tuple[Suite, dict, dict | None]], notes: list[str]) -> str:
    """The Markdown section for docs/benchmarks.md."""
    labels = {plant.kind: plant.label for plant in PLANTS}
    lines = [_SECTION[0], "## Diagnostics: planted mistakes, the project against Jing", "",
             "Generated by `telegrams bench diagnostics` (`scripts/telegrams/bench/diagnostics.py` says how "
             "mistakes are planted and scored). Each cell: ours / Jing. *found*: an error names the mistake or "
             "lies on its lines; *line*, *column*: that error is at the mistake; *actionable*: it says what to "
             f"write, in at most {MAX_ACTIONABLE} characters; *spurious*: errors beyond one per mistake; *wrong "
             "way*: advice that would spread or misplace the mistake; *longest*: the longest message, in "
             "characters.", "", f"Run on {date.today().isoformat()} with {_jing_version()}.", ""]
    for suite, mine, theirs in results:
        lines += [f"### {suite.name} ({len(suite.sources)} documents)", "",
                  "| mistake | planted | found | line | column | actionable | spurious | wrong way | longest |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for kind in [p.kind for p in PLANTS if p.kind in mine] + ["total"]:
            a, b = mine[kind], (theirs or {}).get(kind)
            cells = [f"{getattr(a, n)} / {getattr(b, n) if b else '–'}"
                     for n in ("found", "line", "column", "actionable", "spurious", "wrong", "longest")]
            label = "**total**" if kind == "total" else labels[kind]
            lines.append(f"| {label} | {a.planted} | " + " | ".join(cells) + " |")
        lines.append("")
    if notes:
        lines += [f"- {note}" for note in notes] + [""]
    lines.append(_SECTION[1])
    return "\n".join(lines) + "\n"


def _jing_version() -> str:
    if not shutil.which("jing"):
        return "no Jing"
    found = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "jing"], capture_output=True, text=True)
    return f"Jing {found.stdout.strip()}" if found.returncode == 0 and found.stdout.strip() else "Jing"


def write_section(path: Path, section: str) -> None:
    """Put the section into the benchmarks page, replacing the one there (the rest is `bench run`'s)."""
    from ..xmlio import write_atomic

    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmarks\n"
    if _SECTION[0] in text and _SECTION[1] in text:
        before, rest = text.split(_SECTION[0], 1)
        after = rest.split(_SECTION[1], 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    write_atomic(path, text)


def kept_section(path: Path) -> str:
    """The diagnostics section of the benchmarks page, for `bench run` to keep when it rewrites the page."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if _SECTION[0] in text and _SECTION[1] in text:
        return _SECTION[0] + text.split(_SECTION[0], 1)[1].split(_SECTION[1], 1)[0] + _SECTION[1] + "\n"
    return ""


def run_diagnostics(out: Path | None) -> int:
    from ..project import ROOT

    chosen, notes = suites()
    if not shutil.which("jing"):
        notes.append("Jing is not installed (Debian: `apt-get install jing`): its column shows –")
    results = []
    with tempfile.TemporaryDirectory(prefix="telegrams-diagnostics-") as work:
        for suite in chosen:
            _mistakes, mine, theirs, left_out = run_suite(suite, Path(work))
            notes.extend(left_out)
            results.append((suite, mine, theirs))
            total = mine["total"]
            print(f"{suite.name}: {total.planted} mistakes, found {total.found}, at the line {total.line}, "
                  f"actionable {total.actionable}, spurious {total.spurious}"
                  + (f" (Jing: found {theirs['total'].found}, at the line {theirs['total'].line}, actionable "
                     f"{theirs['total'].actionable}, spurious {theirs['total'].spurious})" if theirs else ""))
    target = (out or ROOT / "docs") / "benchmarks.md"
    write_section(target, table(results, notes))
    print(f"written to {target}")
    return 0
