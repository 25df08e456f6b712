"""The one date a deposit build writes everywhere (bag-info, DataCite, CMIF, teiCorpus, zip entries).

Reproducible builds need a date that does not depend on the clock: $SOURCE_DATE_EPOCH when it is set (the
convention of reproducible-builds.org), otherwise the latest revision date in the sources (revisionDesc/change/@when
or publicationStmt/date/@when), otherwise the date of the last git commit that touched the sources.
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from ..findings import Finding, FindingError


def _from_epoch(value: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise FindingError(Finding("SOURCE_DATE_EPOCH", 0, 0, "error", "date",
                                   f"'{value}' is not a number of seconds since 1970-01-01")) from None


def _from_git(folder: Path) -> datetime | None:
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=folder, capture_output=True,
                                text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = result.stdout.strip()
    return datetime.fromtimestamp(int(stamp), tz=timezone.utc) if stamp.isdigit() else None


def build_date(revision_dates: list[str], sources_dir: Path) -> tuple[datetime, str]:
    """Return the build's date (UTC) and where it came from, in words."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return _from_epoch(epoch), "SOURCE_DATE_EPOCH"
    valid = []
    for value in revision_dates:
        try:
            valid.append(datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=timezone.utc))
        except ValueError:
            continue  # a malformed date is the validator's business, not a reason to stop packaging
    if valid:
        return max(valid), "the latest revision date in the sources"
    from_git = _from_git(sources_dir)
    if from_git is not None:
        return from_git, "the last git commit of the sources"
    raise FindingError(Finding(str(sources_dir), 0, 0, "error", "date",
                               "no date for the package: the sources have no revisionDesc/change/@when, they are not "
                               "in git, and SOURCE_DATE_EPOCH is not set"))
