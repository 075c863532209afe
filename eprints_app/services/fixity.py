"""Fixity: is every stored file still the file that was deposited?

Each document records the SHA-256 and size of its file when it was stored
(``services.files.describe_file``). ``check_document`` reads the file again through the storage
API, in chunks, and compares; ``documents_to_check`` chooses which documents a run covers, so
that a large repository can be checked a share at a time (a seventh each night, say), always in
the same order and always the same documents in the same share.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import Storage
from django.db.models import F, Q, QuerySet

from eprints_app.models import Document
from eprints_app.unavailable import bucket_errors

CHUNK = 1024 * 1024

MISSING = "missing"
ALTERED = "altered"
UNREADABLE = "unreadable"
KINDS = (MISSING, ALTERED, UNREADABLE)


@dataclass(frozen=True)
class Share:
    """The ``number``-th of ``of`` parts of the repository (1-based): documents whose ID leaves
    ``number - 1`` when divided by ``of``, so each document always falls in the same part."""

    number: int
    of: int

    @classmethod
    def parse(cls, text: str) -> "Share":
        """ "3/7" -> Share(3, 7); ValueError for anything else."""
        number, slash, of = text.partition("/")
        if not slash or not number.isdigit() or not of.isdigit() or not 1 <= int(number) <= int(of):
            raise ValueError(f"{text!r} is not a share such as 3/7 (the third of seven).")
        return cls(int(number), int(of))


@dataclass(frozen=True)
class Problem:
    document: Document
    kind: str  # MISSING, ALTERED or UNREADABLE
    detail: str

    def __str__(self) -> str:
        document = self.document
        return (
            f"{self.kind.upper()}: eprint {document.item_id}, document {document.pos} "
            f"({document.filename}), stored as {document.file.name}: {self.detail}"
        )


def documents_to_check(
    *, since: datetime | None = None, share: Share | None = None, limit: int | None = None
) -> QuerySet[Document]:
    """The documents a run checks, by ID: those whose file or item changed on or after
    ``since`` (a file replaced, a record imported), those of one ``share``, at most ``limit``."""
    documents = Document.objects.only("pk", "item_id", "pos", "filename", "file", "sha256", "filesize")
    if since is not None:
        documents = documents.filter(Q(file_modified__gte=since) | Q(item__last_modified__gte=since))
    if share is not None:
        documents = documents.alias(remainder=F("pk") % share.of).filter(remainder=share.number - 1)
    documents = documents.order_by("pk")
    return documents[:limit] if limit is not None else documents


def stored_chunks(storage: Storage, name: str, chunk_size: int = CHUNK) -> Iterator[bytes]:
    """The stored file's bytes, a chunk at a time, never the whole file in memory.

    django-storages' S3 file reads the whole object into memory before its first chunk, so for a
    bucket the object's body is streamed instead. Raises FileNotFoundError for a missing file.
    """
    with storage.open(name, "rb") as handle:
        s3_object = getattr(handle, "obj", None)
        if s3_object is not None:
            yield from s3_object.get()["Body"].iter_chunks(chunk_size)
        else:
            yield from handle.chunks(chunk_size)


def check_document(document: Document) -> Problem | None:
    """None when the stored file has the recorded SHA-256 and size; otherwise what is wrong."""
    storage, name = document.file.storage, document.file.name
    if not name:
        return Problem(document, MISSING, "no file recorded")
    digest = hashlib.sha256()
    size = 0
    try:
        for chunk in stored_chunks(storage, name):
            digest.update(chunk)
            size += len(chunk)
    except FileNotFoundError:
        return Problem(document, MISSING, "no file in the storage")
    except (OSError, *bucket_errors()) as error:
        return Problem(document, UNREADABLE, f"{type(error).__name__}: {error}")
    if digest.hexdigest() != document.sha256 or size != document.filesize:
        found = f"SHA-256 {digest.hexdigest()} ({size} bytes)"
        return Problem(document, ALTERED, f"{found}, recorded {document.sha256} ({document.filesize} bytes)")
    return None
