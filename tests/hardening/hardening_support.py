"""Helpers of the hardening tests: run `telegrams` as a child with a time limit and read its peak memory."""

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from telegrams import project
from telegrams.bench.run import start

FIXTURES = Path(__file__).parent / "fixtures"
BENCH_FIXTURES = Path(__file__).parents[1] / "bench" / "fixtures" / "tei"


@dataclass
class Outcome:
    exit: int
    out: str
    wall: float
    rss_mb: float
    timed_out: bool
    opened: list = field(default_factory=list)


def run_cli(*args, root: Path | None = None, timeout: float = 30, cwd: Path | None = None,
            fifos: tuple[Path, ...] = ()) -> Outcome:
    """Run `python -m telegrams ARGS` (TELEGRAMS_ROOT=root); see run_python."""
    return run_python(["-m", "telegrams", *map(str, args)], root, timeout, cwd, fifos)


def run_python(arguments: list[str], root: Path | None = None, timeout: float = 30, cwd: Path | None = None,
               fifos: tuple[Path, ...] = ()) -> Outcome:
    """Run `python ARGUMENTS` (TELEGRAMS_ROOT=root) and return exit, stdout+stderr, wall, peak RSS.

    While it runs, each FIFO in `fifos` is watched: if the child opens one for reading, the FIFO is recorded in
    `Outcome.opened` and given an empty write end, so the child sees an empty file instead of hanging.
    """
    env = dict(os.environ)
    if root is not None:
        env["TELEGRAMS_ROOT"] = str(root)
        if project.shared_dir():  # a copied project has no ../shared beside it
            env["TELEGRAMS_SHARED"] = str(project.shared_dir())
    opened = []
    with tempfile.TemporaryFile() as output:
        child = start([sys.executable, *arguments], env, cwd, stdout=output, stderr=subprocess.STDOUT)
        while child.process.poll() is None:
            for fifo in fifos:
                if fifo not in opened and _reader_waiting(fifo):
                    opened.append(fifo)
            if time.perf_counter() - child.started > timeout:
                os.killpg(child.process.pid, signal.SIGKILL)
            time.sleep(0.005)
        data = child.finished()
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Outcome(data["exit"], text, data["wall"], data["rss_kb"] / 1024, bool(data.get("killed")), opened)


def _reader_waiting(fifo: Path) -> bool:
    """True when some process has the FIFO open for reading (a non-blocking open for writing then succeeds)."""
    try:
        handle = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: nobody reads it
        return False
    os.close(handle)  # the reader now sees end of file
    return True


def module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
