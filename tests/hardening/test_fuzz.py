"""Fuzzing: generated and mutated TEI through parse, the RELAX NG explainer and the editions.

Every case must end in success or in findings (FindingError, file:line:col) within a time bound: never another
exception, never a hang. The explainer's verdict must equal lxml's on every well-formed TEI case.

`make test` runs a small derandomized subset (the same cases every time, a few seconds). For the full run:
    FUZZ_EXAMPLES=10000 .venv/bin/pytest tests/hardening -m fuzz
"""

import contextlib
import copy
import os
import re
import signal
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from .hardening_support import BENCH_FIXTURES, module_exists
from telegrams import project
from telegrams.findings import FindingError
from telegrams.xmlio import TEI_NS, XML_NS, attribute_items, parse, parse_bytes, require_tei

pytestmark = pytest.mark.fuzz

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or 0)
PER_CASE_SECONDS = 20
LOCATED = re.compile(r"^(?:.*/)?fuzz\.xml:\d+:\d+: (error|warning|info): \S")


def fuzz_settings(quick: int):
    """The full run's FUZZ_EXAMPLES random cases, or `quick` fixed ones (derandomized) for make test."""
    common = dict(deadline=None, database=None, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    if FUZZ_EXAMPLES:
        return settings(max_examples=FUZZ_EXAMPLES, **common)
    return settings(max_examples=quick, derandomize=True, **common)


@contextlib.contextmanager
def time_limit(seconds: float):
    """Fail a case that runs longer than `seconds` (a hang) instead of blocking the run."""
    def expire(signum, frame):
        raise TimeoutError(f"one document took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---- the stages under test, each when it exists ------------------------------------------------------------------

@lru_cache(maxsize=1)
def seed_documents() -> tuple[bytes, ...]:
    """Real documents to mutate: the corpus's telegrams, or the bench fixtures while tei/ is empty."""
    real = sorted(project.TEI_DIR.glob("tg-*.xml"))
    paths = real or sorted(BENCH_FIXTURES.glob("tg-*.xml"))
    return tuple(p.read_bytes() for p in paths)


def compiled_schema() -> Path:
    """The project's ODD compiled into a temporary folder (for as long as schema/telegrams.rng is not committed)."""
    out = Path(tempfile.mkdtemp(prefix="telegrams-fuzz-schema-"))
    if module_exists("telegrams.odd.command") and project.p5subset() and (project.SCHEMA_DIR / "telegrams.odd").is_file():
        subprocess.run([sys.executable, "-m", "telegrams", "schema", "--out", str(out)], capture_output=True)
    return out / "telegrams.rng"


@lru_cache(maxsize=1)
def schema_pair():
    """(explainer grammar, lxml RelaxNG) of the project schema, else TEI Lite; None when there is none."""
    if not module_exists("telegrams.validate.explain"):
        return None
    from telegrams.validate.explain import load_grammar

    shared = project.shared_dir()
    candidates = [project.SCHEMA_DIR / "telegrams.rng", compiled_schema()]
    candidates += [shared / "tei/reference/tei_lite.rng"] if shared else []
    rng = next((path for path in candidates if path.is_file()), None)
    if rng is None:
        return None
    return load_grammar(rng), etree.RelaxNG(parse(rng).tree)


@lru_cache(maxsize=1)
def editions():
    """The editions' per-document worker (both passes: facts and text, then the page), or None before it exists."""
    if not module_exists("telegrams.editions.passes"):
        return None
    from telegrams.editions.passes import DocumentWorker, Setup
    from telegrams.editions.transform import Transformer

    names = ["facts", "text", "telegram"]
    registers = project.REGISTERS.read_text(encoding="utf-8") if project.REGISTERS.is_file() else None
    return DocumentWorker(Transformer(names), Setup(names, registers_text=registers))


def check_finding(finding) -> None:
    assert LOCATED.match(str(finding)), str(finding)
    assert finding.line >= 0 and finding.column >= 0


def run_pipeline(data: bytes) -> None:
    """Parse, locate, explain (compared with lxml) and transform one document; only findings may come out."""
    with time_limit(PER_CASE_SECONDS):
        try:
            doc = parse_bytes(data, "fuzz.xml")
            for node in doc.root.iter():
                line, column = doc.locate(node)
                assert line >= 0 and column >= 0
            require_tei(doc)
        except FindingError as err:
            check_finding(err.finding)
            return
        pair = schema_pair()
        if pair is not None:
            from telegrams.validate.explain import explain

            grammar, relaxng = pair
            findings = explain(doc, grammar)
            for finding in findings:
                check_finding(finding)
            lxml_valid = relaxng.validate(doc.tree)
            explained_valid = not [f for f in findings if f.severity == "error"]
            assert explained_valid == lxml_valid or libxml2_departs(doc), (
                f"explainer says {'valid' if explained_valid else 'invalid'}, lxml says "
                f"{'valid' if lxml_valid else 'invalid'}: {findings[:3]} / {relaxng.error_log.last_error}")
        transform(data)


def libxml2_departs(doc) -> bool:
    """Whether the document holds a value on which libxml2 departs from the XSD datatypes (and Jing), so that the
    engine rightly disagrees with it: an exponent without digits, the hour 24, a leap second, a value with
    surrounding whitespace (docs/validation.md, "Bounded and specification-exact checks")."""
    from telegrams.validate.rng import libxml2_lenient

    values = [value for element in doc.root.iter(etree.Element) for value in element.attrib.values()]
    values += [element.text or "" for element in doc.root.iter(etree.Element) if len(element) == 0]
    return any(libxml2_lenient(value) or ":60" in value or value != value.strip(" \t\r\n") for value in values)


def transform(data: bytes) -> None:
    """Run one document through both passes of the editions, as a worker of `telegrams html` would."""
    worker = editions()
    if worker is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xml"
        path.write_bytes(data)
        studied = worker.study(path)
        for finding in studied.findings:
            check_finding(finding)
        if studied.facts is None:
            return
        assert studied.text is None or isinstance(studied.text, str)
        rendered = worker.render((path, "fuzz"))
        for finding in rendered.findings:
            check_finding(finding)
        assert rendered.page is None or isinstance(rendered.page, str)


# ---- strategies --------------------------------------------------------------------------------------------------

ELEMENTS = ["TEI", "teiHeader", "fileDesc", "titleStmt", "title", "publicationStmt", "sourceDesc", "text", "body",
            "div", "head", "p", "persName", "placeName", "orgName", "date", "num", "note", "choice", "sic", "corr",
            "supplied", "hi", "seg", "opener", "dateline", "closer", "signed", "list", "item", "ab", "lb", "ptr",
            "ref", "idno", "correspDesc", "correspAction", "standOff", "listPerson", "person", "blink", "x:y"]
ATTRIBUTES = ["xml:id", "xml:lang", "ref", "when", "notBefore", "notAfter", "cert", "value", "type", "resp",
              "corresp", "n", "rend", "target", "who", "foo", "xmlns", "xmlns:x", "xml:space"]
# Any character but surrogates (which UTF-8 cannot carry): controls, private use, RTL, combining marks, astral.
characters = st.characters(exclude_categories=("Cs",))
short_text = st.text(characters, max_size=20)
long_text = st.builds(lambda piece, times: piece * times, st.text(characters, min_size=1, max_size=5),
                      st.integers(1000, 60_000))
texts = st.one_of(short_text, short_text, short_text, long_text)
values = st.one_of(short_text, st.sampled_from(["1950-11-07", "1950-13-45", "registers.xml#pers-stalin",
                                                 "#nowhere", "140000", "-1", "", "ru", "http://127.0.0.1:9/x"]))


def escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def element(name: str, attributes: dict, children: list[str]) -> str:
    attrs = "".join(f' {key}="{escape(value, True)}"' for key, value in attributes.items())
    return f"<{name}{attrs}>{''.join(children)}</{name}>"


content = st.recursive(
    texts.map(escape),
    lambda inner: st.builds(element, st.sampled_from(ELEMENTS), st.dictionaries(st.sampled_from(ATTRIBUTES), values,
                                                                                 max_size=3),
                            st.lists(inner, max_size=4)),
    max_leaves=25,
)


@st.composite
def generated_tei(draw) -> bytes:
    """A TEI-like document: random content, sometimes deeply nested, in a TEI skeleton or bare, in some encoding."""
    body = "".join(draw(st.lists(content, max_size=4)))
    depth = draw(st.one_of(st.just(0), st.integers(0, 300)))
    body = "<hi>" * depth + body + "</hi>" * depth
    if draw(st.booleans()):
        text = (f'<TEI xmlns="{TEI_NS}" xml:id="fuzz"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
                f"<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
                f"<text><body>{body}</body></text></TEI>")
    else:
        text = f'<TEI xmlns="{TEI_NS}">{body}</TEI>'
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1-declared-utf-8"]))
    if encoding == "utf-16":
        return ('<?xml version="1.0" encoding="UTF-16"?>\n' + text).encode("utf-16")
    if encoding == "latin-1-declared-utf-8":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("latin-1", "replace")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode(encoding)


TOKENS = [b"<", b">", b"</", b"/>", b"&", b"&amp;", b"&nbsp;", b"<!DOCTYPE TEI>", b"<![CDATA[", b"]]>", b"<?pi?>",
          b"<!--", b"-->", b'"', b"'", b"=", b' xml:id="dup"', b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xae",
          b"\xf0\x9f\x98\x80", b"<p>", b"</p>", b"<blink/>", b'xmlns="urn:other"', b"\r\n", b"\t" * 50]


@st.composite
def mutated_bytes(draw) -> bytes:
    """A real document with a few byte-level edits: cuts, insertions of XML tokens, duplications, flips."""
    data = bytearray(draw(st.sampled_from(seed_documents())))
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "insert", "copy", "flip"]))
        if kind == "cut":
            data[where: where + draw(st.integers(1, 200))] = b""
        elif kind == "insert":
            data[where:where] = draw(st.sampled_from(TOKENS))
        elif kind == "copy":
            start = draw(st.integers(0, len(data)))
            data[where:where] = data[start: start + draw(st.integers(1, 500))]
        elif data:
            data[min(where, len(data) - 1)] = draw(st.integers(0, 255))
    return bytes(data)


@st.composite
def mutated_trees(draw) -> bytes:
    """A real document with a few element-level edits: still well-formed, often one mistake from valid."""
    root = parse_bytes(draw(st.sampled_from(seed_documents()))).root
    tei = lambda name: f"{{{TEI_NS}}}{name}"  # noqa: E731
    for _ in range(draw(st.integers(1, 3))):
        nodes = [n for n in root.iter(etree.Element) if n is not root]
        if not nodes:
            break
        node = draw(st.sampled_from(nodes))
        parent = node.getparent()
        kind = draw(st.sampled_from(["remove", "rename", "duplicate", "set", "unset", "text", "unwrap", "move"]))
        if kind == "remove":
            parent.remove(node)
        elif kind == "rename":
            node.tag = tei(draw(st.sampled_from(ELEMENTS).filter(lambda n: ":" not in n)))
        elif kind == "duplicate":
            parent.insert(parent.index(node), copy.deepcopy(node))
        elif kind == "set":
            name = draw(st.sampled_from(["when", "ref", "type", "value", "n", "rend", "resp", "xml:id", "xml:lang"]))
            name = f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml:") else name
            node.set(name, draw(st.sampled_from(["1950-11-07", "1950-13-45", "x", "", "registers.xml#pers-x", "12"])))
        elif kind == "unset" and node.attrib:
            del node.attrib[draw(st.sampled_from(sorted(node.attrib)))]
        elif kind == "text":
            node.text = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30))
        elif kind == "unwrap":
            index = parent.index(node)
            for offset, child in enumerate(list(node)):
                parent.insert(index + 1 + offset, child)
            parent.remove(node)
        elif kind == "move":
            target = draw(st.sampled_from(nodes))
            if node not in target.iterancestors() and node is not target:
                target.append(node)
    return etree.tostring(root.getroottree(), encoding="UTF-8", xml_declaration=True)


# ---- the properties ----------------------------------------------------------------------------------------------

def test_the_fuzz_reaches_every_stage_that_exists():
    """Guards the properties below against silently testing less when a stage's API moves."""
    if module_exists("telegrams.editions"):
        assert editions() is not None, "the editions exist but their per-document worker was not found"
    if module_exists("telegrams.validate.explain"):
        assert schema_pair() is not None, "the explainer exists but no schema was found or compiled"


@fuzz_settings(quick=25)
@given(generated_tei())
def test_generated_tei_ends_in_success_or_findings(data):
    run_pipeline(data)


@fuzz_settings(quick=25)
@given(mutated_bytes())
def test_mutated_bytes_end_in_success_or_findings(data):
    run_pipeline(data)


@fuzz_settings(quick=10)
@given(mutated_trees())
def test_mutated_trees_explainer_agrees_with_lxml(data):
    if schema_pair() is None:
        pytest.skip("the RELAX NG explainer (telegrams.validate.explain) or a schema is not available yet")
    run_pipeline(data)


# ---- the readers and attribute-heavy documents: bounded time, asserted by Hypothesis's deadline (issue 13) --------

def bounded_settings(quick: int, milliseconds: int):
    """As fuzz_settings, with a deadline: a case slower than `milliseconds` fails (an exponential reader would)."""
    from datetime import timedelta

    common = dict(deadline=timedelta(milliseconds=milliseconds), database=None, print_blob=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    if FUZZ_EXAMPLES:
        return settings(max_examples=FUZZ_EXAMPLES, **common)
    return settings(max_examples=quick, derandomize=True, **common)


DATE_TOKENS = ["1900", "1951", "21.06", "21.6.51", "7.11.1950", "22.00", "18:30", "5", "June", "июня", "мае", "Sept.",
               "1 p.m.", "1 p. m.", "11:30 a.m.", "noon", "midnight", "today", "сегодня", "this year",
               "в текущем году", "yesterday", "14 hours 45 minutes", "22 час. 30 мин.", "1951-06-21", "of", "the",
               "г.", ",", "—", "-", "(", ")", "at", "early", "next day"]
NUMBER_TOKENS = ["one", "hundred", "thousand", "million", "and", "forty", "сорока", "четырех", "тысяч", "half",
                 "1", "140,000", "58 000 000", "1.5", "1/6", "-3", "(", ")", "First", "9" * 50]
date_texts = st.lists(st.sampled_from(DATE_TOKENS), max_size=40).map(" ".join) | st.builds(
    lambda token, times: " ".join([token] * times), st.sampled_from(DATE_TOKENS), st.integers(1, 400))
when_values = st.sampled_from(["1951-06-21", "1951-06-21T19:00:00", "1900", "--06-21", "18:30:00", "1951-06",
                               " 1951-06-13 ", "1951-13-45", "x"])
number_values = st.one_of(
    st.sampled_from(["3E100000000", "3E-100000000", "1E1000", "1E1001", "3e", "1.5E-", "INF", "NaN", "1/0", "-3/4"]),
    st.builds(lambda mantissa, exponent: f"{mantissa}E{exponent}", st.integers(-10**6, 10**6),
              st.integers(-10**9, 10**9)),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text("0123456789.eE+-/", max_size=30))
number_texts = st.lists(st.sampled_from(NUMBER_TOKENS), max_size=60).map(" ".join) | st.text(max_size=200)


@bounded_settings(quick=60, milliseconds=1000)
@given(date_texts, when_values, st.sampled_from([None, "1951-06-09", "1951-06", "bad"]))
def test_the_date_reader_is_linear_and_total(text, when, sent):
    from telegrams.validate import dates

    problem = dates.check(text, when, sent)
    assert problem is None or problem.rule in ("date-text", "date-unread")
    assert len(dates.read_date_text(text)) <= 64


@bounded_settings(quick=60, milliseconds=1000)
@given(number_texts, number_values)
def test_the_number_reader_is_bounded_and_total(text, value):
    from telegrams.validate import numbers

    problem = numbers.check(text, value)
    assert problem is None or problem.rule in ("num-text", "num-unread")
    if problem:
        assert len(problem.message) < 1000  # a value is quoted, never spelled out in its million digits


@st.composite
def attribute_heavy(draw) -> tuple[bytes, list[str]]:
    """A TEI document whose one element carries up to 30,000 attributes, some prefixed, values holding '>'."""
    count = draw(st.integers(1, 30_000))
    names = [f"a{i}" for i in range(count)]
    values = draw(st.sampled_from(["1", ">", "a > b", "'", "registers.xml#pers-x"]))
    attrs = " ".join(f'{name}="{escape(values, True)}"' for name in names)
    extra = ' xml:id="heavy" x:n="1" xmlns:x="urn:x"' if draw(st.booleans()) else ""
    text = f'<TEI xmlns="{TEI_NS}"><text><body><p {attrs}{extra}>x</p></body></text></TEI>'
    return text.encode(), names


@bounded_settings(quick=8, milliseconds=5000)
@given(attribute_heavy(), st.randoms(use_true_random=False))
def test_attributes_are_located_in_one_pass(case, random):
    data, names = case
    doc = parse_bytes(data, "fuzz.xml")
    element = doc.root[0][0][0]
    lines = doc.text.splitlines()
    for name in random.sample(names, min(len(names), 200)):
        line, column = doc.locate_attribute(element, name)
        assert lines[line - 1][column - 1:].startswith(f'{name}="'), name
    items = attribute_items(element)  # lxml's own items() would take seconds from about 10,000 attributes
    assert [name for name, _ in items][:len(names)] == names and len(items) == len(element.attrib)
    assert dict(items) == dict(element.items()) if len(names) < 200 else items[-1][1] == element.get(items[-1][0])
