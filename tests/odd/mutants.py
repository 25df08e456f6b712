"""Mechanical mutants of valid TEI documents: delete, duplicate, rename, move, swap elements; add, drop or spoil
attributes; stray text. Deterministic (seeded), so a failing mutant can be regenerated and inspected."""

from __future__ import annotations

import copy
import random
from pathlib import Path

from lxml import etree

RNG = "{http://relaxng.org/ns/structure/1.0}"
TEI = "{http://www.tei-c.org/ns/1.0}"
BAD_VALUES = ("", " a ", "zz zz", "12", "#x", "1950-13-45", "true", "-1")


def vocabulary(rng_path: Path) -> tuple[list[str], list[str], list[str]]:
    """Element names, attribute names and enumerated values that a RELAX NG schema mentions."""
    tree = etree.parse(str(rng_path))
    names = sorted({e.get("name") for e in tree.iter(RNG + "element") if e.get("name")})
    atts = sorted({a.get("name") for a in tree.iter(RNG + "attribute") if a.get("name")})
    values = sorted({v.text or "" for v in tree.iter(RNG + "value")})
    return names, atts, values


def _qname(name: str) -> str:
    if name.startswith("xml:"):
        return "{http://www.w3.org/XML/1998/namespace}" + name[4:]
    return name


def mutate(root, rng: random.Random, names, atts, values):
    """Apply one random mutation to a copy of `root`; return (description, new root)."""
    root = copy.deepcopy(root)
    elements = [e for e in root.iter(etree.Element) if e is not root]
    target = rng.choice(elements)
    parent = target.getparent()
    kind = rng.choice(["delete", "duplicate", "rename", "unknown", "move", "swap", "add-att", "drop-att",
                       "value", "enum-value", "text"])
    if kind == "delete":
        parent.remove(target)
    elif kind == "duplicate":
        target.addnext(copy.deepcopy(target))
    elif kind == "rename":
        target.tag = TEI + rng.choice(names)
    elif kind == "unknown":
        target.tag = TEI + "bogus" if rng.random() < 0.5 else "{http://example.org/other}" + etree.QName(target).localname
    elif kind == "move":
        destination = rng.choice([e for e in root.iter(etree.Element) if target not in e.iterancestors()
                                  and e is not target])
        destination.insert(rng.randint(0, len(destination)), target)
    elif kind == "swap":
        siblings = [s for s in parent if isinstance(s.tag, str) and s is not target]
        if siblings:
            other = rng.choice(siblings)
            a, b = parent.index(target), parent.index(other)
            parent.insert(b, target)
            parent.insert(a, other)
    elif kind == "add-att":
        target.set(_qname(rng.choice(atts)), rng.choice(values + ["x", "1", "#p1"]) if values else "x")
    elif kind == "drop-att":
        if target.attrib:
            del target.attrib[rng.choice(list(target.attrib))]
    elif kind == "value":
        if target.attrib:
            target.set(rng.choice(list(target.attrib)), rng.choice(BAD_VALUES))
    elif kind == "enum-value":
        if target.attrib and values:
            target.set(rng.choice(list(target.attrib)), rng.choice(values))
    elif kind == "text":
        target.text = (target.text or "") + " stray"
    return f"{kind} {etree.QName(target).localname}", root


def write_mutants(seeds: list[Path], rng_path: Path, out: Path, count: int, seed: int = 1950) -> list[Path]:
    """Write `count` mutants of the seeds (plus the seeds themselves) into `out`; return their paths."""
    names, atts, values = vocabulary(rng_path)
    rng = random.Random(seed)
    roots = [etree.parse(str(s)).getroot() for s in seeds]
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, seed_path in enumerate(seeds):
        path = out / f"seed-{n}.xml"
        path.write_bytes(etree.tostring(roots[n]))
        paths.append(path)
    for n in range(count):
        description, root = mutate(rng.choice(roots), rng, names, atts, values)
        path = out / f"mutant-{n:04d}-{description.replace(' ', '-').replace(':', '')}.xml"
        path.write_bytes(etree.tostring(root))
        paths.append(path)
    return paths
