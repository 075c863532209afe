"""Reading a BagIt bag (RFC 8493) written by ``export_repository``, and what a directory holds.

A bag is checked before anything is imported: every payload file listed in
``manifest-sha256.txt`` must be there with that SHA-256, and every file under ``data/`` must be
listed; the tag files listed in ``tagmanifest-sha256.txt`` are checked too. Checked here to the
specification (a few lines) rather than with the ``bagit`` package, which would be a dependency
for this one check.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from eprints_app.services.files import CHUNK

USERS_FILE = "users.xml"


class BagError(Exception):
    """The bag is incomplete or altered: nothing was imported."""


@dataclass(frozen=True)
class ImportInput:
    """What one argument of the import names: user and record files, and a documents tree."""

    users: Path | None
    records: list[Path]
    documents: Path | None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_entries(root: Path, name: str) -> dict[str, str]:
    """{relative path: checksum} of a manifest; paths percent-encode CR, LF and "%" (RFC 8493 §2.1.3)."""
    entries = {}
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        checksum, _, path = line.partition(" ")
        path = path.lstrip(" *").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        if not path or Path(path).is_absolute() or ".." in Path(path).parts:
            raise BagError(f"{name} line {number} names no path inside the bag: {line!r}.")
        entries[path] = checksum.lower()
    return entries


def verify_bag(root: Path) -> None:
    """Raise BagError naming every file that is missing, altered or not in the manifest."""
    if not (root / "manifest-sha256.txt").is_file():
        raise BagError(f"{root} has bagit.txt but no manifest-sha256.txt.")
    problems = []
    manifest = manifest_entries(root, "manifest-sha256.txt")
    manifests = [manifest]
    if (root / "tagmanifest-sha256.txt").is_file():
        manifests.append(manifest_entries(root, "tagmanifest-sha256.txt"))
    for entries in manifests:
        for path, checksum in entries.items():
            file = root / path
            if not file.is_file():
                problems.append(f"{path} is missing")
            elif sha256_of(file) != checksum:
                problems.append(f"{path} does not match its SHA-256 checksum")
    payload = {str(p.relative_to(root)) for p in (root / "data").rglob("*") if p.is_file()}
    problems += [f"{path} is not in the manifest" for path in sorted(payload - manifest.keys())]
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BagError(f"The bag {root} is not intact, so nothing was imported: {shown}.")


def import_input(path: Path, documents: Path | None) -> ImportInput:
    """A file is itself (users.xml a users file); a bag is checked, then its data/users.xml, data/*.xml and
    data/documents; any other folder gives its users.xml and its other *.xml files."""
    if path.name == USERS_FILE and not path.is_dir():
        return ImportInput(path, [], documents)
    if not path.is_dir():
        return ImportInput(None, [path], documents)
    if (path / "bagit.txt").is_file():
        verify_bag(path)
        path, documents = path / "data", path / "data" / "documents"
    users = path / USERS_FILE
    records = sorted(p for p in path.glob("*.xml") if p.name != USERS_FILE)
    return ImportInput(users if users.is_file() else None, records, documents)
