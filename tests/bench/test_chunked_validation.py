"""Documents checked in chunks (one Schematron transform over many) get exactly their findings checked alone."""

import marshal
from pathlib import Path

import pytest

from telegrams.validate import command, schematron
from telegrams.xmlio import parse

from .bench_support import planted_corpus


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    tei, _ = planted_corpus(tmp_path_factory, 5)
    return [(str(path), path.read_bytes()) for path in sorted(tei.glob("*.xml"))]


def test_a_chunk_gives_each_document_s_own_findings(items):
    command._start(command.Layers(command.DEFAULT_RNG, command.DEFAULT_SCH, corpus=True, tei_root=True), None)
    assert command._schemas.sch.batch is not None  # the project's schema takes the one-transform path
    alone = [_readable(result) for result in map(command._check, items)]
    assert [_readable(result[:3]) for result in command._check_chunk(items)] == alone
    rules = {f.rule for found, _, _ in alone for f in found}
    assert any(rule.startswith("sch:") for rule in rules) and "well-formed" in rules


def test_a_worker_reads_the_files_it_is_given_by_name(items):
    """A cold run leaves reading to the workers: the same results, with the hash of what each read."""
    from telegrams.validate.cache import content_digest

    command._start(command.Layers(command.DEFAULT_RNG, command.DEFAULT_SCH, corpus=True, tei_root=True), None)
    alone = [_readable(result) for result in map(command._check, items)]
    by_name = command._check_chunk([(name, None) for name, _ in items])
    assert [_readable(result[:3]) for result in by_name] == alone
    assert [result[3] for result in by_name] == [content_digest(data) for _, data in items]
    missing = command._check_chunk([(str(Path(items[0][0]).with_name("absent.xml")), None)])
    assert [f.rule for f in missing[0][0]] == ["io"] and missing[0][3] is None


def _readable(result):
    """A result with the packed positions of its facts unpacked (marshal's bytes vary with reference counts)."""
    findings, facts, schema_findings = result
    if facts is not None:
        facts = {**facts, "where": marshal.loads(facts["where"])}
    return findings, facts, schema_findings


SCH = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">
  <ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
  {let}
  <pattern><rule context="tei:p"><assert id="small" test="xs:integer(@n) lt 10">n is <value-of select="@n"/></assert>
  </rule></pattern>
</schema>"""


def _runner(tmp_path, let=""):
    sch = tmp_path / "t.sch"
    sch.write_text(SCH.format(let=let))
    return schematron.Runner(schematron.compile_schematron(sch), sch)


def _docs(tmp_path):
    docs = []
    for index, n in enumerate(("3", "30", "x", "40")):
        path = tmp_path / f"d{index}.xml"
        path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n  <text>\n    <p n="{n}"/>\n  </text>\n</TEI>\n')
        docs.append(parse(path))
    return docs


def test_a_test_failing_to_run_on_one_document_is_pinned_on_that_document_alone(tmp_path):
    runner, docs = _runner(tmp_path), _docs(tmp_path)
    alone = [runner.check(doc) for doc in docs]
    assert [[f.rule for f in found] for found in alone] == [[], ["sch:small"], ["schematron-runtime"], ["sch:small"]]
    assert (alone[1][0].line, alone[1][0].column, alone[1][0].message) == (3, 5, "n is 30")
    assert runner.check_many(docs) == alone
    assert runner.check_many([docs[1], docs[3]]) == [alone[1], alone[3]]


def test_a_schema_with_global_lets_is_checked_one_document_at_a_time(tmp_path):
    runner = _runner(tmp_path, let='<let name="first" value="(//tei:p)[1]/@n"/>')
    assert runner.batch is None
    docs = _docs(tmp_path)
    assert runner.check_many(docs) == [runner.check(doc) for doc in docs]


def test_a_pool_grows_with_the_documents_up_to_one_process_per_core(monkeypatch):
    monkeypatch.setattr(command.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    assert command._jobs(3, 10) == 3  # as asked
    assert command._jobs(0, command.POOL_THRESHOLD - 1) == 1
    assert command._jobs(0, command.POOL_THRESHOLD) == 2
    assert command._jobs(0, 100_000) == 8


def test_the_engine_gives_the_first_verdict_only_in_a_long_run(items):
    from types import SimpleNamespace

    options = SimpleNamespace(jobs=1, rng=None, sch=None, profile=None, no_sch=False, no_corpus=False)
    progress = SimpleNamespace(step=lambda: None)
    for count, engine_first in ((1, False), (command.ENGINE_FROM, True)):
        assert len(list(command._check_all(items[:count], options, None, progress))) == count
        assert command._schemas.rng.engine_first is engine_first
