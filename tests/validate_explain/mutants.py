"""Mechanical mutants of valid documents: the typical slips of an editor, made at random but reproducibly."""

from __future__ import annotations

import copy
import random

from lxml import etree

_BAD_VALUES = ["", " ", "x y", "1951-13-45", "1951-06-21", "bogus", "-1", "3.5", "#a #b", "a:b", "main", "sent",
               "edition", "telegram", "0", "true", "\u00a0", "1950-11-08T02:00", "1950", "en"]
_STRAY_TEXT = ["stray", " ", "x", "1951"]


def _elements(root) -> list:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _misspell(local: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice == 0:
        return local.lower() if local.lower() != local else local.upper()
    if choice == 1 and len(local) > 2:
        i = rng.randrange(len(local))
        return local[:i] + local[i + 1:]
    if choice == 2:
        return local + "s"
    return "bogus"


def mutate(tree: etree._ElementTree, rng: random.Random, names: list[str], attributes: list[str]) -> bytes | None:
    """Return the serialized document with one random slip, or None when the slip does not apply."""
    tree = copy.deepcopy(tree)
    root = tree.getroot()
    elements = _elements(root)
    target = rng.choice(elements)
    ns = etree.QName(target).namespace
    kind = rng.randrange(11)
    parent = target.getparent()
    if kind == 0 and parent is not None:  # delete
        _remove_keeping_tail(target)
    elif kind == 1 and parent is not None:  # duplicate
        target.addnext(copy.deepcopy(target))
    elif kind == 2:  # rename (misspell or another name of the schema)
        local = rng.choice(names) if rng.random() < 0.5 else _misspell(etree.QName(target).localname, rng)
        target.tag = etree.QName(ns, local).text if ns else local
    elif kind == 3 and parent is not None:  # move up one level or swap with a sibling
        sibling = target.getnext() if rng.random() < 0.5 else target.getprevious()
        if sibling is not None and isinstance(sibling.tag, str):
            sibling.addnext(target) if sibling is target.getnext() else sibling.addprevious(target)
        elif parent.getparent() is not None:
            parent.addnext(target)
        else:
            return None
    elif kind == 4:  # add an attribute
        name = rng.choice(attributes) if rng.random() < 0.7 else "bogus"
        target.set(name, rng.choice(_BAD_VALUES))
    elif kind == 5 and target.attrib:  # drop an attribute
        del target.attrib[rng.choice(list(target.attrib))]
    elif kind == 6 and target.attrib:  # bad value
        target.set(rng.choice(list(target.attrib)), rng.choice(_BAD_VALUES))
    elif kind == 7:  # stray text
        position = rng.randrange(len(target) + 1)
        if position == 0:
            target.text = (target.text or "") + rng.choice(_STRAY_TEXT)
        else:
            child = target[position - 1]
            child.tail = (child.tail or "") + rng.choice(_STRAY_TEXT)
    elif kind == 8:  # wrong namespace
        target.tag = etree.QName("http://example.org/wrong" if ns else "http://www.tei-c.org/ns/1.0",
                                 etree.QName(target).localname).text
    elif kind == 9 and len(target):  # empty an element
        for child in list(target):
            target.remove(child)
        target.text = None
    elif kind == 10 and parent is not None and len(elements) > 2:  # move into another element
        other = rng.choice(elements)
        if other is target or target in other.iterancestors() or other in target.iter():
            return None
        other.insert(rng.randrange(len(other) + 1), target)
    else:
        return None
    return etree.tostring(tree, encoding="UTF-8", xml_declaration=True)


def _remove_keeping_tail(element) -> None:
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def mutants(tree, count: int, seed: int, names: list[str], attributes: list[str]) -> list[bytes]:
    """Up to `count` distinct mutants of a document, the same ones for the same seed."""
    rng = random.Random(seed)
    found, seen = [], set()
    for _ in range(count * 4):
        data = mutate(tree, rng, names, attributes)
        if data is not None and data not in seen:
            seen.add(data)
            found.append(data)
            if len(found) == count:
                break
    return found
