"""`telegrams validate [PATH ...]`: check TEI files and report every finding at its line and column.

Four layers, each reporting `Finding`s: (1) well-formedness and encoding (`wellformed`), (2) RELAX NG (`rng`),
(3) Schematron (`schematron`), (4) what the text says and checks across files (`corpus`). A profile says which
layers run: `edition` (all four, the edition's schemas) or `tei` (another project's TEI: its own schema, its
Schematron only when given, no corpus rules, any root the schema allows). Results are cached by content (`cache`),
so a run after editing one file checks one file; the heavy modules (saxonche above all) are imported only when
some file has to be checked. Exit status: 0 clean (warnings allowed), 1 errors, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..findings import ERROR, INFO, Finding, FindingError
from ..project import BUILD_DIR, SCHEMA_DIR, TEI_DIR, corpus_files
from ..xmlio import read_bytes
from . import report

DEFAULT_RNG = SCHEMA_DIR / "telegrams.rng"
DEFAULT_SCH = SCHEMA_DIR / "telegrams.sch"
CACHE_DIR = BUILD_DIR / "cache"
# A worker (forked) pays ~0.1 s to load the schemas and start Saxon and a document costs a few ms: measured on this
# 2-core machine, 2 processes were slower below ~100 files, about even at 100, and 35-45 % faster from 200 on
# (1,000 files: 2.7 s against 4.7 s). So: a pool from 200 files, with a worker per 100 files up to one per core.
POOL_THRESHOLD = 200
CHUNK = 32  # documents checked together: one Schematron transform, one message to and from a worker
ENGINE_FROM = 20  # documents in one process from which the RELAX NG engine's verdict comes first (rng.py)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", help="TEI files or folders (default: tei/)")
    parser.add_argument("--rng", type=Path, default=None, metavar="FILE",
                        help="RELAX NG schema (default: schema/telegrams.rng)")
    parser.add_argument("--sch", type=Path, default=None, metavar="FILE",
                        help="ISO Schematron schema (default: schema/telegrams.sch with the edition profile)")
    parser.add_argument("--profile", choices=PROFILES, default=None,
                        help="edition: every check of this edition (the default with its own schema); tei: another "
                             "project's TEI, checked by its --rng (and --sch if given) only (the default with --rng)")
    parser.add_argument("--no-sch", action="store_true", help="leave out the Schematron layer")
    parser.add_argument("--no-corpus", action="store_true",
                        help="leave out the edition's rules on dates, numbers, ids, pointers and registers")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="print every expected name (the JSON output always has them all)")
    parser.add_argument("--format", choices=("human", "json", "github"), default="human",
                        help="human (default), json (one object per line) or github (workflow annotations)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only the summary line")
    parser.add_argument("--no-cache", action="store_true", help="check every file again, ignoring build/cache")
    parser.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                        help="processes to use (default: one per core when there are many files to check, "
                             "else 1)")
    parser.add_argument("--watch", action="store_true",
                        help="keep running: check again whenever a TEI file or a schema changes")


# --- which checks run ----------------------------------------------------------------------------------------------

PROFILES = ("edition", "tei")


@dataclass(frozen=True)
class Layers:
    """What one run checks: the schemas (Schematron None: left out) and whether the edition's own rules apply."""

    rng: Path
    sch: Path | None
    corpus: bool     # layer 4: dates and numbers against their text, ids, pointers, registers
    tei_root: bool   # the root must be <TEI> or <teiCorpus>; else whatever root the schema allows

    def key(self) -> tuple[str, ...]:
        from .cache import schema_digest

        return (schema_digest(self.rng), schema_digest(self.sch) if self.sch else "no Schematron",
                f"corpus={self.corpus} tei-root={self.tei_root}")


def layers(options) -> Layers:
    """Resolve the profile and the switches: another project's --rng alone means its own checks only."""
    rng = getattr(options, "rng", None) or DEFAULT_RNG
    profile = getattr(options, "profile", None)
    if profile is None:
        profile = "edition" if Path(rng).resolve() == DEFAULT_RNG.resolve() else "tei"
    edition = profile == "edition"
    sch = getattr(options, "sch", None) or (DEFAULT_SCH if edition else None)
    if getattr(options, "no_sch", False):
        sch = None
    return Layers(Path(rng), sch and Path(sch), edition and not getattr(options, "no_corpus", False), edition)


# --- checking one document (in this process or in a worker) ---------------------------------------------------------

def _not_relaxng(path: Path) -> Finding | None:
    """A finding when the file given as RELAX NG is plainly something else (an ODD, a Schematron, an XSD, RNC)."""
    from lxml import etree

    from ..xmlio import TEI_NS, parse

    if path.suffix == ".rnc":
        return Finding(str(path), 0, 0, ERROR, "schema-kind", "this is RELAX NG compact syntax: give the XML "
                       "syntax (.rng), e.g. converted with trang, or compile the ODD with `telegrams schema`")
    try:
        root = parse(path, max_bytes=256 * 1024 * 1024).root
    except FindingError:
        return None  # the RELAX NG layer says what is wrong with the file
    name = etree.QName(root)
    if name.namespace == TEI_NS:
        what = ("a TEI ODD customization, not a RELAX NG schema: compile it first (`telegrams schema "
                f"{path} --out DIR`) and give the .rng it writes") if root.find(f".//{{{TEI_NS}}}schemaSpec") \
            is not None else "a TEI document, not a RELAX NG schema"
    elif name.namespace == "http://purl.oclc.org/dsdl/schematron":
        what = "an ISO Schematron schema, not a RELAX NG schema: give it with --sch"
    elif name.namespace == "http://www.w3.org/2001/XMLSchema":
        what = "a W3C XML Schema (XSD), not a RELAX NG schema: validate reads RELAX NG only"
    elif name.namespace != "http://relaxng.org/ns/structure/1.0":
        what = f"not a RELAX NG schema (its root is <{name.localname}>)"
    else:
        return None
    line, column = root.sourceline or 1, 1
    return Finding(str(path), line, column, ERROR, "schema-kind", f"--rng names {what}")


class Schemas:
    """The RELAX NG and Schematron checkers of one process, loaded once; what went wrong loading them."""

    def __init__(self, chosen: Layers, cache_dir: Path | None):
        from . import rng, schematron

        self.layers = chosen
        self.findings: list[Finding] = []
        wrong_kind = _not_relaxng(chosen.rng) if chosen.rng.is_file() else None
        if wrong_kind:
            self.findings.append(wrong_kind)
            self.rng = None
        else:
            self.rng = self._load(lambda: rng.RngChecker(chosen.rng))
        self.sch = None
        if chosen.sch is not None:
            sch_path = chosen.sch
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


def _start(chosen: Layers, cache_dir: Path | None, engine_first: bool = True) -> None:
    """Load the schemas of this process, unless the same ones are loaded already (and unchanged); say whether
    the RELAX NG engine or libxml2 gives the first verdict in this run (rng.RngChecker.engine_first)."""
    global _schemas, _loaded

    wanted = (chosen, chosen.key())
    if _schemas is None or _loaded != wanted:
        _schemas, _loaded = Schemas(chosen, cache_dir), wanted
    if _schemas.rng:
        _schemas.rng.engine_first = engine_first


def _start_worker(chosen: Layers, cache_dir: Path | None, engine_first: bool) -> None:
    """Set up a process of the pool, which lives for one run: no full collections in it (`_young_only`)."""
    _start(chosen, cache_dir, engine_first)
    gc.set_threshold(*_YOUNG_ONLY)


# A checking run holds large tables that live as long as the process and hold no garbage: the schemas, the RELAX NG
# engine's memo of derivatives, the cache's entries. Python's full collections walk all of them again and again
# (measured over 2,000 documents in one process: 7 full collections, 0.5 s of 12 s of CPU), while the documents'
# own objects form no cycles worth collecting (with collection off, the peak memory was the same). So during a run
# only the young generations are collected.
_YOUNG_ONLY = (gc.get_threshold()[0], gc.get_threshold()[1], 1_000_000_000)


@contextmanager
def _young_only():
    """Collect only the young generations in this process until the block ends (then as before)."""
    before = gc.get_threshold()
    gc.set_threshold(*_YOUNG_ONLY)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _check(item: tuple[str, bytes]) -> tuple[list[Finding], dict | None, list[Finding]]:
    """Return a document's findings, its facts (None when it is not a usable document) and the schema findings.

    A file that is not well-formed is checked as recovered, so that its other mistakes show in the same run."""
    return _check_chunk([item])[0][:3]


def _check_chunk(items: list[tuple[str, bytes | None]]) -> list[tuple]:
    """Check documents as `_check` does each, with one Schematron transform over all that reach that layer (a
    transform call costs about as much as a small document's rules). An item without bytes is read here, in the
    worker, and its result carries the hash of what was read (for the cache) as a fourth element."""
    started = [_first_layers(item) for item in items]
    reaching = [state for state in started if state.result is None]
    many = None
    if _schemas.sch and reaching:
        try:
            many = _schemas.sch.check_many([state.doc for state in reaching])
        except Exception:  # noqa: BLE001 - each is checked alone below, so that a failure is pinned on its file
            many = None
    found = iter(many) if many is not None else None
    return [(*(state.result if state.result is not None else _last_layers(state, next(found) if found else None)),
             state.digest) for state in started]


@dataclass
class _State:
    """A document between the layers before Schematron and the rest, or its final result (`result`)."""

    name: str
    doc: object = None
    recovered: object = None
    findings: list = field(default_factory=list)
    refused: set = field(default_factory=set)
    result: tuple | None = None
    digest: bytes | None = None  # of the bytes read by the worker (None: the caller read them)


def _first_layers(item: tuple[str, bytes]) -> _State:
    """Well-formedness (recovering a broken file), the root, RELAX NG and the per-document corpus checks."""
    from . import corpus, wellformed

    name, data = item
    chosen = _schemas.layers
    state = _State(name)
    if data is None:
        from .cache import content_digest

        try:
            data = read_bytes(name)
        except FindingError as err:
            state.result = [err.finding], None, _schemas.findings
            return state
        state.digest = content_digest(data)
    try:
        state.doc = wellformed.load(name, data, chosen.tei_root)
    except FindingError as err:
        if err.finding.rule == "well-formed":
            state.recovered = wellformed.recover(name, data, err.finding, _errors_in)
        if state.recovered is None:
            state.result = [err.finding], None, _schemas.findings
            return state
        state.doc = state.recovered.doc
    try:
        if chosen.tei_root:
            from ..xmlio import require_tei

            try:
                require_tei(state.doc)
            except FindingError as err:
                state.result = _finished(state, [err.finding], None)
                return state
        repairs: dict = {}
        findings = _schemas.rng.check(state.doc, repairs) if _schemas.rng else []
        state.refused = _read_as_meant(state.doc, repairs)
        if chosen.corpus:
            said = {(f.line, f.column) for f in findings}  # a schema with xml:id as ID already reports a repeated id
            findings.extend(f for f in corpus.document_findings(state.doc)
                            if not (f.rule == "id-duplicate" and (f.line, f.column) in said))
        state.findings = findings
    except Exception as err:  # noqa: BLE001 - a bug in a check must not hide the other files' findings
        state.result = _failed(state, err)
    return state


def _errors_in(doc) -> tuple[int, int]:
    """How many errors RELAX NG finds in a tree, then Schematron (when RELAX NG finds none): how a recovery of a
    broken file is judged."""
    found = sum(f.severity == ERROR for f in _schemas.rng.check(doc, {})) if _schemas.rng else 0
    if found or not _schemas.sch:
        return found, 0
    return 0, sum(f.severity == ERROR for f in _schemas.sch.check(doc))


def _last_layers(state: _State, schematron_findings: list[Finding] | None) -> tuple:
    """Add the Schematron findings (checked here, alone, when the chunk's transform gave none) and the facts."""
    from . import corpus

    findings = state.findings
    try:
        if _schemas.sch:
            invalid = bool(findings)
            checked = _schemas.sch.check(state.doc) if schematron_findings is None else schematron_findings
            for f in checked:
                if f.rule == "schematron-runtime" and invalid:  # most likely tripped by what RELAX NG reported
                    f = replace(f, severity=INFO, message=f"{f.message} (most likely because of the errors above: "
                                                          f"correct them first)")
                if (f.line, f.column) not in state.refused:
                    findings.append(f)
        return _finished(state, findings, corpus.facts(state.doc) if _schemas.layers.corpus else None)
    except Exception as err:  # noqa: BLE001 - a bug in a check must not hide the other files' findings
        return _failed(state, err)


def _finished(state: _State, findings: list[Finding], facts: dict | None) -> tuple:
    from . import wellformed

    if state.recovered is not None:
        findings = [state.recovered.broken] + wellformed.after_break(state.recovered, findings)
        if facts is not None:  # the texts of its names are the recovery's guesses: no form of a name is read in them
            facts = {key: value for key, value in facts.items() if key != "names"}
    return findings, facts, _schemas.findings


def _failed(state: _State, err: Exception) -> tuple:
    if state.recovered is not None:  # the recovery was a bonus: the break itself is what matters
        return [state.recovered.broken], None, _schemas.findings
    message = f"the validator failed on this file ({type(err).__name__}: {err}); please report it"
    return [Finding(state.name, 0, 0, ERROR, "internal", message)], None, _schemas.findings


def _read_as_meant(doc, repairs: dict) -> set[tuple[int, int]]:
    """Correct in the tree the slips the RELAX NG layer reported (a misspelled element, attribute or value, a wrong
    namespace), so that the later layers check what was meant instead of reporting the slip again as, say, a
    telegram without a sender. Return the positions (element, attribute) of the attribute values it refused,
    where a Schematron finding could only say the same again."""
    refused = set()
    for target, meant in repairs.items():
        if not isinstance(target, tuple):
            target.tag = meant
        elif len(target) == 2:
            element, attribute = target
            element.set(attribute, meant)
        elif target[2] == "name":
            element, attribute, _ = target
            value = element.attrib.pop(attribute, None)
            if value is not None and meant not in element.attrib:
                element.set(meant, value)
        else:
            element, attribute, _ = target
            refused.update((doc.locate(element), doc.locate_attribute(element, attribute)))
    return refused


def _check_all(items, options, cache_dir, progress):
    """Check documents (in a pool of processes when that pays); yield their results in order, each as soon as it
    is there, so that the caller stores them while the workers go on."""
    jobs = _jobs(options.jobs, len(items))
    arguments = (layers(options), cache_dir, jobs > 1 or len(items) >= ENGINE_FROM)
    # small chunks: a worker left alone with the last big chunk would leave the other core idle for seconds
    size = max(1, min(CHUNK, len(items) // (jobs * 4)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=arguments) as pool:
            for done in pool.map(_check_chunk, chunks):
                yield from _stepped(done, progress)
    else:
        _start(*arguments)
        for chunk in chunks:
            yield from _stepped(_check_chunk(chunk), progress)


def _jobs(requested: int, documents: int) -> int:
    """As many processes as asked, or one per core once there are enough documents for each to earn its start."""
    if requested > 0:
        return requested
    if documents < POOL_THRESHOLD:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, documents // (POOL_THRESHOLD // 2)))


def _stepped(done: list, progress) -> list:
    for _ in done:
        progress.step()
    return done


# --- the run ---------------------------------------------------------------------------------------------------------

def _facts_of(path: str, store) -> dict | None:
    """Facts of a file that a pointer names but that this run does not check (from the cache when unchanged; of
    its recovered tree when it is not well-formed, so that its break is not also every pointer into it)."""
    from . import corpus, wellformed

    stored = store.facts(path) if store else None
    if stored is not None:
        return stored
    try:
        data = read_bytes(path)
        return corpus.facts(wellformed.load(path, data))
    except FindingError as err:
        recovered = wellformed.recover(path, data, err.finding) if err.finding.rule == "well-formed" else None
        return corpus.facts(recovered.doc) if recovered else None


def _files(paths: list[str]) -> list[str]:
    """Return the files to check (project.corpus_files), a URL kept as given so that it is reported as one."""
    files = []
    for given in paths or [str(TEI_DIR)]:
        files.extend([given] if "://" in given else map(str, corpus_files([given])))
    return files


def _store(options):
    """Return the cache of this configuration (schemas and validator), or None with --no-cache."""
    return None if options.no_cache else results_store(layers(options), CACHE_DIR)


def results_store(chosen: Layers, cache_dir: Path):
    """Return the cached results of the files checked with these layers, their schemas and this validator."""
    from . import cache

    return cache.Store(cache_dir / "validate", cache.config_key(cache.validator_version(), *chosen.key()))


def validate(paths: list[str], options) -> tuple[list[Finding], int, int]:
    """Return (findings, files checked, files taken from the cache)."""
    files, refused = _files(paths), []
    if layers(options).corpus:  # what the editions would refuse to publish is not read either
        from .corpus import unpublishable

        files, refused = unpublishable(files, [p for p in paths if os.path.isdir(p)] + [str(TEI_DIR)])
    with _young_only():
        store = _store(options)
        try:
            findings, checked, hits = _validate(files, options, store)
        except Exception:  # noqa: BLE001 - a cache damaged past its shape checks: check everything afresh
            if store is None:
                raise
            store.discard()
            findings, checked, hits = _validate(files, options, _store(options))
    return findings + refused, checked + len(refused), hits


def _complete(findings: list[Finding]) -> bool:
    """Whether a file's findings are a complete result, to be cached: no check failed or gave up on it."""
    return not any(f.severity == ERROR and f.rule in ("internal", "rng-budget") for f in findings)


def _validate(files: list[str], options, store) -> tuple[list[Finding], int, int]:
    from . import corpus

    findings, facts, to_check = _from_cache(files, store)
    unreadable = sum(f.rule == "io" for f in findings)  # (of the files this process read)
    schema_findings = store.cached_schema_findings() if store and not to_check else None
    if to_check:
        progress = report.Progress(len(to_check), sys.stderr, len(to_check) > 20 and sys.stderr.isatty())
        results = _check_all([(n, d) for n, d, _, _ in to_check], options,
                             None if options.no_cache else CACHE_DIR, progress)
        for index, (found, fact, schema_findings, read) in enumerate(results):  # to the end: the pool then closes
            name, _data, sign, digest = to_check[index]
            findings.extend(found)
            if fact is not None:
                facts[name] = fact
            digest = digest or read
            complete = not any(f.severity == ERROR for f in schema_findings)  # every layer loaded
            if store and complete and digest and _complete(found):
                store.put(name, sign, digest, found, fact)
        progress.close()
    elif schema_findings is None:  # nothing to check, and no earlier run of this configuration said
        _start(layers(options), None if options.no_cache else CACHE_DIR)
        schema_findings = _schemas.findings
    findings.extend(_relative(f) for f in schema_findings)
    if layers(options).corpus:
        findings.extend(corpus.reduce(facts, lambda path: _facts_of(path, store)))
    if store and not any(f.severity == ERROR for f in schema_findings):
        store.put_schema_findings(schema_findings)
    if store:
        store.save()
    return findings, len(files), len(files) - len(to_check) - unreadable


def _from_cache(files: list[str], store) -> tuple[list[Finding], dict[str, dict], list[tuple]]:
    """Return the cached findings and facts of the files, and those to check as (name, bytes, signature, digest).

    A file whose signature is the one recorded is not read; another that the store holds a version of is read and
    hashed, and checked only when its bytes are not those recorded; one it knows nothing of is left to the worker
    that checks it to read (bytes and digest None): a cold run's files are read where they are checked instead of
    being read here and sent over."""
    from .cache import content_digest, signature

    findings: list[Finding] = []
    facts: dict[str, dict] = {}
    to_check: list[tuple[str, bytes | None, str | None, bytes | None]] = []
    for name in files:
        sign = signature(name) if store else None
        hit = store.unchanged(name, sign) if store else None
        if hit is None and (store is None or not store.knows(name)) and "://" not in name:
            to_check.append((name, None, sign, None))
            continue
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
    if getattr(args, "watch", False):
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
            report.human(findings, out, colour=out.isatty() and not os.environ.get("NO_COLOR"),
                         verbose=getattr(args, "verbose", False))
    print(summary, file=out if args.format == "human" else sys.stderr)
    return 1 if any(f.severity == ERROR for f in findings) else 0
