"""Where things are: the project's folders, its outputs and the optional shared material beside it."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("TELEGRAMS_ROOT") or Path(__file__).resolve().parents[2])
TEI_DIR = ROOT / "tei"
SCHEMA_DIR = ROOT / "schema"
XSLT_DIR = ROOT / "xslt"
BUILD_DIR = ROOT / "build"
HTML_DIR = BUILD_DIR / "html"
TEXT_DIR = BUILD_DIR / "text"
REGISTERS = TEI_DIR / "registers.xml"


def shared_dir() -> Path | None:
    """Return ../shared (or $TELEGRAMS_SHARED) when it exists; the main job never needs it."""
    candidate = Path(os.environ.get("TELEGRAMS_SHARED") or ROOT.parent / "shared")
    return candidate if candidate.is_dir() else None


def p5subset() -> Path | None:
    """Return the TEI P5 source (p5subset.xml): $TEI_P5SUBSET, else ../shared/tei/p5subset.xml, else None."""
    explicit = os.environ.get("TEI_P5SUBSET")
    if explicit:
        return Path(explicit)
    shared = shared_dir()
    candidate = shared / "tei" / "p5subset.xml" if shared else None
    return candidate if candidate and candidate.is_file() else None


def corpus_files(paths: list[str] | None = None) -> list[Path]:
    """Return the TEI files to work on: the given files and folders (searched for *.xml), or all of tei/."""
    files: list[Path] = []
    for given in paths or [str(TEI_DIR)]:
        path = Path(given)
        files.extend(xml_files(path) if path.is_dir() else [path])
    return files


def xml_files(folder: Path) -> list[Path]:
    """Return the *.xml under a folder, not under templates/ nor through linked folders, in path order.

    Walked with os.scandir and sorted as tuples of names: Path.rglob and sorting Path objects took a quarter of a
    cached validation run on 10,000 files.
    """
    found = []
    pending = [("" if str(folder) == "." else str(folder), ())]
    while pending:
        directory, parts = pending.pop()
        try:
            with os.scandir(directory or ".") as entries:
                for entry in entries:
                    here = (*parts, entry.name)
                    if entry.name.endswith(".xml") and "templates" not in parts:
                        found.append((here, os.path.join(directory, entry.name)))
                    if entry.is_dir() and not entry.is_symlink():
                        pending.append((os.path.join(directory, entry.name), here))
        except OSError:
            continue  # an unreadable folder: list what can be listed
    return [Path(path) for _, path in sorted(found)]
