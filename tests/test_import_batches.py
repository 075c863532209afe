"""What an import owes the rest of the site, though it writes records in batches: one history row
per record, a correct search index, no stale cached list, and text and thumbnails queued for
every file."""

import io

import pytest
from django_tasks import default_task_backend

from eprints_app.browse.cache import generation
from eprints_app.imports import records
from eprints_app.imports.ep3xml import ImportReport
from eprints_app.imports.files import FileSources
from eprints_app.imports.records import RecordWriter, import_stream
from eprints_app.models import Document, Item, Subject
from eprints_app.search.models import SearchEntry
from eprints_app.services.history import timeline
from tests.import_support import document, export, run

pytestmark = pytest.mark.django_db

QUEUED = {"eprints_app.tasks.extract_document_text", "eprints_app.tasks.build_document_thumbnails"}


def a_record(eprintid: int, **fields) -> dict:
    values = {
        "eprintid": eprintid,
        "eprint_status": "archive",
        "datestamp": "2014-09-25 21:08:31",
        "lastmod": "2019-02-03 04:05:06",
        "type": "article",
        "title": f"Tidal records of harbour {eprintid}",
        "creators": [],
        "subjects": ["JZ"],
        "documents": [document(1, "notes.txt", data=f"Notes {eprintid}".encode())],
    }
    return {**values, **fields}


def write(tmp_path, records_: list[dict]):
    path = tmp_path / "export.xml"
    path.write_bytes(export(records_))
    return path


@pytest.fixture
def queue(settings):
    """The dummy backend: tasks are recorded, not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_each_record_gets_one_history_row_saying_imported_and_holding_its_subjects(
    tmp_path, django_capture_on_commit_callbacks
):
    Subject.objects.create(code="JZ", name="International relations")
    source = write(tmp_path, [a_record(7), a_record(8)])
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))

    (row,) = Item.history.filter(id=7)
    assert (row.history_type, row.history_change_reason) == ("+", "Imported from EPrints")
    assert [subject.subject_id for subject in row.subjects.all()] == ["JZ"]
    # Written last, so that the revision it stands for has the record's documents and people.
    assert [event.action for event in timeline(Item.objects.get(pk=7))] == [
        "Imported from EPrints",
        "Document added: notes.txt",
    ]

    # A re-run that changes nothing writes no row; one that changes the record writes one.
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))
    assert Item.history.filter(id=7).count() == 1
    source = write(tmp_path, [a_record(7, title="Tidal records, revised"), a_record(8)])
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))
    assert [(r.history_type, r.history_change_reason, r.title) for r in Item.history.filter(id=7)] == [
        ("~", "Imported from EPrints", "Tidal records, revised"),
        ("+", "Imported from EPrints", "Tidal records of harbour 7"),
    ]
    assert Item.history.filter(id=8).count() == 1


def test_the_search_index_holds_every_live_record_as_imported_and_follows_a_rerun(
    tmp_path, django_capture_on_commit_callbacks
):
    people = ["Okafor, Ngozi"]
    source = write(
        tmp_path,
        [
            a_record(7, creators=people),
            a_record(8),
            a_record(9, eprint_status="buffer"),  # under review: never in the index
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))

    entries = {entry.item_id: entry for entry in SearchEntry.objects.all()}
    assert sorted(entries) == [7, 8]
    assert entries[7].title == "Tidal records of harbour 7"
    assert ":JZ:" in entries[7].subject_lineages

    source = write(tmp_path, [a_record(7, title="Estuary gauges"), a_record(8, eprint_status="deletion")])
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))
    assert list(SearchEntry.objects.values_list("item_id", "title")) == [(7, "Estuary gauges")]


def test_search_catches_up_after_each_batch_not_only_at_the_end(monkeypatch, tmp_path):
    monkeypatch.setattr(records, "BATCH_RECORDS", 2)
    xml = export([a_record(eprintid) for eprintid in range(1, 6)])
    writer = RecordWriter(ImportReport(), FileSources())
    seen = []

    import_stream(io.BytesIO(xml), writer, on_record=lambda: seen.append(SearchEntry.objects.count()))

    assert seen == [0, 2, 2, 4, 4]
    assert SearchEntry.objects.count() == 5


def test_a_listing_cached_before_the_import_is_not_served_after_it(
    client, tmp_path, django_capture_on_commit_callbacks
):
    before = generation()
    assert "Tidal records" not in client.get("/cgi/latest").content.decode()
    source = write(tmp_path, [a_record(7), a_record(8)])
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))

    assert generation() > before
    page = client.get("/cgi/latest").content.decode()
    assert "Tidal records of harbour 7" in page and "Tidal records of harbour 8" in page


def test_every_imported_file_has_its_text_and_thumbnails_queued(
    queue, tmp_path, django_capture_on_commit_callbacks
):
    source = write(
        tmp_path,
        [
            a_record(7, documents=[document(1), document(2, "data.pdf")]),
            a_record(8),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(source))

    queued = {(result.task.module_path, tuple(result.args)) for result in queue.results}
    documents = Document.objects.values_list("pk", flat=True)
    assert queued == {(path, (pk,)) for pk in documents for path in QUEUED}
    assert len(queued) == 6


def test_a_rerun_that_changes_a_record_without_lastmod_moves_its_last_modified(
    tmp_path, django_capture_on_commit_callbacks
):
    record = a_record(7)
    del record["lastmod"]
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(write(tmp_path, [record])))
    first = Item.objects.get(pk=7).last_modified

    # Only the document's file differs: the item itself is not saved again.
    record["documents"] = [document(1, "notes.txt", data=b"Corrected notes")]
    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(write(tmp_path, [record])))
    second = Item.objects.get(pk=7).last_modified
    assert second > first

    with django_capture_on_commit_callbacks(execute=True):
        run("import_eprints", str(write(tmp_path, [record])))  # unchanged: left as it was
    assert Item.objects.get(pk=7).last_modified == second
