"""Views of the corpus for its tests: the documents, their diplomatic and reading texts, the seed paragraphs.

The diplomatic text is what the source shows: sic rather than corr, the translator's insertions in square brackets,
"[signature]" for gap reason="signature", no editorial notes. The reading text is what a name means: corr,
insertions without brackets. Both collapse whitespace, so line breaks and indentation of the XML do not count.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from telegrams.project import TEI_DIR
from telegrams.xmlio import TEI_NS, XML_NS, parse

DATA = Path(__file__).parent / "data"
T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS

# Elements that end a line or a block in rendering: a space separates them from what follows.
BLOCKS = {"div", "p", "head", "ab", "item", "list", "opener", "closer", "fw", "floatingText", "body", "quote"}


def corpus_paths() -> list[Path]:
    """Return the corpus files: every TEI document of tei/, the registers included."""
    return sorted(TEI_DIR.glob("*.xml"))


def load_corpus() -> dict[str, object]:
    """Return {file name: parsed Document} for the whole corpus."""
    return {path.name: parse(path) for path in corpus_paths()}


def normalize(text: str) -> str:
    """Collapse every run of whitespace into one space."""
    return re.sub(r"\s+", " ", text).strip()


def local(element) -> str:
    return element.tag[len(T):] if isinstance(element.tag, str) and element.tag.startswith(T) else ""


def _is_editorial_note(element) -> bool:
    return local(element) == "note" and element.get("place") != "inline"


def _render(element, reading: bool) -> str:
    """Return the text of an element and its descendants (not its tail) in the diplomatic or reading view."""
    name = local(element)
    if name == "" or _is_editorial_note(element):
        return ""
    if name == "choice":
        wanted = ("corr", "expan", "reg") if reading else ("sic", "abbr", "orig")
        chosen = [child for child in element if local(child) in wanted]
        return "".join(_render(child, reading) for child in chosen)
    if name == "gap":
        desc = element.find(T + "desc")
        if element.get("reason") == "signature" and desc is not None:
            return "" if reading else "[" + normalize(desc.text or "") + "]"
        return ""
    if name == "lb":
        return " "
    inner = element.text or ""
    for child in element:
        inner += _render(child, reading) + (child.tail or "")
    if name in ("supplied",) or (name == "note" and element.get("place") == "inline"):
        return inner if reading else "[" + inner + "]"
    if name in BLOCKS:
        return " " + inner + " "
    return inner


def diplomatic_text(element) -> str:
    """Return the whitespace-normalised text as the source shows it (sic, [supplied], [signature], no notes)."""
    return normalize(_render(element, reading=False))


def reading_text(element) -> str:
    """Return the whitespace-normalised reading text (corr, supplied without brackets, no notes)."""
    return normalize(_render(element, reading=True))


def _clean_markdown(line: str) -> str:
    line = re.sub(r"^#+\s*", "", line.strip())
    line = line.replace("**", "").replace("\\*", "\u0000")
    line = re.sub(r"\*([^*]+)\*", r"\1", line)
    return line.replace("\u0000", "*").strip()


def seed_spans() -> dict:
    """Return the data file that says where each document stands in the seeds."""
    return json.loads((DATA / "seed_spans.json").read_text(encoding="utf-8"))


def seed_paragraphs(seeds_dir: Path, doc_id: str) -> list[str]:
    """Return the seed paragraphs (markdown-cleaned, whitespace-normalised) that make up a document's text."""
    spans = seed_spans()
    paragraphs: list[str] = []
    for span in spans["documents"][doc_id]:
        lines = [_clean_markdown(line) for line in (seeds_dir / span["seed"]).read_text(encoding="utf-8").splitlines()]
        start = lines.index(span["first"])
        end = len(lines) - 1 if span["last"] is None else lines.index(span["last"], start)
        block: list[str] = []
        for line in lines[start:end + 1] + [""]:
            if line and line not in spans["debris"]:
                block.append(line)
            elif not line and block:
                paragraphs.append(normalize(" ".join(block)))
                block = []
    return paragraphs
