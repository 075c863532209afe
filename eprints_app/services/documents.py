"""An item's documents: adding, replacing, changing, deleting and reordering them.

The admin's inline and the actions view's formset (through ``services.parts``), new versions,
imports and scripts all go through these functions; ``Document.save`` itself is a plain save.
A change that brings a new file does, in this order:

1. work out the file's facts: MIME type (sniffed from the bytes), size and SHA-256;
2. store the file, then save the row; a file that cannot be stored raises ``StorageUnavailable``
   before any row is written, and a row that fails takes its file back out of storage (and,
   inside ``atomic_with_files``, so does a transaction that rolls back later);
3. clear what was derived from the old file, in the same save: the text, and the thumbnails,
   whose stored files are deleted once the change commits, as is a replaced file;
4. queue text extraction and thumbnails for when the change commits;
5. move the item's Last Modified, bump the listing generation and reindex the item
   (``services.changes.item_changed``).

A change of the description only (security, embargo, licence...) does steps 2 and 5.
"""

import logging
import posixpath
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files import File
from django.core.files.storage import Storage
from django.db import connection, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from eprints_app import tasks
from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document, Item
from eprints_app.services.changes import item_changed
from eprints_app.services.files import delete_stored_file_on_commit, describe_file
from eprints_app.unavailable import DATABASE_ERRORS, StorageUnavailable, bucket_errors

logger = logging.getLogger(__name__)

# The files stored inside the current ``atomic_with_files`` block, as (storage, name).
stored_in_transaction: ContextVar[list[tuple[Storage, str]] | None] = ContextVar(
    "stored_in_transaction", default=None
)


def add_document(item: Item, file: File, **description) -> Document:
    """A new document of ``item`` holding ``file`` (an upload, or a ``File`` with a name)."""
    return save_document(Document(item=item, file=file, **description))


def replace_file(document: Document, file: File) -> Document:
    """Give a document a new file; what was derived from the old one goes with it."""
    document.file = file
    return save_document(document)


def save_document(document: Document) -> Document:
    """Save a new or changed document (a form's unsaved instance, say), in the module's steps."""
    upload = bool(document.file) and not document.file._committed
    fresh = bool(document.file) and (upload or document._state.adding)
    replaced = ""
    if fresh:
        facts = describe_file(document.file)
        document.mime_type, document.filesize, document.sha256 = facts.mime_type, facts.size, facts.sha256
        if upload or not document.filename:
            document.filename = posixpath.basename(document.file.name)
        document.file_modified = timezone.now()
        if not document._state.adding:
            replaced = Document.objects.filter(pk=document.pk).values_list("file", flat=True).first() or ""
        # In the same save: nothing derived from a replaced file outlives it.
        clear_derivatives(document)
    if upload:
        store_file(document)
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        if upload:
            delete_now(document.file.storage, document.file.name)
        raise
    if upload and (stored := stored_in_transaction.get()) is not None:
        stored.append((document.file.storage, document.file.name))
    if replaced and replaced != document.file.name:
        delete_stored_file_on_commit(document.file.storage, replaced)
    if fresh:
        tasks.enqueue_derivatives(document.pk)
    item_changed(document.item_id)
    return document


def store_file(document: Document) -> None:
    """Write a document's new file to storage (as its row's save would), before the row."""
    file = document.file
    try:
        file.save(file.name, file.file, save=False)
    except (OSError, *bucket_errors()) as error:
        logger.warning("Could not store %s for item %s: %s", file.name, document.item_id, error)
        raise StorageUnavailable(
            f"The file {posixpath.basename(file.name)} could not be stored, so nothing was saved. "
            "Please try again in a few minutes."
        ) from error


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """A transaction that takes the files it stored back out of storage unless it commits.

    ``save_document`` writes a file before its row, so a database that fails mid-deposit (a
    restart) would leave files whose rows were rolled back: here they are deleted again. When the
    COMMIT itself fails, whether it took effect is unknown (the server may have committed before
    the connection went): the files whose rows turn out not to exist are deleted by
    ``settle_failed_commit``, on a thread of its own that waits for the database to answer.

    Nested in another ``atomic_with_files``, a block that commits hands its files to the outer
    one, which deletes them should it roll back after all. It must be the outermost transaction:
    a plain ``atomic`` around it could roll back without telling it.
    """
    outer = stored_in_transaction.get()
    stored: list[tuple[Storage, str]] = []
    token = stored_in_transaction.set(stored)
    body_done = False
    try:
        with transaction.atomic():
            yield
            body_done = True
    except BaseException:
        if body_done and outer is None:
            if stored:
                logger.warning(
                    "Commit failed after storing %s; their rows are looked for", [n for _, n in stored]
                )
                settle_failed_commit_later(stored)
        else:
            for storage, name in stored:
                delete_now(storage, name)
        raise
    else:
        if outer is not None:
            outer.extend(stored)
    finally:
        stored_in_transaction.reset(token)


# How long the files of a failed commit wait for the database to answer, and the pauses between
# two tries: the first, doubled each time up to the limit.
SETTLE_FOR_SECONDS = 600
SETTLE_FIRST_PAUSE = 1.0
SETTLE_PAUSE_LIMIT = 30.0


def settle_failed_commit_later(stored: list[tuple[Storage, str]]) -> threading.Thread:
    """Run ``settle_failed_commit`` on a thread, so that the request is answered meanwhile."""
    thread = threading.Thread(
        target=settle_failed_commit, args=(stored,), name="settle-failed-commit", daemon=True
    )
    thread.start()
    return thread


def settle_failed_commit(stored: list[tuple[Storage, str]]) -> None:
    """Delete the files of a failed COMMIT whose document rows do not exist, once the database
    answers (a transaction that did commit keeps its files). Files still unsettled after
    ``SETTLE_FOR_SECONDS`` are kept, and logged, since a row without its file is a broken download.
    """
    names = [name for _, name in stored]
    deadline = time.monotonic() + SETTLE_FOR_SECONDS
    pause = SETTLE_FIRST_PAUSE
    try:
        while True:
            try:
                committed = files_with_rows(names)
                break
            except DATABASE_ERRORS as error:
                connection.close()
                if time.monotonic() + pause > deadline:
                    logger.error(
                        "Database still unreachable; kept files that may have no row: %s (%s)", names, error
                    )
                    return
                time.sleep(pause)
                pause = min(pause * 2, SETTLE_PAUSE_LIMIT)
    finally:
        connection.close()  # this thread's own connection, back to the pool
    for storage, name in stored:
        if name not in committed:
            logger.info("Deleting %s: the transaction that stored it did not commit", name)
            delete_now(storage, name)


def files_with_rows(names: list[str]) -> set[str]:
    """Which of these stored file names a document row names."""
    return set(Document.objects.filter(file__in=names).values_list("file", flat=True))


def delete_now(storage: Storage, name: str) -> None:
    """Delete a stored file whose row was not written; a failure is logged, never raised over
    the error that brought us here."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete stored file %s, left without its row", name)


def delete_document(document: Document) -> None:
    """Delete a document; its files leave storage once the deletion commits (``files_deleted``)."""
    document.delete()
    item_changed(document.item_id)


@receiver(post_delete, sender=Document)
def files_deleted(sender, instance: Document, **kwargs) -> None:
    """A deleted document's file and thumbnails leave storage once the deletion commits. A
    receiver, because deleting an item deletes its documents without a call of ours."""
    for field in (instance.file, instance.thumbnail_small, instance.thumbnail_preview):
        if field:
            delete_stored_file_on_commit(field.storage, field.name)


def reorder_documents(item: Item, document_ids: list[int]) -> None:
    """Number the item's documents 1, 2, 3... in the order given (download URLs follow)."""
    documents = {document.pk: document for document in item.documents.all()}
    if sorted(document_ids) != sorted(documents):
        raise ValueError("The new order must name each of the item's documents once.")
    with transaction.atomic():
        # Out of the way first: positions are unique per item.
        offset = len(documents) + (max((d.pos for d in documents.values()), default=0))
        for document in documents.values():
            Document.objects.filter(pk=document.pk).update(pos=document.pos + offset)
        for position, pk in enumerate(document_ids, start=1):
            Document.objects.filter(pk=pk).update(pos=position)
    item_changed(item.pk)


def clear_derivatives(document: Document) -> None:
    """Forget what was derived from the document's old file; its stored thumbnails go on commit."""
    for field in (document.thumbnail_small, document.thumbnail_preview):
        if field:
            delete_stored_file_on_commit(field.storage, field.name)
    document.text, document.thumbnail_small, document.thumbnail_preview = "", "", ""
    document.text_status = document.thumbnail_status = DerivativeStatus.PENDING
    document.derivative_error = ""
