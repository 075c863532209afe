"""A document's derived data: its extracted text and its thumbnails.

Called by the background tasks (``eprints_app.tasks``) and the management commands
``extract_text`` and ``rebuild_thumbnails``. Each builder

1. loads the document (gone: nothing to do);
2. marks it "skipped" when its type has no text or no picture;
3. works on a local copy of the file in a child process bounded in time and memory
   (``services.bounded``), so that a hostile file can only fail, never hang or crash us;
4. stores the result with a queryset ``update()``, which moves no Last Modified: the record did
   not change. The update names the file's checksum, so a result for a file replaced in the
   meantime is dropped (the replacement has its own tasks queued). Cached pages and lists are
   left behind (new text through the search index, thumbnails here);
5. on failure, logs it and records it for staff ("failed" and ``derivative_error``), leaving the
   document itself untouched and downloadable.
"""

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, F, TextField, Value, When
from django.db.models.fields.files import FieldFile

from eprints_app.browse.cache import bump_generation
from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document
from eprints_app.services import text_extraction, thumbnails
from eprints_app.services.bounded import BoundedWorkError, run_bounded

logger = logging.getLogger(__name__)

# Wall-clock limits for the child process. 200 pages of text take well under a second and a thumbnail
# a few milliseconds, so these only stop files built never to finish. Together they stay under
# gunicorn's 30-second request timeout, which matters with the immediate backend, where the
# tasks run inside the request that saved the document.
TEXT_SECONDS = 15
THUMBNAIL_SECONDS = 10
# Address space of the child: room for a 60-megapixel image or a heavy scanned page, and a hard
# stop for decompression bombs.
MEMORY_BYTES = 1536 * 2**20

TEXT, THUMBNAILS = "Text extraction", "Thumbnails"
T = TypeVar("T")


def extract_document_text(document_id: int) -> str | None:
    """Extract a document's text into ``Document.text``; its new ``text_status``, or None if gone."""
    document = Document.objects.defer("text").filter(pk=document_id).first()
    if document is None:
        return None
    if not text_extraction.can_extract(document.mime_type):
        _record(document, TEXT, text="", text_status=DerivativeStatus.SKIPPED)
        return DerivativeStatus.SKIPPED
    try:
        text = parse(document, text_extraction.extract_text, TEXT_SECONDS)
    except Exception as error:
        _failed(document, TEXT, error, text="", text_status=DerivativeStatus.FAILED)
        return DerivativeStatus.FAILED
    if _record(document, TEXT, text=text, text_status=DerivativeStatus.DONE):
        reindex_item(document.item_id)
    return DerivativeStatus.DONE


def build_thumbnails(document_id: int) -> str | None:
    """Render and store a document's thumbnails; its new ``thumbnail_status``, or None if gone."""
    document = Document.objects.defer("text").filter(pk=document_id).first()
    if document is None:
        return None
    old = [document.thumbnail_small.name, document.thumbnail_preview.name]
    if not thumbnails.can_render(document.mime_type):
        status, names = DerivativeStatus.SKIPPED, {"small": "", "preview": ""}
    else:
        try:
            images = parse(document, thumbnails.render_thumbnails, THUMBNAIL_SECONDS)
            names = store_thumbnails(document, images)
        except Exception as error:
            _failed(document, THUMBNAILS, error, thumbnail_status=DerivativeStatus.FAILED)
            return DerivativeStatus.FAILED
        status = DerivativeStatus.DONE
    stored = _record(
        document,
        THUMBNAILS,
        thumbnail_small=names["small"],
        thumbnail_preview=names["preview"],
        thumbnail_status=status,
    )
    if stored:
        # Pages and lists kept in the cache show the new thumbnails (or their badge) at once.
        transaction.on_commit(bump_generation, robust=True)
    # Keep what the row names; delete what it no longer does.
    unused = old if stored else list(names.values())
    delete_files(
        document.thumbnail_small.storage, [name for name in unused if name and name not in names.values()]
    )
    return status


def parse(document: Document, parser: Callable[[str, str], T], seconds: int) -> T:
    """``parser(path, mime_type)`` on a local copy of the document's file, in a bounded child."""
    with local_copy(document.file) as path:
        return run_bounded(parser, path, document.mime_type, timeout=seconds, memory_bytes=MEMORY_BYTES)


def thumbnail_name(document: Document, size: str) -> str:
    """thumbnails/<item id>/<document id>-<size>.webp"""
    return f"thumbnails/{document.item_id}/{document.pk}-{size}.{thumbnails.EXTENSION}"


def store_thumbnails(document: Document, images: dict[str, bytes]) -> dict[str, str]:
    """Save each size through the storage API; the names it chose. All or nothing."""
    storage, names = document.thumbnail_small.storage, {}
    current = {document.thumbnail_small.name, document.thumbnail_preview.name}
    try:
        for size, data in images.items():
            name = thumbnail_name(document, size)
            if name not in current:
                # Left by this document but named by no row (its fields were reset, as loaddata
                # does): clear it, or the storage would save beside it under another name.
                storage.delete(name)
            names[size] = storage.save(name, ContentFile(data))
    except Exception:
        delete_files(storage, list(names.values()))
        raise
    return names


@contextmanager
def local_copy(file: FieldFile) -> Iterator[str]:
    """A path to the stored file on this machine: the file itself, or a temporary copy from a bucket."""
    try:
        path = file.storage.path(file.name)
    except NotImplementedError:  # remote storage (S3)
        path = None
    if path is not None:
        if not os.path.exists(path):
            raise FileNotFoundError(f"The stored file {file.name} is missing.")
        yield path
        return
    with tempfile.NamedTemporaryFile(prefix="eprints-derivative-") as copy:
        with file.storage.open(file.name, "rb") as stored:
            shutil.copyfileobj(stored, copy)
        copy.flush()
        yield copy.name


def delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete stored thumbnail %s", name)


def reindex_item(item_id: int) -> None:
    """Tell the search index that an item's text changed, when there is a search index."""
    try:
        from eprints_app.services.search_index import reindex_item as reindex
    except ModuleNotFoundError as error:
        if error.name != "eprints_app.services.search_index":
            raise
        return
    try:
        reindex(item_id)
    except Exception:
        logger.exception("Could not reindex item %s after text extraction", item_id)


def _record(document: Document, stage: str, **fields) -> bool:
    """Store a stage's outcome, clearing its earlier error; False when the file has since changed."""
    fields["derivative_error"] = Case(
        When(derivative_error__startswith=f"{stage}:", then=Value("")),
        default=F("derivative_error"),
        output_field=TextField(),
    )
    return bool(Document.objects.filter(pk=document.pk, sha256=document.sha256).update(**fields))


def _failed(document: Document, stage: str, error: Exception, **fields) -> None:
    if isinstance(error, BoundedWorkError):
        logger.warning("%s failed for document %s (%s): %s", stage, document.pk, document.filename, error)
    else:
        logger.exception("%s failed for document %s (%s)", stage, document.pk, document.filename)
    message = f"{stage}: {error}"
    Document.objects.filter(pk=document.pk, sha256=document.sha256).update(derivative_error=message, **fields)
