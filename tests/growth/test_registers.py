"""`telegrams registers` lists each missing entry once, with its uses and the entry to paste, and the unused ones."""

from __future__ import annotations

import os
import subprocess
import sys

from telegrams.xmlio import parse

from .conftest import T, XML_ID, documents_with, edit


def registers(edition) -> subprocess.CompletedProcess:
    env = dict(os.environ, TELEGRAMS_ROOT=str(edition))
    return subprocess.run([sys.executable, "-m", "telegrams", "registers"], capture_output=True, text=True, env=env)


def test_a_clean_edition_has_no_missing_entry(edition):
    result = registers(edition)
    assert result.returncode == 0 and result.stdout.startswith("0 missing register entries"), result.stdout


def test_missing_and_unused_entries_are_listed(edition):
    names = "//tei:text//tei:persName[starts-with(@ref, 'registers.xml#')]"
    paths = documents_with(edition / "tei", names)
    entry = parse(paths[0]).root.xpath(names, namespaces={"tei": T[1:-1]})[0].get("ref").partition("#")[2]
    using = f"//*[@ref='registers.xml#{entry}']"
    uses = 0
    for path in documents_with(edition / "tei", using):  # every use of one entry now names an entry that is not there
        while parse(path).root.xpath(using):
            edit(path, using, lambda name: name.set("ref", "registers.xml#pers-not-yet-written"))
            uses += 1
    result = registers(edition)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1 missing register entry:", result.stdout
    assert (f"used {uses} times" in lines[1]) if uses > 1 else "used" not in lines[1]
    assert '<person xml:id="pers-not-yet-written">' in lines[1]
    assert lines[2] == "1 unused register entry:" and f'"{entry}"' in lines[3], result.stdout
    registers_file = parse(edition / "tei" / "registers.xml")
    line = registers_file.locate(next(e for e in registers_file.root.iter() if e.get(XML_ID) == entry))[0]
    assert f"registers.xml:{line}:" in lines[3]
