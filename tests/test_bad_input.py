"""Bad input of every kind gets a clear 4xx answer or a form error: never a 500, never a change."""

import pytest

from eprints_app.enums import ItemStatus
from eprints_app.models import Document, Item
from tests.factories import make_document, make_item
from tests.form_data import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_document():
    return make_document(make_item())


@pytest.mark.parametrize(
    "path",
    [
        "/id/eprint/abc/",
        "/id/eprint/0/",
        "/id/eprint/1e5/",
        "/id/eprint/%00/",
        "/id/eprint/9999999999999999999/",
        "/id/eprint/12345678901234567890123/",
        "/id/eprint/1/0/x.pdf",
        "/id/eprint/1/999999/x.pdf",
        "/id/eprint/1/1/",
        "/id/eprint/1/actions/move/%3Cscript%3E/",
        "/cgi/users/home?screen=EPrint::View&eprintid=99999999999999999999",
        "/cgi/users/home?screen=EPrint::View&eprintid=-1",
        "/%E2%82%AC/",
        "/id/eprint/%FF%FE/",
    ],
)
def test_malformed_addresses_are_answered_with_a_4xx_or_a_redirect(client, path):
    assert client.get(path).status_code in {301, 302, 404}


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_public_pages_refuse_unsafe_methods(client, live_document, method):
    item = live_document.item
    for url in ("/", item.get_absolute_url(), live_document.get_absolute_url(), f"/{item.pk}/"):
        assert getattr(client, method)(url).status_code == 405


def test_head_requests_are_answered(client, live_document):
    assert client.head(live_document.item.get_absolute_url()).status_code == 200
    assert client.head(live_document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "bytes=",
        "bytes=-",
        "bytes=--1",
        "pages=1-2",
        "bytes=99999999999999999999999-",
        "bytes=0-0,-1",
        "x" * 5000,
    ],
)
def test_odd_range_headers_never_break_a_download(client, live_document, header):
    assert client.get(live_document.get_absolute_url(), HTTP_RANGE=header).status_code in {200, 206, 416}


@pytest.mark.parametrize(
    "header",
    [
        ("HTTP_IF_MODIFIED_SINCE", "yesterday"),
        ("HTTP_IF_NONE_MATCH", '"unterminated'),
        ("HTTP_IF_MATCH", "garbage"),
        ("HTTP_IF_RANGE", "not a date"),
    ],
)
def test_malformed_conditional_headers_never_break_the_page(client, live_document, header):
    name, value = header
    assert client.get(live_document.item.get_absolute_url(), **{name: value}).status_code in {200, 304, 412}
    assert client.get(live_document.get_absolute_url(), **{name: value}).status_code in {200, 206, 304, 412}


def owner_edit(client, depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    return item, url, edit_data(client.get(url))


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"type": "spaceship"},
        {"date": "21st of May"},
        {"date": "2021-02-30"},
        {"pages": "-4"},
        {"pages": "many"},
        {"official_url": "javascript:alert(1)"},
        {"contact_email": "not an address"},
        {"subjects": ["NOPE"]},
        {"revision": "abc"},
        {"creators-TOTAL_FORMS": "abc"},
        {"creators-0-orcid": "1234"},
        {"documents-0-date_embargo": "2021-99-99"},
    ],
)
def test_bad_edits_get_form_errors_and_change_nothing(client, depositor, change):
    item, url, data = owner_edit(client, depositor)
    response = client.post(url, {**data, **change})
    assert response.status_code == 400
    stored = Item.objects.get(pk=item.pk)
    assert (stored.title, stored.rev_number) == (item.title, item.rev_number)


def test_two_documents_given_the_same_position_get_a_form_error(client, depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    make_document(item)
    make_document(item, filename="second.pdf")
    client.force_login(depositor)
    url = f"/id/eprint/{item.pk}/actions/"
    data = edit_data(client.get(url))
    data["documents-1-pos"] = data["documents-0-pos"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert sorted(Document.objects.values_list("pos", flat=True)) == [1, 2]
