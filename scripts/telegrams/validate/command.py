"""`telegrams validate [PATH ...]`: check TEI files and report every finding at its line and column.

Four layers, each reporting `Finding`s: (1) well-formedness and encoding (`wellformed`), (2) RELAX NG (`rng`),
(3) Schematron (`schematron`), (4) what the text says and checks across files (`corpus`). Results are cached by
content (`cache`), so a run after editing one file checks one file; the heavy modules (saxonche above all) are
imported only when some file has to be checked. Exit status: 0 clean (warnings allowed), 1 errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..findings import ERROR, Finding, FindingError
from ..project import BUILD_DIR, SCHEMA_DIR, TEI_DIR, corpus_files
from ..xmlio import read_bytes
from . import report

DEFAULT_RNG = SCHEMA_DIR / "telegrams.rng"
DEFAULT_SCH = SCHEMA_DIR / "telegrams.sch"
CACHE_DIR = BUILD_DIR / "cache"
# A worker (forked) pays ~0.1 s to load the schemas and start Saxon, ~0.3 s more to load the explainer when a
# document is invalid, and a document costs ~4-5 ms: measured on this 2-core machine, 2 processes were slower
# below ~100 files, about even at 100, and 35-45 % faster from 200 on (1,000 files: 2.7 s against 4.7 s).
POOL_THRESHOLD = 200
CHUNK = 32  # documents checked together: one Schematron transform, one message to and from a worker


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders (default: tei/)")
    parser.add_argument("--rng", type=Path, default=DEFAULT_RNG, metavar="FILE",
                        help="RELAX NG schema (default: schema/telegrams.rng)")
    parser.add_argument("--sch", type=Path, default=DEFAULT_SCH, metavar="FILE",
                        help="ISO Schematron schema (default: schema/telegrams.sch)")
    parser.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="human (default), json (one object per line) or github (workflow annotations)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary line")
    parser.add_argument("--no-cache", action="store_true", help="check every file again, ignoring build/cache")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="processes to use (default: 2 when there are many files to check, else 1)")
    parser.add_argument("--watch", action="store_true",
                        help="keep running: check again whenever a TEI file or a schema changes")


# --- checking one document (in this process or in a worker) ---------------------------------------------------------

class Schemas:
    """The RELAX NG and Schematron checkers of one process, loaded once; what went wrong loading them."""

    def __init__(self, rng_path: Path, sch_path: Path, cache_dir: Path | None):
        from . import rng, schematron

        self.findings: list[Finding] = []
        self.rng = self._load(lambda: rng.RngChecker(rng_path))
        compiled = self._load(lambda: schematron.load(sch_path, cache_dir / "schematron" if cache_dir else None))
        self.sch = self._load(lambda: schematron.Runner(compiled, sch_path)) if compiled else None

    def _load(self, make):
        try:
            return make()
        except FindingError as err:
            self.findings.append(err.finding)
            return None


_schemas: Schemas | None = None
_loaded: tuple = ()


def _start(rng_path: Path, sch_path: Path, cache_dir: Path | None) -> None:
    """Load the schemas of this process, unless the same ones are loaded already (and unchanged)."""
    global _schemas, _loaded
    from .cache import file_digest

    wanted = (str(rng_path), file_digest(rng_path), str(sch_path), file_digest(sch_path))
    if _schemas is None or _loaded != wanted:
        _schemas, _loaded = Schemas(rng_path, sch_path, cache_dir), wanted


def _check(item: tuple[str, bytes]) -> tuple[list[Finding], dict | None, list[Finding]]:
    """Return a document's findings, its facts (None when it is not a usable TEI document) and the schema findings."""
    return _check_chunk([item])[0]


def _check_chunk(items: list[tuple[str, bytes]]) -> list[tuple[list[Finding], dict | None, list[Finding]]]:
    """Check documents as `_check` does each, with one Schematron transform over all that reach that layer."""
    started = [_first_layers(item) for item in items]
    docs = [doc for doc, _ in started if doc is not None]
    try:
        many = _schemas.sch.check_many(docs) if _schemas.sch else [[] for _ in docs]
    except Exception:  # noqa: BLE001 - each is checked alone below, so that a failure is pinned on its file
        many = [None for _ in docs]
    found = iter(many)
    return [_last_layers(doc, result, next(found)) if doc is not None else result for doc, result in started]


def _first_layers(item: tuple[str, bytes]) -> tuple:
    """Well-formedness, RELAX NG and the per-document corpus checks: (document, findings so far), or (None, the
    final result) for a file that goes no further."""
    from . import corpus, wellformed

    name, data = item
    try:
        doc = wellformed.load(name, data)
    except FindingError as err:
        return None, ([err.finding], None, _schemas.findings)
    try:
        repairs: dict = {}
        findings = _schemas.rng.check(doc, repairs) if _schemas.rng else []
        _read_as_meant(repairs)
        said = {(f.line, f.column) for f in findings}  # a schema with xml:id as ID already reports a repeated id
        findings.extend(f for f in corpus.document_findings(doc)
                        if not (f.rule == "id-duplicate" and (f.line, f.column) in said))
        return doc, findings
    except Exception as err:  # noqa: BLE001 - a bug in a check must not hide the other files' findings
        return None, _failed(name, err)


def _last_layers(doc, findings: list[Finding], schematron_findings: list[Finding] | None) -> tuple:
    """Add the Schematron findings (checked here when None) and the document's facts."""
    from . import corpus

    try:
        if _schemas.sch:
            findings.extend(_schemas.sch.check(doc) if schematron_findings is None else schematron_findings)
        return findings, corpus.facts(doc), _schemas.findings
    except Exception as err:  # noqa: BLE001 - a bug in a check must not hide the other files' findings
        return _failed(doc.name, err)


def _failed(name: str, err: Exception) -> tuple[list[Finding], None, list[Finding]]:
    message = f"the validator failed on this file ({type(err).__name__}: {err}); please report it"
    return [Finding(name, 0, 0, ERROR, "internal", message)], None, _schemas.findings


def _read_as_meant(repairs: dict) -> None:
    """Correct in the tree the slips the RELAX NG layer reported (a misspelled element or value, a wrong
    namespace), so that the later layers check what was meant instead of reporting the slip again as, say, a
    telegram without a sender."""
    for target, meant in repairs.items():
        if isinstance(target, tuple):
            element, attribute = target
            element.set(attribute, meant)
        else:
            target.tag = meant


def _check_all(items, options, cache_dir, progress) -> tuple[list, list[Finding]]:
    """Check documents (in a pool of processes when that pays); return their results and the schema findings."""
    jobs = options.jobs or (2 if len(items) >= POOL_THRESHOLD and (os.cpu_count() or 1) > 1 else 1)
    arguments = (options.rng, options.sch, cache_dir)
    # small chunks: a worker left alone with the last big chunk would leave the other core idle for seconds
    size = max(1, min(CHUNK, len(items) // (jobs * 4)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    results = []
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_start, initargs=arguments) as pool:
            for done in pool.map(_check_chunk, chunks):
                results.extend(_stepped(done, progress))
    else:
        _start(*arguments)
        for chunk in chunks:
            results.extend(_stepped(_check_chunk(chunk), progress))
    return results, (results[0][2] if results else [])


def _stepped(done: list, progress) -> list:
    for _ in done:
        progress.step()
    return done


# --- the run ---------------------------------------------------------------------------------------------------------

def _facts_of(path: str, store) -> dict | None:
    """Facts of a file that a pointer names but that this run does not check (from the cache when unchanged)."""
    from . import corpus, wellformed

    stored = store.facts(path) if store else None
    if stored is not None:
        return stored
    try:
        return corpus.facts(wellformed.load(path, read_bytes(path)))
    except FindingError:
        return None


def _files(paths: list[str]) -> list[str]:
    """Return the files to check (project.corpus_files), a URL kept as given so that it is reported as one."""
    files = []
    for given in paths or [str(TEI_DIR)]:
        files.extend([given] if "://" in given else map(str, corpus_files([given])))
    return files


def _store(options):
    """Return the cache of this configuration (schemas and validator), or None with --no-cache."""
    if options.no_cache:
        return None
    from . import cache

    config = cache.config_key(cache.validator_version(), cache.file_digest(options.rng), cache.file_digest(options.sch))
    return cache.Store(CACHE_DIR / "validate", config)


def validate(paths: list[str], options) -> tuple[list[Finding], int, int]:
    """Return (findings, files checked, files taken from the cache)."""
    from . import corpus

    files = _files(paths)
    store = _store(options)
    findings, facts, to_check = _from_cache(files, store)
    schema_findings = store.cached_schema_findings() if store and not to_check else None
    if to_check:
        progress = report.Progress(len(to_check), sys.stderr, len(to_check) > 20 and sys.stderr.isatty())
        results, schema_findings = _check_all([(n, d) for n, d, _, _ in to_check], options,
                                              None if options.no_cache else CACHE_DIR, progress)
        progress.close()
        for (name, _data, sign, digest), (found, fact, _) in zip(to_check, results):
            findings.extend(found)
            if fact is not None:
                facts[name] = fact
            if store:
                store.put(name, sign, digest, found, fact)
    elif schema_findings is None:  # nothing to check, and no earlier run of this configuration said
        _start(options.rng, options.sch, None if options.no_cache else CACHE_DIR)
        schema_findings = _schemas.findings
    findings.extend(_relative(f) for f in schema_findings)
    findings.extend(corpus.reduce(facts, lambda path: _facts_of(path, store)))
    if store:
        store.put_schema_findings(schema_findings)
        store.save()
    hits = len(files) - len(to_check) - sum(f.rule == "io" for f in findings)
    return findings, len(files), hits


def _from_cache(files: list[str], store) -> tuple[list[Finding], dict[str, dict], list[tuple]]:
    """Return the cached findings and facts of the files, and those to check as (name, bytes, signature, digest).

    A file whose signature is the one recorded is not read; another is read and hashed, and checked only when its
    bytes are not those recorded."""
    from .cache import content_digest, signature

    findings: list[Finding] = []
    facts: dict[str, dict] = {}
    to_check: list[tuple[str, bytes, str | None, bytes]] = []
    for name in files:
        sign = signature(name) if store else None
        hit = store.unchanged(name, sign) if store else None
        if hit is None:
            try:
                data = read_bytes(name)
            except FindingError as err:
                findings.append(err.finding)
                continue
            digest = content_digest(data) if store else b""
            hit = store.get(name, sign, digest) if store else None
            if hit is None:
                to_check.append((name, data, sign, digest))
                continue
        findings.extend(hit[0])
        if hit[1] is not None:
            facts[name] = hit[1]
    return findings, facts, to_check


def _relative(finding: Finding) -> Finding:
    """Show a schema's absolute path (the default ones) relative to the current folder, as editors type paths."""
    path = Path(finding.file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return replace(finding, file=str(path.relative_to(Path.cwd())))
    return finding


def run(args: argparse.Namespace) -> int:
    if args.watch:
        from .watch import watch

        return watch(args, _run_once)
    return _run_once(args)


def _run_once(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    findings, checked, cached = validate(args.paths, args)
    findings = sorted(set(findings))
    summary = report.summarize(checked, findings, time.perf_counter() - started, cached)
    out = sys.stdout
    if not args.quiet:
        if args.format == "json":
            report.json_lines(findings, out)
        elif args.format == "github":
            report.github(findings, out)
        else:
            report.human(findings, out, colour=out.isatty() and not os.environ.get("NO_COLOR"))
    print(summary, file=out if args.format == "human" else sys.stderr)
    return 1 if any(f.severity == ERROR for f in findings) else 0
