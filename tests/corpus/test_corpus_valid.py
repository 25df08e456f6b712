"""The corpus as it stands: `telegrams validate` finds no error in it, and every document and template is valid
against TEI's own tei_all. What the documents are held to is the validator's (docs/validation.md), tested in
tests/validate and tests/growth; these tests only run it on the data."""

from __future__ import annotations

import json
import subprocess
import sys

from telegrams.project import TEI_DIR
from telegrams.xmlio import parse

from .corpus_views import corpus_paths


def test_validate_finds_no_error_in_the_corpus():
    result = subprocess.run([sys.executable, "-m", "telegrams", "validate", "--format", "json", str(TEI_DIR)],
                            capture_output=True, text=True)
    findings = [json.loads(line) for line in result.stdout.splitlines()]
    errors = [f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['rule']}]" for f in findings
              if f["severity"] == "error"]
    assert result.returncode == 0 and not errors, "\n".join(errors) or result.stderr


def test_every_document_is_valid_against_tei_all(tei_all):
    failures = []
    for path in corpus_paths() + sorted((TEI_DIR / "templates").glob("*.xml")):
        if not tei_all.validate(parse(path).tree):
            failures += [f"{path.name}:{error.line}:{error.column}: {error.message}" for error in tei_all.error_log]
    assert not failures, "\n".join(failures)
