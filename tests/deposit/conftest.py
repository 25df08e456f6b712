"""Fixtures of the deposit tests: a small project (fixtures/project) copied into a temporary folder and built there,
never into the real build/."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from telegrams.deposit.build import Inputs, build

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def copy_project(target: Path) -> Inputs:
    """Copy the fixture project; the sources first, so that the editions are newer than them, as after a build.

    Copies get fresh modification times (shutil.copy, not copy2): a git checkout's times are in no useful order.
    """
    for part in ("tei", "schema", "html", "text"):
        shutil.copytree(FIXTURES / "project" / part, target / part, copy_function=shutil.copy)
    return Inputs(tei_dir=target / "tei", schema_dir=target / "schema", html_dir=target / "html",
                  text_dir=target / "text")


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


@pytest.fixture
def project(tmp_path) -> Inputs:
    return copy_project(tmp_path / "project")


@pytest.fixture
def build_package():
    """build_package(inputs, out_dir, epoch): build with SOURCE_DATE_EPOCH set to epoch (None: unset)."""
    return build_with_epoch


@pytest.fixture
def fresh_project():
    """fresh_project(folder): copy the fixture project there and return its Inputs."""
    return copy_project


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One package built from the fixture project, with SOURCE_DATE_EPOCH unset: shared by the read-only tests."""
    root = tmp_path_factory.mktemp("deposit")
    return build_with_epoch(copy_project(root / "project"), root / "out", None)


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
