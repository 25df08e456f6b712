"""Measure every stage of the pipeline on synthetic corpora, beside the floor (a bare parse) and other tools.

Every measured thing runs as its own child process, started by a small shim (see SHIM) that reports the wall time
(time.perf_counter) and the peak memory (RSS, from os.wait4, which covers the command and everything it waited
for). A stage whose code is not there yet, or a tool that is not installed, is recorded as skipped with the reason.
Results go to docs/benchmarks.json (all numbers) and docs/benchmarks.md (tables and the targets, met or not).
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import project
from ..xmlio import write_atomic
from . import peers, report

PYTHON = sys.executable
CLI = [PYTHON, "-m", "telegrams"]
TIMEOUT = 1800  # seconds for one command; a stage slower than this is reported as timed out
EDITION_TIMEOUT = 300  # the HTML edition has grown faster than linearly; past this it is reported as timed out
JING_SAMPLE = 20  # files run through Jing one by one (editors' way); the whole corpus is extrapolated from them

STAGE_MODULES = {
    "validate": "telegrams.validate.command",
    "html": "telegrams.editions.html_command",
    "text": "telegrams.editions.text_command",
    "schema": "telegrams.odd.command",
    "deposit": "telegrams.deposit.command",
}


@dataclass
class Run:
    """One measured command."""

    name: str
    size: int | None
    status: str = "ok"  # ok, failed (non-zero exit where success was expected), skipped, timeout
    wall: float | None = None
    cpu: float | None = None  # user + system seconds of the command and its children: what it costs on any machine
    rss_mb: float | None = None
    exit: int | None = None
    note: str = ""
    command: str = ""
    found: int | None = None  # planted mistakes this run's verdicts caught (peers.score), where counted
    planted: int | None = None
    largest_page_mb: float | None = None  # html edition: its largest page, what a reader's browser must load

    @property
    def per_second(self) -> float | None:
        if self.status != "ok" or not self.wall or not self.size:
            return None
        return self.size / self.wall

    def as_dict(self) -> dict:
        data = asdict(self)
        data["docs_per_second"] = round(self.per_second, 1) if self.per_second else None
        return data


# Peak RSS is a high-water mark that survives exec: a child forked from a big process (pytest, this bench) starts
# with its parent's mark. So every measured command is started by this small shim, whose own fork is small, and the
# shim reports the command's wall time, CPU time, peak RSS and exit status (os.wait4 covers the command and its
# children: a pool's workers and Pagefind too).
SHIM = """
import json, os, sys, time
result, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
try:
    pid = os.posix_spawnp(command[0], command, os.environ)
except OSError as error:
    json.dump({"error": error.strerror or str(error)}, open(result, "w"))
    sys.exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss, "exit": code},
          open(result, "w"))
sys.exit(code if code >= 0 else 128 - code)
"""


@dataclass
class Child:
    """A command started under the shim; `finished()` gives its own numbers once it has ended."""

    process: subprocess.Popen
    result: Path
    started: float

    def finished(self) -> dict:
        try:
            data = json.loads(self.result.read_text())
        except (OSError, ValueError):  # killed before the shim could write: a time-out
            data = {"exit": self.process.returncode, "wall": time.perf_counter() - self.started, "rss_kb": 0,
                    "killed": True}
        self.result.unlink(missing_ok=True)
        return data


def start(command: list[str], env: dict | None = None, cwd: Path | None = None, stdout=None, stderr=None) -> Child:
    """Start a command under the measuring shim, in its own process group (so a time-out kills all of it)."""
    handle, result = tempfile.mkstemp(prefix="telegrams-measure-", suffix=".json")
    os.close(handle)
    os.unlink(result)
    process = subprocess.Popen([PYTHON, "-S", "-c", SHIM, result, *command], stdout=stdout, stderr=stderr,
                               stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True)
    return Child(process, Path(result), time.perf_counter())


def measure(name: str, size: int | None, command: list[str], env: dict | None = None, cwd: Path | None = None,
            ok_exits=(0,), timeout: float = TIMEOUT, note: str = "", out: Path | None = None) -> Run:
    """Run a command as a child process; return its wall and CPU time, peak RSS and exit status (its output to
    `out`)."""
    with tempfile.TemporaryFile() as err, open(out or os.devnull, "wb") as stdout:
        child = start(command, env, cwd, stdout=stdout, stderr=err)
        try:
            child.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _kill_group(child.process.pid)
            child.process.wait()
        data = child.finished()
        if "error" in data:
            return Run(name, size, "skipped", note=f"cannot start: {data['error']}", command=_show(command))
        run = Run(name, size, wall=data["wall"], cpu=data.get("cpu"), rss_mb=data["rss_kb"] / 1024,
                  exit=data["exit"], command=_show(command), note=note)
        err.seek(0)
        said = err.read().decode("utf-8", "replace")
        crashed = "Traceback (most recent call last)" in said  # exit 1 from a crash is not a verdict
        if data.get("killed"):
            run.status, run.note, run.rss_mb, run.cpu = "timeout", f"stopped after {timeout:.0f} s", None, None
        elif data["exit"] not in ok_exits or crashed:
            tail = said.strip().splitlines()[-3:]
            run.status = "failed"
            run.note = (f"exit {data['exit']}" + (" with a traceback" if crashed else "") + ": "
                        + " | ".join(tail)[:300])
        return run


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _show(command: list[str]) -> str:
    shown = [Path(part).name if part == PYTHON else part for part in command[:8]]
    return " ".join(shown) + (f" ... ({len(command) - 8} more)" if len(command) > 8 else "")


def skipped(name: str, size: int | None, reason: str) -> Run:
    return Run(name, size, "skipped", note=reason)


def stage_available(stage: str) -> bool:
    return _module_exists(STAGE_MODULES[stage])


def _env(root: Path) -> dict:
    env = dict(os.environ, TELEGRAMS_ROOT=str(root), PYTHONDONTWRITEBYTECODE="1")
    if project.shared_dir():  # a bench root has no ../shared beside it
        env["TELEGRAMS_SHARED"] = str(project.shared_dir())
    return env


def corpus_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "tei").glob("*.xml") if p.name != "registers.xml")


def _list_file(root: Path, files: list[Path]) -> Path:
    listing = root / "files.txt"
    listing.write_text("".join(f"{path}\n" for path in files))
    return listing


FLOOR = """
import sys
from lxml import etree
from telegrams import xmlio
paths = open(sys.argv[2]).read().split()
if sys.argv[1] == "lxml":
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for path in paths:
        try:
            etree.parse(path, parser)
        except etree.XMLSyntaxError:
            pass
else:
    for path in paths:
        try:
            xmlio.parse(path)
        except xmlio.FindingError:
            pass
"""


# One validation layer through its Python API, over every document that parses (parsing included).
LAYER_API = """
import sys
from telegrams import xmlio
layer, listing, rng = sys.argv[1:4]
paths = open(listing).read().split()[: int(sys.argv[4])]
checked = {}
if layer == "engine":
    from telegrams.validate.explain import is_valid, load_grammar
    grammar = load_grammar(rng)
    run = lambda doc: is_valid(doc.root, grammar)
elif layer == "lxml":
    from lxml import etree
    check = etree.RelaxNG(xmlio.parse(rng).tree).validate
    run = lambda doc: check(doc.tree)
elif layer == "explain":
    from telegrams.validate.explain import explain, load_grammar
    grammar = load_grammar(rng)
    run = lambda doc: explain(doc, grammar)
elif layer == "schematron":
    from pathlib import Path
    from telegrams.validate import schematron
    sch = Path(rng).with_suffix(".sch")
    run = schematron.Runner(schematron.load(sch, None), sch).check
elif layer == "corpus":
    from telegrams.validate import corpus
    def run(doc):
        corpus.document_findings(doc)
        checked[doc.name] = corpus.facts(doc)
for path in paths:  # one document at a time, as a stage would hold it
    try:
        run(xmlio.parse(path))
    except xmlio.FindingError:
        pass
if layer == "corpus":
    corpus.reduce(checked, lambda path: None)
"""
PEER_MAX_SIZE = 1000  # the Python peers are 3-6x slower than the project: their verdicts and ratios at 1,000 say it
EXPLAIN_SAMPLE = 1000  # the explainer costs ~10-20 ms a document: beyond this, time a sample and say so


LAYER_NAMES = {
    "engine": "layer API: RELAX NG verdict by the engine (the fast path)",
    "lxml": "layer API: RELAX NG by lxml (the second opinion)",
    "explain": "layer API: RELAX NG explainer, every document",
    "schematron": "layer API: Schematron (compiled XSLT, saxonche)",
    "corpus": "layer API: corpus checks (per-document map + reduce)",
}
LAYER_MODULES = {"engine": "telegrams.validate.explain", "lxml": "telegrams.xmlio",
                 "explain": "telegrams.validate.explain",
                 "schematron": "telegrams.validate.schematron", "corpus": "telegrams.validate.corpus"}


def layer_api_runs(root: Path, size: int) -> list[Run]:
    """Time each validation layer alone through its Python API, over every document (parsing included)."""
    rng = root / "schema" / "telegrams.rng"
    if not rng.is_file():
        return [skipped(name, size, "schema/telegrams.rng not compiled yet") for name in LAYER_NAMES.values()]
    listing = _list_file(root, corpus_files(root))
    runs = []
    for layer, name in LAYER_NAMES.items():
        if not _module_exists(LAYER_MODULES[layer]):
            runs.append(skipped(name, size, "not available yet"))
            continue
        sample = min(size, EXPLAIN_SAMPLE) if layer == "explain" else size
        run = measure(name, size, [PYTHON, "-c", LAYER_API, layer, str(listing), str(rng), str(sample)],
                      note="parse included" + ("; validate explains only what the verdict rejects" if layer ==
                                               "explain" else ""))
        if run.status == "ok" and sample < size:
            run.wall *= size / sample
            run.note += f"; {sample} documents timed, extrapolated to {size}"
        runs.append(run)
    return runs


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _help(stage: str) -> str:
    result = subprocess.run([*CLI, stage, "--help"], capture_output=True, text=True)
    return result.stdout


def layer_switches() -> dict[str, list[str]]:
    """Return the validate command's switches that run one layer alone, as its --help offers them."""
    text = _help("validate")
    found = {}
    only = re.search(r"--(only|layers?)\b", text)
    for layer in ("wellformed", "rng", "schematron", "corpus"):
        if only and re.search(rf"\b{layer}\b", text):
            found[layer] = [f"--{only.group(1)}", layer]
    return found


def cache_switch() -> list[str]:
    text = _help("validate")
    for option in ("--no-cache", "--fresh", "--cold"):
        if option in text:
            return [option]
    return []


def clear_cache(root: Path) -> None:
    """Remove every cache the validator may have left in a bench root, so the next run starts cold."""
    for candidate in (root / "build" / "cache", root / "build" / "validate-cache", root / ".cache"):
        shutil.rmtree(candidate, ignore_errors=True)
    for stray in (root / "build").glob("*cache*") if (root / "build").is_dir() else ():
        if stray.is_dir():
            shutil.rmtree(stray, ignore_errors=True)
        else:
            stray.unlink(missing_ok=True)


def _touch_one(path: Path) -> None:
    """Change one file's content (a comment at the end), as an editor saving a file would."""
    data = path.read_bytes()
    path.write_bytes(data + f"<!-- edited {time.time_ns()} -->\n".encode())


def validate_runs(root: Path, size: int) -> list[Run]:
    if not stage_available("validate"):
        return [skipped("validate (all layers), cold", size, "not available yet")]
    env, tei = _env(root), str(root / "tei")
    clear_cache(root)
    verdicts = root / "verdicts.json"
    cold = measure("validate (all layers), cold", size, [*CLI, "validate", "--format", "json", tei], env,
                   ok_exits=(0, 1), note="exit 1 expected: planted mistakes", out=verdicts)
    runs = [_scored(cold, root, peers.invalid_from_project(_read(verdicts)))]
    runs.append(measure("validate (all layers), warm", size, [*CLI, "validate", tei], env, ok_exits=(0, 1)))
    files = corpus_files(root)
    if files:
        _touch_one(files[len(files) // 2])
        runs.append(measure("validate, one file changed (whole corpus given)", size,
                            [*CLI, "validate", tei], env, ok_exits=(0, 1)))
        runs.append(measure("validate, one file given", 1, [*CLI, "validate", str(files[len(files) // 2])], env,
                            ok_exits=(0, 1), note=f"in a corpus of {size}"))
    switches = layer_switches()
    no_cache = cache_switch()
    if not switches:
        runs.append(skipped("validate, one layer alone", size,
                            "validate offers no switch for one layer: see the layer API lines"))
    for layer in ("wellformed", "rng", "schematron", "corpus"):
        name = f"validate, {layer} layer alone"
        if layer not in switches:
            continue
        clear_cache(root)
        runs.append(measure(name, size, [*CLI, "validate", *switches[layer], *no_cache, tei], env,
                            ok_exits=(0, 1)))
    return runs


def floor_runs(root: Path, size: int) -> list[Run]:
    listing = _list_file(root, corpus_files(root))
    return [measure("floor: bare lxml parse", size, [PYTHON, "-c", FLOOR, "lxml", str(listing)]),
            measure("floor: telegrams.xmlio.parse", size, [PYTHON, "-c", FLOOR, "xmlio", str(listing)])]


def tool_runs(root: Path, size: int, quick: bool) -> list[Run]:
    rng = root / "schema" / "telegrams.rng"
    files = [str(p) for p in corpus_files(root)]
    runs = []
    if not rng.is_file():
        reason = "schema/telegrams.rng not compiled yet"
        return [skipped(n, size, reason) for n in ("xmllint --relaxng", "jing, one run", "jing, per file")]
    if shutil.which("xmllint"):
        runs.append(measure("xmllint --relaxng", size, ["xmllint", "--noout", "--relaxng", str(rng), *files],
                            ok_exits=(0, 3, 4)))
    else:
        runs.append(skipped("xmllint --relaxng", size, "xmllint not installed (Debian: libxml2-utils)"))
    if not shutil.which("jing"):
        return runs + [skipped(n, size, "jing not installed (Debian: jing)") for n in ("jing, one run", "jing, per file")]
    # Jing stops at the first file that is not well-formed: give it the others (the manifest says which).
    broken = {str(root / m["file"]) for m in _manifest(root).get("mistakes", []) if m["kind"] == "not-well-formed"}
    well_formed = [path for path in files if path not in broken]
    verdicts = root / "verdicts.txt"
    jing = measure("jing, one run", size, ["jing", str(rng), *well_formed], ok_exits=(0, 1), out=verdicts,
                   note=f"{len(well_formed)} well-formed files (Jing stops at the first fatal error)")
    runs.append(_scored(jing, root, peers.invalid_from_jing(_read(verdicts)), set(well_formed)))
    sample = well_formed[:: max(1, len(well_formed) // (5 if quick else JING_SAMPLE))][: 5 if quick else JING_SAMPLE]
    walls, peak = [], 0.0
    for path in sample:
        one = measure("jing, per file", 1, ["jing", str(rng), path], ok_exits=(0, 1))
        if one.status != "ok":
            return runs + [one]
        walls.append(one.wall)
        peak = max(peak, one.rss_mb)
    mean = sum(walls) / len(walls)
    runs.append(Run("jing, per file (extrapolated)", size, wall=mean * size, rss_mb=peak, exit=0,
                    command="jing schema/telegrams.rng FILE",
                    note=f"{len(sample)} files timed one by one, mean {mean:.2f} s x {size}"))
    return runs


def _scored(run: Run, root: Path, invalid: set[str], given: set[str] | None = None) -> Run:
    """Add to a run how many of the planted mistakes its verdicts caught."""
    if run.status == "ok":
        run.found, run.planted, said = peers.score(root, invalid, given)
        run.note = "; ".join(part for part in (run.note, said) if part)
    return run


def peer_runs(root: Path, size: int) -> list[Run]:
    """The Python validators an editor might use instead (bench.peers), timed and scored on the same corpus."""
    rng, sch = root / "schema" / "telegrams.rng", root / "schema" / "telegrams.sch"
    python, why = peers.environment() if rng.is_file() and sch.is_file() else (None, "schema not compiled yet")
    if python is None:
        return [skipped(name, size, why) for name in peers.SCRIPTS]
    listing, verdicts, runs = _list_file(root, corpus_files(root)), root / "verdicts.txt", []
    installed = peers.versions(python)
    for name, script in peers.SCRIPTS.items():
        run = measure(name, size, [str(python), "-c", script, str(rng), str(sch), str(listing)], out=verdicts,
                      note=installed)
        runs.append(_scored(run, root, set(_read(str(verdicts)).split())))
    return runs


def _manifest(root: Path) -> dict:
    try:
        return json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}


def edition_runs(root: Path, size: int) -> list[Run]:
    runs = []
    # The html stage is what `make html` runs: the site and, from the same pass, the text edition; then the text
    # edition alone, as `make text` builds it.
    stages = (("html", ["html", "--text-out", str(root / "build" / "text")],
               "; writes the text edition too (--text-out), as `make` does"),
              ("text", ["text"], "; alone (`make text`)"))
    for stage, command, note in stages:
        if not stage_available(stage):
            runs.append(skipped(f"{stage} edition", size, "not available yet"))
            continue
        for built in ("html", "text"):
            shutil.rmtree(root / "build" / built, ignore_errors=True)
        runs.append(measure(f"{stage} edition", size, [*CLI, *command, "--quiet"], _env(root), ok_exits=(0, 1),
                            timeout=EDITION_TIMEOUT, note="exit 1 expected: planted mistakes" + note))
        if stage == "html" and runs[-1].status == "ok":
            _note_largest_page(runs[-1], root / "build" / "html")
    return runs


def _note_largest_page(run: Run, site: Path) -> None:
    """Record the largest HTML page of a built site: paging (home, registers) must keep it within a browser's ease."""
    pages = [(page.stat().st_size, page.name) for page in site.glob("*.html")]
    if pages:
        size, name = max(pages)
        run.largest_page_mb = round(size / 1e6, 2)
        run.note += f"; largest page {run.largest_page_mb:.2f} MB ({name})"


def schema_runs(work: Path) -> list[Run]:
    """Time the project's ODD compile and the TEI's official chain on the same ODD, in a copy of schema/."""
    odd = project.SCHEMA_DIR / "telegrams.odd"
    if not odd.is_file():
        return [skipped("schema: ODD compile (telegrams schema)", None, "schema/telegrams.odd not written yet"),
                skipped("schema: TEI official chain (saxonche)", None, "schema/telegrams.odd not written yet")]
    root = work / "schema-root"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(project.SCHEMA_DIR, root / "schema")
    shutil.copytree(project.TEI_DIR, root / "tei")  # the editors' reference it writes quotes the corpus
    runs = []
    if stage_available("schema"):
        runs.append(measure("schema: ODD compile (telegrams schema)", None, [*CLI, "schema"], _env(root)))
        runs.append(measure("schema: ODD compile, second run", None, [*CLI, "schema"], _env(root),
                            note="whatever the processor caches between runs is warm"))
    else:
        runs.append(skipped("schema: ODD compile (telegrams schema)", None, "not available yet"))
    shared, p5 = project.shared_dir(), project.p5subset()
    official = shared / "tei" / "official-compile" if shared else None
    if official and official.is_file() and p5:
        runs.append(measure("schema: TEI official chain (saxonche)", None,
                            [PYTHON, str(official), str(odd), str(work / "official"), str(p5)]))
    else:
        runs.append(skipped("schema: TEI official chain (saxonche)", None, "../shared/tei/official-compile absent"))
    return runs


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = re.search(r"MemTotal:\s+(\d+)", _read("/proc/meminfo"))
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(int(memory.group(1)) / 1024 ** 2, 1) if memory else None,
            "system": f"{platform.system()} {platform.release()}"}


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def versions() -> dict:
    from importlib import metadata

    from lxml import etree

    found = {"python": platform.python_version(), "lxml": etree.__version__,
             "libxml2": ".".join(map(str, etree.LIBXML_VERSION))}
    for package in ("saxonche", "telegrams"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    found["xmllint"] = _first_line(["xmllint", "--version"])
    found["jing"] = _first_line(["dpkg-query", "-W", "-f", "${Version}", "jing"]) if shutil.which("jing") else None
    found["java"] = _first_line(["java", "-version"]) if shutil.which("java") else None
    return found


def _first_line(command: list[str]) -> str | None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (result.stdout or result.stderr).strip()
    return text.splitlines()[0] if text else None


def run_size(size: int, seed: int, quick: bool) -> list[Run]:
    from .generate import generate

    root = project.BUILD_DIR / "bench" / str(size)
    start = time.perf_counter()
    generate(size, seed, root)
    runs = [Run("generate the synthetic corpus", size, wall=time.perf_counter() - start, note="in-process")]
    if not (root / "schema" / "telegrams.rng").is_file() and stage_available("schema") and project.p5subset():
        # The schema is not committed yet: compile it into the bench root so the schema layers can be measured.
        subprocess.run([*CLI, "schema", "--out", str(root / "schema")], env=_env(root), capture_output=True)
    runs += floor_runs(root, size)
    runs += validate_runs(root, size)
    runs += layer_api_runs(root, size)
    runs += tool_runs(root, size, quick)
    runs += peer_runs(root, size) if size <= PEER_MAX_SIZE else [
        skipped(name, size, f"run up to {PEER_MAX_SIZE:,} documents (at 10,000 they take about ten minutes)")
        for name in peers.SCRIPTS]
    runs += edition_runs(root, size)
    runs += lsp_runs(root, size)
    return runs


def lsp_runs(root: Path, size: int) -> list[Run]:
    """The language server's answers on opening a telegram and after each change to it, in a corpus of this size
    (which validate has just checked, as an editor's `make` would have)."""
    names = ("lsp: first diagnostics after opening a document (reads the corpus)",
             "lsp: diagnostics after a change (telegram-sized document)")
    if not _module_exists("pygls"):
        return [skipped(name, size, "pygls is not installed") for name in names]
    from . import lsp

    telegram = next((p for p in corpus_files(root) if "<correspDesc" in p.read_text(encoding="utf-8")), None)
    if telegram is None:
        return [skipped(name, size, "no telegram in the corpus") for name in names]
    try:
        opened, times = lsp.answer_times(telegram)
    except Exception as err:  # noqa: BLE001 - a failed measurement is a result, not a crash of the benchmark
        return [Run(name, size, "failed", note=f"{type(err).__name__}: {err}"[:300]) for name in names]
    median, note = lsp.summary(times)
    return [Run(names[0], size, wall=opened, note="the other files' facts from validate's cache",
                command="telegrams lsp (over stdio)"),
            Run(names[1], size, wall=median, note=note, command="telegrams lsp (over stdio)")]


def run_benchmarks(sizes: list[int], seed: int = 1950, quick: bool = False, out_dir: Path | None = None) -> int:
    """Measure every size, write benchmarks.json and benchmarks.md; return 0 (targets missed are results, not errors)."""
    out_dir = Path(out_dir or project.ROOT / "docs")
    started = datetime.datetime.now(datetime.timezone.utc)
    runs: list[Run] = []
    for size in sizes:
        print(f"bench: {size} documents ...", file=sys.stderr, flush=True)
        runs += run_size(size, seed, quick)
    with tempfile.TemporaryDirectory(prefix="telegrams-bench-") as work:
        print("bench: ODD compile ...", file=sys.stderr, flush=True)
        runs += schema_runs(Path(work))
    results = {
        "generated_by": "telegrams bench run" + (" --quick" if quick else ""),
        "date": started.isoformat(timespec="seconds"),
        "seed": seed,
        "sizes": sizes,
        "machine": machine(),
        "versions": versions(),
        "runs": [run.as_dict() for run in runs],
    }
    results["targets"] = report.targets(results)
    write_atomic(out_dir / "benchmarks.json", json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    from .diagnostics import kept_section  # `bench diagnostics` owns its own section of the page

    kept = kept_section(out_dir / "benchmarks.md")
    write_atomic(out_dir / "benchmarks.md", report.markdown(results) + ("\n" + kept if kept else ""))
    print(f"bench: wrote {out_dir / 'benchmarks.md'} and {out_dir / 'benchmarks.json'}", file=sys.stderr)
    return 0
