"""BagIt (RFC 8493) packages: make one reproducibly with the bagit library, and verify one, naming every missing,
extra or altered file.

The bagit library writes "BagIt-Version: 0.97" and lists tag files in directory order; we rewrite bagit.txt as
version 1.0 (RFC 8493) and the tag manifests in sorted order, so that two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from pathlib import Path

from ..findings import Finding

ALGORITHMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_CHUNK = 1 << 20


def human_size(size: int) -> str:
    """Return a byte count as bag-info's Bag-Size wants it, e.g. "1.2 MB"."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return ""


def payload_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _digests(path: Path, algorithms=ALGORITHMS) -> dict[str, str]:
    hashers = {name: hashlib.new(name) for name in algorithms}
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            for hasher in hashers.values():
                hasher.update(block)
    return {name: hasher.hexdigest() for name, hasher in hashers.items()}


def _tag_files(bag_dir: Path) -> list[str]:
    """Return the bag's tag files (everything outside data/ but the tag manifests), sorted."""
    found = []
    for path in bag_dir.rglob("*"):
        relative = path.relative_to(bag_dir).as_posix()
        if path.is_file() and not relative.startswith("data/") and not relative.startswith("tagmanifest-"):
            found.append(relative)
    return sorted(found)


def _write_tag_manifests(bag_dir: Path) -> None:
    files = _tag_files(bag_dir)
    digests = {name: _digests(bag_dir / name) for name in files}
    for algorithm in ALGORITHMS:
        lines = "".join(f"{digests[name][algorithm]}  {name}\n" for name in files)
        (bag_dir / f"tagmanifest-{algorithm}.txt").write_text(lines, encoding="utf-8")


def make_bag(folder: Path, info: dict[str, str]) -> None:
    """Turn a folder into a bag in place: its content becomes data/, with manifests, bag-info and tag manifests."""
    import bagit

    bagit.make_bag(str(folder), bag_info=dict(info), checksums=list(ALGORITHMS))
    (folder / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    _write_tag_manifests(folder)


def bagit_version() -> str:
    import bagit

    return bagit.VERSION


def write_zip(bag_dir: Path, target: Path, date: datetime) -> None:
    """Write the bag as a zip whose bytes depend only on the files: sorted entries, fixed times and modes."""
    stamp = max(date, datetime(1980, 1, 1, tzinfo=date.tzinfo)).timetuple()[:6]  # zip cannot say earlier
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(bag_dir.rglob("*")):
            if not path.is_file():
                continue
            entry = zipfile.ZipInfo(f"{bag_dir.name}/{path.relative_to(bag_dir).as_posix()}", date_time=stamp)
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes(), compresslevel=9)


# ---- verification -----------------------------------------------------------------------------------------------

def _error(bag_dir: Path, name: str, message: str) -> Finding:
    return Finding(str(bag_dir / name) if name else str(bag_dir), 0, 0, "error", "bag", message)


def _completeness(bag, bag_dir: Path) -> list[Finding]:
    missing, extra = bag.compare_manifests_with_fs()
    findings = [_error(bag_dir, name, "missing: listed in the bag's manifest but not in the bag") for name in missing]
    findings += [_error(bag_dir, name, "extra: in the bag's payload but listed in no manifest (an added file)")
                 for name in extra]
    listed = set(bag.entries)
    for name in _tag_files(bag_dir):
        if name not in listed and name != "bagit.txt" and not name.startswith("manifest-"):
            findings.append(_error(bag_dir, name, "extra: a tag file listed in no tag manifest (an added file)"))
    return findings


def _fixity(bag, bag_dir: Path) -> list[Finding]:
    findings = []
    for name in sorted(bag.entries):
        path = bag_dir / name
        if not path.is_file():
            continue  # reported as missing
        expected = bag.entries[name]
        found = _digests(path, sorted(a for a in expected if a in hashlib.algorithms_available))
        wrong = [a for a in found if found[a] != expected[a].lower()]
        if wrong:
            findings.append(_error(bag_dir, name, f"altered: its {' and '.join(wrong)} checksum"
                                                  f"{'s differ' if len(wrong) > 1 else ' differs'} from the manifest's"))
    return findings


def verify(bag_dir: Path) -> list[Finding]:
    """Return every problem of a bag: structure, missing, extra and altered files, Payload-Oxum; [] when valid."""
    import bagit

    bag_dir = Path(bag_dir)
    if not bag_dir.is_dir():
        return [_error(bag_dir, "", "no such folder: give the folder of a bag (it holds bagit.txt and data/)")]
    if not (bag_dir / "bagit.txt").is_file():
        return [_error(bag_dir, "bagit.txt", "missing: this folder is not a bag")]
    try:
        bag = bagit.Bag(str(bag_dir))
    except bagit.BagError as err:
        return [_error(bag_dir, "", f"not a readable bag: {err}")]
    if not any(bag.manifest_files()):
        return [_error(bag_dir, "", "the bag has no payload manifest (manifest-<algorithm>.txt)")]
    findings = _completeness(bag, bag_dir) + _fixity(bag, bag_dir)
    if findings:
        return findings
    try:  # the library's own verdict, which also checks Payload-Oxum and the structure
        bag.validate()
    except bagit.BagError as err:
        return [_error(bag_dir, "bag-info.txt" if "Oxum" in str(err) else "", f"invalid bag: {err}")]
    return []


def format_finding(finding: Finding) -> str:
    """Return "PATH: error: message", the form `telegrams deposit verify` prints."""
    return f"{finding.file}: {finding.severity}: {finding.message}"


def files_of(bag_dir: Path) -> dict[str, bytes]:
    """Return every file of a bag with its bytes, by relative path (to compare two builds)."""
    return {p.relative_to(bag_dir).as_posix(): p.read_bytes() for p in sorted(bag_dir.rglob("*")) if p.is_file()}


