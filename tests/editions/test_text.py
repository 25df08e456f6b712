"""The plain-text editions: UTF-8, no markup left, lines of at most 72 columns, corpus.txt in date order."""

from __future__ import annotations

import random
import re
import textwrap
from pathlib import Path

import pytest

from telegrams.editions.text import build_texts
from telegrams.editions.wrap import WIDTH, fill, wrap_line, wrap_text

MARKUP = re.compile(r"</?[A-Za-z][\w:.-]*(\s[^>]*)?/?>|&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);|<\?|<!--")
WRAP_CASES = Path(__file__).parent / "fixtures" / "wrap"


def test_no_markup_is_left(texts, sources):
    """No markup in the plain text, but in the encoded examples (egXML) it shows as examples: indented lines."""
    examples = {i for i, s in sources.items() if s.doc.root.xpath("//*[local-name()='egXML']")}
    for name, text in texts.items():
        if name in examples or (name == "corpus" and examples):
            text = "\n".join(line for line in text.splitlines() if not line.startswith("    <"))
        found = MARKUP.search(text)
        assert found is None, f"{name}.txt keeps markup: {found.group(0)!r}"


def _too_long(line: str) -> bool:
    """A line over 72 columns, unless it is one word longer than a line (a URL), which is never cut."""
    return len(line) > WIDTH and " " in line.strip()


def test_lines_are_at_most_72_columns(texts):
    for name, text in texts.items():
        long = [line for line in text.splitlines() if _too_long(line)]
        assert long == [], f"{name}.txt has lines over {WIDTH} columns: {long[:3]}"
        assert "\t" not in text, f"{name}.txt keeps a TAB"


def test_each_text_has_header_text_and_notes(texts, sources):
    for doc_id, source in sources.items():
        text = texts[doc_id]
        assert text.startswith("=" * WIDTH + "\n")
        assert f"Document:     {doc_id}" in text
        notes = [n for n in source.doc.root.iter("{http://www.tei-c.org/ns/1.0}note")
                 if n.get("place") != "inline" and any(a.tag.endswith("}text") for a in n.iterancestors())]
        if notes:
            assert "\nNOTES\n" in text and "[1] " in text


def test_russian_original_is_its_own_section(texts, sources):
    bilingual = [doc_id for doc_id, s in sources.items()
                 if len({d.get("{http://www.w3.org/XML/1998/namespace}lang")
                         for d in s.doc.root.iterfind(".//{http://www.tei-c.org/ns/1.0}body/{http://www.tei-c.org/ns/1.0}div")}) > 1]
    if not bilingual:
        pytest.skip("no document with an original beside its translation yet")
    for doc_id in bilingual:
        text = texts[doc_id]
        assert "\nRUSSIAN ORIGINAL\n" in text and "\nENGLISH TRANSLATION\n" in text
        assert text.index("ENGLISH TRANSLATION") < text.index("RUSSIAN ORIGINAL")


def test_corpus_holds_every_telegram_in_date_order(site, correspondence):
    corpus = (site.out_dir / "text" / "corpus.txt").read_text(encoding="utf-8")
    telegrams = list(correspondence)  # ids begin with the date sent
    positions = [corpus.index(f"Document:     {doc_id}") for doc_id in telegrams]
    assert positions == sorted(positions)
    assert not any(_too_long(line) for line in corpus.splitlines())


def test_text_command_writes_build_text(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "foreign" / "lite-sample.xml"
    result = build_texts([str(fixture)], tmp_path)
    assert result.findings == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["corpus.txt", "lite-sample.txt"]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


def test_the_html_build_writes_the_same_text_edition_in_the_same_pass(tmp_path):
    """`telegrams html --text-out` (what `make` runs) gives byte for byte what `telegrams text` gives, and removes
    the texts of documents that left the corpus, as `telegrams text` does."""
    from telegrams.editions.site import build_site

    corpus = tmp_path / "tei"
    corpus.mkdir()
    for source in sorted((Path(__file__).parent / "fixtures" / "foreign").glob("*.xml"))[:3]:
        (corpus / source.name).write_bytes(source.read_bytes())
    alone = build_texts([str(corpus)], tmp_path / "alone")
    build_site([str(corpus)], tmp_path / "html", search=False, text_dir=tmp_path / "with-site")
    (tmp_path / "with-site" / "gone.txt").write_text("a text of a document removed since", encoding="utf-8")
    site = build_site([str(corpus)], tmp_path / "html", search=False, text_dir=tmp_path / "with-site")
    assert _files(tmp_path / "with-site") == _files(tmp_path / "alone")
    assert len(_files(tmp_path / "alone")) == len(alone.written) > 1
    assert site.texts == {tmp_path / "with-site" / name for name in _files(tmp_path / "alone")}


def test_the_text_edition_is_refused_inside_the_site(tmp_path):
    from telegrams.editions.site import build_site
    from telegrams.findings import FindingError

    fixture = Path(__file__).parent / "fixtures" / "foreign" / "lite-sample.xml"
    with pytest.raises(FindingError, match="a folder of its own"):
        build_site([str(fixture)], tmp_path / "html", search=False, text_dir=tmp_path / "html" / "text")
    assert not (tmp_path / "html").exists()  # refused before anything was written


@pytest.mark.parametrize("case", sorted(WRAP_CASES.glob("*.in")), ids=lambda p: p.stem)
def test_wrapping(case):
    """Each fixture pair: the logical lines text.xsl writes (.in) and the wrapped text expected (.out)."""
    expected = case.with_suffix(".out").read_text(encoding="utf-8")
    assert wrap_text(case.read_text(encoding="utf-8")) == expected


def test_a_word_longer_than_the_line_is_never_cut():
    lines = wrap_line("see " + "x" * 100 + " here")
    assert lines == ["see", "x" * 100, "here"]


def test_fill_breaks_lines_exactly_as_textwrap_does():
    """fill is a faster TextWrapper for single-spaced text: same lines for words short and long, labels short and long."""
    rng = random.Random(1950)
    for _ in range(3000):
        words = ["x" * rng.choice([1, 2, 3, 5, 8, 13, 40, 71, 72, 73, 150]) for _ in range(rng.randint(1, 30))]
        body = " ".join(words)
        first = " " * rng.randint(0, 4) + "L" * rng.choice([0, 1, 5, 14, 36, 70, 72, 80])
        hang = " " * rng.choice([0, 2, 4, 15, 36, 71])
        width = rng.choice([WIDTH, 20, 5, 1])
        expected = textwrap.TextWrapper(width=width, initial_indent=first, subsequent_indent=hang,
                                        break_long_words=False, break_on_hyphens=False).wrap(body)
        assert fill(body, first, hang, width) == expected, (body, first, hang, width)
