"""Facts about uploaded files, and the checks an upload must pass before it is stored."""

import hashlib
import logging
import mimetypes
import posixpath
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192
# The longest file name most file systems take (Linux's NAME_MAX), in bytes: 127 letters with
# accents, or 85 Chinese characters.
MAX_NAME_BYTES = 255
CHUNK = 64 * 1024

# Content types that a file's name may claim for a sniffed type: ZIP containers
# (office documents, EPUB) are sniffed as the container; text in any flavour is text/plain.
COMPATIBLE = {
    "application/zip": (
        "application/vnd.openxmlformats",
        "application/vnd.oasis",
        "application/epub+zip",
        "application/x-zip-compressed",
    ),
    "text/plain": (
        "text/",
        "application/json",
        "application/xml",
        "application/x-tex",
        "application/x-bibtex",
        "application/x-research-info-systems",
    ),
}


@dataclass(frozen=True)
class FileFacts:
    mime_type: str
    size: int
    sha256: str


def sniff_mime_type(head: bytes) -> str:
    """The MIME type the bytes themselves show; never what the browser claimed."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 4:
                return "application/octet-stream"
        return "text/plain"
    return "application/octet-stream"


def describe_file(file) -> FileFacts:
    """Size, SHA-256 and sniffed MIME type of a file, read in chunks from the start."""
    file.seek(0)
    digest = hashlib.sha256()
    head = b""
    size = 0
    while chunk := file.read(CHUNK):
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return FileFacts(mime_type=sniff_mime_type(head), size=size, sha256=digest.hexdigest())


def claimed_mime_type(filename: str) -> str | None:
    return mimetypes.guess_type(filename, strict=False)[0]


def content_matches_name(sniffed: str, filename: str) -> bool:
    claimed = claimed_mime_type(filename)
    if claimed is None or claimed == sniffed:
        return True
    return claimed.startswith(COMPATIBLE.get(sniffed, ()))


def max_upload_bytes() -> int:
    return int(settings.MAX_UPLOAD_SIZE_MB) * 1000 * 1000


def validate_upload(upload) -> None:
    """Refuse an upload that is empty, too large, oddly named or not what its name claims.

    Runs in form validation, before anything is written to storage or the database.
    """
    name = upload.name or ""
    if not name or name != posixpath.basename(name.replace("\\", "/")) or name in {".", ".."}:
        raise ValidationError("The file name must be a plain name, without folders.", code="bad_name")
    if len(name.encode()) > MAX_NAME_BYTES:
        raise ValidationError(
            "The file name is too long: shorten it to at most 255 bytes (fewer letters with accents "
            "or in other scripts).",
            code="name_too_long",
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if upload.size > max_upload_bytes():
        raise ValidationError(
            f"The file is larger than the limit of {settings.MAX_UPLOAD_SIZE_MB} MB.",
            code="too_large",
        )
    upload.seek(0)
    sniffed = sniff_mime_type(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if not content_matches_name(sniffed, name):
        raise ValidationError(
            f"The file's content is {sniffed}, which does not match its name ({claimed_mime_type(name)}).",
            code="type_mismatch",
        )


def delete_stored_file_on_commit(storage: Storage, name: str) -> None:
    """Delete a stored file once the transaction that dropped it has committed."""

    def delete() -> None:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)
