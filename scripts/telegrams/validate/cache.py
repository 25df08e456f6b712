"""Results cached by content: a document whose bytes, schemas and validator are unchanged is not checked again.

One store per *configuration* (the hashes of the RELAX NG and Schematron schemas and of the validator's own
source), so editing a schema or the validator makes every entry stale at once. The store is a few files, read
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


def validator_version() -> str:
    """Return a hash of the validator's source files: a new version of the code invalidates the cache."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for pattern in _SOURCES:
        for path in sorted(package.glob(pattern)):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def file_digest(path: Path | None) -> str:
    """Return the hash of a file's bytes, or a marker saying it is missing."""
    if path is None:
        return "none"
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


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
        self.shards: list[dict[str, tuple]] = [self._read(f"shard-{n:02d}") or {} for n in range(self.SHARDS)]
        self.dirty: set[int] = set()
        self._seen: set[str] = set()
        self.schema_findings = self._read("schemas")

    def _read(self, part: str):
        try:
            form, python, config, content = marshal.loads((self.folder / f"{part}.marshal").read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return content if (form, python, config) == (_FORMAT, sys.version_info[:2], self.config) else None

    def _shard(self, key: str) -> int:
        return zlib.crc32(key.encode("utf-8", "surrogateescape")) % self.SHARDS

    def unchanged(self, name: str, sign: str | None) -> tuple[list[Finding], dict | None] | None:
        """Return (findings, facts) of a file whose signature is the one recorded, without reading it."""
        if sign is None:
            return None
        key = os.path.abspath(name)
        entry = self.shards[self._shard(key)].get(key)
        if entry is None or entry[0] != sign:
            return None
        self._seen.add(key)
        return _findings(name, entry[2]), entry[3]

    def get(self, name: str, sign: str | None, digest: bytes) -> tuple[list[Finding], dict | None] | None:
        """Return (findings, facts) stored for a file with these bytes, recording its new signature."""
        key = os.path.abspath(name)
        shard = self._shard(key)
        entry = self.shards[shard].get(key)
        if entry is None or entry[1] != digest:
            return None
        self._seen.add(key)
        settled = self._settled(sign)
        if entry[0] != settled:
            self.shards[shard][key] = (settled, *entry[1:])
            self.dirty.add(shard)
        return _findings(name, entry[2]), entry[3]

    def put(self, name: str, sign: str | None, digest: bytes, findings: list[Finding], facts: dict | None) -> None:
        key = os.path.abspath(name)
        shard = self._shard(key)
        self._seen.add(key)
        self.shards[shard][key] = (self._settled(sign), digest, tuple(
            (f.line, f.column, f.severity, f.rule, f.message, tuple(f.expected)) for f in findings), _interned(facts))
        self.dirty.add(shard)

    def facts(self, path: str) -> dict | None:
        """Return the stored facts of a file not given to this run, when it is unchanged; else None."""
        key = os.path.abspath(path)
        entry = self.shards[self._shard(key)].get(key)
        return entry[3] if entry and entry[0] is not None and entry[0] == signature(path) else None

    def put_schema_findings(self, findings: list[Finding]) -> None:
        stored = tuple((f.file, f.line, f.column, f.severity, f.rule, f.message, tuple(f.expected)) for f in findings)
        if stored != self.schema_findings:
            self.schema_findings = stored
            self._write("schemas", stored)

    def cached_schema_findings(self) -> list[Finding] | None:
        if self.schema_findings is None:
            return None
        return [Finding(*stored) for stored in self.schema_findings]

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
        """Keep the stores of the few configurations used last."""
        stores = sorted((p for p in self.folder.parent.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime,
                        reverse=True)
        for old in stores[_STORES_KEPT:]:
            shutil.rmtree(old, ignore_errors=True)


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
