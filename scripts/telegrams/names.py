"""What a file or a document may be called for the editions to publish it: one place for the editions and validate.

The editions refuse what they cannot publish (and skip it); `telegrams validate` reports the same things as
findings, through these same functions, so that a file that validates clean is published, and under its own name.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

# The site's own pages and files: no document may take their names (persons.html, text/corpus.txt...).
RESERVED_PAGES = frozenset({"index", "persons", "places", "organisations", "registers", "search", "corpus"})
REGISTERS_ID = "registers"  # the one document that is not a page of its own: registers.xml
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# Characters that would act on a terminal or reorder what it shows: escaped wherever a name is printed.
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_NAME_PUNCTUATION = set("._-")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]*\Z")
SAFE_NAME_HINT = "rename the file with letters, digits, '.', '-' and '_' only"


def unsafe_char(char: str) -> bool:
    """A control character (C0, C1, U+0085...), a bidirectional override, or an undecodable byte (surrogate)."""
    return unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI


def printable(text: str) -> str:
    """Return text with every unsafe character written as an escape (\\x1b, \\u202e, \\udcff)."""
    return "".join(char.encode("unicode_escape").decode("ascii") if unsafe_char(char) and char not in "\n"
                   else char for char in text)


def file_name_problem(name: str) -> str:
    """Return why the editions cannot publish a file under this name ("" when they can); the remedy is always to
    rename it with letters, digits, '.', '-' and '_' (SAFE_NAME_HINT).

    Published as tei/NAME and linked as written, a name may hold letters, marks and digits of any script and
    '.', '-', '_': anything else (a space, '#', '?', '%'...) breaks the link or the download; an undecodable
    byte or a control character would also reach pages and terminals."""
    if _PLAIN_NAME.match(name):
        return ""  # the usual case, told at C speed
    for char in name:
        if unicodedata.category(char) == "Cs":
            return "the file name is not UTF-8"
        if unsafe_char(char):
            return f"the file name holds the control character {printable(char)}"
        if not (unicodedata.category(char)[0] in "LMN" or char in _NAME_PUNCTUATION):
            shown = printable(char) if char.isprintable() else repr(char)
            return f"the file name holds '{shown}', which a link to the published file cannot carry as written"
    return ""


def page_name(xml_id: str | None, stem: str) -> str:
    """The name of a document's page (and text file): its xml:id when that can name a file, else its file's stem
    made safe."""
    if xml_id and _SAFE_ID.match(xml_id):
        return xml_id
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "document"


def page_key(page: str) -> str:
    """Page names compared as a file system may: "Tg-1" and "tg-1" are one file where case is ignored."""
    return unicodedata.normalize("NFC", page).casefold()


def escapes(path: Path | str, folders: list[str], known: dict) -> str | None:
    """Return the folder (of `folders`, absolute) in which `path` was found when it resolves outside it (a
    symbolic link out of tei/), else None. Only a link, the file's or a folder's on the way, can lead out.

    `known` holds what this run learnt of each folder met (`_folder`): a folder is resolved and listed once for all
    its files, so that a file costs no system call unless it is a link."""
    folder, _, base = os.fspath(path).rpartition(os.sep)
    if folder not in known:
        known[folder] = _folder(folder or ".", folders)
    home, real_home, real_folder, links = known[folder]
    if home is None:
        return None
    linked = base in links if links is not None else os.path.islink(path)
    real = os.path.realpath(path) if linked else os.path.join(real_folder, base)
    return None if real.startswith(real_home.rstrip(os.sep) + os.sep) else home


def _folder(folder: str, folders: list[str]):
    """(the given folder it lies in, that folder's real path, its own real path, the names of its links)."""
    absolute = os.path.abspath(folder)
    home = next((f for f in folders if absolute == f or absolute.startswith(f.rstrip(os.sep) + os.sep)), None)
    if home is None:
        return None, "", "", set()
    try:
        with os.scandir(folder) as entries:
            links = {entry.name for entry in entries if entry.is_symlink()}
    except OSError:
        links = None  # unlisted: each file is asked
    return home, os.path.realpath(home), os.path.realpath(folder), links
