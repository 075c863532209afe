"""Oversized, empty, mislabelled, corrupt and hostile uploads, through the admin's deposit form
and the actions view: refused with a form error and nothing stored, or stored whole, served as
what they are, with text and thumbnails that fail softly ("failed") and a name shown as text."""

import functools
import gzip
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from eprints_app.enums import DerivativeStatus, ItemStatus
from eprints_app.models import Document, Item
from eprints_app.services.search_index import reindex_items
from tests import derivative_support as files
from tests.derivative_support import deposit
from tests.factories import make_item, pdf_bytes
from tests.form_data import ADD_URL, deposit_data
from tests.hostile.support import assert_inert_html, body, shown, unchanged_edit_data

pytestmark = pytest.mark.django_db

BOUNDARY = "HostileUploadBoundary"
FIELD = "documents-0-file"
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@functools.cache
def compressed_zeros(size: int) -> bytes:
    """A ZIP whose one member inflates to ``size`` zero bytes: a bomb for whatever unpacks it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * size)
    return buffer.getvalue()


REFUSED = {
    "empty": ("empty.pdf", lambda: b"", "The submitted file is empty."),
    "over the size limit": ("big.pdf", lambda: pdf_bytes() + b"%" * 1_000_000, "larger than the limit"),
    "PNG named .pdf": ("scan.pdf", lambda: files.png_bytes(4, 4), "does not match its name"),
    "PDF named .png": ("figure.png", pdf_bytes, "does not match its name"),
    "HTML named .pdf": ("paper.pdf", lambda: SCRIPT, "does not match its name"),
    "SVG with script named .png": ("figure.png", lambda: SVG, "does not match its name"),
    "SVG with script": ("figure.svg", lambda: SVG, "does not match its name"),
    "PDF named .html": ("page.html", pdf_bytes, "does not match its name"),
    "Windows program named .pdf": ("paper.pdf", lambda: b"MZ\x90\x00\x03" + b"\0" * 200, "does not match"),
    "ELF program named .txt": ("notes.txt", lambda: b"\x7fELF\x02\x01\x01" + b"\0" * 200, "does not match"),
    "gzip named .pdf": ("paper.pdf", lambda: gzip.compress(b"x" * 1000), "does not match its name"),
    "UTF-16 named .txt": ("notes.txt", lambda: "Grüße".encode("utf-16"), "does not match its name"),
    "ZIP bomb named .pdf": ("paper.pdf", lambda: compressed_zeros(50_000_000), "does not match its name"),
    "name of 300 UTF-8 bytes": ("\u00e9" * 148 + ".pdf", pdf_bytes, "The file name is too long"),
}

# Accepted and stored as they are; what text extraction and thumbnails make of them.
FAILED, SKIPPED, DONE = DerivativeStatus.FAILED, DerivativeStatus.SKIPPED, DerivativeStatus.DONE
ACCEPTED = {
    "truncated PDF": ("paper.pdf", files.truncated_pdf, "application/pdf", FAILED, FAILED),
    "garbage PDF": ("paper.pdf", files.garbage_pdf, "application/pdf", FAILED, FAILED),
    "password-protected PDF": ("paper.pdf", files.encrypted_pdf, "application/pdf", FAILED, FAILED),
    "PNG decompression bomb": (
        "scan.png",
        lambda: files.declared_png(30000, 30000),
        "image/png",
        SKIPPED,
        FAILED,
    ),
    "truncated PNG": ("scan.png", lambda: files.png_bytes(300, 300)[:90], "image/png", SKIPPED, FAILED),
    "script in an .html file": ("page.html", lambda: SCRIPT, "text/plain", DONE, SKIPPED),
    "ZIP bomb": ("data.zip", lambda: compressed_zeros(50_000_000), "application/zip", SKIPPED, SKIPPED),
}


@pytest.fixture(autouse=True)
def one_megabyte_limit(settings):
    settings.MAX_UPLOAD_SIZE_MB = 1


def stored_files(folder) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


# The admin's add form as deposit_data fills it in, read once: it is the same for every editor
# but for the depositor it names, the one signed in.
ADD_FORM: dict = {}


def post_admin(client, user, upload, filename_parameter: str | None = None):
    """The admin's deposit form with the upload, as an editor; the file part's filename
    parameter may be replaced with one the test client would never write."""
    client.force_login(user)
    if not ADD_FORM:
        ADD_FORM.update(deposit_data(client, status=ItemStatus.INBOX))
    data = {**ADD_FORM, "depositor": str(user.pk), FIELD: upload, "documents-0-content": "published"}
    return post_form(client, ADD_URL, data, filename_parameter)


def post_actions(client, user, upload, filename_parameter: str | None = None):
    """The actions view's edit form of the user's own item in the workarea, with the upload."""
    item = make_item(status=ItemStatus.INBOX, depositor=user)
    client.force_login(user)
    url = f"/id/eprint/{item.pk}/actions/"
    return post_form(client, url, {**unchanged_edit_data(item), FIELD: upload}, filename_parameter)


def post_form(client, url: str, data: dict, filename_parameter: str | None):
    payload = encode_multipart(BOUNDARY, data)
    if filename_parameter is not None:
        sent = f'name="{FIELD}"; filename="{data[FIELD].name}"'.encode()
        assert payload.count(sent) == 1
        payload = payload.replace(sent, f'name="{FIELD}"; {filename_parameter}'.encode())
    return client.post(url, payload, content_type=f"multipart/form-data; boundary={BOUNDARY}")


# How each form is posted, by whom, its status when it refuses, and the items there before.
ROUTES = {
    "admin deposit": (post_admin, "editor", 200, 0),
    "actions view": (post_actions, "depositor", 400, 1),
}


def refused_with(response, status: int, message: str) -> None:
    assert response.status_code == status
    assert message in " ".join(assert_inert_html(response).xpath("//ul[@class='errorlist']//text()"))


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_upload_is_refused_and_nothing_is_stored(client, request, media_root, route, case):
    post, role, status, items = ROUTES[route]
    name, content, message = REFUSED[case]
    response = post(client, request.getfixturevalue(role), SimpleUploadedFile(name, content()))
    refused_with(response, status, message)
    assert (Item.objects.count(), Document.objects.count()) == (items, 0)
    assert stored_files(media_root) == []


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", ACCEPTED)
def test_a_corrupt_or_hostile_file_is_kept_whole_and_its_derivatives_fail_softly(
    client, request, route, case, django_capture_on_commit_callbacks
):
    post, role, *_ = ROUTES[route]
    name, content, *_ = ACCEPTED[case]
    data = content()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, request.getfixturevalue(role), SimpleUploadedFile(name, data))
    assert response.status_code == 302
    assert_kept_whole(client, Document.objects.get(), case, data)


@pytest.mark.parametrize("case", ACCEPTED)
def test_add_document_keeps_a_corrupt_or_hostile_file_whole(client, case, django_capture_on_commit_callbacks):
    name, content, *_ = ACCEPTED[case]
    data = content()
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=data, filename=name)
    assert_kept_whole(client, document, case, data)


def assert_kept_whole(client, document: Document, case: str, data: bytes) -> None:
    """Stored as sent, typed by its bytes, derivatives as expected, served whole and inert."""
    name, _, mime_type, text_status, thumbnail_status = ACCEPTED[case]
    assert (document.filename, document.mime_type, document.filesize) == (name, mime_type, len(data))
    assert (document.text_status, document.thumbnail_status) == (text_status, thumbnail_status)
    download = client.get(document.get_absolute_url())
    assert (download.status_code, body(download)) == (200, data)
    assert download["Content-Type"] == mime_type
    assert download["X-Content-Type-Options"] == "nosniff"
    assert_inert_html(page_showing(client, document))


def page_showing(client, document: Document):
    """The item's public page once it is live, else its actions view (the client is signed in)."""
    live = document.item.status == ItemStatus.ARCHIVE
    page = client.get(
        f"/id/eprint/{document.item_id}/" if live else f"/id/eprint/{document.item_id}/actions/"
    )
    assert page.status_code == 200
    return page


# Names as sent, or (as sent, as kept): Django drops characters that do not print and reads
# HTML entities in uploaded names.
NAMES = {
    "markup": "<img src=x onerror=alert(1)>.pdf",
    "entities": ("&lt;b&gt;&amp;.pdf", "<b>&.pdf"),
    "quotes": "\"quoted\" 'name'.pdf",
    "header syntax": "a; filename=evil.exe; b=.pdf",
    "percent escapes": "%2e%2e%2f%00%0d%0a.pdf",
    "spaces": "  spaced   out .pdf",
    "right-to-left override": ("\u202egnp.pdf", "gnp.pdf"),
    "zero-width": ("zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"),
    "combining": "Ze\u0301\u0334ro.pdf",
    "emoji": "\U0001f642.pdf",
    "CJK": "\u540d\u524d.pdf",
    "254 characters": "a" * 250 + ".pdf",
    "240 UTF-8 bytes": "\u00e9" * 118 + ".pdf",
    "dots": "...pdf",
    "Windows device": "CON.pdf",
    "template syntax": "{{ request }}{% debug %}.pdf",
}


@pytest.mark.parametrize("case", NAMES)
def test_a_hostile_file_name_is_kept_and_shown_as_text(client, depositor, case):
    sent, kept = NAMES[case] if isinstance(NAMES[case], tuple) else (NAMES[case], NAMES[case])
    assert post_actions(client, depositor, SimpleUploadedFile(sent, pdf_bytes())).status_code == 302
    document = Document.objects.get()
    assert document.filename == kept
    assert_served_under_its_name(client, document)


def assert_served_under_its_name(client, document) -> None:
    download = client.get(document.get_absolute_url())
    assert (download.status_code, body(download)) == (200, pdf_bytes())
    disposition = download["Content-Disposition"]
    assert disposition.startswith("inline; filename")
    assert not set(disposition) & {"\r", "\n", "\0"}
    page = assert_inert_html(page_showing(client, document))
    assert shown(document.filename) in shown(page.text_content())


# Names only a hand-made request sends (RFC 2231's filename* can carry any character), and what
# becomes of them: the name kept (Django drops what does not print), a bad request (a name that
# Django's parser can make nothing of), a form error (a name with no letter or digit for the
# storage to keep), or no file at all (a part without a name).
BAD_REQUEST, NO_FILE, NO_LETTER = "bad request", "no file", "no letter"
RAW_NAMES = {
    "line break": ("filename*=UTF-8''a%0D%0Ab.pdf", "ab.pdf"),
    "NUL": ("filename*=UTF-8''a%00b.pdf", "ab.pdf"),
    "tab": ("filename*=UTF-8''a%09b.pdf", "ab.pdf"),
    "escape character": ("filename*=UTF-8''a%1Bb.pdf", "ab.pdf"),
    "Windows path": ('filename="C:\\\\fakepath\\\\evil.pdf"', "evil.pdf"),
    "encoded slashes": ("filename*=UTF-8''..%2F..%2Fevil.pdf", "evil.pdf"),
    "300 characters": ('filename="' + "b" * 296 + '.pdf"', "b" * 251 + ".pdf"),
    "400 UTF-8 bytes": ("filename*=UTF-8''" + "%C3%A9" * 198 + ".pdf", BAD_REQUEST),
    "invalid UTF-8": ("filename*=UTF-8''%FF%FE.pdf", "\ufffd\ufffd.pdf"),
    "Latin-1": ("filename*=ISO-8859-1''caf%E9.pdf", "caf\u00e9.pdf"),
    "only an emoji": ("filename*=UTF-8''%F0%9F%99%82", NO_LETTER),
    "nothing left": ("filename*=UTF-8''%00%0D", NO_FILE),
}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("case", RAW_NAMES)
def test_a_name_no_browser_sends_is_kept_cleaned_or_refused_and_never_breaks_a_page(
    client, request, media_root, route, case
):
    post, role, refused_status, items = ROUTES[route]
    parameter, outcome = RAW_NAMES[case]
    response = post(
        client, request.getfixturevalue(role), SimpleUploadedFile("x.pdf", pdf_bytes()), parameter
    )
    if outcome == NO_LETTER:
        refused_with(response, refused_status, "has no letter or digit")
    if outcome in {BAD_REQUEST, NO_FILE, NO_LETTER}:
        # Without a file the admin's form asks for one; the actions view has nothing to change.
        expected = {BAD_REQUEST: 400, NO_FILE: 302 if items else refused_status, NO_LETTER: refused_status}
        assert response.status_code == expected[outcome]
        assert Document.objects.count() == 0
        assert stored_files(media_root) == []
        return
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == outcome
    assert_served_under_its_name(client, document)


def test_a_megabyte_of_different_words_is_extracted_and_found(client, django_capture_on_commit_callbacks):
    """The worst case for PostgreSQL's limit on a tsvector: every word new."""
    words = " ".join(f"u{n:06d}" for n in range(124_000)).encode()[:999_000]
    document = deposit(make_item(), django_capture_on_commit_callbacks, content=words, filename="words.txt")
    assert (document.text_status, len(document.text)) == (DONE, len(words.strip()))
    reindex_items([document.item_id])
    results = client.get("/cgi/search/simple", {"q": "u000123"})
    assert f'href="/id/eprint/{document.item_id}/"' in results.content.decode()
