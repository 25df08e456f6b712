"""Where things are: the project's root, its folders and outputs, and the optional shared material beside it.

The root is found as git finds its repository: from the working folder upward, the first folder that holds `tei/`
and `schema/`, or a `pyproject.toml` naming the project `telegrams`; `$TELEGRAMS_ROOT` overrides the search. So an
installed package (`pip install .`, not editable) works on the edition it is run in. The folder constants (`ROOT`,
`TEI_DIR`, ...) are computed on first use, so importing a module costs nothing outside a project.
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

_FOLDERS = {"ROOT": (), "TEI_DIR": ("tei",), "SCHEMA_DIR": ("schema",), "XSLT_DIR": ("xslt",),
            "BUILD_DIR": ("build",), "HTML_DIR": ("build", "html"), "TEXT_DIR": ("build", "text"),
            "REGISTERS": ("tei", "registers.xml")}


class NotInProject(Exception):
    """No project root: the working folder is outside every edition and $TELEGRAMS_ROOT is not set (or wrong)."""


def is_root(folder: Path) -> bool:
    """Say whether a folder is a project's root: tei/ and schema/, or a pyproject.toml naming `telegrams`."""
    if (folder / "tei").is_dir() and (folder / "schema").is_dir():
        return True
    try:
        with open(folder / "pyproject.toml", "rb") as stream:
            return tomllib.load(stream).get("project", {}).get("name") == "telegrams"
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        return False


def find_root(start: Path | None = None) -> Path:
    """Return the project root: $TELEGRAMS_ROOT, else the nearest root from `start` (the working folder) upward."""
    explicit = os.environ.get("TELEGRAMS_ROOT")
    if explicit:
        root = Path(explicit).absolute()
        if not root.is_dir():
            raise NotInProject(f"$TELEGRAMS_ROOT is {explicit}, which is not a folder")
        return root
    start = (start or Path.cwd()).absolute()
    for folder in (start, *start.parents):
        if is_root(folder):
            return folder
    raise NotInProject(f"{start} is not inside a telegrams edition: no folder from there up holds tei/ and schema/ "
                       "(or a pyproject.toml naming the project telegrams); run the command in the edition's "
                       "folder, or set TELEGRAMS_ROOT to it")


@functools.cache
def root() -> Path:
    """Return the project root of this process (found once)."""
    return find_root()


def __getattr__(name: str) -> Path:
    if name in _FOLDERS:
        return root().joinpath(*_FOLDERS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def shared_dir() -> Path | None:
    """Return ../shared (or $TELEGRAMS_SHARED) when it exists; the main job never needs it."""
    explicit = os.environ.get("TELEGRAMS_SHARED")
    if explicit:
        candidate = Path(explicit)
    else:
        try:
            candidate = root().parent / "shared"
        except NotInProject:
            return None
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
    for given in paths or [str(root() / "tei")]:
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
