"""What the editions take from metadata/edition.toml: the edition's titles and description, and the labels of kinds.

Handed to the stylesheets as one small XML document (the global parameter `edition`), so that no stylesheet holds
a title or a label of its own. A missing or unreadable file leaves the defaults below; `telegrams deposit`, which
needs every field, reports it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from .. import project

DEFAULT_TITLE = "A Digital Scholarly Edition"
TG_NS = "urn:telegrams:edition"


def edition_file() -> Path:
    return project.ROOT / "metadata" / "edition.toml"


def read_edition(path: Path | None = None) -> dict:
    """Return the TOML table of the edition (empty when the file is missing or not valid TOML)."""
    try:
        return tomllib.loads((path or edition_file()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def edition_xml(path: Path | None = None) -> str:
    """Return <tg:edition title= short-title=><tg:description/><tg:creator/>...<tg:kind type= label= plural=/>...
    </tg:edition>."""
    data = read_edition(path)
    edition = data.get("edition") if isinstance(data.get("edition"), dict) else {}
    title = _text(edition.get("title")) or DEFAULT_TITLE
    short = _text(edition.get("short_title")) or title
    kinds = data.get("kinds") if isinstance(data.get("kinds"), dict) else {}
    parts = [f'<tg:edition xmlns:tg="{TG_NS}" title={quoteattr(title)} short-title={quoteattr(short)}>',
             f"<tg:description>{escape(_text(edition.get('description')))}</tg:description>"]
    for language in edition.get("languages") or []:
        if isinstance(language, str) and language.strip():
            parts.append(f"<tg:language>{escape(language.strip())}</tg:language>")
    for creator in data.get("creators") or []:
        if isinstance(creator, dict) and _text(creator.get("name")):
            parts.append(f"<tg:creator>{escape(_text(creator['name']))}</tg:creator>")
    for kind, labels in kinds.items():
        if isinstance(labels, dict):
            parts.append(f"<tg:kind type={quoteattr(str(kind))} label={quoteattr(_text(labels.get('label')))} "
                         f"plural={quoteattr(_text(labels.get('plural')))}/>")
    parts.append("</tg:edition>")
    return "".join(parts)


def edition_title(path: Path | None = None) -> str:
    """The edition's title, for outputs written by Python (the head of corpus.txt)."""
    edition = read_edition(path).get("edition")
    return _text(edition.get("title")) if isinstance(edition, dict) and _text(edition.get("title")) else DEFAULT_TITLE
