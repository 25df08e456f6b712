"""OASIS XML catalogs: map the URL of an external schema (moduleRef/@url, xi:include/@href) to a local file.

The ODD processor never fetches anything: a URL is usable only when a catalog maps it to a file on disk. Catalogs
come from `telegrams schema --catalog FILE` and from $XML_CATALOG_FILES (space-separated, as libxml2 reads it).
Supported entries: uri, rewriteURI, system, rewriteSystem, group and nextCatalog; the first match wins.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

from .. import xmlio
from ..findings import Finding, FindingError

CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
C = "{%s}" % CATALOG_NS
# The OASIS DTD a catalog names is never loaded; without an internal subset the declaration says nothing else.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^\[>]*>")


def to_path(uri: str) -> Path | None:
    """The local path of a file: URI or plain path; None for any other scheme."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return Path(unquote(parsed.path))
    if parsed.scheme and len(parsed.scheme) > 1:
        return None
    return Path(unquote(uri))


class Catalog:
    """The entries of some catalog files, in the order a resolver consults them."""

    def __init__(self, files=()):
        self.entries: list[tuple[str, str, str]] = []  # (kind, name or prefix, absolute target URI)
        self.loaded: set[Path] = set()
        for name in files:
            self.load(Path(name))

    @classmethod
    def from_environment(cls, extra=()) -> Catalog:
        """The catalogs given (--catalog), then those of $XML_CATALOG_FILES; a missing one is an error."""
        files = [(Path(f), "given with --catalog") for f in extra]
        for item in os.environ.get("XML_CATALOG_FILES", "").split():
            path = to_path(item)
            if path is not None:
                files.append((path, "named in $XML_CATALOG_FILES"))
        for path, origin in files:
            if not path.is_file():
                raise FindingError(Finding(str(path), 0, 0, "error", "catalog",
                                           f"this XML catalog, {origin}, does not exist"))
        return cls(path for path, _ in files)

    def load(self, path: Path) -> None:
        path = path.resolve()
        if path in self.loaded:
            return
        self.loaded.add(path)
        data = _DOCTYPE.sub(b"", xmlio.read_bytes(path), count=1)
        root = xmlio.parse_bytes(data, str(path)).root
        following: list[Path] = []
        self._read(root, path.as_uri(), following)
        for target in following:  # a nextCatalog is consulted only after every entry of this one
            self.load(target)

    def _read(self, node, base: str, following: list) -> None:
        base = urljoin(base, node.get("{http://www.w3.org/XML/1998/namespace}base", ""))
        for entry in node:
            if not isinstance(entry.tag, str) or not entry.tag.startswith(C):
                continue
            kind = entry.tag[len(C):]
            here = urljoin(base, entry.get("{http://www.w3.org/XML/1998/namespace}base", ""))
            if kind == "group":
                self._read(entry, here, following)
            elif kind in ("uri", "system"):
                key = entry.get("name") if kind == "uri" else entry.get("systemId")
                self.entries.append((kind, key or "", urljoin(here, entry.get("uri", ""))))
            elif kind in ("rewriteURI", "rewriteSystem"):
                start = entry.get("uriStartString") or entry.get("systemIdStartString") or ""
                self.entries.append((kind, start, urljoin(here, entry.get("rewritePrefix", ""))))
            elif kind == "nextCatalog":
                target = to_path(urljoin(here, entry.get("catalog", "")))
                if target is not None and target.is_file():
                    following.append(target)

    def resolve(self, uri: str) -> Path | None:
        """The local file a URI maps to, or None."""
        for kind, key, target in self.entries:
            if kind in ("uri", "system") and uri == key:
                return to_path(target)
        best = max(((key, target) for kind, key, target in self.entries
                    if kind.startswith("rewrite") and key and uri.startswith(key)),
                   key=lambda pair: len(pair[0]), default=None)
        if best is not None:
            return to_path(best[1] + uri[len(best[0]):])
        return None

    def locate(self, reference: str, base: str) -> tuple[str, Path | None]:
        """Resolve `reference` against the base URI `base`; return (absolute URI, local file or None).

        A URI the catalogs map gives their file; a file: URI (or a plain path) gives itself; anything else None.
        """
        uri = urljoin(base, reference)
        mapped = self.resolve(uri)
        if mapped is not None:
            return uri, mapped
        if urlparse(uri).scheme in ("", "file"):
            return uri, to_path(uri)
        return uri, None
