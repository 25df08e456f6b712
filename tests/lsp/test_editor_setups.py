"""The editor set-ups in the repository name files that exist and commands that the CLI has."""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from lxml import etree

from telegrams.cli import COMMANDS
from telegrams.project import ROOT


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_vscode_task_runs_the_validator_and_its_matcher_reads_its_output():
    task = _json(ROOT / ".vscode" / "tasks.json")["tasks"][0]
    assert task["command"].replace("${workspaceFolder}/", "") == ".venv/bin/telegrams"
    assert task["args"][0] in COMMANDS
    pattern = re.compile(task["problemMatcher"]["pattern"]["regexp"])
    line = "  tei/x.xml:66:11: error: element <persname> is not defined in the schema [rng-unknown]"
    match = pattern.match(line)
    assert match and match.group(1) == "tei/x.xml" and match.group(2, 3, 4) == ("66", "11", "error")
    assert match.group(6) == "rng-unknown"


def test_vscode_settings_and_extension_name_what_exists():
    settings = _json(ROOT / ".vscode" / "settings.json")
    for association in settings["xml.fileAssociations"]:
        assert (ROOT / association["systemId"]).is_file()
    extension = _json(ROOT / "editors" / "vscode" / "package.json")
    assert (ROOT / "editors" / "vscode" / extension["main"]).is_file()
    assert "vscode-languageclient" in extension["dependencies"]
    assert extension["contributes"]["configuration"]["properties"]["telegrams.command"]["default"] == \
        settings["telegrams.command"]
    script = (ROOT / "editors" / "vscode" / "extension.js").read_text(encoding="utf-8")
    assert '"lsp"' in script and "lsp" in COMMANDS


def test_oxygen_project_folders_exist():
    project = ROOT / "editors" / "oxygen" / "telegrams.xpr"
    tree = etree.parse(str(project))
    folders = [f.get("path") for f in tree.iter("folder")]
    assert folders
    for folder in folders:
        assert (project.parent / folder).is_dir(), folder


def test_pre_commit_hook_calls_a_real_subcommand():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"^\s*entry:\s*(\S+)\s+(\S+)", text, re.M)
    assert entry and entry.group(1) == "telegrams" and entry.group(2) in COMMANDS


def test_the_editors_page_names_each_editor_and_the_server_command():
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    for editor in ("VS Code", "oXygen", "Neovim", "Emacs", "Helix"):
        assert editor in page
    assert "telegrams lsp" in page


def test_watch_checks_again_when_a_file_changes(tmp_path):
    pytest.importorskip("watchfiles", reason="validate --watch needs watchfiles")
    folder = tmp_path / "tei"
    folder.mkdir()
    telegram = next(p for p in sorted((ROOT / "tei").glob("*.xml")) if p.name != "registers.xml")
    broken = telegram.read_text(encoding="utf-8").replace("</body>", "", 1)
    process = subprocess.Popen([sys.executable, "-m", "telegrams", "validate", "--watch", "--no-cache",
                                str(folder)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=ROOT)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    seen = []
    try:
        # The watcher may start a moment after it says so: write the file again until a run reports it (the
        # limit is generous; this is no timing test).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("broken.xml:" in line for line in seen):
            if any("watching for changes" in line for line in seen):
                (folder / "broken.xml").write_text(broken, encoding="utf-8")
            try:
                while True:
                    seen.append(lines.get(timeout=2))
            except queue.Empty:
                pass
        output = "".join(seen)
        assert "--- changed: broken.xml" in output, output
        assert "broken.xml:" in output and "error" in output, output
    finally:
        process.kill()
        process.wait()
