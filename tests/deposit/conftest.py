"""Fixtures of the deposit tests: a copy of the project (its tei/, schema/, docs/ and LICENSE, its editions built
by the editions stage, and edition.toml with the fields that must be filled in) in a temporary folder, built there,
never into the real build/. The tests derive what they expect from the copied corpus, so that it may grow."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

import pytest

from telegrams.deposit.build import Inputs, build
from telegrams.project import ROOT

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
# Reserved names (RFC 2606 / RFC 6761): the real edition.toml leaves url and email empty until they exist.
TEST_URL = "https://edition.example.org/"
TEST_EMAIL = "editor@example.org"


def fill_metadata(source: Path, target: Path, url: str = TEST_URL, email: str = TEST_EMAIL) -> Path:
    """Write a copy of edition.toml with [edition] url and [contact] email set."""
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^url = ""', f'url = "{url}"', text, count=1)  # the first: [edition] url
    text = re.sub(r'(?m)^email = ""', f'email = "{email}"', text, count=1)
    target.write_text(text, encoding="utf-8")
    return target


def rebuild_editions(target: Path) -> None:
    """Build the HTML and text editions of the copy with the editions stage, as `make html` would."""
    from telegrams.cli import main

    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        assert main(["html", str(target / "tei"), "--out", str(target / "html"), "--text-out", str(target / "text"),
                     "--no-search", "--quiet"]) == 0


def copy_project(target: Path) -> Inputs:
    """Copy the project's sources, then build its editions (so they are newer than the sources, as after a build)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in ("tei", "schema", "docs"):
        shutil.copytree(ROOT / part, target / part, copy_function=shutil.copy,
                        ignore=shutil.ignore_patterns("templates") if part == "tei" else None)
    shutil.copy(ROOT / "LICENSE", target / "LICENSE")
    (target / "metadata").mkdir()
    edition = fill_metadata(ROOT / "metadata" / "edition.toml", target / "metadata" / "edition.toml")
    rebuild_editions(target)
    return Inputs(tei_dir=target / "tei", schema_dir=target / "schema", html_dir=target / "html",
                  text_dir=target / "text", edition_file=edition, docs_dir=target / "docs",
                  licence_file=target / "LICENSE", cache=False)


def touch_editions(inputs: Inputs) -> None:
    """Keep the editions newer than the sources, as a `make html` after a change would."""
    for folder in (inputs.html_dir, inputs.text_dir):
        for path in folder.rglob("*"):
            path.touch()


def build_with_epoch(inputs: Inputs, out_dir: Path, epoch: str | None):
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        return build(inputs, out_dir)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@pytest.fixture(scope="session")
def pristine(tmp_path_factory) -> Path:
    """One copy of the project with its editions built, copied again by each test that changes it."""
    root = tmp_path_factory.mktemp("pristine") / "project"
    copy_project(root)
    return root


def _inputs(folder: Path) -> Inputs:
    return Inputs(tei_dir=folder / "tei", schema_dir=folder / "schema", html_dir=folder / "html",
                  text_dir=folder / "text", edition_file=folder / "metadata" / "edition.toml",
                  docs_dir=folder / "docs", licence_file=folder / "LICENSE", cache=False)


@pytest.fixture
def fresh_project(pristine):
    """fresh_project(folder): a copy of the project (editions included, newer than the sources) there."""
    def make(target: Path) -> Inputs:
        shutil.copytree(pristine, target, copy_function=shutil.copy2)
        touch_editions(_inputs(target))
        return _inputs(target)
    return make


@pytest.fixture
def project(tmp_path, fresh_project) -> Inputs:
    return fresh_project(tmp_path / "project")


@pytest.fixture
def build_package():
    """build_package(inputs, out_dir, epoch): build with SOURCE_DATE_EPOCH set to epoch (None: unset)."""
    return build_with_epoch


@pytest.fixture(scope="session")
def built(pristine, tmp_path_factory):
    """One package built from the copy, with SOURCE_DATE_EPOCH unset: shared by the read-only tests."""
    root = tmp_path_factory.mktemp("deposit")
    return build_with_epoch(_inputs(pristine), root / "out", None)


@pytest.fixture(scope="session")
def tei_all():
    """The tei_all RELAX NG of ../shared (about 10 s to load, once), or a skip when it is absent."""
    from lxml import etree

    from telegrams.project import shared_dir

    shared = shared_dir()
    path = shared / "tei" / "reference" / "tei_all.rng" if shared else None
    if path is None or not path.is_file():
        pytest.skip("tei_all.rng not found: set TELEGRAMS_SHARED or put the shared material at ../shared")
    return etree.RelaxNG(etree.parse(str(path)))
