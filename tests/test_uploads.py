"""Bad uploads through the admin's add form are refused before anything is stored; the checks behind them."""

import html
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart
from PIL import Image

from eprints_app.models import Document, Item
from eprints_app.services.files import sniff_mime_type, validate_upload
from tests.factories import pdf_bytes
from tests.form_data import ADD_URL, deposit_data, form_errors

pytestmark = pytest.mark.django_db

BOUNDARY = "UploadTestBoundary"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def stored_files(folder) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


@pytest.fixture
def editor(editor, client):
    """The cast's editor (tests/conftest.py), signed in on the test's client."""
    client.force_login(editor)
    return editor


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("empty.pdf", lambda: b"", "The submitted file is empty."),
        (
            "image.pdf",
            png_bytes,
            "The file's content is image/png, which does not match its name (application/pdf).",
        ),
        (
            "notes.pdf",
            lambda: "Plain notes, not a PDF. Grüße.\n".encode() * 20,
            "The file's content is text/plain, which does not match its name (application/pdf).",
        ),
        (
            "picture.png",
            pdf_bytes,
            "The file's content is application/pdf, which does not match its name (image/png).",
        ),
    ],
    ids=["empty", "png-named-pdf", "text-named-pdf", "pdf-named-png"],
)
def test_bad_upload_redisplays_the_form_with_the_error_and_stores_nothing(
    client, editor, settings, filename, content, message
):
    upload = SimpleUploadedFile(filename, content())

    response = client.post(ADD_URL, deposit_data(client, upload))

    assert response.status_code == 200
    assert form_errors(response) == [message]
    assert html.escape(message) in response.content.decode()
    assert Item.objects.count() == 0
    assert Document.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []


# Django keeps the smaller upload in memory and spools the larger one to a temporary file.
@pytest.mark.parametrize("size", [1_100_000, 3_000_000])
def test_upload_over_the_size_limit_is_refused_and_stores_nothing(client, editor, settings, size):
    settings.MAX_UPLOAD_SIZE_MB = 1
    pdf = pdf_bytes()
    padded = pdf + b"\n%" + b"0" * (size - len(pdf) - 2)
    assert len(padded) == size

    response = client.post(ADD_URL, deposit_data(client, SimpleUploadedFile("big.pdf", padded)))

    assert response.status_code == 200
    assert form_errors(response) == ["The file is larger than the limit of 1 MB."]
    assert (Item.objects.count(), Document.objects.count()) == (0, 0)
    assert stored_files(settings.MEDIA_ROOT) == []


def test_upload_at_the_size_limit_is_accepted(client, editor, settings):
    settings.MAX_UPLOAD_SIZE_MB = 1
    pdf = pdf_bytes()
    padded = pdf + b"\n%" + b"0" * (1_000_000 - len(pdf) - 2)

    response = client.post(ADD_URL, deposit_data(client, SimpleUploadedFile("limit.pdf", padded)))

    assert response.status_code == 302
    assert Document.objects.get().filesize == 1_000_000


def post_with_raw_filename(client, data: dict, field: str, raw_name: str):
    """Post the form with the file's name exactly as given: the test client itself would shorten it."""
    upload = data[field]
    body = encode_multipart(BOUNDARY, data)
    sent = f'name="{field}"; filename="{upload.name}"'.encode()
    assert body.count(sent) == 1
    body = body.replace(sent, f'name="{field}"; filename="{raw_name}"'.encode())
    return client.post(ADD_URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@pytest.mark.parametrize(
    "raw_name", ["../../evil.pdf", "..\\..\\evil.pdf", "/etc/evil.pdf", "..&#x2F;..&#x2F;evil.pdf"]
)
def test_filename_with_path_parts_is_stored_under_media_documents_by_its_last_part(
    client, editor, settings, tmp_path, raw_name
):
    pdf = pdf_bytes()
    data = deposit_data(client, SimpleUploadedFile("placeholder.pdf", pdf), status="inbox")

    response = post_with_raw_filename(client, data, "documents-0-file", raw_name)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == "evil.pdf"
    documents_folder = (Path(settings.MEDIA_ROOT) / "documents").resolve()
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(documents_folder)
    assert stored.parent.parent == documents_folder / str(document.item_id)
    assert stored_files(tmp_path) == [stored]
    assert stored.read_bytes() == pdf


def upload_named(name: str, content: bytes) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("placeholder", content)
    # UploadedFile's name setter keeps only the last part (on POSIX, of "/" paths only);
    # validate_upload must not rely on that, so the name is set behind its back.
    upload._name = name
    return upload


@pytest.mark.parametrize("name", ["a/b.pdf", "../b.pdf", "a\\b.pdf", "..", ""])
def test_validate_upload_refuses_names_with_folders(name):
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload_named(name, pdf_bytes()))

    assert refused.value.code == "bad_name"
    assert refused.value.messages == ["The file name must be a plain name, without folders."]


def test_validate_upload_refuses_a_name_with_a_folder_set_through_the_name_attribute():
    upload = SimpleUploadedFile("b.pdf", pdf_bytes())
    upload.name = "a\\b.pdf"

    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)

    assert refused.value.code == "bad_name"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 1_000_000, "too_large"),
        ("image.pdf", png_bytes(), "type_mismatch"),
    ],
)
def test_validate_upload_refuses_empty_large_and_mismatched_files(settings, name, content, code):
    settings.MAX_UPLOAD_SIZE_MB = 1

    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, content))

    assert refused.value.code == code


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("paper.pdf", pdf_bytes()),
        ("figure.png", png_bytes()),
        ("data.csv", b"year,count\n2021,3\n"),
        ("README", b"no extension, any content"),
    ],
)
def test_validate_upload_accepts_files_that_are_what_their_names_say(name, content):
    upload = SimpleUploadedFile(name, content)

    validate_upload(upload)

    assert upload.tell() == 0


@pytest.mark.parametrize(
    ("content", "mime_type"),
    [
        (pdf_bytes(), "application/pdf"),
        (png_bytes(), "image/png"),
        ("Grüße aus Zürich, 東京\n".encode(), "text/plain"),
        # A sample that ends inside a multi-byte character is still text.
        ("Grüße aus Zürich, 東京".encode()[:-1], "text/plain"),
        (bytes(range(256)) * 4, "application/octet-stream"),
        (bytes(range(1, 256)) * 4, "application/octet-stream"),
        (b"\x80\x81\x82 not text" * 10, "application/octet-stream"),
    ],
    ids=["pdf", "png", "utf8-text", "utf8-text-cut", "junk-with-nul", "junk-without-nul", "bad-utf8"],
)
def test_sniff_mime_type_goes_by_content(content, mime_type):
    assert sniff_mime_type(content) == mime_type
