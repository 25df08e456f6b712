"""The bag: valid for the bagit library, for the project's BagIt profile and for `telegrams deposit verify`; every
tampering, of the folder or of the zip, named by verify."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import bagit
import pytest

from telegrams.cli import main
from telegrams.deposit.bag import PROFILE, checksum_path, errors, verify
from telegrams.deposit.build import schema_link_findings


def test_bag_is_valid_for_bagit_and_for_verify(built):
    bag = bagit.Bag(str(built.bag_dir))
    bag.validate()  # raises on any problem
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    assert bag.version_info == (1, 0)
    assert verify(built.bag_dir) == []


def test_bag_is_valid_for_the_project_profile(built):
    bagit_profile = pytest.importorskip("bagit_profile", reason="bagit-profile is a test extra: make test installs it")
    profile = json.loads(PROFILE.read_text(encoding="utf-8"))
    identifier = profile["BagIt-Profile-Info"]["BagIt-Profile-Identifier"]
    checker = bagit_profile.Profile(identifier, profile=profile)
    bag = bagit.Bag(str(built.bag_dir))
    assert bag.info["BagIt-Profile-Identifier"] == identifier
    assert checker.validate(bag), [str(e) for e in checker.report.errors]
    assert checker.validate_serialization(str(built.zip_path))


def test_bag_info_tells_title_contact_date_version_size_and_rights(built, pristine):
    info = bagit.Bag(str(built.bag_dir)).info
    assert info["Title"] and info["Contact-Name"] and info["Source-Organization"] and info["Version"]
    assert info["Bagging-Date"] == built.date.strftime("%Y-%m-%d")
    payload = [p for p in (built.bag_dir / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert len(info["Rights"]) == 2 and "CC BY" not in info["Rights"][1]


def test_payload_holds_sources_schema_editions_guidelines_readme_licence_and_software(built, pristine):
    data = built.bag_dir / "data"
    sources = sorted(p.relative_to(pristine).as_posix() for p in (pristine / "tei").rglob("*.xml"))
    assert sources and all((data / name).is_file() for name in sources)
    for name in ("README.txt", "LICENSE", "schema/telegrams.rng", "schema/telegrams.sch", "html/index.html",
                 "docs/encoding-guidelines.md", "metadata/datacite.xml", "metadata/software.json"):
        assert (data / name).is_file(), name
    software = json.loads((data / "metadata/software.json").read_text())
    assert software["pipeline"]["name"] == "telegrams" and software["python"]
    assert {"lxml", "saxonche"} <= set(software["libraries"])
    assert "cmif.xsl" in software["stylesheets"]["sha256"]


def test_html_holds_no_copy_of_tei_or_text_and_its_links_resolve(built):
    data = built.bag_dir / "data"
    digest = lambda p: hashlib.sha256(p.read_bytes()).digest()  # noqa: E731
    others = {digest(p) for part in ("tei", "text") for p in (data / part).rglob("*") if p.is_file()}
    assert [p for p in (data / "html").rglob("*") if p.is_file() and digest(p) in others] == []
    pages = list((data / "html").glob("*.html"))
    links = [(page, href) for page in pages for href in __import__("re").findall(
        r'href="(\.\./(?:tei|text)/[^"#]+)"', page.read_text(encoding="utf-8"))]
    assert links, "the pages link to the TEI and text downloads"
    assert [(page.name, href) for page, href in links if not (page.parent / href).is_file()] == []


def test_a_download_prepared_for_browsers_is_not_packaged_twice(project, tmp_path, build_package):
    downloads = sorted((project.html_dir / "tei").glob("*.xml"))
    assert downloads, "the site offers the TEI sources as downloads"
    for path in downloads:  # as a site that strips processing instructions would serve them
        path.write_bytes(path.read_bytes().replace(b"<?xml-model", b"<!-- xml-model"))
    result = build_package(project, tmp_path / "out", "1700000000")
    assert not (result.bag_dir / "data/html/tei").exists()
    assert schema_link_findings(result.bag_dir / "data") == []


def test_packaged_tei_schema_links_resolve_inside_the_bag(built):
    assert schema_link_findings(built.bag_dir / "data") == []


def test_a_schema_link_out_of_the_bag_is_found(tmp_path):
    (tmp_path / "tei").mkdir()
    (tmp_path / "tei/x.xml").write_text('<?xml-model href="../../schema/telegrams.rng"?><TEI/>')
    [finding] = schema_link_findings(tmp_path)
    assert "does not resolve inside the bag" in finding.message


def test_zip_holds_the_same_bag_and_its_checksum_file(built):
    with zipfile.ZipFile(built.zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        for path in built.bag_dir.rglob("*"):
            if path.is_file():
                name = f"{built.bag_dir.name}/{path.relative_to(built.bag_dir).as_posix()}"
                assert archive.read(name) == path.read_bytes()
    line = checksum_path(built.zip_path).read_text()
    assert line == f"{hashlib.sha256(built.zip_path.read_bytes()).hexdigest()}  {built.zip_path.name}\n"
    assert verify(built.zip_path) == []


def _first(bag: Path, part: str) -> str:
    return next(p for p in sorted((bag / "data" / part).rglob("*")) if p.is_file()).relative_to(bag).as_posix()


def _drop_line(bag: Path, manifest: str, name: str) -> None:
    path = bag / manifest
    path.write_text("".join(line + "\n" for line in path.read_text().splitlines() if not line.endswith(" " + name)))


def _replace_file(bag: Path, change) -> None:
    change(bag / _first(bag, "tei"))


def _oxum_redone(bag: Path) -> None:
    """Change Payload-Oxum and rewrite the tag manifests to match, as a careful forger would."""
    from telegrams.deposit.bag import _write_tag_manifests

    info = bag / "bag-info.txt"
    info.write_text(__import__("re").sub(r"Payload-Oxum: \d+", "Payload-Oxum: 1", info.read_text()))
    _write_tag_manifests(bag)


def _link(bag: Path) -> None:
    os.symlink("/etc", bag / "data" / "etc")


TAMPERINGS = {
    "payload altered": lambda b: (b / _first(b, "tei")).write_bytes((b / _first(b, "tei")).read_bytes() + b" "),
    "payload removed": lambda b: (b / _first(b, "text")).unlink(),
    "payload added": lambda b: (b / "data" / "extra.txt").write_text("added\n"),
    "in one manifest only": lambda b: _drop_line(b, "manifest-sha512.txt", _first(b, "tei")),
    "bag-info altered": lambda b: (b / "bag-info.txt").write_text((b / "bag-info.txt").read_text() + "X-A: b\n"),
    "bagit.txt altered": lambda b: (b / "bagit.txt").write_text("BagIt-Version: 9\n"),
    "symlink out of the bag": _link,
    "manifest replaced by a link": lambda b: ((b / "manifest-sha256.txt").unlink(),
                                              os.symlink("/etc/passwd", b / "manifest-sha256.txt")),
    "manifest entry outside the bag": lambda b: (b / "manifest-sha256.txt").write_text(
        (b / "manifest-sha256.txt").read_text() + "0" * 64 + "  data/../../outside\n"),
    "manifests removed": lambda b: [(b / f"manifest-{a}.txt").unlink() for a in ("sha256", "sha512")],
    "data removed": lambda b: shutil.rmtree(b / "data"),
    "tag manifest altered": lambda b: (b / "tagmanifest-sha256.txt").write_text("0" * 64 + "  bagit.txt\n"),
    "unknown algorithm": lambda b: (b / "manifest-nosuch.txt").write_text(""),
    "payload-oxum wrong, tag manifests redone": _oxum_redone,
    "one tag manifest removed": lambda b: (b / "tagmanifest-sha512.txt").unlink(),
    "one payload manifest removed": lambda b: (b / "manifest-sha512.txt").unlink(),
    "bag-info removed": lambda b: (b / "bag-info.txt").unlink(),
    "fetch.txt added": lambda b: (b / "fetch.txt").write_text("https://example.org/x - data/x\n"),
    "duplicate manifest line": lambda b: (b / "manifest-sha256.txt").write_text(
        (b / "manifest-sha256.txt").read_text() + (b / "manifest-sha256.txt").read_text().splitlines()[0] + "\n"),
    "malformed manifest line": lambda b: (b / "manifest-sha256.txt").write_text(
        (b / "manifest-sha256.txt").read_text() + "nonsense\n"),
    "file renamed": lambda b: _replace_file(b, lambda path: path.rename(path.with_name(path.name.upper()))),
    "payload emptied": lambda b: (b / _first(b, "tei")).write_bytes(b""),
    "file replaced by a folder": lambda b: _replace_file(b, lambda path: (path.unlink(), path.mkdir())),
}


@pytest.mark.parametrize("case", sorted(TAMPERINGS))
def test_every_tampering_is_an_error(built, tmp_path, case, capsys):
    copy = tmp_path / built.bag_dir.name
    shutil.copytree(built.bag_dir, copy, symlinks=True)
    TAMPERINGS[case](copy)
    assert errors(verify(copy)), case
    assert main(["deposit", "verify", str(copy)]) == 1
    captured = capsys.readouterr()
    assert "not valid" in captured.err and captured.out == "" and "Traceback" not in captured.err
    assert "root:" not in captured.err  # nothing read through a link


def test_each_problem_is_named(built, tmp_path):
    copy = tmp_path / built.bag_dir.name
    shutil.copytree(built.bag_dir, copy)
    altered, removed = _first(copy, "tei"), _first(copy, "text")
    TAMPERINGS["payload altered"](copy)
    (copy / removed).unlink()
    (copy / "data/extra.txt").write_text("added\n")
    messages = {Path(f.file).relative_to(copy).as_posix(): f.message for f in errors(verify(copy))}
    assert messages[altered].startswith("altered")
    assert messages[removed].startswith("missing")
    assert messages["data/extra.txt"].startswith("extra")
    assert not bagit.Bag(str(copy)).is_valid()  # the library agrees


def test_tag_files_an_archive_adds_are_accepted_and_reported(built, tmp_path, capsys):
    copy = tmp_path / built.bag_dir.name
    shutil.copytree(built.bag_dir, copy)
    (copy / "archive-ingest.txt").write_text("ingested\n")
    findings = verify(copy)
    assert [f.severity for f in findings] == ["info"] and findings[0].file.endswith("archive-ingest.txt")
    assert main(["deposit", "verify", str(copy)]) == 0
    assert "valid bag" in capsys.readouterr().out


def test_without_tag_manifests_the_missing_manifests_are_named_not_bag_info(built, tmp_path):
    copy = tmp_path / built.bag_dir.name
    shutil.copytree(built.bag_dir, copy)
    for algorithm in ("sha256", "sha512"):
        (copy / f"tagmanifest-{algorithm}.txt").unlink()
    findings = verify(copy)
    assert sorted(Path(f.file).name for f in errors(findings)) == ["tagmanifest-sha256.txt", "tagmanifest-sha512.txt"]
    assert not [f for f in findings if f.file.endswith("bag-info.txt")]
    lines = [line for line in (copy / "bag-info.txt").read_text().splitlines()
             if not line.startswith("BagIt-Profile-Identifier")]
    (copy / "bag-info.txt").write_text("\n".join(lines) + "\n")  # a bag that does not claim the profile
    assert [f.severity for f in verify(copy)] == ["warning"]


def _rezip(source: Path, target: Path, extra=None) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        if extra:
            extra(new)


def test_zip_tamperings_are_errors(built, tmp_path, capsys, monkeypatch):
    import telegrams.deposit.bag as bag_module

    monkeypatch.setattr(bag_module, "MAX_EXPANSION", 0)  # so that a small bomb shows the rule
    truncated = tmp_path / built.zip_path.name
    truncated.write_bytes(built.zip_path.read_bytes()[:1000])
    shutil.copy(checksum_path(built.zip_path), checksum_path(truncated))
    messages = [f.message for f in errors(verify(truncated))]
    assert any("checksum" in m for m in messages) and any("not a readable zip" in m for m in messages)

    def link(archive):
        entry = zipfile.ZipInfo(f"{built.bag_dir.name}/data/etc")
        entry.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(entry, "/etc")

    def bomb(archive):
        archive.writestr(f"{built.bag_dir.name}/data/zeros", b"\0" * (300 * built.zip_path.stat().st_size),
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)

    for name, extra, said in (("link.zip", link, "symbolic link"), ("bomb.zip", bomb, "zip bomb"),
                              ("escape.zip", lambda a: a.writestr("../outside.txt", "x"), "not a path inside")):
        _rezip(built.zip_path, tmp_path / name, extra)
        assert [f for f in errors(verify(tmp_path / name)) if said in f.message], name
    assert main(["deposit", "verify", str(truncated)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_verify_of_a_folder_that_is_no_bag(tmp_path, capsys):
    assert main(["deposit", "verify", str(tmp_path)]) == 1
    assert f"{tmp_path / 'bagit.txt'}: error: missing" in capsys.readouterr().err
    assert main(["deposit", "verify", str(tmp_path / "nowhere")]) == 1
