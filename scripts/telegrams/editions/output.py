"""Write the editions' many files atomically, and make them durable once per run instead of once per file.

A sync per file costs about 2.7 ms on this project's machines, which for the 30,000 files of a 10,000-document site
would be most of the build. Every file is still written beside its target and renamed into place by
`xmlio.atomic_path` (a reader, or an interrupted build, sees the old file or the new one, never half of one), without
its per-file sync, and `finish` syncs the whole output once at the end.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from .. import project
from ..findings import Finding, FindingError
from ..xmlio import atomic_path

MARKER = ".telegrams-output"  # names a folder as an output of this program: it may be rebuilt, its files replaced
LOCK = ".telegrams.lock"
# what a killed build leaves: atomic writes' temporaries, Pagefind's staging and swap folders
DEBRIS = (".*.tmp", ".pagefind-new", ".pagefind-old", ".pagefind-pages", ".staging-*")


def _refuse(out: Path, why: str) -> FindingError:
    return FindingError(Finding(str(out), 0, 0, "error", "output-folder", why))


def check_out_dir(out: Path, inputs: list[Path]) -> None:
    """Refuse an output folder whose files a build must not replace or delete.

    Never a folder that holds (or is) the sources, the project or any input; outside build/, only a new or empty
    folder, or one an earlier build made (it holds MARKER): a build removes what it did not write this time.
    """
    target = out.resolve()
    root = project.ROOT.resolve()
    protected = [root / "tei", root / "schema", root / "xslt", root / "scripts", root / "metadata", root]
    for folder in protected:
        if target == folder or folder.is_relative_to(target) or (folder != root and target.is_relative_to(folder)):
            raise _refuse(out, f"this folder holds or is part of the project's sources ({folder}); "
                               "write the edition under build/ or into a new folder")
    for source in inputs:
        resolved = source.resolve()
        if resolved == target or resolved.is_relative_to(target):
            raise _refuse(out, f"this folder holds an input of the build ({source}); choose another output folder")
    if target.is_relative_to(project.BUILD_DIR.resolve()) or not target.exists():
        return
    if not target.is_dir():
        raise _refuse(out, "this is a file, not a folder")
    if (target / MARKER).is_file() or not any(target.iterdir()):
        return
    raise _refuse(out, "this folder is outside build/, not empty and not an earlier output of this program: a build "
                       "replaces and removes files in its output folder; give a new or empty folder")


@contextmanager
def claimed(out: Path, inputs: list[Path]) -> Iterator[None]:
    """Check the output folder, take its lock (one build at a time), clear a killed build's debris, mark it ours."""
    check_out_dir(out, inputs)
    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / LOCK, "a")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _refuse(out, "another build is writing this folder now; wait for it to finish, then run again") \
                from None
        clear_debris(out)
        (out / MARKER).write_text("Written by `telegrams`: may be rebuilt, and its files replaced or removed.\n",
                                  encoding="utf-8")
        yield
    finally:
        handle.close()  # releases the lock; the lock file stays (removing it would race with a waiting build)


def clear_debris(out: Path) -> None:
    """Remove what killed builds left in the folder (only ever names this program makes)."""
    for pattern in DEBRIS:
        for path in out.rglob(pattern):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


class Output:
    """One build's output folder: every file written through it is atomic and recorded in `written`."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.written: set[Path] = set()

    def write(self, relative: str, data: bytes | str) -> Path:
        """Write a file whole. One that already holds these bytes is only touched: a rebuild of an unchanged
        corpus replaces no file (the kernel's cost of a replace is most of a write's), and every output is still as
        new as the build (what `telegrams deposit` checks against the sources' times)."""
        data = data.encode("utf-8") if isinstance(data, str) else data
        path = self.root / relative
        try:
            there = path.lstat()  # a link is replaced, never read through
            if stat.S_ISREG(there.st_mode) and there.st_size == len(data) and path.read_bytes() == data:
                os.utime(path)
                self.written.add(path)
                return path
        except OSError:  # not there yet (or unreadable: written anew)
            pass
        with self.open(relative) as handle:
            handle.write(data)
        return path

    @contextmanager
    def open(self, relative: str) -> Iterator[BinaryIO]:
        """Yield a binary file to write `relative` piece by piece; it replaces the target only once complete."""
        with self.target(relative) as tmp, open(tmp, "wb") as handle:
            yield handle

    @contextmanager
    def target(self, relative: str) -> Iterator[Path]:
        """Yield a temporary path beside `relative` for another writer (Saxon) to fill; renamed into place after."""
        path = self.root / relative
        with atomic_path(path, durable=False) as tmp:
            yield tmp
        self.written.add(path)

    def adopt(self, relative: str, written: Path) -> Path:
        """Move a file another writer finished elsewhere in the folder (Saxon's secondary outputs) into place."""
        path = self.root / relative
        os.replace(written, path)
        self.written.add(path)
        return path

    def finish(self) -> None:
        """Make everything written durable: one sync for the whole build rather than one per file."""
        os.sync()
