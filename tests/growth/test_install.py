"""A plain (non-editable) install works: the wheel, installed into a fresh environment, validates a copy of the
edition from inside it. Builds the wheel (setuptools from PyPI or pip's cache) and installs it: about 5 s."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from telegrams import project

SOURCES = ("pyproject.toml", "README.md", "LICENSE", "scripts")
pytestmark = pytest.mark.slow


def _pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """Return the bin/ folder of a fresh environment holding the wheel built from a copy of the sources.

    The environment has no system site-packages; the dependencies (lxml, saxonche, ...) come from the project's
    own environment through a .pth line, which Python adds after the environment's site-packages without running
    that folder's .pth files: so `telegrams` is the wheel's, never the project's editable install."""
    work = tmp_path_factory.mktemp("install")
    source = work / "src"  # built from a copy: setuptools writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in SOURCES:
        if (project.ROOT / name).is_dir():
            shutil.copytree(project.ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy(project.ROOT / name, source / name)
    built = _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(work / "dist"), str(source))
    if built.returncode and "No matching distribution found for setuptools" in built.stdout + built.stderr:
        pytest.skip("building the wheel needs setuptools from PyPI or pip's cache, and neither is reachable")
    assert built.returncode == 0, built.stderr
    wheel, = (work / "dist").glob("telegrams-*.whl")
    environment = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(environment)], check=True)
    target = Path(subprocess.run([str(environment / "bin" / "python"), "-c",
                                  "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 capture_output=True, text=True, check=True).stdout.strip())
    (target / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    done = _pip("--python", str(environment / "bin" / "python"), "install", "--no-deps", "--quiet", str(wheel))
    assert done.returncode == 0, done.stderr
    return environment / "bin"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    """Return a copy of the edition's sources (tei/, schema/), as a user's clone would have them."""
    root = tmp_path_factory.mktemp("edition")
    for name in ("tei", "schema"):
        shutil.copytree(project.ROOT / name, root / name)
    return root


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("TELEGRAMS_ROOT", "PYTHONPATH")}


def test_the_installed_package_is_the_wheels(installed):
    where = subprocess.run([str(installed / "python"), "-c", "import telegrams; print(telegrams.__file__)"],
                           capture_output=True, text=True, env=_environment(), cwd="/")
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout + where.stderr


def test_the_installed_command_validates_the_edition_it_is_run_in(installed, edition):
    result = subprocess.run([str(installed / "telegrams"), "validate"], capture_output=True, text=True,
                            env=_environment(), cwd=edition / "tei")
    files = len(project.xml_files(edition / "tei"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{files} files checked, 0 errors" in result.stdout, result.stdout
    assert (edition / "build" / "cache").is_dir()  # its outputs go to the edition it found, not the package's place


def test_the_installed_command_outside_an_edition_says_so(installed, tmp_path):
    if any(project.is_root(folder) for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary folder lies inside a telegrams project")
    result = subprocess.run([str(installed / "telegrams"), "validate"], capture_output=True, text=True,
                            env=_environment(), cwd=tmp_path)
    assert result.returncode == 2 and "not inside a telegrams edition" in result.stderr, result.stderr
