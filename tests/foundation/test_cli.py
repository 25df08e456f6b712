"""The command line: exit codes and one-line messages, never a traceback."""

import subprocess
import sys

from telegrams.xmlio import TEI_NS


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "telegrams", *args], capture_output=True, text=True, cwd=cwd)


def test_wrong_usage_exits_2():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_validate_reports_syntax_error_with_file_line_column(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(f'<TEI xmlns="{TEI_NS}">\n  <text>\n    <p>open\n  </text>\n</TEI>\n')
    result = run("validate", str(bad))
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"{bad}:3:5:" in output and "<p> is never closed" in output  # at the start tag left open
    assert "Traceback" not in result.stderr


def test_validate_missing_path(tmp_path):
    result = run("validate", str(tmp_path / "absent.xml"))
    assert result.returncode == 1
    assert "no such file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
