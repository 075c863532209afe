"""Broken and hostile files: their text and thumbnails fail softly, on the record for staff, and
the document stays downloadable and its item page whole."""

import logging

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from eprints_app.enums import DerivativeStatus
from eprints_app.services import derivatives
from tests import derivative_support as files
from tests.derivative_support import deposit
from tests.factories import make_item

pytestmark = pytest.mark.django_db

HOSTILE = {
    "truncated PDF": (
        files.truncated_pdf,
        "paper.pdf",
        "PdfiumError: Failed to load document (PDFium: Data format error).",
    ),
    "garbage PDF": (
        files.garbage_pdf,
        "paper.pdf",
        "PdfiumError: Failed to load document (PDFium: Data format error).",
    ),
    "password-protected PDF": (
        files.encrypted_pdf,
        "paper.pdf",
        "PdfiumError: Failed to load document (PDFium: Incorrect password error).",
    ),
    "endless PDF": (files.endless_pdf, "paper.pdf", "Stopped after 2 seconds without a result."),
}


@pytest.fixture(autouse=True)
def short_limits(monkeypatch):
    """Two seconds are plenty for the real files here, and keep the endless one short."""
    monkeypatch.setattr(derivatives, "TEXT_SECONDS", 2)
    monkeypatch.setattr(derivatives, "THUMBNAIL_SECONDS", 2)
    cache.clear()


def assert_still_served(client, document, content: bytes) -> None:
    download = client.get(document.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    item_page = client.get(f"/id/eprint/{document.item_id}/")
    assert item_page.status_code == 200
    assert b'class="format-badge"' in item_page.content


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_pdf_fails_softly_and_stays_downloadable(
    name, client, django_capture_on_commit_callbacks, caplog
):
    make, filename, reason = HOSTILE[name]
    content = make()
    with caplog.at_level(logging.WARNING, logger="eprints_app.services.derivatives"):
        document = deposit(
            make_item(), django_capture_on_commit_callbacks, content=content, filename=filename
        )
    assert (document.text_status, document.thumbnail_status) == (
        DerivativeStatus.FAILED,
        DerivativeStatus.FAILED,
    )
    assert document.derivative_error == f"Thumbnails: {reason}"
    assert f"Text extraction failed for document {document.pk} (paper.pdf): {reason}" in caplog.text
    assert f"Thumbnails failed for document {document.pk} (paper.pdf): {reason}" in caplog.text
    assert (document.text, document.thumbnail_small.name) == ("", "")
    assert_still_served(client, document, content)


@pytest.mark.parametrize(
    ("width", "height", "reason"),
    [
        (
            30000,
            30000,
            "DecompressionBombError: Image size (900000000 pixels) exceeds limit of 178956970 pixels",
        ),
        (
            10000,
            10000,
            "DecompressionBombWarning: Image size (100000000 pixels) exceeds limit of 89478485 pixels",
        ),
        (8000, 8000, "ValueError: The image is 8000x8000 pixels, more than the limit of 60,000,000."),
    ],
)
def test_an_image_bomb_is_refused_before_it_is_decoded(
    width, height, reason, client, django_capture_on_commit_callbacks
):
    content = files.declared_png(width, height)
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=content, filename="huge.png")
    assert document.thumbnail_status == DerivativeStatus.FAILED
    assert document.derivative_error.startswith(f"Thumbnails: {reason}")
    assert document.text_status == DerivativeStatus.SKIPPED
    assert_still_served(client, document, content)


def test_a_failure_is_shown_to_staff_with_its_reason(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=files.encrypted_pdf())
    html = render_to_string("eprints_app/document_derivatives.html", {"document": document})
    assert "<dt>Text extraction</dt><dd>Failed</dd>" in html
    assert "<dt>Thumbnails</dt><dd>Failed</dd>" in html
    assert (
        '<dd class="derivative-error">Thumbnails: PdfiumError: Failed to load document '
        "(PDFium: Incorrect password error).</dd>"
    ) in html


def test_a_stage_that_succeeds_clears_its_own_error_and_keeps_the_others(
    django_capture_on_commit_callbacks, monkeypatch
):
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=files.garbage_pdf())
    monkeypatch.setattr(derivatives.thumbnails, "can_render", lambda mime_type: False)
    derivatives.build_thumbnails(document.pk)
    document.refresh_from_db()
    assert document.thumbnail_status == DerivativeStatus.SKIPPED
    assert document.derivative_error == ""
    derivatives.extract_document_text(document.pk)
    document.refresh_from_db()
    assert document.derivative_error.startswith("Text extraction: PdfiumError")
    derivatives.build_thumbnails(document.pk)
    document.refresh_from_db()
    assert document.derivative_error.startswith("Text extraction: PdfiumError")


def test_a_file_missing_from_storage_fails_softly(django_capture_on_commit_callbacks):
    document = deposit(make_item(), django_capture_on_commit_callbacks)
    document.file.storage.delete(document.file.name)
    assert derivatives.extract_document_text(document.pk) == DerivativeStatus.FAILED
    document.refresh_from_db()
    assert document.derivative_error == f"Text extraction: The stored file {document.file.name} is missing."
