"""Foreign TEI transforms without error; bad input is reported as file:line:col and skipped, the rest still builds."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import lxml.html

from telegrams import cli, project, xmlio

FIXTURES = Path(__file__).parent / "fixtures"


def test_foreign_tei_lite_text_becomes_a_page(site):
    page = lxml.html.parse(str(site.out_dir / "lite-sample.html")).getroot()
    assert page.xpath("string(//h1)").strip() == "A Sample Letter-Book in TEI Lite"
    body = page.xpath("string(//div[contains(@class,'text-body')])")
    for words in ("this text must survive", "so must this", "Letters from the Harbour Office", "Mercury",
                  "the ships are slow.", "Back matter: an afterword."):
        assert words in body, words
    assert page.xpath("//table//th[.='Ship']"), "a label row becomes header cells"
    assert page.xpath("//a[@href='https://example.org/']"), "a web link stays a link"
    assert not page.xpath("//a[@href='#nowhere']"), "a pointer to nothing is not a link"


def test_foreign_text_is_listed_but_not_as_a_telegram(site):
    home = lxml.html.parse(str(site.out_dir / "index.html")).getroot()
    assert home.xpath("//table[contains(@class,'catalogue')]//a[@href='lite-sample.html']") == []
    assert home.xpath("//ul[contains(@class,'other-texts')]//a[@href='lite-sample.html']")


def test_bad_files_are_reported_and_skipped(tmp_path, capsys):
    corpus = tmp_path / "tei"
    corpus.mkdir()
    for bad in (FIXTURES / "bad").glob("*.xml"):
        shutil.copy(bad, corpus / bad.name)
    shutil.copy(FIXTURES / "foreign" / "lite-sample.xml", corpus / "lite-sample.xml")
    if project.REGISTERS.is_file():
        shutil.copy(project.REGISTERS, corpus / "registers.xml")
    out = tmp_path / "html"
    status = cli.main(["html", str(corpus), "--out", str(out), "--no-search"])
    captured = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in captured.err
    for line in (FIXTURES / "bad" / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, position, words = line.split("\t")
        pattern = re.escape(str(corpus / name)) + ":" + re.escape(position)
        assert re.search(pattern + r"\d*: " + re.escape(words), captured.err), (line, captured.err)
    assert (out / "lite-sample.html").is_file() and (out / "index.html").is_file()
    assert not (out / "tg-bad.html").exists()


def test_text_command_reports_bad_files_too(tmp_path, capsys):
    status = cli.main(["text", str(FIXTURES / "bad"), "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert re.search(r"not-tei\.xml:2:1: error: ", captured.err)
    assert "Traceback" not in captured.err


def test_build_can_be_deleted_and_rebuilt_without_touching_tei(tmp_path):
    fixture = FIXTURES / "foreign" / "lite-sample.xml"
    before = fixture.read_bytes()
    out = tmp_path / "html"
    assert cli.main(["html", str(fixture), "--out", str(out), "--no-search", "--quiet"]) == 0
    shutil.rmtree(out)
    assert cli.main(["html", str(fixture), "--out", str(out), "--no-search", "--quiet"]) == 0
    assert (out / "lite-sample.html").is_file() and (out / "tei" / "lite-sample.xml").read_bytes() == before
    assert fixture.read_bytes() == before
    assert not list(out.rglob("*.tmp")), "no temporary files are left behind"


def test_a_duplicate_id_is_reported_where_it_is_and_the_first_kept(tmp_path, capsys):
    fixture = FIXTURES / "foreign" / "lite-sample.xml"
    first, second = tmp_path / "tei" / "a" / fixture.name, tmp_path / "tei" / "b" / fixture.name
    for copy in (first, second):
        copy.parent.mkdir(parents=True)
        shutil.copy(fixture, copy)
    doc = xmlio.parse(fixture)
    line, column = doc.locate(doc.root)
    status = cli.main(["html", str(tmp_path / "tei"), "--out", str(tmp_path / "html"), "--no-search", "--quiet"])
    err = capsys.readouterr().err
    assert status == 1
    assert f"{second}:{line}:{column}: error: the id 'lite-sample' is already used by {first}; skipped" in err
    assert (tmp_path / "html" / "lite-sample.html").is_file()
    assert (tmp_path / "html" / "tei" / fixture.name).read_bytes() == fixture.read_bytes()
