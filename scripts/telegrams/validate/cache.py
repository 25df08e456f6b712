"""Results cached by content: a document whose bytes, schemas and validator are unchanged is not checked again.

An entry's key is the hash of the document's bytes together with the run's *configuration key* (the hashes of the
RELAX NG and Schematron schemas and of the validator's own source), so editing a schema or the validator makes
every entry stale at once. An entry holds the document's findings (without its name: the same bytes under another
name give the same findings) and its facts for the checks across files.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..findings import Finding
from ..xmlio import write_atomic

_SOURCES = ("validate/*.py", "xmlio.py", "findings.py")


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


class Cache:
    """Entries under a folder, one small JSON file each; a damaged entry counts as missing."""

    def __init__(self, directory: Path, config: str):
        self.directory = Path(directory)
        self.config = config

    def key(self, data: bytes) -> str:
        return hashlib.sha256(self.config.encode() + hashlib.sha256(data).digest()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"

    def get(self, key: str, name: str) -> tuple[list[Finding], dict | None] | None:
        """Return (findings renamed to `name`, facts) stored under a key, or None."""
        try:
            entry = json.loads(self._path(key).read_text(encoding="utf-8"))
            findings = [Finding(name, f["line"], f["column"], f["severity"], f["rule"], f["message"],
                                tuple(f.get("expected", ()))) for f in entry["findings"]]
            return findings, entry["facts"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, findings: list[Finding], facts: dict | None) -> None:
        entry = {"findings": [f.as_dict() | {"file": None} for f in findings], "facts": facts}
        try:
            write_atomic(self._path(key), json.dumps(entry, ensure_ascii=False))
        except OSError:
            pass  # a read-only build folder only costs speed

    def get_global(self) -> list[dict] | None:
        """Return the run-wide findings (about the schemas) stored for this configuration, or None."""
        try:
            return json.loads(self._path("g" + self.config).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_global(self, findings: list[Finding]) -> None:
        try:
            write_atomic(self._path("g" + self.config), json.dumps([f.as_dict() for f in findings]))
        except OSError:
            pass
