"""Writing EP3 XML records as items, each record in a transaction of its own.

``import_stream`` reads a file's records (``ep3xml.read_records``) and writes each with
``RecordWriter.write``, whose steps are:

1. read the record: fields, people, subjects, divisions, extra fields, documents (``ep3xml``);
2. get each document's file and check it against EPrints' checksum (``files``), before any
   transaction, since it may be fetched; a file that differs leaves its document out;
3. in one ``atomic_with_files`` block: create the item under its eprint ID, or update the item
   with that ID (a re-run); replace its creators and editors if they differ; file it under its
   subjects and divisions (creating headings that are missing); add, replace, redescribe or
   remove its documents by position through ``services.documents`` (an unchanged file, same
   SHA-256, is not stored again); write the record's one history row if anything changed; then
   set Last Modified, Date Deposited and Status Changed to EPrints' values with a queryset
   update, after every save that moves them.

A new item's creators and headings are inserted without looking for rows it cannot have yet.
The search index and the listing generation follow once a batch of records has committed
(``import_stream``), not after each record.

A record that cannot be written is rolled back, database and stored files alike, and
reported; the import goes on with the next. Malformed XML stops the file at its line: the
records before it stay imported and are reported.
"""

import posixpath
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection
from django.db.models.signals import post_save
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from eprints_app.imports.ep3xml import (
    DocumentRecord,
    EP3ImportError,
    ImportReport,
    RecordReader,
    ascii_number,
    read_records,
)
from eprints_app.imports.files import FileProblem, FileSources, LocalFile, plain_name
from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.services.changes import batched_changes, item_changed
from eprints_app.services.documents import (
    add_document,
    atomic_with_files,
    delete_document,
    replace_file,
    save_document,
)
from eprints_app.unavailable import StorageUnavailable

PEOPLE_FIELDS = ("role", "position", "family", "given", "email", "orcid")
# The history's "why" for what an import writes.
IMPORTED = "Imported from EPrints"
# A batch of records (search reindex, listing generation: ``import_stream``) ends after this many
# records or seconds, whichever comes first: the most that search and cached lists lag behind.
BATCH_RECORDS = 200
BATCH_SECONDS = 2.0


def advance_document_ids() -> None:
    """Move PostgreSQL's document ID sequence past documents given EPrints' IDs, as ``Item.save``
    does for items (SQLite's AUTOINCREMENT follows by itself)."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Document]):
            cursor.execute(sql)


def person_key(person: Creator) -> tuple:
    return tuple(getattr(person, name) for name in PEOPLE_FIELDS)


class RecordWriter:
    """Writes the records of one import run; ``users`` maps EPrints user IDs to users (or None:
    depositors are left as they are)."""

    def __init__(
        self,
        report: ImportReport,
        sources: FileSources,
        users: dict[str, AbstractBaseUser] | None = None,
    ):
        self.report, self.sources, self.users = report, sources, users
        self.successors: list[tuple[int, int]] = []
        # Headings seen to exist, so that each is looked up once a run.
        self.known_headings: set[tuple[type, str]] = set()
        self.number = 0

    def write(self, record: dict[str, Any], line: int, folder: Path) -> Item | None:
        """Write one record (the module's steps); None when it was reported as not written."""
        self.number += 1
        reader = RecordReader(record, self.number, line, self.report)
        files: dict[int, LocalFile] = {}
        try:
            values = reader.item_values()
            documents = reader.documents()
            for document in documents:
                try:
                    files[document.pos] = self.sources.obtain(
                        reader.eprintid, document.pos, document.file, folder
                    )
                except FileProblem as problem:
                    self.report.documents_left_out.append(f"{document.label}: {problem}")
            with atomic_with_files():
                item, outcome, changed = self.save_item(reader, values)
                new = outcome == "created"
                changed |= self.save_people(item, reader, new)
                filed, created = self.file_under(item, reader, new)
                redone, stored, kept = self.save_documents(item, documents, files, new)
                bookkeeping = reader.bookkeeping()
                if new or changed or filed or redone:
                    record_history(item, new)
                    # The batch leaves Last Modified to us: a record without lastmod moves it now.
                    bookkeeping.setdefault("last_modified", timezone.now())
                # Last: the saves above move Last Modified and the revision; EPrints' values stand.
                Item.objects.filter(pk=item.pk).update(
                    date_deposited=values["date_deposited"],
                    status_changed=values["status_changed"],
                    **bookkeeping,
                )
                for document in documents:
                    if document.mtime and document.pos in files:
                        item.documents.filter(pos=document.pos).update(file_modified=document.mtime)
        except (EP3ImportError, StorageUnavailable, DatabaseError) as error:
            self.report.failed.append(f"{reader.label} (line {line}): {error}")
            self.known_headings.clear()  # any created in the rolled-back transaction are gone
            return None
        finally:
            for path in folder.iterdir():  # this record's decoded and fetched files
                path.unlink()
        # Counted once the record is in: a record rolled back leaves no heading or file behind.
        for tree, code in created:
            tree[code].append(reader.label)
        self.report.documents_stored += stored
        self.report.documents_unchanged += kept
        if outcome == "updated" and not (changed or filed or redone):
            outcome = "unchanged"
        getattr(self.report, outcome).append(item.pk)
        if reader.eprintid is None:
            reader.warn(f"it has no eprintid: imported as eprint {item.pk}.")
        succeeds = ascii_number(reader.text("succeeds"))
        if succeeds:
            self.successors.append((item.pk, succeeds))
        return item

    def save_item(self, reader: RecordReader, values: dict[str, Any]) -> tuple[Item, str, bool]:
        """The item under the record's eprint ID, created or brought up to date; whether it changed."""
        candidate = Item(**values)
        reader.validate(candidate)  # fatal problems raise; a bad link or address is dropped
        values = {name: getattr(candidate, name) for name in values}
        values["extra"] = reader.extra()
        existing = Item.objects.filter(pk=reader.eprintid).first() if reader.eprintid else None
        item = existing or Item(id=reader.eprintid)
        if self.users is not None:
            userid = reader.text("userid")
            if userid in self.users:
                values["depositor"] = self.users[userid]
            elif userid:
                reader.warn(f"its depositor, user {userid}, is not in users.xml; left as it was.")
        differs = any(getattr(item, name) != value for name, value in values.items())
        for name, value in values.items():
            setattr(item, name, value)
        # The record's history row is written once its parts are in (``record_history``).
        item.skip_history_when_saving = True
        if existing is None:
            item.save(force_insert=True)
        elif differs:
            item.save()
        return item, "updated" if existing else "created", differs

    def save_people(self, item: Item, reader: RecordReader, new: bool) -> bool:
        people = reader.people()
        current = [] if new else list(item.creators.all())
        if [person_key(p) for p in current] == [person_key(p) for p in people]:
            return False
        if current:
            item.creators.all().delete()
        for person in people:
            person.item = item
            person._change_reason = IMPORTED
        bulk_create_with_history(people, Creator)
        return True

    def file_under(self, item: Item, reader: RecordReader, new: bool) -> tuple[bool, list[tuple[dict, str]]]:
        """Subjects and divisions by code; a missing heading is created (named by its code) and
        returned for the report; a code no tree can hold ("/" or ":" in it) is left out. A new
        item's rows are inserted as they are (its save has already announced the change)."""
        changed, created = False, []
        for name, model, tree in (
            ("subjects", Subject, self.report.created_subjects),
            ("divisions", Division, self.report.created_divisions),
        ):
            codes = []
            for code in dict.fromkeys(reader.codes(name)):
                if "/" in code or ":" in code or len(code) > 64:
                    reader.warn(f"{name} code {code!r} cannot be a heading here; left out.")
                    continue
                if (model, code) not in self.known_headings and not model.objects.filter(pk=code).exists():
                    model.objects.create(code=code, name=code)
                    created.append((tree, code))
                self.known_headings.add((model, code))
                codes.append(code)
            relation = getattr(item, name)
            if new:
                through = relation.through
                column = f"{model._meta.model_name}_id"
                through.objects.bulk_create([through(item_id=item.pk, **{column: code}) for code in codes])
                changed |= bool(codes)
            elif set(relation.values_list("pk", flat=True)) != set(codes):
                relation.set(codes)
                changed = True
        return changed, created

    def save_documents(
        self, item: Item, documents: list[DocumentRecord], files: dict[int, LocalFile], new: bool
    ) -> tuple[bool, int, int]:
        """Documents matched by position: new ones added, changed files replaced, descriptions
        brought up to date, documents the record no longer has removed. Returns whether any
        changed, how many files were stored and how many were already."""
        changed, stored, kept = False, 0, 0
        existing = {} if new else {document.pos: document for document in item.documents.all()}
        for document in documents:
            current, local = existing.get(document.pos), files.get(document.pos)
            if local is None:
                continue  # left out and reported; a document stored before stays as it was
            filename = posixpath.basename(str(document.file.get("filename", "")).replace("\\", "/"))
            filename = filename if plain_name(filename) else f"document-{document.pos}"
            if current is None:
                # EPrints' document ID, where no other document has it (/id/document/N keeps working).
                given = document.docid and not Document.objects.filter(pk=document.docid).exists()
                with local.path.open("rb") as source:
                    add_document(
                        item,
                        File(source, name=filename),
                        id=document.docid if given else None,
                        pos=document.pos,
                        **document.description,
                    )
                if given:
                    advance_document_ids()
                changed, stored = True, stored + 1
                continue
            described = any(getattr(current, k) != v for k, v in document.description.items())
            for name, value in document.description.items():
                setattr(current, name, value)
            if current.sha256 != local.sha256 or current.filename != filename:
                with local.path.open("rb") as source:
                    replace_file(current, File(source, name=filename))
                changed, stored = True, stored + 1
                continue
            if described:
                save_document(current)
                changed = True
            kept += 1
        wanted = {document.pos for document in documents}
        for pos, document in existing.items():
            if pos not in wanted:
                delete_document(document)
                changed = True
        return changed, stored, kept

    def link_successors(self) -> None:
        """ "Later Version of" between records, once every record of the run is in (a queryset
        update: EPrints' Last Modified stands; cached pages and the index are told)."""
        linked = []
        for pk, earlier in self.successors:
            if not Item.objects.filter(pk=earlier).exists():
                self.report.warnings.append(f"eprint {pk}: it succeeds eprint {earlier}, which is not here.")
            elif Item.objects.filter(pk=pk).exclude(succeeds=earlier).update(succeeds=earlier):
                linked.append(pk)
        if linked:
            item_changed(*linked, touch=False)


def record_history(item: Item, new: bool) -> None:
    """The record's one history row, "Imported from EPrints", written once its headings are in so
    that it holds them. The saves before it skip the history (``skip_history_when_saving``, which
    also keeps django-simple-history from writing a row per change of the headings); this sends
    the ``post_save`` it records an item's save on (the item was saved above; ``services.changes``
    hears it again, which only notes the item once more)."""
    del item.skip_history_when_saving
    item._change_reason = IMPORTED
    post_save.send(Item, instance=item, created=new, raw=False, using=connection.alias, update_fields=None)


def import_stream(
    stream: IO[bytes], writer: RecordWriter, on_record: Callable[[], None] = lambda: None
) -> None:
    """Write every record of an EP3 XML stream. Raises ``MalformedXML`` where the XML breaks
    (the records before it are written) and ``EP3ImportError`` for a file that is not EP3 XML.

    The records are written in batches of changes (``services.changes.batched_changes``): each
    record commits on its own, and the batch's items are reindexed for search and the listing
    generation bumped once, after at most ``BATCH_RECORDS`` records or ``BATCH_SECONDS`` seconds
    and at the end (that docstring says why no stale page outlives it). Last Modified is set by
    each record, so the batch does not move it."""
    with tempfile.TemporaryDirectory(prefix="import-") as folder, batched_changes(touch=False) as batch:
        started, count = time.monotonic(), 0
        for record, line in read_records(stream, Path(folder)):
            writer.write(record, line, Path(folder))
            count += 1
            if count >= BATCH_RECORDS or time.monotonic() - started >= BATCH_SECONDS:
                batch.flush()
                started, count = time.monotonic(), 0
            on_record()


def import_records(
    stream: IO[bytes], sources: FileSources | None = None, users: dict[str, AbstractBaseUser] | None = None
) -> ImportReport:
    """Import one EP3 XML stream (for scripts and tests): its report, successors linked."""
    writer = RecordWriter(ImportReport(), sources or FileSources(), users)
    try:
        import_stream(stream, writer)
    finally:
        writer.link_successors()
    return writer.report
