"""The project root is found from the working folder upward, as git finds its repository; TELEGRAMS_ROOT wins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from telegrams import project


def telegrams(*args, cwd: Path, root: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAMS_ROOT"}
    if root is not None:
        env["TELEGRAMS_ROOT"] = root
    return subprocess.run([sys.executable, "-m", "telegrams", *args], capture_output=True, text=True, cwd=cwd,
                          env=env)


@pytest.fixture
def no_root_variable(monkeypatch):
    monkeypatch.delenv("TELEGRAMS_ROOT", raising=False)


def test_a_folder_with_tei_and_schema_is_found_from_a_subfolder(tmp_path, no_root_variable):
    (tmp_path / "tei" / "deep").mkdir(parents=True)
    (tmp_path / "schema").mkdir()
    assert project.find_root(tmp_path / "tei" / "deep") == tmp_path


def test_a_pyproject_naming_telegrams_marks_the_root(tmp_path, no_root_variable):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "telegrams"\n')
    (tmp_path / "docs").mkdir()
    assert project.find_root(tmp_path / "docs") == tmp_path


def test_another_projects_pyproject_does_not(tmp_path, no_root_variable):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "something-else"\n')
    (tmp_path / "tei").mkdir()  # tei/ alone is not enough either
    if any(project.is_root(folder) for folder in tmp_path.parents):
        pytest.skip("the temporary folder lies inside a telegrams project")
    with pytest.raises(project.NotInProject, match="not inside a telegrams edition"):
        project.find_root(tmp_path / "tei")


def test_the_variable_overrides_the_search(tmp_path, monkeypatch):
    monkeypatch.setenv("TELEGRAMS_ROOT", str(tmp_path))
    assert project.find_root(Path.cwd()) == tmp_path
    monkeypatch.setenv("TELEGRAMS_ROOT", str(tmp_path / "absent"))
    with pytest.raises(project.NotInProject, match="not a folder"):
        project.find_root()


def test_the_command_outside_a_project_says_so_without_a_traceback(tmp_path):
    if any(project.is_root(folder) for folder in (tmp_path, *tmp_path.parents)):
        pytest.skip("the temporary folder lies inside a telegrams project")
    result = telegrams("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "not inside a telegrams edition" in result.stderr and "TELEGRAMS_ROOT" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_command_in_a_subfolder_works_on_the_whole_project(tmp_path):
    root = project.root()
    result = telegrams("validate", "--no-cache", "-q", cwd=root / "tei")
    files = len(project.corpus_files())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"{files} files checked"), result.stdout


def test_version(tmp_path):
    from importlib.metadata import version

    result = telegrams("--version", cwd=tmp_path)  # needs no project
    assert result.returncode == 0 and result.stdout.strip() == f"telegrams {version('telegrams')}"


def test_help_needs_no_project(tmp_path):
    result = telegrams("--help", cwd=tmp_path)
    assert result.returncode == 0 and "validate" in result.stdout and "new" in result.stdout, result.stderr
