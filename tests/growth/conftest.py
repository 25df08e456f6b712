"""Fixtures of the growth tests: a copy of the edition to change, and the validator run on it in this process."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from lxml import etree

from telegrams import project
from telegrams.xmlio import TEI_NS, XML_NS, parse

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a wheel or a whole edition (seconds); -m 'not slow' leaves it out")


@pytest.fixture
def edition(tmp_path) -> Path:
    """Return the root of a copy of tei/, with the project's schemas beside it (linked, not copied)."""
    root = tmp_path / "edition"
    shutil.copytree(project.TEI_DIR, root / "tei")
    (root / "schema").symlink_to(project.SCHEMA_DIR)
    return root


def validate(*paths: Path) -> list:
    """Return the findings of `telegrams validate PATHS` against the project's schemas, without the cache."""
    from telegrams.validate.command import validate as run

    options = argparse.Namespace(rng=project.SCHEMA_DIR / "telegrams.rng", sch=project.SCHEMA_DIR / "telegrams.sch",
                                 format="human", quiet=True, no_cache=True, jobs=1)
    return sorted(set(run([str(p) for p in paths], options)[0]))


def documents_with(folder: Path, xpath: str) -> list[Path]:
    """Return the documents of a folder in which an XPath (prefix tei:) finds something."""
    return [path for path in project.xml_files(folder)
            if parse(path).root.xpath(xpath, namespaces={"tei": TEI_NS})]


def first_with(folder: Path, xpath: str) -> Path:
    found = documents_with(folder, xpath)
    if not found:
        pytest.skip(f"no document of the corpus has {xpath}")
    return found[0]


def edit(path: Path, xpath: str, change):
    """Apply `change(element)` to the first element an XPath (prefix tei:) finds, write the file back and return it
    parsed again."""
    doc = parse(path)
    change(doc.root.xpath(xpath, namespaces={"tei": TEI_NS})[0])
    path.write_bytes(etree.tostring(doc.tree, encoding="UTF-8", xml_declaration=True))
    return parse(path)


def find(doc, xpath: str):
    return doc.root.xpath(xpath, namespaces={"tei": TEI_NS})[0]
