"""Views of the corpus for its tests: the documents, their diplomatic text, the seeds they declare, the seed texts.

The diplomatic text is what the source shows: sic rather than corr, the translator's insertions in square brackets,
"[signature]" for gap reason="signature", no editorial notes; whitespace collapsed, so line breaks and indentation
of the XML do not count.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from telegrams.project import TEI_DIR
from telegrams.xmlio import TEI_NS, parse

DATA = Path(__file__).parent / "data"
T = "{%s}" % TEI_NS
_SEED_FILE = re.compile(r"\bseeds/([\w.-]+\.txt)")

# Elements that end a line or a block in rendering: a space separates them from what follows.
BLOCKS = {"div", "p", "head", "ab", "item", "list", "opener", "closer", "fw", "floatingText", "body", "quote"}


def corpus_paths() -> list[Path]:
    """Return the corpus files: every TEI document of tei/, the registers included."""
    return sorted(TEI_DIR.glob("*.xml"))


def declared_seed(path: Path) -> str | None:
    """Return the seed file a document says it is made from (its record's note type="seed"), or None."""
    for note in parse(path).root.iter(T + "note"):
        if note.get("type") == "seed" and note.getparent().tag == T + "bibl":
            found = _SEED_FILE.search("".join(note.itertext()))
            if found:
                return found[1]
    return None


def seeded_documents() -> list[tuple[Path, str]]:
    """Return (path, seed file) for each document of tei/ that declares a seed transcription."""
    return [(path, seed) for path in corpus_paths() if (seed := declared_seed(path))]


def normalize(text: str) -> str:
    """Collapse every run of whitespace into one space."""
    return re.sub(r"\s+", " ", text).strip()


def local(element) -> str:
    return element.tag[len(T):] if isinstance(element.tag, str) and element.tag.startswith(T) else ""


def _is_editorial_note(element) -> bool:
    return local(element) == "note" and element.get("place") != "inline"


def _render(element) -> str:
    """Return the diplomatic text of an element and its descendants (not its tail)."""
    name = local(element)
    if name == "" or _is_editorial_note(element):
        return ""
    if name == "choice":
        return "".join(_render(child) for child in element if local(child) in ("sic", "abbr", "orig"))
    if name == "gap":
        desc = element.find(T + "desc")
        signature = element.get("reason") == "signature" and desc is not None
        return "[" + normalize(desc.text or "") + "]" if signature else ""
    if name == "lb":
        return " "
    inner = element.text or ""
    for child in element:
        inner += _render(child) + (child.tail or "")
    if name == "supplied" or (name == "note" and element.get("place") == "inline"):
        return "[" + inner + "]"
    if name in BLOCKS:
        return " " + inner + " "
    return inner


def diplomatic_text(element) -> str:
    """Return the whitespace-normalised text as the source shows it (sic, [supplied], [signature], no notes)."""
    return normalize(_render(element))


def _clean_markdown(line: str) -> str:
    line = re.sub(r"^#+\s*", "", line.strip())
    line = line.replace("**", "").replace("\\*", "\u0000")
    line = re.sub(r"\*([^*]+)\*", r"\1", line)
    return line.replace("\u0000", "*").strip()


def seed_texts() -> dict:
    """Return the data file that records the texts each seed holds."""
    return json.loads((DATA / "seed_texts.json").read_text(encoding="utf-8"))


def seed_paragraphs(seeds_dir: Path, text: dict, debris: list[str]) -> list[str]:
    """Return the seed paragraphs (markdown-cleaned, whitespace-normalised) that make up one recorded text."""
    lines = [_clean_markdown(line) for line in (seeds_dir / text["seed"]).read_text(encoding="utf-8").splitlines()]
    paragraphs: list[str] = []
    for span in text["spans"]:
        start = lines.index(span["first"])
        end = len(lines) - 1 if span["last"] is None else lines.index(span["last"], start)
        block: list[str] = []
        for line in lines[start:end + 1] + [""]:
            if line and line not in debris:
                block.append(line)
            elif not line and block:
                paragraphs.append(normalize(" ".join(block)))
                block = []
    return paragraphs
