"""The bag: valid for the bagit library's own validator, and every tampering named by `telegrams deposit verify`."""

from __future__ import annotations

import shutil
import zipfile

import bagit

from telegrams.cli import main
from telegrams.deposit.bag import verify


def test_bag_is_valid_for_bagit_and_for_verify(built):
    bag = bagit.Bag(str(built.bag_dir))
    bag.validate()  # raises on any problem
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    assert bag.version_info == (1, 0)
    assert verify(built.bag_dir) == []


def test_bag_info_tells_title_contact_date_version_size(built):
    info = bagit.Bag(str(built.bag_dir)).info
    assert info["Title"].startswith("Ciphered Telegrams between Mao Zedong and Stalin")
    assert info["Contact-Name"] and info["Source-Organization"]
    assert info["Bagging-Date"] == "2026-11-21"  # the latest revisionDesc change of the fixtures, not today
    assert info["Version"] == "0.1.0"
    payload = [p for p in (built.bag_dir / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert info["Bag-Size"].endswith("KB")


def test_payload_holds_sources_schema_editions_and_metadata(built):
    data = built.bag_dir / "data"
    expected = ["tei/registers.xml", "tei/tg-1950-11-07-mao-stalin.xml", "schema/telegrams.rng", "html/index.html",
                "text/tg-1950-11-07-mao-stalin.txt", "metadata/datacite.xml", "metadata/dublin-core.xml",
                "metadata/CITATION.cff", "metadata/zenodo.json", "corpus/telegrams-edition.xml",
                "corpus/telegrams-edition-cmif.xml"]
    assert [name for name in expected if not (data / name).is_file()] == []


def test_zip_holds_the_same_bag(built):
    with zipfile.ZipFile(built.zip_path) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        for path in built.bag_dir.rglob("*"):
            if path.is_file():
                name = f"{built.bag_dir.name}/{path.relative_to(built.bag_dir).as_posix()}"
                assert archive.read(name) == path.read_bytes()


def test_tampered_bag_names_every_altered_removed_and_added_file(built, tmp_path, capsys):
    copy = tmp_path / built.bag_dir.name
    shutil.copytree(built.bag_dir, copy)
    (copy / "data/tei/tg-1950-11-07-mao-stalin.xml").write_bytes(
        (copy / "data/tei/tg-1950-11-07-mao-stalin.xml").read_bytes().replace(b"140,000", b"150,000"))
    (copy / "data/html/index.html").unlink()
    (copy / "data/text/extra.txt").write_text("not in the manifest\n")
    with open(copy / "bag-info.txt", "a", encoding="utf-8") as handle:
        handle.write("Internal-Sender-Description: added after bagging\n")

    messages = {f.file: f.message for f in verify(copy)}
    assert messages[str(copy / "data/tei/tg-1950-11-07-mao-stalin.xml")].startswith("altered: its sha256 and sha512")
    assert messages[str(copy / "data/html/index.html")].startswith("missing")
    assert messages[str(copy / "data/text/extra.txt")].startswith("extra")
    assert messages[str(copy / "bag-info.txt")].startswith("altered")
    assert len(messages) == 4
    assert not bagit.Bag(str(copy)).is_valid()  # the library agrees

    assert main(["deposit", "verify", str(copy)]) == 1
    err = capsys.readouterr().err
    assert f"{copy / 'data/html/index.html'}: error: missing" in err
    assert f"{copy / 'data/text/extra.txt'}: error: extra" in err


def test_verify_of_a_folder_that_is_no_bag(tmp_path, capsys):
    assert main(["deposit", "verify", str(tmp_path)]) == 1
    assert f"{tmp_path / 'bagit.txt'}: error: missing" in capsys.readouterr().err
    assert main(["deposit", "verify", str(tmp_path / "nowhere")]) == 1
