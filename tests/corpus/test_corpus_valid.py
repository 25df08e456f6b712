"""Every corpus document and the template are valid against TEI's own tei_all."""

from __future__ import annotations

from telegrams.project import TEI_DIR
from telegrams.xmlio import parse

from .corpus_views import corpus_paths


def test_every_document_is_valid_against_tei_all(tei_all):
    failures = []
    for path in corpus_paths() + [TEI_DIR / "templates" / "telegram.xml"]:
        if not tei_all.validate(parse(path).tree):
            failures += [f"{path.name}:{error.line}:{error.column}: {error.message}" for error in tei_all.error_log]
    assert not failures, "\n".join(failures)
