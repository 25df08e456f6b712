"""What a build may write, delete and publish: its own folder only, the current corpus only, nothing active."""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pytest

from telegrams import project
from telegrams.cli import main
from telegrams.editions import output as output_module
from telegrams.editions.site import build_site
from telegrams.editions.text import build_texts
from telegrams.findings import FindingError

FIXTURE = Path(__file__).parent / "fixtures" / "foreign" / "lite-sample.xml"
TEI = "http://www.tei-c.org/ns/1.0"


def tei_doc(doc_id: str, body: str = "<p>Some words.</p>", before: str = "", extra_ns: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{before}<TEI xmlns="{TEI}"{extra_ns} xml:id="{doc_id}"><teiHeader>'
            f"<fileDesc><titleStmt><title>{doc_id}</title></titleStmt><publicationStmt><p>T.</p></publicationStmt>"
            f'<sourceDesc><p>T.</p></sourceDesc></fileDesc></teiHeader><text type="letter"><body>{body}</body></text></TEI>')


def corpus_of(folder: Path, *ids: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id in ids:
        (folder / f"{doc_id}.xml").write_text(tei_doc(doc_id), encoding="utf-8")
    return folder


def errors(result) -> list[str]:
    return [f.rule for f in result.findings if f.severity == "error"]


@pytest.mark.parametrize("where", ["tei", "root", "inside-input"])
def test_out_never_holds_the_sources(tmp_path, where):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    out = {"tei": project.TEI_DIR, "root": project.ROOT, "inside-input": corpus}[where]
    before = sorted(p.name for p in out.iterdir())
    for build in (lambda: build_site([str(corpus)], out, search=False), lambda: build_texts([str(corpus)], out)):
        with pytest.raises(FindingError) as refused:
            build()
        assert refused.value.finding.rule == "output-folder"
    assert sorted(p.name for p in out.iterdir()) == before, "nothing written into a refused folder"


def test_out_outside_build_must_be_new_empty_or_ours(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    full = tmp_path / "someone-elses"
    full.mkdir()
    (full / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FindingError):
        build_site([str(corpus)], full, search=False)
    assert (full / "precious.txt").read_text(encoding="utf-8") == "keep me"
    fresh = tmp_path / "new" / "html"
    build_site([str(corpus)], fresh, search=False)
    build_site([str(corpus)], fresh, search=False)  # an earlier output of ours may be rebuilt
    assert (fresh / "doc-a.html").is_file()


def test_removed_documents_leave_no_page_text_or_index(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "doc-a", "doc-b")
    site, texts = tmp_path / "html", tmp_path / "text"
    build_site([str(corpus)], site, search=False)
    build_texts([str(corpus)], texts)
    (site / "pagefind").mkdir()  # an index from an earlier build with search
    (site / "pagefind" / "pagefind.js").write_text("", encoding="utf-8")
    (corpus / "doc-b.xml").unlink()
    build_site([str(corpus)], site, search=False)
    build_texts([str(corpus)], texts)
    assert not (site / "doc-b.html").exists() and not (site / "text" / "doc-b.txt").exists()
    assert not (site / "tei" / "doc-b.xml").exists() and not (texts / "doc-b.txt").exists()
    assert not (site / "pagefind").exists(), "an index without this build's pages would still find doc-b"
    assert (site / "doc-a.html").is_file() and (texts / "doc-a.txt").is_file()


@pytest.mark.parametrize("doc_id", ["persons", "Index", "corpus", "search"])
def test_reserved_page_names_are_refused(tmp_path, doc_id):
    corpus = corpus_of(tmp_path / "corpus", doc_id, "doc-a")
    result = build_site([str(corpus)], tmp_path / "html", search=False)
    assert "reserved-name" in errors(result)
    texts = build_texts([str(corpus)], tmp_path / "text")
    assert "reserved-name" in errors(texts)
    assert f"Document:     {doc_id}" not in (tmp_path / "text" / "corpus.txt").read_text(encoding="utf-8")


def test_ids_that_collapse_to_one_page_name_are_reported(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "Doc-A", "doc-a")
    result = build_site([str(corpus)], tmp_path / "html", search=False)
    assert errors(result) == ["duplicate-id"]


def test_a_link_out_of_the_corpus_is_never_published(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    secret = corpus_of(tmp_path / "elsewhere", "secret")
    os.symlink(secret / "secret.xml", corpus / "linked.xml")
    result = build_site([str(corpus)], tmp_path / "html", search=False)
    assert "outside-corpus" in errors(result)
    published = [p.name for p in (tmp_path / "html").rglob("*")]
    assert not [name for name in published if "secret" in name or "linked" in name], published


def test_published_tei_has_nothing_a_browser_would_run(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    active = tei_doc("doc-a", body='<p>Words<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>.</p>'
                     '<p><svg:svg xmlns:svg="http://www.w3.org/2000/svg"/></p>',
                     before='<?xml-stylesheet type="text/xsl" href="http://example.org/x.xsl"?>'
                            '<?xml-model href="../schema/telegrams.rng"?>')
    (corpus / "doc-a.xml").write_text(active, encoding="utf-8")
    shutil.copy(FIXTURE, corpus / FIXTURE.name)
    build_site([str(corpus)], tmp_path / "html", search=False)
    published = (tmp_path / "html" / "tei" / "doc-a.xml").read_text(encoding="utf-8")
    assert "<?xml-stylesheet" not in published and "<h:script" not in published and "<svg:svg" not in published
    assert "alert(1)" not in published
    assert "<?xml-model" in published and "Words" in published
    assert (tmp_path / "html" / "tei" / FIXTURE.name).read_bytes() == FIXTURE.read_bytes(), "a clean file as it is"
    assert (tmp_path / "html" / "schema" / "telegrams.rng").is_file(), "the xml-model target is published"
    page = (tmp_path / "html" / "doc-a.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'self'" in page


def test_one_build_at_a_time_per_folder(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    out = tmp_path / "html"
    build_site([str(corpus)], out, search=False)
    with open(out / output_module.LOCK, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running build holds it
        with pytest.raises(FindingError) as refused:
            build_site([str(corpus)], out, search=False)
        assert "another build" in refused.value.finding.message
    build_site([str(corpus)], out, search=False)  # free again once released


def test_debris_of_killed_builds_is_cleared(tmp_path):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    out = tmp_path / "html"
    build_site([str(corpus)], out, search=False)
    debris = [out / ".doc-a.html.x1y2.tmp", out / "tei" / ".doc-a.xml.abc.tmp", out / ".pagefind-new" / "f.js",
              out / ".staging-1" / "x"]
    for path in debris:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("half", encoding="utf-8")
    build_site([str(corpus)], out, search=False)
    assert [p for p in debris if p.exists()] == []
    assert not (out / ".pagefind-new").exists() and not (out / ".staging-1").exists()


def test_bad_file_names_are_findings_not_tracebacks(tmp_path, capsys):
    corpus = corpus_of(tmp_path / "corpus", "doc-a")
    raw = os.fsencode(corpus) + b"/bad-\xff.xml"
    with open(raw, "wb") as handle:
        handle.write(tei_doc("bad-name").encode("utf-8"))
    (corpus / "esc-\x1b[31m-\u202e.xml").write_text(tei_doc("esc"), encoding="utf-8")
    status = main(["html", str(corpus), "--out", str(tmp_path / "html"), "--no-search"])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert "bad-\\udcff.xml:0:0: error: the file name is not UTF-8" in err, err
    assert "the file name holds the control character \\x1b" in err, err
    assert "\x1b" not in err and "\u202e" not in err and "\\x1b" in err
    assert (tmp_path / "html" / "doc-a.html").is_file()
    status = main(["text", str(corpus), "--out", str(tmp_path / "text")])
    assert status == 1 and "Traceback" not in capsys.readouterr().err


def test_control_and_override_characters_never_reach_the_outputs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc-a.xml").write_text(tei_doc("doc-a", body="<p>Left\u202eright\u0085next\u009bend</p>"),
                                      encoding="utf-8")
    build_site([str(corpus)], tmp_path / "html", search=False)
    for output in (tmp_path / "html" / "doc-a.html", tmp_path / "html" / "text" / "doc-a.txt"):
        written = output.read_text(encoding="utf-8")
        assert not [c for c in written if c in "\u202e\u0085\u009b"], output.name
        assert "Left\ufffdright\ufffdnext\ufffdend" in written, output.name


def test_a_file_already_holding_its_bytes_is_only_touched_and_a_link_is_replaced(tmp_path):
    """A rebuild of an unchanged corpus replaces no file, but each is as new as the build (the deposit compares
    the editions' times with the sources'); a file with other bytes is replaced whole; a link in the output, even
    to the same bytes, becomes a file."""
    out = output_module.Output(tmp_path)
    same, other = out.write("same.html", "<p>same</p>"), out.write("other.html", "<p>old</p>")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere.html"
    elsewhere.write_text("<p>linked</p>", encoding="utf-8")
    (tmp_path / "linked.html").symlink_to(elsewhere)
    os.utime(same, ns=(10**18, 10**18))
    os.utime(other, ns=(10**18, 10**18))
    inode = same.stat().st_ino
    again = output_module.Output(tmp_path)
    again.write("same.html", "<p>same</p>")
    again.write("other.html", "<p>new</p>")
    again.write("linked.html", "<p>linked</p>")
    assert same.stat().st_ino == inode and same.stat().st_mtime_ns != 10**18  # the same file, touched
    assert other.read_text(encoding="utf-8") == "<p>new</p>"
    assert not (tmp_path / "linked.html").is_symlink() and elsewhere.read_text(encoding="utf-8") == "<p>linked</p>"
    assert again.written == {same, other, tmp_path / "linked.html"}  # kept files count as written: none is stale
