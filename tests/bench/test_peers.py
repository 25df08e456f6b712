"""Scoring every validator's verdicts on the generator's planted mistakes (bench.peers)."""

import json

from telegrams.bench import peers


def _root(tmp_path):
    manifest = {"mistakes": [{"file": "tei/a.xml", "kind": "bad-date"}, {"file": "tei/b.xml", "kind": "dangling-ref"},
                             {"file": "tei/c.xml", "kind": "not-well-formed"}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_score_counts_planted_mistakes_found_and_names_the_kinds_missed(tmp_path):
    root = _root(tmp_path)
    found, planted, note = peers.score(root, {str(root / "tei/a.xml"), str(root / "tei/c.xml"), str(root / "x.xml")})
    assert (found, planted) == (2, 3)
    assert note == "finds 2 of 3 planted mistakes (misses: dangling-ref)"


def test_score_counts_only_the_files_a_tool_was_given(tmp_path):
    root = _root(tmp_path)
    given = {str(root / "tei/a.xml"), str(root / "tei/b.xml")}
    assert peers.score(root, {str(root / "tei/a.xml")}, given)[:2] == (1, 2)


def test_verdicts_are_read_from_the_project_s_json_and_from_jing():
    project = "\n".join(json.dumps(f) for f in [{"file": "a.xml", "severity": "error"},
                                                 {"file": "b.xml", "severity": "warning"}])
    assert peers.invalid_from_project(project + "\n12 files checked") == {"a.xml"}
    jing = "/x/a.xml:12:3: error: element \"blink\" not allowed anywhere\n[warning] /usr/bin/jing: xml-apis"
    assert peers.invalid_from_jing(jing) == {"/x/a.xml"}
