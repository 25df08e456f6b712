"""The pipeline grows with its corpus: a copy of the edition with more documents (real telegrams copied under new ids
and dates, and a cable of another kind written here) is validated, and its HTML, text and deposit hold them all.

Each command runs as an editor runs it, in a child process on the copied edition (TELEGRAMS_ROOT, or the working
folder). About 10 s: the editions and the package are built twice."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from telegrams import project
from telegrams.xmlio import TEI_NS, parse
from tests.deposit.conftest import fill_metadata

from .conftest import T, XML_ID

NEW_DATES = ("1951-12-30", "1951-12-31")  # after every real telegram, inside the period the schema allows
# a clone's files, less what is built, installed or only tested (2-3 MB)
NOT_COPIED = shutil.ignore_patterns(".venv", "build", ".git", "tests", "__pycache__", "*.egg-info", ".pytest_cache")


def telegrams(root: Path, *args: str, by_folder: bool = False) -> subprocess.CompletedProcess:
    """Run `telegrams ARGS` on an edition: from its folder, or from elsewhere with TELEGRAMS_ROOT."""
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAMS_ROOT"}
    if not by_folder:
        env["TELEGRAMS_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "telegrams", *args], capture_output=True, text=True, env=env,
                          cwd=root if by_folder else None, timeout=300)


def _correspondence(folder: Path) -> list[Path]:
    return [path for path in project.xml_files(folder) if parse(path).root.find(f".//{T}correspDesc") is not None]


def _key(action) -> str:
    """The register key of a correspAction's person or body ("registers.xml#pers-mao" -> "mao")."""
    name = next(child for child in action if child.get("ref"))
    return name.get("ref").partition("#")[2].split("-", 1)[1]


def copy_under_new_id(source: Path, when: str) -> str:
    """Copy a real document under a new id and sending date (every id renamed, the correspDesc's sent date
    changed, nothing else); return the new id."""
    doc = parse(source)
    actions = {a.get("type"): a for a in doc.root.iter(T + "correspAction")}
    old = doc.root.get(XML_ID)
    new = f"{old.split('-')[0]}-{when}-{_key(actions['sent'])}-{_key(actions['received'])}-copy"
    tree = parse_text(doc.text.replace(old, new))
    sent = tree.find(f".//{T}correspAction[@type='sent']/{T}date")
    for attribute in ("notBefore", "notAfter", "cert", "from", "to"):
        sent.attrib.pop(attribute, None)
    sent.set("when", when)
    sent.text = f"{int(when[8:])} December {when[:4]}"
    for child in list(sent):
        sent.remove(child)
    (source.parent / f"{new}.xml").write_bytes(etree.tostring(tree, encoding="UTF-8", xml_declaration=True))
    return new


def parse_text(text: str):
    from telegrams.xmlio import parse_bytes

    return parse_bytes(text.encode("utf-8")).tree


def _entries(registers: Path, kind: str) -> list[tuple[str, str]]:
    """Return (id, normalized name) of the register entries of a kind (person, place, org)."""
    root = parse(registers).root
    return [(entry.get(XML_ID), " ".join(next(n for n in entry if n.get("type") == "normalized").itertext()))
            for entry in root.iter(T + kind)]


def minimal_cable(tei: Path, when: str) -> str:
    """Write a minimal cable (text/@type "cable", a kind of correspondence the integrator's conventions fix), from
    and to persons of the registers, as an editor following the guidelines would; return its id. Its wording is
    the test's own: it stands for no real document."""
    persons, places = _entries(tei / "registers.xml", "person"), _entries(tei / "registers.xml", "place")
    (sender, sender_name), (addressee, addressee_name) = persons[0], persons[1]
    place, place_name = places[0]
    ident = f"cb-{when}-{sender.split('-', 1)[1]}-{addressee.split('-', 1)[1]}"
    day = f"{int(when[8:])} December {when[:4]}"
    (tei / f"{ident}.xml").write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="../schema/telegrams.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<?xml-model href="../schema/telegrams.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>
<TEI xmlns="{TEI_NS}" xml:id="{ident}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title type="main">Cable from {sender_name} to {addressee_name}, {day} (a test document)</title>
        <author ref="registers.xml#{sender}">{sender_name}</author>
        <respStmt xml:id="{ident}_editors">
          <resp>Edition: TEI encoding</resp>
          <orgName>Editors of the edition</orgName>
        </respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>The edition's test</publisher>
        <idno type="edition">{ident}</idno>
        <availability>
          <licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <bibl>A test document: it stands for no source.</bibl>
      </sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc xml:id="{ident}_cd">
        <correspAction type="sent">
          <persName ref="registers.xml#{sender}">{sender_name}</persName>
          <placeName ref="registers.xml#{place}">{place_name}</placeName>
          <date when="{when}">{day}</date>
        </correspAction>
        <correspAction type="received">
          <persName ref="registers.xml#{addressee}">{addressee_name}</persName>
        </correspAction>
      </correspDesc>
      <langUsage>
        <language ident="en">English</language>
      </langUsage>
    </profileDesc>
    <revisionDesc>
      <change when="{when}" who="#{ident}_editors" status="draft">Written by the growth test.</change>
    </revisionDesc>
  </teiHeader>
  <text type="cable" xml:lang="en">
    <body>
      <div type="translation" xml:lang="en" xml:id="{ident}_en">
        <div type="telegram">
          <p>A cable of the test, sent on <date when="{when}">{day}</date>.</p>
        </div>
      </div>
    </body>
  </text>
</TEI>
""", encoding="utf-8")
    return ident


def grow(root: Path, with_cable: bool) -> list[str]:
    """Copy the edition to `root` and add documents; return the new ids."""
    shutil.copytree(project.ROOT, root, ignore=NOT_COPIED, symlinks=True)
    metadata = root / "metadata" / "edition.toml"  # the deposit needs a url and a contact (reserved test names)
    fill_metadata(metadata, metadata)
    originals = _correspondence(root / "tei")
    if not originals:
        pytest.skip("the corpus has no correspondence to copy")
    new = [copy_under_new_id(originals[i % len(originals)], when) for i, when in enumerate(NEW_DATES)]
    if with_cable:
        new.append(minimal_cable(root / "tei", "1951-12-29"))
    return new


def check_pipeline(root: Path, new: list[str]) -> None:
    """Validate, build the editions and the package, and find every new document in each."""
    documents = [p for p in project.xml_files(root / "tei") if p.name != "registers.xml"]
    checked = telegrams(root, "validate", "--no-cache")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"{len(documents) + 1} files checked, 0 errors" in checked.stdout, checked.stdout

    built = telegrams(root, "html")
    assert built.returncode == 0, built.stderr
    html = root / "build" / "html"
    home = (html / "index.html").read_text(encoding="utf-8")
    # A large correspondence is listed on month pages ("correspondence~1951-01~1.html"), linked from the home page.
    month_pages = set(re.findall(r'href="(correspondence~[^"/#]+\.html)"', home))
    listed = home + "".join((html / page).read_text(encoding="utf-8") for page in month_pages)
    linked = set(re.findall(r'href="([^"/#]+)\.html"', listed))
    unlinked = {p.stem for p in documents} - linked
    assert not unlinked, f"the home page does not link {unlinked}"
    for ident in new:
        assert (html / f"{ident}.html").is_file(), ident
    assert "December 1951" in home  # the new dates are in the list and the timeline

    written = telegrams(root, "text", by_folder=True)
    assert written.returncode == 0, written.stderr
    corpus_text = (root / "build" / "text" / "corpus.txt").read_text(encoding="utf-8")
    for ident in new:
        assert (root / "build" / "text" / f"{ident}.txt").is_file() and ident in corpus_text, ident

    packaged = telegrams(root, "deposit", "build", "--no-zip")
    assert packaged.returncode == 0, packaged.stderr
    bag, = (root / "build" / "deposit").glob("*/bagit.txt")
    manifest = (bag.parent / "manifest-sha256.txt").read_text(encoding="utf-8")
    for ident in new:
        assert f"data/tei/{ident}.xml" in manifest, ident


@pytest.mark.slow
def test_real_telegrams_copied_under_new_ids_go_through_the_pipeline(tmp_path):
    root = tmp_path / "edition"
    check_pipeline(root, grow(root, with_cable=False))


def _schema_knows(kind: str) -> bool:
    rng = parse(project.SCHEMA_DIR / "telegrams.rng").tree
    return bool(rng.xpath("//r:attribute[r:name='type' or @name='type']//r:value[. = $kind]", kind=kind,
                          namespaces={"r": "http://relaxng.org/ns/structure/1.0"}))


@pytest.mark.slow
def test_a_cable_goes_through_the_pipeline_too(tmp_path):
    if not _schema_knows("cable"):
        pytest.skip('the project schema does not yet allow text/@type="cable" (the schema customization adds it)')
    root = tmp_path / "edition"
    check_pipeline(root, grow(root, with_cable=True))
