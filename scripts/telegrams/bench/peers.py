"""The Python validators an editor might pick instead, timed beside the project and scored on the planted mistakes.

`acdh-xml-validator` (lxml RELAX NG, then pyschematron, one file at a time) and `pyschematron` alone both need
Python 3.12 or later: they are installed on the fly into their own environment (build/bench/peers/acdh) when a
Python 3.12 or later runs here (on PATH, or installed by pyenv), and reported as skipped with the reason otherwise. Every tool's verdict is a set
of files it calls invalid; `score` counts how many of the generator's planted mistakes (manifest.json) fall in it,
so that speed is never bought with missed mistakes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from .. import project

PEER_PACKAGES = ("acdh-xml-validator", "pyschematron")
PYTHONS = ("python3.14", "python3.13", "python3.12")

# Each prints the files it finds invalid, one a line; argv: rng, sch, listing of files.
ACDH = """
import sys
from acdh_xml_validator import Validator
rng, sch, listing = sys.argv[1:4]
validator = Validator(path_to_rng=rng, path_to_schematron=sch, verbose=False)
for path in open(listing).read().split():
    if not validator.validate(path):
        print(path)
"""
PYSCHEMATRON = """
import sys
from pathlib import Path
from lxml import etree
from pyschematron import create_validator
from pyschematron.utils import load_xml_document
rng, sch, listing = sys.argv[1:4]
validator = create_validator(schematron_schema=load_xml_document(Path(sch)))  # compiled once, its best use
parser = etree.XMLParser(resolve_entities=False, no_network=True)
for path in open(listing).read().split():
    try:
        valid = validator.validate(etree.parse(path, parser)).is_valid()
    except etree.XMLSyntaxError:
        valid = False
    if not valid:
        print(path)
"""
SCRIPTS = {"acdh-xml-validator (RELAX NG + pyschematron)": ACDH, "pyschematron (Schematron only)": PYSCHEMATRON}


def environment() -> tuple[Path | None, str]:
    """Return the peers' Python (installing it when needed), or None and why not."""
    venv = project.BUILD_DIR / "bench" / "peers" / "acdh"
    python = venv / "bin" / "python"
    if python.is_file() and (venv / ".installed").is_file():
        return python, ""
    base = _python312()
    if base is None:
        return None, "needs Python 3.12 or later (none on PATH)"
    try:
        subprocess.run([base, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True,
                       capture_output=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as err:
        return None, f"could not install {', '.join(PEER_PACKAGES)}: {type(err).__name__}"
    (venv / ".installed").write_text("\n".join(PEER_PACKAGES) + "\n")
    return python, ""


def versions(python: Path) -> str:
    """The peers' versions and their Python's, as the bench notes them."""
    script = ("import platform; from importlib.metadata import version; "
              f"print(', '.join(f'{{p}} {{version(p)}}' for p in {PEER_PACKAGES!r}), 'on Python', "
              "platform.python_version())")
    try:
        return subprocess.run([str(python), "-c", script], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _python312() -> str | None:
    """Return a Python 3.12 or later that runs: on PATH, or one pyenv installed (its shims may name an inactive one)."""
    candidates = [shutil.which(name) for name in PYTHONS]
    candidates += sorted(map(str, Path.home().glob(".pyenv/versions/3.1[2-9]*/bin/python3")), reverse=True)
    for candidate in filter(None, candidates):
        try:
            subprocess.run([candidate, "-c", "import sys; assert sys.version_info >= (3, 12)"], check=True,
                           capture_output=True, timeout=30)
            return candidate
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def planted(root: Path) -> dict[str, str]:
    """Return {file: kind of mistake} from the generator's manifest."""
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    return {str((root / m["file"]).resolve()): m["kind"] for m in manifest.get("mistakes", [])}


def score(root: Path, invalid: set[str], given: set[str] | None = None) -> tuple[int, int, str]:
    """Return (planted mistakes found, planted mistakes in the files given, a note naming the kinds missed)."""
    mistakes = planted(root)
    if given is not None:
        mistakes = {f: k for f, k in mistakes.items() if f in {str(Path(g).resolve()) for g in given}}
    seen = {str(Path(f).resolve()) for f in invalid}
    missed = sorted({kind for file, kind in mistakes.items() if file not in seen})
    found = sum(file in seen for file in mistakes)
    note = f"finds {found} of {len(mistakes)} planted mistakes" + (f" (misses: {', '.join(missed)})" if missed else "")
    return found, len(mistakes), note


def invalid_from_project(output: str) -> set[str]:
    """Files with an error in `telegrams validate --format json` output."""
    files = set()
    for line in output.splitlines():
        try:
            finding = json.loads(line)
        except ValueError:
            continue
        if finding.get("severity") == "error":
            files.add(finding.get("file", ""))
    return files


def invalid_from_jing(output: str) -> set[str]:
    """Files Jing reports an error in (its lines read FILE:LINE:COLUMN: error: ...)."""
    files = set()
    for line in output.splitlines():
        head, _, rest = line.partition(": error:")
        if rest:
            files.add(head.rsplit(":", 2)[0])
    return files
