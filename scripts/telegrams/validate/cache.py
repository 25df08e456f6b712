"""Results cached by content: a document whose bytes, schemas and validator are unchanged is not checked again.

One store per *configuration* (the hashes of the RELAX NG and Schematron schemas with every file they include,
of the validator's own source and of the libraries that give verdicts), so editing a schema, a schema it includes
or the validator makes every entry stale at once. Only complete results are stored: none from a run in which a
layer failed to load, none for a file the validator failed on. Whatever is read back is checked for its shape
first; an entry that is not what this module writes is dropped, never trusted. The store is a few files, read
once and written once per run (a file per document cost more in opening files than the checks it saved). It maps
each file's absolute path to the hash of its bytes, its findings (without the file's name) and its facts for the
checks across files.

A file whose size, modification and change times and inode are those recorded is taken as unchanged without
being read, as git's index does: any write changes the change time, which no program can set back. A file
changed in the last seconds before a run is read and hashed again next time, since a second edit within the
resolution of the file system's clock could leave its times as they were.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import shutil
import stat
import sys
import time
import zlib
from pathlib import Path

from ..findings import Finding

_SOURCES = ("validate/*.py", "xmlio.py", "findings.py")
_FORMAT = 3  # of the store file; a store of another format (or Python) is ignored
_SETTLED_NS = 3_000_000_000  # a file's times must be this much older than the run's start to be trusted
_STORES_KEPT = 4  # the stores of other configurations kept, to switch between schemas without a cold run


_LIBRARIES = ("lxml", "xmlschema", "elementpath", "saxonche")  # their verdicts are part of the results


def validator_version() -> str:
    """Return a hash of the validator's source files and of the libraries it uses: a new version of either
    invalidates the cache."""
    from importlib.util import find_spec

    from lxml import etree

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(repr(etree.LIBXML_VERSION).encode())
    for name in _LIBRARIES:  # where each is installed and its entry file's size and time: found without importing
        spec = find_spec(name)
        try:
            info = os.stat(spec.origin)
            digest.update(f"{name} {spec.origin} {info.st_size} {info.st_mtime_ns}\0".encode())
        except (AttributeError, TypeError, OSError):
            digest.update(f"{name} absent\0".encode())
    for pattern in _SOURCES:
        for path in sorted(package.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_INCLUDES = re.compile(rb"<(?:[\w.-]+:)?(?:include|externalRef)\b")


def schema_digest(path: Path | None) -> str:
    """Return the hash of a schema and of every local file it includes, transitively: RELAX NG include and
    externalRef, Schematron include (each by its resolved path and content)."""
    if path is None:
        return "none"
    digest = hashlib.sha256()
    seen: set[Path] = set()
    pending = [Path(path).resolve()]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            data = current.read_bytes()
        except OSError:
            digest.update(b"missing\0" + os.fsencode(current))
            continue
        digest.update(os.fsencode(current) + b"\0" + hashlib.sha256(data).digest())
        if _INCLUDES.search(data):
            pending.extend(reversed([(current.parent / href).resolve() for href in _included(data)]))
    return digest.hexdigest()


def _included(data: bytes) -> list[str]:
    """The local files an XML schema includes (a URL is never opened by the validator, so never read here)."""
    from ..findings import FindingError
    from ..xmlio import parse_bytes

    try:
        root = parse_bytes(data).root
    except FindingError:
        return []  # the layer reports a broken schema itself
    return [node.get("href").strip() for node in root.iter("{*}include", "{*}externalRef")
            if node.get("href") and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", node.get("href").strip())]


def config_key(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def content_digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def signature(name: str) -> str | None:
    """Return what identifies a regular file's current version without reading it, or None."""
    try:
        info = os.stat(name)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev}"


class Store:
    """The cached results of one configuration: {absolute path: (signature, digest, findings, facts)}.

    Kept in a folder of SHARDS files (by a hash of the path), so that a run that changed one file writes one
    small file; a finding is stored as (line, column, severity, rule, message, expected). A damaged or foreign
    shard counts as empty."""

    SHARDS = 16

    def __init__(self, directory: Path, config: str):
        self.folder = Path(directory) / config[:32]
        self.config = config
        self.started = time.time_ns()
        self._cwd = os.getcwd()
        self.shards: list[dict[str, tuple]] = [_dictionary(self._read(f"shard-{n:02d}")) for n in range(self.SHARDS)]
        self.dirty: set[int] = set()
        self._seen: set[str] = set()
        self.schema_findings = self._read("schemas")

    def _read(self, part: str):
        try:
            form, python, config, content = marshal.loads((self.folder / f"{part}.marshal").read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return content if (form, python, config) == (_FORMAT, sys.version_info[:2], self.config) else None

    def _key(self, name: str) -> str:
        """A file's key: its absolute path, as os.path.abspath gives it, with the working folder read once (abspath
        asks the system for it on every call, and a run looks up every file of the corpus)."""
        return os.path.normpath(os.path.join(self._cwd, name))

    def _shard(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogateescape")) % self.SHARDS

    def _entry(self, key: str) -> tuple | None:
        """The stored entry of a file, when it has the shape this module writes; a damaged one is dropped."""
        shard = self._shard(key)
        entry = self.shards[shard].get(key)
        if entry is None or _well_formed(entry):
            return entry
        del self.shards[shard][key]
        self.dirty.add(shard)
        return None

    def unchanged(self, name: str, sign: str | None) -> tuple[list[Finding], dict | None] | None:
        """Return (findings, facts) of a file whose signature is the one recorded, without reading it."""
        if sign is None:
            return None
        key = self._key(name)
        entry = self._entry(key)
        if entry is None or entry[0] != sign:
            return None
        self._seen.add(key)
        return _findings(name, entry[2]), entry[3]

    def knows(self, name: str) -> bool:
        """Whether some version of this file is stored (else there is no point in reading it to look it up)."""
        return self._entry(self._key(name)) is not None

    def get(self, name: str, sign: str | None, digest: bytes) -> tuple[list[Finding], dict | None] | None:
        """Return (findings, facts) stored for a file with these bytes, recording its new signature."""
        key = self._key(name)
        shard = self._shard(key)
        entry = self._entry(key)
        if entry is None or entry[1] != digest:
            return None
        self._seen.add(key)
        settled = self._settled(sign)
        if entry[0] != settled:
            self.shards[shard][key] = (settled, *entry[1:])
            self.dirty.add(shard)
        return _findings(name, entry[2]), entry[3]

    def put(self, name: str, sign: str | None, digest: bytes, findings: list[Finding], facts: dict | None) -> None:
        key = self._key(name)
        shard = self._shard(key)
        self._seen.add(key)
        self.shards[shard][key] = (self._settled(sign), digest, tuple(
            (f.line, f.column, f.severity, f.rule, f.message, tuple(f.expected)) for f in findings), _interned(facts))
        self.dirty.add(shard)

    def facts(self, path: str) -> dict | None:
        """Return the stored facts of a file not given to this run, when it is unchanged; else None."""
        entry = self._entry(self._key(path))
        return entry[3] if entry and entry[0] is not None and entry[0] == signature(path) else None

    def put_schema_findings(self, findings: list[Finding]) -> None:
        stored = tuple((f.file, f.line, f.column, f.severity, f.rule, f.message, tuple(f.expected)) for f in findings)
        if stored != self.schema_findings:
            self.schema_findings = stored
            self._write("schemas", stored)

    def cached_schema_findings(self) -> list[Finding] | None:
        stored = self.schema_findings
        if not isinstance(stored, tuple) or not all(
                isinstance(item, tuple) and len(item) == 7 and isinstance(item[0], str) and _finding_shape(item[1:])
                for item in stored):
            return None
        return [Finding(*item) for item in stored]

    def discard(self) -> None:
        """Forget this configuration's store, on disk too (it was found damaged)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.shards = [{} for _ in range(self.SHARDS)]
        self.schema_findings = None

    def save(self) -> None:
        """Write the shards that changed; when writing, leave out the files that no longer exist."""
        if not self.dirty:
            return
        for shard, entries in enumerate(self.shards):
            gone = [key for key in entries if key not in self._seen and not os.path.isfile(key)]
            for key in gone:
                del entries[key]
            if gone:
                self.dirty.add(shard)
        for shard in sorted(self.dirty):
            self._write(f"shard-{shard:02d}", self.shards[shard])
        self._prune()
        self.dirty.clear()

    def _write(self, part: str, content) -> None:
        from ..xmlio import write_atomic

        try:
            write_atomic(self.folder / f"{part}.marshal",
                         marshal.dumps((_FORMAT, sys.version_info[:2], self.config, content)))
        except OSError:
            pass  # a read-only build folder only costs speed

    def _settled(self, sign: str | None) -> str | None:
        """The signature to record: none for a file changed too recently to trust its times."""
        if sign is None:
            return None
        _size, modified, changed, _inode, _device = sign.split()
        return sign if self.started - max(int(modified), int(changed)) >= _SETTLED_NS else None

    def _prune(self) -> None:
        """Keep the stores of the few configurations used last (the cache folder may vanish meanwhile)."""
        try:
            stores = sorted((p for p in self.folder.parent.iterdir() if p.is_dir()),
                            key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return
        for old in stores[_STORES_KEPT:]:
            shutil.rmtree(old, ignore_errors=True)


def _dictionary(content) -> dict:
    """A shard as read: a dictionary from path to entry, or an empty one when it is anything else."""
    return content if isinstance(content, dict) and all(isinstance(key, str) for key in content) else {}


def _finding_shape(item) -> bool:
    """(line, column, severity, rule, message, expected) as `put` writes a finding."""
    return (isinstance(item, tuple) and len(item) == 6 and type(item[0]) is int and type(item[1]) is int
            and all(isinstance(part, str) for part in item[2:5]) and isinstance(item[5], tuple)
            and all(isinstance(part, str) for part in item[5]))


_FACT_TYPES = (("ids", tuple), ("entries", tuple), ("broken", int), ("links", dict), ("where", bytes))
_OPTIONAL_FACT_TYPES = (("names", dict), ("forms", dict))  # only documents that name register entries have them
_FACT_KEYS = frozenset(key for key, _ in _FACT_TYPES + _OPTIONAL_FACT_TYPES) | {"root"}  # root: its xml:id or None


def _well_formed(entry) -> bool:
    """Whether an entry has the shape `put` writes: (signature, digest, findings, facts), checked down to the
    facts' containers (read on every run, for every file: it must be cheap). What is inside them is read only by
    the checks across files; should that be damaged, validate checks everything afresh (command)."""
    if type(entry) is not tuple or len(entry) != 4:
        return False
    sign, digest, findings, facts = entry
    if type(digest) is not bytes or (sign is not None and type(sign) is not str) or type(findings) is not tuple:
        return False
    if findings and not all(map(_finding_shape, findings)):
        return False
    return facts is None or (type(facts) is dict and facts.keys() <= _FACT_KEYS and all(
        type(facts.get(key)) is kind for key, kind in _FACT_TYPES) and all(
        type(facts[key]) is kind for key, kind in _OPTIONAL_FACT_TYPES if key in facts) and (
        facts.get("root") is None or type(facts["root"]) is str))


def _findings(name: str, stored: tuple) -> list[Finding]:
    return [Finding(name, line, column, severity, rule, message, tuple(expected))
            for line, column, severity, rule, message, expected in stored]


def _interned(facts):
    """Return facts with their ids and file names interned: the store then holds each once (marshal writes a
    repeated object as a reference), which keeps it small and quick to read."""
    if not isinstance(facts, dict):
        return facts
    intern = sys.intern
    shared = dict(facts)
    shared["ids"] = tuple(intern(ident) for ident in facts["ids"])
    shared["entries"] = tuple(intern(ident) for ident in facts["entries"])
    shared["links"] = {intern(file): tuple(intern(i) if i is not None else None for i in idents)
                       for file, idents in facts["links"].items()}
    if "names" in facts:  # the same few names in every document
        shared["names"] = {intern(file): tuple((intern(i), intern(t)) for i, t in named)
                           for file, named in facts["names"].items()}
    return shared
