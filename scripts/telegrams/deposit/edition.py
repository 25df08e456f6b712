"""The edition's metadata, read from metadata/edition.toml: the one source of truth for every metadata file."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, FindingError
from ..project import ROOT

EDITION_FILE = ROOT / "metadata" / "edition.toml"


@dataclass(frozen=True)
class Creator:
    name: str
    type: str  # "Personal" (name as "Family, Given") or "Organizational"

    @property
    def family_given(self) -> tuple[str, str]:
        """Return (family, given) of a personal name written "Family, Given"."""
        family, _, given = self.name.partition(",")
        return family.strip(), given.strip()


@dataclass(frozen=True)
class Edition:
    title: str
    short_title: str
    version: str
    package_name: str
    description: str
    languages: tuple[str, ...]
    url: str
    doi: str
    keywords: tuple[str, ...]
    licence_scope: str
    licence_id: str
    licence_name: str
    licence_url: str
    creators: tuple[Creator, ...]
    publisher: str
    publisher_url: str
    contact_name: str
    contact_email: str
    sources_scope: str
    sources_holder: str
    sources_rights: str

    @property
    def rights_by_part(self) -> tuple[str, str]:
        """Return the two rights statements, each naming the part it covers: the edition's own work, the sources."""
        return (f"{self.licence_scope}: {self.licence_name} ({self.licence_id}, {self.licence_url})",
                f"{self.sources_scope}: rights of their holder, {self.sources_holder}. {self.sources_rights}")

    @property
    def bag_name(self) -> str:
        return f"{self.package_name}-{self.version}"  # both checked by load_edition


def unsafe_name(value: str) -> str:
    """Return why a value cannot be one file or folder name ("" when it can): no separator, no "..", nothing
    absolute or hidden, no control or formatting character (they would reach terminals and archives' listings)."""
    if not value or value.strip() != value:
        return "it is empty or starts or ends with a space"
    if "/" in value or "\\" in value or ":" in value:
        return "it holds a path separator ('/', '\\' or ':')"
    if ".." in value or value.startswith("."):
        return "it starts with '.' or holds '..'"
    if any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") for c in value):
        return "it holds a control or formatting character"
    return ""


def child(folder: Path, name: str, source: str, what: str) -> Path:
    """Return folder/name, the one way a metadata value becomes a path; raise FindingError when name is not one
    plain file or folder name (so nothing outside folder can ever be written, moved or deleted)."""
    problem = unsafe_name(name)
    if problem:
        raise FindingError(Finding(source, 0, 0, "error", "edition", f"{what} = {name!r} cannot be used in a file "
                                   f"name: {problem}"))
    return folder / name


def _field(data: dict, table: str, key: str, name: str, required: bool = True):
    value = data.get(table, {}).get(key, "")
    if required and value in ("", None, []):
        raise FindingError(Finding(name, 0, 0, "error", "edition", f"[{table}] {key} is missing or empty"))
    return value


def load_edition(path: str | Path = EDITION_FILE) -> Edition:
    """Return the edition's metadata, or raise FindingError naming the file and the missing field."""
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FindingError(Finding(name, 0, 0, "error", "edition", "no such file: the edition's metadata is needed "
                                   "for the deposit (see docs/deposit.md)")) from None
    except tomllib.TOMLDecodeError as err:
        raise FindingError(Finding(name, getattr(err, "lineno", 0) or 0, getattr(err, "colno", 0) or 0, "error",
                                   "edition", f"not valid TOML: {err}")) from None
    creators = data.get("creators") or []
    if not creators:
        raise FindingError(Finding(name, 0, 0, "error", "edition", "[[creators]] is missing: name the editors"))
    for creator in creators:
        if creator.get("type", "Personal") not in ("Personal", "Organizational") or not creator.get("name"):
            raise FindingError(Finding(name, 0, 0, "error", "edition", "each [[creators]] needs a name and a type "
                                       "'Personal' or 'Organizational'"))

    def field(table, key, required=True):
        return _field(data, table, key, name, required)

    for key in ("package_name", "version"):  # they name the bag, its zip and files inside it
        child(Path(), str(field("edition", key)), name, f"[edition] {key}")
    return Edition(
        title=field("edition", "title"),
        short_title=field("edition", "short_title", False) or field("edition", "title"),
        version=str(field("edition", "version")),
        package_name=field("edition", "package_name"),
        description=" ".join(field("edition", "description").split()),
        languages=tuple(field("edition", "languages")),
        url=field("edition", "url", False),
        doi=field("edition", "doi", False),
        keywords=tuple(field("edition", "keywords", False) or ()),
        licence_scope=field("licence", "applies_to"),
        licence_id=field("licence", "id"),
        licence_name=field("licence", "name"),
        licence_url=field("licence", "url"),
        creators=tuple(Creator(c["name"], c.get("type", "Personal")) for c in creators),
        publisher=field("publisher", "name"),
        publisher_url=field("publisher", "url", False),
        contact_name=field("contact", "name"),
        contact_email=field("contact", "email", False),
        sources_scope=field("sources", "applies_to"),
        sources_holder=field("sources", "holder"),
        sources_rights=" ".join(field("sources", "rights").split()),
    )
