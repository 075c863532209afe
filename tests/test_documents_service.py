"""The document service: each operation does its steps, and a plain save does none of them."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils import timezone
from django_tasks import default_task_backend

from eprints_app.browse.cache import generation
from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document, Item
from eprints_app.search.models import SearchEntry
from eprints_app.services.documents import (
    add_document,
    delete_document,
    reorder_documents,
    replace_file,
    save_document,
)
from tests.factories import make_document, make_item, pdf_bytes

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.make_aware(datetime.datetime(2020, 1, 1, 12, 0))
QUEUED = {"eprints_app.tasks.extract_document_text", "eprints_app.tasks.build_document_thumbnails"}


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def aged(item: Item) -> Item:
    Item.objects.filter(pk=item.pk).update(last_modified=LONG_AGO)
    return Item.objects.get(pk=item.pk)


def test_adding_a_document_describes_stores_queues_and_tells_the_item(
    queue, django_capture_on_commit_callbacks
):
    item = aged(make_item(title="Kestrel migration"))
    data = pdf_bytes()
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        document = add_document(item, SimpleUploadedFile("kestrel.pdf", data), formatdesc="Preprint")
    document.refresh_from_db()
    assert (document.filename, document.mime_type) == ("kestrel.pdf", "application/pdf")
    assert (document.filesize, document.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    assert (document.pos, document.formatdesc) == (1, "Preprint")
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == data
    assert {(r.task.module_path, tuple(r.args)) for r in queue.results} == {
        (path, (document.pk,)) for path in QUEUED
    }
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO
    assert generation() > before
    assert SearchEntry.objects.get(pk=item.pk).title == "Kestrel migration"


def test_replacing_a_file_clears_what_was_derived_and_deletes_the_old_files_after_commit(
    queue, django_capture_on_commit_callbacks
):
    document = make_document(make_item())
    old_name = document.file.name
    thumbnail = default_storage.save(f"thumbnails/{document.item_id}/old.webp", ContentFile(b"webp"))
    Document.objects.filter(pk=document.pk).update(
        text="old words", text_status=DerivativeStatus.DONE, thumbnail_small=thumbnail
    )
    document.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(document, SimpleUploadedFile("notes.txt", b"New words"))
    document.refresh_from_db()
    assert (document.filename, document.mime_type, document.filesize) == ("notes.txt", "text/plain", 9)
    assert (document.text, document.text_status, document.thumbnail_small.name) == ("", "pending", "")
    assert not default_storage.exists(old_name)
    assert not default_storage.exists(thumbnail)
    assert default_storage.exists(document.file.name)


def test_a_change_of_description_keeps_the_file_and_queues_nothing(queue, django_capture_on_commit_callbacks):
    document = make_document(make_item())
    item = aged(document.item)
    queue.clear()
    document.formatdesc = "Accepted version"
    with django_capture_on_commit_callbacks(execute=True):
        save_document(document)
    assert queue.results == []
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO
    assert default_storage.exists(document.file.name)


def test_a_row_that_fails_to_save_leaves_no_file_behind(media_root):
    item = make_item()
    make_document(item)  # position 1
    before = sorted(media_root.rglob("*.pdf"))
    with pytest.raises(IntegrityError):
        add_document(item, SimpleUploadedFile("second.pdf", pdf_bytes()), pos=1)
    assert sorted(media_root.rglob("*.pdf")) == before
    assert item.documents.count() == 1


def test_deleting_a_document_tells_the_item_and_deletes_its_file_after_commit(
    django_capture_on_commit_callbacks,
):
    document = make_document(make_item())
    item = aged(document.item)
    with django_capture_on_commit_callbacks(execute=True):
        delete_document(document)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(document.file.name)
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO


def test_reordering_numbers_the_documents_in_the_order_given():
    item = make_item()
    first, second, third = (make_document(item, filename=f"{n}.pdf") for n in "abc")
    item = aged(item)
    reorder_documents(item, [third.pk, first.pk, second.pk])
    assert list(item.documents.order_by("pos").values_list("filename", "pos")) == [
        ("c.pdf", 1),
        ("a.pdf", 2),
        ("b.pdf", 3),
    ]
    assert Item.objects.get(pk=item.pk).last_modified > LONG_AGO
    with pytest.raises(ValueError):
        reorder_documents(item, [first.pk, second.pk])


def test_a_plain_save_moves_nothing_else(queue):
    document = make_document(make_item())
    item = aged(document.item)
    queue.clear()
    document.formatdesc = "Changed by a script"
    document.save()
    assert queue.results == []
    assert Item.objects.get(pk=item.pk).last_modified == LONG_AGO


def test_a_document_made_without_a_file_name_takes_the_stored_files_and_its_page_works(client):
    item = make_item()
    stored = default_storage.save(f"documents/{item.pk}/abc/report.pdf", ContentFile(pdf_bytes()))
    document = Document.objects.create(item=item, file=stored)
    assert document.filename == "report.pdf"
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert document.get_absolute_url().encode() in response.content


def test_a_document_with_no_name_anywhere_is_refused():
    with pytest.raises(ValueError, match="needs a file with a name"):
        Document.objects.create(item=make_item())
    assert not Document.objects.exists()
