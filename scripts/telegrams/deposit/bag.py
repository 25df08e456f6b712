"""BagIt (RFC 8493) packages: make one reproducibly with the bagit library, and verify one, naming every missing,
extra or altered file.

The bagit library writes "BagIt-Version: 0.97" and lists tag files in directory order; we rewrite bagit.txt as
version 1.0 (RFC 8493) and the tag manifests in sorted order, so that two builds give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import tempfile
import zipfile
import zlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from ..findings import Finding
from ..project import ROOT

ALGORITHMS = ("sha256", "sha512")
PROFILE = ROOT / "metadata" / "bagit-profile.json"
MAX_EXPANSION = 1 << 30  # a zip may always expand to 1 GiB; beyond, to 200 times its size
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


def profile_identifier(profile: Path = PROFILE) -> str:
    """Return the identifier of the project's BagIt profile, which bag-info.txt names."""
    return json.loads(profile.read_text(encoding="utf-8"))["BagIt-Profile-Info"]["BagIt-Profile-Identifier"]


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

def _finding(bag_dir: Path, name: str, message: str, severity: str = "error") -> Finding:
    return Finding(str(bag_dir / name) if name else str(bag_dir), 0, 0, severity, "bag", message)


_MANIFEST_LINE = re.compile(r"([0-9A-Fa-f]+)[ \t]+\*?(.+)$")  # CHECKSUM, whitespace, PATH (a '*' of sha256sum -b)


def _unsafe(name: str) -> bool:
    """Whether a path named in a manifest or a zip could point outside the bag."""
    parts = name.split("/")
    return not name or name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts)


def _read_manifest(bag_dir: Path, manifest: str) -> tuple[dict[str, str], list[Finding]]:
    """Return a manifest's {path: checksum} and the problems of its lines (RFC 8493 §2.1.3, §2.4)."""
    entries: dict[str, str] = {}
    problems = []
    try:
        text = (bag_dir / manifest).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return {}, [_finding(bag_dir, manifest, f"cannot be read as UTF-8 text ({err})")]
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _MANIFEST_LINE.match(line)
        name = match.group(2).replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%") if match else ""
        if not match or _unsafe(name):
            problems.append(_finding(bag_dir, manifest, f"line {number} is not 'CHECKSUM PATH' with a path inside "
                                                        f"the bag: {line[:80]!r}"))
        elif name in entries:
            problems.append(_finding(bag_dir, manifest, f"line {number} lists {name} a second time"))
        else:
            entries[name] = match.group(1).lower()
    return entries, problems


def _walk(bag_dir: Path) -> tuple[list[str], list[Finding]]:
    """Return every regular file of the bag (relative, '/'-separated, sorted) and what is not a regular file."""
    files, problems = [], []
    for folder, dirs, names in os.walk(bag_dir):
        for name in sorted(dirs + names):
            path = Path(folder) / name
            relative = path.relative_to(bag_dir).as_posix()
            if path.is_symlink():
                problems.append(_finding(bag_dir, relative, "a symbolic link: a bag holds files only, and a link can "
                                                            "point outside the bag"))
                if name in dirs:
                    dirs.remove(name)  # os.walk does not follow it anyway; said once
            elif name in names and not path.is_file():
                problems.append(_finding(bag_dir, relative, "not a regular file"))
            elif name in names:
                files.append(relative)
    return sorted(files), problems


def _checksums(bag_dir: Path, manifests: dict[str, dict[str, str]], present: set[str]) -> list[Finding]:
    """Compare every listed, present file with each manifest's checksum (each file read once)."""
    wanted: dict[str, list[str]] = {}
    for manifest, entries in manifests.items():
        for name in entries:
            if name in present:
                wanted.setdefault(name, []).append(manifest)
    findings = []
    for name in sorted(wanted):
        algorithms = {m: m.rsplit("-", 1)[1][:-4] for m in wanted[name]}
        found = _digests(bag_dir / name, sorted(set(algorithms.values())))
        wrong = [m for m in wanted[name] if found[algorithms[m]] != manifests[m][name]]
        if wrong:
            findings.append(_finding(bag_dir, name, f"altered: its checksum differs from {' and '.join(wrong)}"))
    return findings


def _payload(bag_dir: Path, files: list[str]) -> tuple[list[Finding], dict[str, dict[str, str]]]:
    """Check the payload: every file in every payload manifest (RFC 8493 §3) and nothing listed that is absent."""
    names = sorted(p.name for p in bag_dir.glob("manifest-*.txt"))
    if not names:
        return [_finding(bag_dir, "", "the bag has no payload manifest (manifest-<algorithm>.txt)")], {}
    findings: list[Finding] = []
    manifests = {}
    for name in names:
        if name[len("manifest-"):-4] not in hashlib.algorithms_available:
            findings.append(_finding(bag_dir, name, "a manifest of an unknown checksum algorithm"))
            continue
        manifests[name], problems = _read_manifest(bag_dir, name)
        findings += problems
    payload = {f for f in files if f.startswith("data/")}
    listed = set().union(*manifests.values()) if manifests else set()
    for name in sorted(listed - payload):
        findings.append(_finding(bag_dir, name, "missing: listed in the bag's manifest but not in the bag"
                                 if name.startswith("data/") else "listed in a payload manifest but outside data/"))
    for name in sorted(payload - listed):
        findings.append(_finding(bag_dir, name, "extra: in the bag's payload but listed in no manifest (an added "
                                                "file)"))
    for name in sorted(payload & listed):
        absent = [m for m, entries in manifests.items() if name not in entries]
        if absent:
            findings.append(_finding(bag_dir, name, f"not listed in {' and '.join(absent)}: every payload file must "
                                                    "be in every payload manifest (RFC 8493 §3)"))
    return findings, manifests


def _tags(bag_dir: Path, files: list[str]) -> tuple[list[Finding], dict[str, dict[str, str]]]:
    """Check the tag manifests' files; tag files they do not list are accepted (an archive may add some)."""
    names = sorted(p.name for p in bag_dir.glob("tagmanifest-*.txt"))
    tag_files = [f for f in files if not f.startswith(("data/", "tagmanifest-"))]
    if not names:
        return [_finding(bag_dir, "", "no tag manifest: bagit.txt, bag-info.txt and the manifests cannot be checked",
                         "warning")], {}
    findings: list[Finding] = []
    manifests = {}
    for name in names:
        if name[len("tagmanifest-"):-4] not in hashlib.algorithms_available:
            findings.append(_finding(bag_dir, name, "a tag manifest of an unknown checksum algorithm"))
            continue
        manifests[name], problems = _read_manifest(bag_dir, name)
        findings += problems
    listed = set().union(*manifests.values()) if manifests else set()
    for name in sorted(listed - set(tag_files)):
        findings.append(_finding(bag_dir, name, "missing: listed in a tag manifest but not in the bag"
                                 if not name.startswith("data/") else "a payload file listed in a tag manifest"))
    for name in sorted(set(tag_files) - listed):
        findings.append(_finding(bag_dir, name, "a tag file listed in no tag manifest (added after bagging, as an "
                                                "archive may do): its content is not checked", "info"))
    return findings, manifests


def read_info(bag_dir: Path) -> dict[str, list[str]]:
    """Return bag-info.txt's values by label (a label may repeat; continuation lines are joined); {} if absent."""
    try:
        text = (bag_dir / "bag-info.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}  # bag-info.txt is optional; a damaged one is reported by the tag manifests
    info: dict[str, list[str]] = {}
    label = ""
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and label:
            info[label][-1] += " " + line.strip()
        elif ":" in line:
            label, _, value = line.partition(":")
            label = label.strip()
            info.setdefault(label, []).append(value.strip())
    return info


def _oxum(bag_dir: Path, files: list[str], info: dict[str, list[str]]) -> list[Finding]:
    declared = info.get("Payload-Oxum", [""])[0]
    payload = [f for f in files if f.startswith("data/")]
    actual = f"{sum((bag_dir / f).stat().st_size for f in payload)}.{len(payload)}"
    if declared and declared != actual:
        return [_finding(bag_dir, "bag-info.txt", f"Payload-Oxum says {declared} (bytes.files), the payload is "
                                                  f"{actual}")]
    return []


def _profile(bag_dir: Path, info: dict[str, list[str]], profile_path: Path = PROFILE) -> list[Finding]:
    """Check what the project's BagIt profile requires, when bag-info.txt says the bag follows it."""
    profile = json.loads(profile_path.read_text(encoding="utf-8"))
    if info.get("BagIt-Profile-Identifier") != [profile["BagIt-Profile-Info"]["BagIt-Profile-Identifier"]]:
        return []
    why = "required by the bag's BagIt profile (BagIt-Profile-Identifier in bag-info.txt)"
    findings = [_finding(bag_dir, f"{kind}-{algorithm}.txt", f"missing: {why}")
                for kind, key in (("manifest", "Manifests-Required"), ("tagmanifest", "Tag-Manifests-Required"))
                for algorithm in profile.get(key, []) if not (bag_dir / f"{kind}-{algorithm}.txt").is_file()]
    for label, rule in profile.get("Bag-Info", {}).items():
        values = info.get(label, [])
        if rule.get("required") and not values:
            findings.append(_finding(bag_dir, "bag-info.txt", f"no {label}: {why}"))
        elif rule.get("repeatable") is False and len(values) > 1:
            findings.append(_finding(bag_dir, "bag-info.txt", f"{label} given {len(values)} times; the profile "
                                                              "allows one"))
    if not profile.get("Allow-Fetch.txt", True) and (bag_dir / "fetch.txt").exists():
        findings.append(_finding(bag_dir, "fetch.txt", "a fetch list: the bag's profile wants every file inside"))
    return findings


def _declaration(bag_dir: Path) -> list[Finding]:
    try:
        text = (bag_dir / "bagit.txt").read_text(encoding="utf-8")
    except FileNotFoundError:
        return [_finding(bag_dir, "bagit.txt", "missing: this folder is not a bag")]
    except (OSError, UnicodeDecodeError) as err:
        return [_finding(bag_dir, "bagit.txt", f"cannot be read ({err})")]
    if not re.match(r"BagIt-Version: (0\.97|1\.0)\r?\nTag-File-Character-Encoding: UTF-8\r?\n?$", text):
        return [_finding(bag_dir, "bagit.txt", "not a BagIt declaration: 'BagIt-Version: 1.0' and "
                                               "'Tag-File-Character-Encoding: UTF-8' expected")]
    if not (bag_dir / "data").is_dir() or (bag_dir / "data").is_symlink():
        return [_finding(bag_dir, "data", "missing: a bag's payload is its data/ folder")]
    return []


def verify(bag_dir: Path) -> list[Finding]:
    """Return every problem of a bag (a folder, or its zip): structure, links, missing, extra and altered files,
    Payload-Oxum. Info findings (tag files an archive added) do not make the bag invalid."""
    bag_dir = Path(bag_dir)
    if bag_dir.is_file() or bag_dir.suffix == ".zip":
        return verify_zip(bag_dir)
    if not bag_dir.is_dir():
        return [_finding(bag_dir, "", "no such folder: give the folder of a bag (it holds bagit.txt and data/) or "
                                      "its zip")]
    files, findings = _walk(bag_dir)
    if findings:  # nothing is read through a link: a "manifest" could be any file of the machine
        return findings
    findings = _declaration(bag_dir)
    if findings:
        return findings
    payload_findings, payload = _payload(bag_dir, files)
    tag_findings, tags = _tags(bag_dir, files)
    findings += payload_findings + tag_findings
    present = set(files)
    findings += _checksums(bag_dir, payload, present) + _checksums(bag_dir, tags, present)
    info = read_info(bag_dir)
    return findings + _oxum(bag_dir, files, info) + _profile(bag_dir, info)


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# ---- the zip and its checksum file --------------------------------------------------------------------------------

def checksum_path(zip_path: Path) -> Path:
    return zip_path.with_name(zip_path.name + ".sha256")


def checksum_line(zip_path: Path, name: str) -> str:
    """Return the zip's checksum as `sha256sum -c` reads it, naming the zip as it will be beside the file."""
    return f"{_digests(zip_path, ('sha256',))['sha256']}  {name}\n"


def _zip_entries(archive: zipfile.ZipFile, zip_path: Path) -> tuple[str, list[Finding]]:
    """Return the zip's one top folder and the problems of its entries (unsafe names, links, duplicates)."""
    names = [info.filename for info in archive.infolist()]
    problems = []
    tops = {name.split("/", 1)[0] for name in names}
    for info in archive.infolist():
        if _unsafe(info.filename.rstrip("/")) or "/" not in info.filename:
            problems.append(_finding(zip_path, info.filename, "an entry whose name is not a path inside the bag's "
                                                              "folder"))
        elif stat.S_ISLNK(info.external_attr >> 16):
            problems.append(_finding(zip_path, info.filename, "a symbolic link: a bag holds files only"))
    if len(set(names)) != len(names):
        problems.append(_finding(zip_path, "", "the zip lists an entry twice"))
    if len(tops) != 1:
        problems.append(_finding(zip_path, "", "the zip must hold exactly one folder, the bag"))
    return (tops.pop() if len(tops) == 1 else ""), problems


def verify_zip(zip_path: Path) -> list[Finding]:
    """Verify a zipped bag: its checksum file beside it, the zip's integrity, then the bag it holds."""
    if not zip_path.is_file():
        return [_finding(zip_path, "", "no such file")]
    findings = []
    sums = checksum_path(zip_path)
    if not sums.is_file():
        findings.append(_finding(sums, "", "missing: the zip's checksum file; the zip is checked by its contents only",
                                 "warning"))
    elif sums.read_text(encoding="utf-8", errors="replace") != checksum_line(zip_path, zip_path.name):
        findings.append(_finding(sums, "", f"the checksum of {zip_path.name} differs from this file's (the zip was "
                                           "altered or truncated)"))
    try:
        with zipfile.ZipFile(zip_path) as archive:
            top, problems = _zip_entries(archive, zip_path)
            if problems:
                return findings + problems
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > max(MAX_EXPANSION, 200 * zip_path.stat().st_size):
                return findings + [_finding(zip_path, "", f"would expand to {expanded:,} bytes, over 200 times its "
                                                          "size: not unpacked (a zip bomb?)")]
            damaged = archive.testzip()
            if damaged:
                return findings + [_finding(zip_path, damaged, "damaged: its CRC does not match")]
            with tempfile.TemporaryDirectory() as scratch:
                archive.extractall(scratch)
                inner = verify(Path(scratch) / top)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as err:
        return findings + [_finding(zip_path, "", f"not a readable zip (truncated or damaged): {err}")]
    prefix = str(Path(scratch))
    return findings + [replace(f, file=str(zip_path) + "!" + f.file[len(prefix):]) for f in inner]


def format_finding(finding: Finding) -> str:
    """Return "PATH: error: message", the form `telegrams deposit verify` prints."""
    return f"{finding.file}: {finding.severity}: {finding.message}"


def files_of(bag_dir: Path) -> dict[str, bytes]:
    """Return every file of a bag with its bytes, by relative path (to compare two builds)."""
    return {p.relative_to(bag_dir).as_posix(): p.read_bytes() for p in sorted(bag_dir.rglob("*")) if p.is_file()}


