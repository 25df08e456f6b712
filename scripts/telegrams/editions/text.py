"""Plain-text editions: one UTF-8 file per document and corpus.txt, wrapped at 72 columns, no markup left.

text.xsl writes one logical line per paragraph; a TAB in a line marks where the hanging indent of its wrapped
continuation lines starts. This module wraps those lines and assembles the corpus file.
"""

from __future__ import annotations

import re
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import project, xmlio
from ..findings import Finding, FindingError
from .transform import Corpus, Transformer, load_corpus

WIDTH = 72
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u3000]+")


def wrap_line(line: str, width: int = WIDTH) -> list[str]:
    """Return a logical line wrapped to `width` columns, keeping its indent and its TAB-marked hanging indent."""
    if not line.strip():
        return [""]
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent):]
    if "\t" in body:
        head, _, rest = body.partition("\t")
        hang = indent + " " * len(head)
        first = indent + head
        body = rest
    else:
        hang = first = indent
    body = _SPACES.sub(" ", body.replace("\t", " ")).strip()
    if len(hang) > width // 2:  # a very long label would leave no room: fall back to the plain indent
        hang = indent
    if not body:
        return [first.rstrip()]
    wrapper = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=hang,
                                   break_long_words=True, break_on_hyphens=False)
    return wrapper.wrap(body) or [first.rstrip()]


def wrap_text(text: str, width: int = WIDTH) -> str:
    """Return the whole output of text.xsl wrapped, with runs of blank lines reduced to one."""
    lines: list[str] = []
    for logical in text.splitlines():
        for line in wrap_line(logical, width):
            if line == "" and (not lines or lines[-1] == ""):
                continue
            lines.append(line.rstrip())
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


@dataclass
class TextResult:
    """What a plain-text run wrote and found, and how long the documents took once stylesheets were compiled."""

    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    documents: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    compile_seconds: float = 0.0
    warm_up_seconds: float = 0.0


def render_texts(transformer: Transformer, corpus: Corpus, result: TextResult) -> dict[str, str]:
    """Return {document id: wrapped plain text} for every document that transforms; failures become findings."""
    texts: dict[str, str] = {}
    for source in corpus.sources:
        try:
            texts[source.id] = wrap_text(transformer.run("text", source))
        except FindingError as err:
            result.findings.append(err.finding)
    return texts


def corpus_text(transformer: Transformer, texts: dict[str, str]) -> str:
    """Return corpus.txt: a title block, the contents, then every document in reading (date) order."""
    order = [i for i in transformer.run("text", template="corpus-order").split() if i in texts]
    rule = "=" * WIDTH
    head = [rule, "Mao Zedong and Stalin: Ciphered Telegrams, 1950-1951", "The whole corpus in date order", rule, "",
            "CONTENTS", ""]
    head += [f"{n:3}. {doc_id}" for n, doc_id in enumerate(order, 1)]
    parts = ["\n".join(head) + "\n"] + [texts[doc_id] for doc_id in order]
    return "\n\n".join(parts)


def write_texts(out_dir: Path, texts: dict[str, str], corpus: str | None, result: TextResult) -> None:
    for doc_id, text in texts.items():
        path = out_dir / f"{doc_id}.txt"
        xmlio.write_atomic(path, text)
        result.written.append(path)
    if corpus is not None:
        xmlio.write_atomic(out_dir / "corpus.txt", corpus)
        result.written.append(out_dir / "corpus.txt")


def build_texts(paths: list[str] | None = None, out_dir: Path | None = None) -> TextResult:
    """Build build/text/: <id>.txt per document and corpus.txt; every bad input is a finding, never a crash."""
    out_dir = out_dir or project.TEXT_DIR
    result = TextResult()
    corpus = load_corpus(paths)
    transformer = Transformer(["text"])
    result.compile_seconds = transformer.compile_seconds
    transformer.load(corpus)
    if corpus.sources:
        result.warm_up_seconds = transformer.warm_up(["text"], corpus.sources[0])
    started, started_cpu = time.perf_counter(), time.process_time()
    texts = render_texts(transformer, corpus, result)
    result.documents = len(texts)
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - started_cpu
    write_texts(out_dir, texts, corpus_text(transformer, texts) if texts else None, result)
    result.findings[:0] = corpus.findings  # input problems first, then any transformation failure
    return result
