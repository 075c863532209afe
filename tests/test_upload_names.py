"""Upload names the storage can make no stored name of (only emoji, symbols or spaces) are a form
error on the admin's document form and the actions view's document formset, with the record left
unsaved and nothing stored, not a bare 400 from the storage once the record was being saved."""

from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import encode_multipart

from eprints_app.enums import ItemStatus
from eprints_app.models import Document, Item
from tests.factories import make_item, pdf_bytes
from tests.form_data import ADD_URL, deposit_data, edit_data

pytestmark = pytest.mark.django_db

BOUNDARY = "UploadNameBoundary"
FIELD = "documents-0-file"
NAMELESS = {
    "an emoji": "\U0001f642",
    "symbols": "@$$()",
    "spaces": "   ",
    "an emoji behind a right-to-left override": "\u202e\U0001f642",
    "a dash of punctuation": "!?!",
}


def post(client, url: str, data: dict, name: str, *, raw: bool):
    """The form with a PDF under ``name``: as a browser writes it (filename="..."), or as only a
    hand-made request does (RFC 2231's filename*=, which can carry any character)."""
    payload = encode_multipart(BOUNDARY, {**data, FIELD: SimpleUploadedFile("x.pdf", pdf_bytes())})
    sent = f'name="{FIELD}"; filename="x.pdf"'.encode()
    header = f"filename*=UTF-8''{quote(name, safe='')}" if raw else f'filename="{name}"'
    payload = payload.replace(sent, f'name="{FIELD}"; {header}'.encode())
    return client.post(url, payload, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def errors(response) -> str:
    return " ".join(
        lxml.html.fromstring(response.content).xpath("//ul[contains(@class, 'errorlist')]//text()")
    )


def stored_files(folder) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


@pytest.mark.parametrize("raw", [False, True], ids=["filename", "filename*"])
@pytest.mark.parametrize("case", NAMELESS)
def test_admin_deposit_with_a_file_name_of_no_letter_or_digit_is_a_form_error(
    client, editor, media_root, case, raw
):
    client.force_login(editor)

    response = post(client, ADD_URL, deposit_data(client, status=ItemStatus.INBOX), NAMELESS[case], raw=raw)

    assert response.status_code == 200
    assert "has no letter or digit: rename the file (for example to paper.pdf)" in errors(response)
    assert (Item.objects.count(), Document.objects.count()) == (0, 0)
    assert stored_files(media_root) == []


@pytest.mark.parametrize("raw", [False, True], ids=["filename", "filename*"])
@pytest.mark.parametrize("case", NAMELESS)
def test_actions_view_edit_with_a_file_name_of_no_letter_or_digit_is_a_form_error(
    client, depositor, media_root, case, raw
):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor, title="Before")
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    data = {**edit_data(client.get(url)), "title": "After"}

    response = post(client, url, data, NAMELESS[case], raw=raw)

    assert response.status_code == 400
    assert "has no letter or digit: rename the file (for example to paper.pdf)" in errors(response)
    assert response.context["item_form"]["title"].value() == "After"
    assert Item.objects.get(pk=item.pk).title == "Before"
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("name", ["-", "_", "....", "\u540d\u524d", "\U0001f642.pdf"])
def test_a_name_with_something_to_keep_is_stored(client, depositor, name):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"

    response = post(client, url, edit_data(client.get(url)), name, raw=True)

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.filename == name
    assert document.file.read() == pdf_bytes()
