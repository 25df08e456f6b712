"""Load a TEI source (p5subset.xml) once and index its specifications by ident and by module."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import xmlio
from ..xmlio import TEI_NS

T = "{%s}" % TEI_NS
SPEC_TAGS = (T + "elementSpec", T + "classSpec", T + "macroSpec", T + "dataSpec")
SOURCE_MAX_BYTES = 64 * 1024 * 1024  # p5subset.xml is about 4 MB; a customised copy may be larger


@dataclass
class Source:
    """The specifications of one TEI source, in document order."""

    path: Path
    doc: xmlio.Document
    specs: dict[str, etree._Element] = field(default_factory=dict)
    modules: dict[str, etree._Element] = field(default_factory=dict)
    nonelements: dict[str, list[etree._Element]] = field(default_factory=dict)
    elements: dict[str, list[etree._Element]] = field(default_factory=dict)

    def default_exceptions(self) -> tuple[str, dict] | None:
        """Return the declared default of schemaSpec/@defaultExceptions and the namespaces in scope there."""
        spec = self.specs.get("schemaSpec")
        if spec is None:
            return None
        for att in spec.iter(T + "attDef"):
            if att.get("ident") == "defaultExceptions":
                value = att.find(T + "defaultVal")
                if value is not None and value.text:
                    return " ".join(value.text.split()), dict(value.nsmap)
        return None


_CACHE: dict[tuple, Source] = {}


def load_source(path: str | os.PathLike) -> Source:
    """Return the indexed source at `path`, parsed once per process (keyed by path, size and mtime)."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
        key = (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        key = (str(path), None, None)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    doc = xmlio.parse(path, max_bytes=SOURCE_MAX_BYTES)
    source = Source(path, doc)
    for spec in doc.root.iter(*SPEC_TAGS, T + "moduleSpec"):
        if spec.get("mode") not in (None, "add"):
            continue  # a customised source may itself hold change specs; those are not definitions
        ident = spec.get("ident")
        if not ident:
            continue
        if spec.tag == T + "moduleSpec":
            source.modules.setdefault(ident, spec)
            continue
        source.specs.setdefault(ident, spec)
        module = spec.get("module", "")
        index = source.elements if spec.tag == T + "elementSpec" else source.nonelements
        index.setdefault(module, []).append(spec)
    if len(_CACHE) >= 3:  # a few sources at most: tests compile many ODDs against the same p5subset
        _CACHE.clear()
    _CACHE[key] = source
    return source
