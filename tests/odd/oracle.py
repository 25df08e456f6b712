"""Shared helpers for the ODD tests: the official TEI chain (cached), our processor, verdicts in a subprocess."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from telegrams import project

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CACHE = project.BUILD_DIR / "cache" / "official"
SCH = "{http://purl.oclc.org/dsdl/schematron}"


def shared_tei() -> Path:
    """Return ../shared/tei, or skip the test with the reason."""
    shared = project.shared_dir()
    if shared is None or not (shared / "tei" / "official-compile").is_file():
        pytest.skip("needs the shared TEI material (../shared or $TELEGRAMS_SHARED): p5subset.xml and the "
                    "official ODD chain are not part of the repository")
    return shared / "tei"


def p5subset() -> Path:
    return shared_tei() / "p5subset.xml"


@lru_cache(maxsize=4)
def _digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def exemplar_catalog() -> Path:
    """An XML catalog for the TEI exemplars: the shared catalog.xml, plus the Exemplars/ folder of the TEI's
    release site, where tei_its and tei_odds point (the shared files come from that folder)."""
    exemplars = shared_tei() / "exemplars"
    path = CACHE / "exemplars-catalog.xml"
    text = ('<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">\n'
            '  <rewriteURI uriStartString="https://www.tei-c.org/release/xml/tei/Exemplars/" '
            f'rewritePrefix="{exemplars.resolve().as_uri()}/"/>\n'
            f'  <nextCatalog catalog="{(exemplars / "catalog.xml").resolve().as_uri()}"/>\n</catalog>\n')
    if not path.is_file() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return path


def official(odd: Path, extra: tuple[Path, ...] = (), catalog: Path | None = None) -> Path | None:
    """Compile `odd` with the official chain once; return its output folder (None when the chain aborts).

    With `catalog`, the chain's XSLT processor resolves URLs through that XML catalog (official_chain.py)."""
    tei = shared_tei()
    p5 = tei / "p5subset.xml"
    extra = extra + ((catalog,) if catalog else ())
    key = hashlib.sha256(odd.read_bytes() + _digest(str(p5)).encode()
                         + b"".join(p.read_bytes() for p in extra)).hexdigest()
    out = CACHE / key
    done, failed = out / "done", out / "failed"
    if done.exists():
        return out
    if failed.exists():
        return None
    out.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(tei / "official-compile"), str(odd), str(out), str(p5)]
    if catalog:
        command = [sys.executable, str(HERE / "official_chain.py"), str(odd), str(out), str(p5), str(catalog)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    name = odd.name.removesuffix(".odd")
    if run.returncode != 0 or not (out / f"{name}.rng").exists():
        failed.write_text(run.stdout + run.stderr)
        return None
    for big in out.glob("*.compiled.odd"):  # ~2 MB each and unused by the tests
        big.unlink()
    done.write_text("")
    return out


def ours(odd: Path, out: Path, warnings: list | None = None, catalog: Path | None = None) -> tuple[Path, Path]:
    """Compile `odd` with our processor into `out`; return (rng, sch) paths."""
    from telegrams.odd.catalog import Catalog
    from telegrams.odd.command import outputs

    files = outputs(odd, p5subset(), out, warnings if warnings is not None else [], None,
                    Catalog([catalog] if catalog else []))
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    rng, sch = sorted(files)
    return rng, sch


def _run_verdicts(schemas: list[Path], documents: list[Path], job: Path, timeout: int,
                  engine: str = "lxml") -> dict | None:
    job.write_text(json.dumps({"schemas": [str(s) for s in schemas], "documents": [str(d) for d in documents],
                               "engine": engine}))
    try:
        run = subprocess.run([sys.executable, str(HERE / "verdicts.py"), str(job)], capture_output=True, text=True,
                             timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def verdicts(schemas: list[Path], documents: list[Path], work: Path, timeout: int = 60,
             fallback: bool = False) -> dict:
    """Return {schema: {"error":…, "verdicts": {doc: bool}}}, validating in subprocesses under a timeout
    (libxml2 hangs compiling some official schemas: such a schema gets the error "timeout", or with `fallback`
    its verdicts from the validator's own derivative engine, marked "engine": "derivative")."""
    hanging = [s for s in schemas if fallback and _hangs(s).exists()]
    together = _run_verdicts([s for s in schemas if s not in hanging], documents, work / "job.json", timeout) \
        if len(hanging) < len(schemas) else {}
    if together is not None and not hanging:
        return together
    result = {}
    for n, schema in enumerate(schemas):
        alone = None
        if together is not None and str(schema) in together:
            alone = {str(schema): together[str(schema)]}
        elif schema not in hanging:
            alone = _run_verdicts([schema], documents, work / f"job{n}.json", timeout)
        if alone is None and fallback:
            if schema not in hanging and schema.resolve().is_relative_to(CACHE.resolve()):
                _hangs(schema).touch()  # remembered, so later runs do not wait for the timeout again
            alone = _run_verdicts([schema], documents, work / f"job{n}d.json", timeout * 10, "derivative")
            if alone is not None:
                alone[str(schema)]["engine"] = "derivative"
        result.update(alone if alone is not None else {str(schema): {"error": "timeout", "verdicts": {}}})
    return result


def _hangs(schema: Path) -> Path:
    return schema.with_name(schema.name + ".lxml-hangs")


def _norm(text: str) -> str:
    return " ".join(text.split())


def rule_set(path: Path) -> set:
    """The (context, kind, test, role, message) of every assert/report of a Schematron file, ids ignored."""
    found = set()
    for rule in etree.parse(str(path)).iter(SCH + "rule"):
        for check in rule:
            if not isinstance(check.tag, str):
                continue
            inner = etree.tostring(check, method="c14n").decode()
            inner = re.sub(r"^<[^>]*>|</[^>]*>$", "", _norm(inner))
            inner = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", inner)
            found.add((_norm(rule.get("context", "")), etree.QName(check).localname, _norm(check.get("test", "")),
                       check.get("role"), _norm(inner)))
    return found


DOC = "{http://relaxng.org/ns/compatibility/annotations/1.0}documentation"
RNG = "{http://relaxng.org/ns/structure/1.0}"


def _doc_text(node) -> str | None:
    """An a:documentation's words: markup as text, whitespace and spaces inside parentheses normalized, and the
    trailing "[Guidelines sections]" of a listRef removed (not written by our processor: divergences.py)."""
    if node is None or node.tag != DOC:
        return None
    text = " ".join("".join(node.itertext()).split())
    text = re.sub(r"\(\s*", "(", re.sub(r"\s*\)", ")", text))
    return re.sub(r"\s*\[[^\[\]]*\]$", "", text)


def documentation(path: Path) -> dict:
    """{(kind, define, name[, value]): text} for every element, attribute and value of the grammar's own defines
    (not those of imported grammars), None where it has no a:documentation."""
    found = {}
    for define in etree.parse(str(path)).getroot().iterchildren(RNG + "define"):
        for node in define.iter(RNG + "element", RNG + "attribute"):
            kind = "element" if node.tag == RNG + "element" else "attribute"
            found[(kind, define.get("name"), node.get("name"))] = _doc_text(node.find(DOC))
        for value in define.iter(RNG + "value"):
            holder = next(value.iterancestors(RNG + "attribute", RNG + "element"), None)
            name = holder.get("name") if holder is not None else None
            found[("value", define.get("name"), name, value.text)] = _doc_text(value.getnext())
    return found
