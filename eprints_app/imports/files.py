"""Where an imported document's file comes from, and whether it is the file EPrints had.

In order: the bytes embedded in the XML (already decoded by ``ep3xml``), a folder mirroring
EPrints' documents tree (``--documents``), or the file's ``<url>`` (``--fetch``). Every file is
checked against the checksum EPrints wrote (``<hash>`` with ``<hash_type>``: MD5 by default;
SHA-1 and SHA-256 too) and its size; a file that differs is never stored.
"""

import hashlib
import posixpath
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eprints_app.imports.ep3xml import Embedded
from eprints_app.services.files import CHUNK

HASHES = {"MD5": "md5", "SHA1": "sha1", "SHA-1": "sha1", "SHA256": "sha256", "SHA-256": "sha256"}
FETCH_TIMEOUT_SECONDS = 30


class FileProblem(Exception):
    """The document's file cannot be had, or is not the one EPrints recorded."""


@dataclass(frozen=True)
class LocalFile:
    path: Path
    sha256: str


def tree_folder(eprintid: int, pos: int) -> Path:
    """EPrints' place for a document: eprint 123, position 1 → 00/00/01/23/01."""
    digits = f"{eprintid:08d}"
    return Path(*(digits[i : i + 2] for i in range(0, 8, 2)), f"{pos:02d}")


def plain_name(name: str) -> bool:
    return bool(name) and name == posixpath.basename(name) and "\\" not in name and name not in {".", ".."}


@dataclass
class FileSources:
    """Where to look for files beyond the XML itself."""

    documents: Path | None = None
    fetch: bool = False
    timeout: float = FETCH_TIMEOUT_SECONDS

    def obtain(self, eprintid: int | None, pos: int, file: dict[str, Any], folder: Path) -> LocalFile:
        """The file of ``file`` (a <file> of the XML), checked. Raises FileProblem."""
        filename = file.get("filename") if isinstance(file.get("filename"), str) else ""
        embedded = file.get("data")
        if isinstance(embedded, Embedded):
            if embedded.path is None:
                raise FileProblem(embedded.error)
            return checked(embedded.path, file)
        if self.documents is not None and eprintid is not None and plain_name(filename):
            for base in (self.documents / "disk0", self.documents):
                path = base / tree_folder(eprintid, pos) / filename
                if path.is_file():
                    return checked(path, file)
        url = file.get("url") if isinstance(file.get("url"), str) else ""
        if self.fetch and url:
            return checked(self.download(url, folder), file)
        if self.documents is not None:
            where = f"{tree_folder(eprintid or 0, pos) / filename} is not in {self.documents}"
            raise FileProblem(f"its file is not embedded and {where}")
        raise FileProblem("its file is not embedded (give --documents DIR or --fetch)")

    def download(self, url: str, folder: Path) -> Path:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise FileProblem(f"{url} is not an http or https address")
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as out:
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310 (checked above)
                    shutil.copyfileobj(response, out, CHUNK)
            except (urllib.error.URLError, OSError, ValueError) as error:
                reason = getattr(error, "reason", None) or error
                raise FileProblem(f"{url} could not be fetched ({reason})") from None
        return Path(out.name)


def checked(path: Path, file: dict[str, Any]) -> LocalFile:
    """The file, once its size and checksum are those the XML gives (when it gives them)."""
    hash_type = str(file.get("hash_type") or "MD5").upper()
    expected = str(file.get("hash") or "").strip().lower()
    if expected and hash_type not in HASHES:
        raise FileProblem(f"its checksum is of an unknown kind, {file.get('hash_type')!r}")
    sha256 = hashlib.sha256()
    other = hashlib.new(HASHES[hash_type]) if expected else None
    size = 0
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            size += len(chunk)
            sha256.update(chunk)
            if other is not None:
                other.update(chunk)
    expected_size = str(file.get("filesize") or "")
    if expected_size.isascii() and expected_size.isdigit() and int(expected_size) != size:
        raise FileProblem(f"its file has {size} bytes, not the {expected_size} recorded")
    if other is not None and other.hexdigest() != expected:
        raise FileProblem(
            f"its file's {hash_type} checksum is {other.hexdigest()}, not the {expected} recorded"
        )
    return LocalFile(path, sha256.hexdigest())
