"""Two builds of the same sources give the same bytes; SOURCE_DATE_EPOCH sets the date; no clock date leaks in."""

from __future__ import annotations

from datetime import date

from telegrams.deposit.bag import files_of

from .conftest import EPOCH, rebuild_editions


def test_two_builds_are_byte_identical(built, tmp_path, build_package, fresh_project):
    again = build_package(fresh_project(tmp_path / "project"), tmp_path / "out", None)
    assert files_of(again.bag_dir) == files_of(built.bag_dir)
    assert again.zip_path.read_bytes() == built.zip_path.read_bytes()


def test_source_date_epoch_sets_every_date(project, tmp_path, build_package):
    today = date.today().isoformat()
    sources = project.tei_dir.parent  # a source edited today (TEI, ODD, docs) names today: that is no clock leak
    for source in (p for part in ("tei", "schema", "docs") for p in (sources / part).rglob("*") if p.is_file()):
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if today in text:
            source.write_text(text.replace(today, "2001-01-01"), encoding="utf-8")
    rebuild_editions(project.tei_dir.parent)
    result = build_package(project, tmp_path / "out", EPOCH)
    assert result.date_source == "SOURCE_DATE_EPOCH"
    files = files_of(result.bag_dir)
    assert b"Bagging-Date: 2023-11-14" in files["bag-info.txt"]
    assert b'<date dateType="Issued">2023-11-14</date>' in files["data/metadata/datacite.xml"]
    assert b'when="2023-11-14T22:13:20Z"' in files["data/corpus/telegrams-edition-cmif.xml"]
    assert [name for name, content in files.items() if today.encode() in content] == []


def test_a_rebuild_replaces_the_package_and_leaves_no_staging(project, tmp_path, build_package):
    out = tmp_path / "out"
    # A document that nothing points to, so that removing it leaves a valid corpus: a copy of a telegram
    # under a new id, built once, then removed.
    original = next(p for p in sorted(project.tei_dir.glob("*.xml")) if "<correspDesc" in p.read_text("utf-8"))
    removed = project.tei_dir / f"{original.stem}-copy.xml"
    removed.write_text(original.read_text("utf-8").replace(original.stem, removed.stem), encoding="utf-8")
    rebuild_editions(project.tei_dir.parent)
    build_package(project, out, EPOCH)
    assert (out / sorted(p.name for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))[0]
            / "data/tei" / removed.name).exists()
    removed.unlink()
    rebuild_editions(project.tei_dir.parent)
    result = build_package(project, out, EPOCH)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(
        [result.bag_dir.name, result.zip_path.name, result.zip_path.name + ".sha256"])
    assert not list(out.glob(".staging-*"))
    assert not (result.bag_dir / "data/tei" / removed.name).exists()
