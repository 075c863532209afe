"""When the text and thumbnail tasks are queued: after the commit, and only for a new file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import default_task_backend
from django_tasks.backends.dummy import DummyBackend

from eprints_app.enums import DerivativeStatus, Security
from eprints_app.models import Document
from eprints_app.services.documents import replace_file
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db

QUEUED = {"eprints_app.tasks.extract_document_text", "eprints_app.tasks.build_document_thumbnails"}


class UnreachableBackend(DummyBackend):
    def enqueue(self, task, args, kwargs):
        raise ConnectionError("the queue is down")


@pytest.fixture
def queue(settings):
    """The dummy backend: tasks are recorded, not run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def queued(queue) -> set[tuple[str, tuple]]:
    return {(result.task.module_path, tuple(result.args)) for result in queue.results}


def test_a_new_document_queues_its_tasks_only_once_the_transaction_commits(
    queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        document = make_document(make_item())
        assert queue.results == []
    for callback in callbacks:
        callback()
    assert queued(queue) == {(path, (document.pk,)) for path in QUEUED}


def test_editing_a_documents_details_queues_nothing(queue, django_capture_on_commit_callbacks):
    document = make_document(make_item())
    document.security = Security.STAFFONLY
    with django_capture_on_commit_callbacks(execute=True):
        document.save()
    assert queue.results == []


def test_a_new_file_queues_the_tasks_again(queue, django_capture_on_commit_callbacks):
    document = make_document(make_item())
    with django_capture_on_commit_callbacks(execute=True):
        replace_file(document, SimpleUploadedFile("notes.txt", b"New words"))
    assert queued(queue) == {(path, (document.pk,)) for path in QUEUED}


def test_a_new_file_clears_what_was_derived_from_the_old_one_in_the_same_save(queue):
    document = make_document(make_item())
    Document.objects.filter(pk=document.pk).update(
        text="old words",
        text_status=DerivativeStatus.DONE,
        thumbnail_small="thumbnails/1/1-small.webp",
        thumbnail_status=DerivativeStatus.FAILED,
        derivative_error="Thumbnails: broken",
    )
    document.refresh_from_db()
    replace_file(document, SimpleUploadedFile("notes.txt", b"New words"))
    document.refresh_from_db()
    assert (document.text, document.text_status, document.thumbnail_small.name) == ("", "pending", "")
    assert (document.thumbnail_status, document.derivative_error) == ("pending", "")


def test_a_queue_that_cannot_be_reached_does_not_break_the_deposit(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = {"default": {"BACKEND": f"{__name__}.UnreachableBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(make_item())
    assert Document.objects.filter(pk=document.pk).exists()
    assert "the queue is down" in caplog.text
