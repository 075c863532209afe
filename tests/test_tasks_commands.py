"""The extract_text and rebuild_thumbnails commands: counts, --missing-only, safe to repeat."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document
from tests.derivative_support import garbage_pdf, png_bytes
from tests.factories import make_document, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents():
    """A PDF, an image, a text file and a broken PDF, none processed yet (their tasks never ran)."""
    item = make_item()
    return [
        make_document(item),
        make_document(item, content=png_bytes(50, 50), filename="figure.png"),
        make_document(item, content=b"some words", filename="notes.txt"),
        make_document(item, content=garbage_pdf(), filename="broken.pdf"),
    ]


def run(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def statuses(field: str) -> list[str]:
    return list(Document.objects.order_by("pk").values_list(field, flat=True))


def test_extract_text_processes_every_document_and_prints_the_counts(documents):
    out, err = run("extract_text")
    assert out == "Text: 2 done, 1 skipped, 1 failed (4 documents).\n"
    assert statuses("text_status") == ["done", "skipped", "done", "failed"]
    assert err.endswith("] 4/4\n")
    assert "A study of repositories" in Document.objects.get(pk=documents[0].pk).text


def test_extract_text_missing_only_leaves_finished_documents_alone(documents):
    run("extract_text")
    Document.objects.filter(pk=documents[0].pk).update(text="kept")
    out, _ = run("extract_text", "--missing-only")
    assert out == "Text: 0 done, 0 skipped, 1 failed (1 document).\n"
    assert Document.objects.get(pk=documents[0].pk).text == "kept"


def test_rebuild_thumbnails_processes_every_document_and_prints_the_counts(documents):
    out, _ = run("rebuild_thumbnails")
    assert out == "Thumbnails: 2 done, 1 skipped, 1 failed (4 documents).\n"
    assert statuses("thumbnail_status") == ["done", "done", "skipped", "failed"]


def test_rebuild_thumbnails_can_run_again_without_leaving_old_files(documents):
    run("rebuild_thumbnails")
    out, _ = run("rebuild_thumbnails")
    assert out == "Thumbnails: 2 done, 1 skipped, 1 failed (4 documents).\n"
    assert len(default_storage.listdir(f"thumbnails/{documents[0].item_id}")[1]) == 4


def test_rebuild_thumbnails_missing_only_retries_the_pending_and_the_failed(documents):
    run("rebuild_thumbnails", "--missing-only")
    Document.objects.filter(pk=documents[1].pk).update(thumbnail_status=DerivativeStatus.PENDING)
    out, _ = run("rebuild_thumbnails", "--missing-only")
    assert out == "Thumbnails: 1 done, 0 skipped, 1 failed (2 documents).\n"


def test_quiet_runs_draw_no_progress_bar(documents):
    err = io.StringIO()
    call_command("extract_text", verbosity=0, stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
