"""Document downloads: headers, byte ranges, conditional requests, URLs and who may download what."""

import datetime
import functools
import hashlib
import logging

import pytest
from django.test import Client
from django.utils import timezone

from eprints_app.enums import ItemStatus, Security
from tests.factories import make_document, make_item, pdf_bytes

pytestmark = pytest.mark.django_db

CHUNK = 64 * 1024  # eprints_app.http.CHUNK, restated so a change to it is a decision


@functools.cache
def paper() -> bytes:
    return pdf_bytes()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def http_date(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


def login_url(path: str) -> str:
    return f"/accounts/login/?next={path}"


@pytest.fixture
def document():
    return make_document(make_item(), content=paper())


# Whole files


def test_whole_file_is_served_inline_with_its_validators(client, document):
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert body(response) == paper()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(paper()))
    assert response["Content-Disposition"] == 'inline; filename="paper.pdf"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == f'"{hashlib.sha256(paper()).hexdigest()}"'
    assert response["Last-Modified"] == http_date(document.file_modified)
    assert not response.has_header("Content-Range")


def test_download_url_has_the_eprints_shape(document):
    assert document.get_absolute_url() == f"/id/eprint/{document.item_id}/1/paper.pdf"


def test_content_type_comes_from_the_bytes_not_the_name(client):
    item = make_item()
    unnamed_pdf = make_document(item, content=paper(), filename="paper")
    text_called_pdf = make_document(item, content=b"just some notes\n", filename="notes.pdf")
    assert client.get(unnamed_pdf.get_absolute_url())["Content-Type"] == "application/pdf"
    assert client.get(text_called_pdf.get_absolute_url())["Content-Type"] == "text/plain"


def test_non_ascii_filename_gets_an_rfc_5987_disposition_and_a_working_url(client):
    document = make_document(make_item(), content=paper(), filename="Müller – résumé.pdf")
    assert document.filename == "Müller – résumé.pdf"
    url = document.get_absolute_url()
    assert url == f"/id/eprint/{document.item_id}/1/M%C3%BCller%20%E2%80%93%20r%C3%A9sum%C3%A9.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == paper()
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''M%C3%BCller%20%E2%80%93%20r%C3%A9sum%C3%A9.pdf"
    )


def test_download_streams_in_bounded_chunks_whatever_the_file_size(client):
    big = paper() + b"\n" + b"%" * (3 * 1024 * 1024)
    document = make_document(make_item(), content=big)
    response = client.get(document.get_absolute_url())
    assert response.streaming is True
    chunks = list(response.streaming_content)
    assert b"".join(chunks) == big
    assert len(chunks) == -(-len(big) // CHUNK)
    assert max(len(chunk) for chunk in chunks) == CHUNK


def test_ranged_download_streams_too(client, document):
    response = client.get(document.get_absolute_url(), HTTP_RANGE="bytes=0-99")
    assert response.streaming is True


# Byte ranges


@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("bytes=0-99", slice(0, 100)),
        ("bytes=-10", slice(-10, None)),
        ("bytes=100-", slice(100, None)),
        ("bytes=50-999999999", slice(50, None)),
        ("bytes=-999999999", slice(0, None)),
    ],
)
def test_single_byte_range_is_answered_with_206_and_exactly_those_bytes(client, document, header, part):
    size = len(paper())
    positions = range(size)[part]
    first, last = positions[0], positions[-1]
    response = client.get(document.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == paper()[part]
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{document.sha256}"'


@pytest.mark.parametrize("offset", [0, 1, 1000])
def test_range_starting_past_the_end_is_not_satisfiable(client, document, offset):
    size = len(paper())
    response = client.get(document.get_absolute_url(), HTTP_RANGE=f"bytes={size + offset}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    assert response.content == b""


@pytest.mark.parametrize(
    "header",
    [
        "bytes=abc",
        "bytes=",
        "bytes=-",
        "bytes=0-9,20-29",
        "bytes=0-9, 20-29",
        "pages=0-9",
        "bytes=9-0",
        "0-9",
    ],
)
def test_malformed_or_multiple_ranges_get_the_whole_file(client, document, header):
    response = client.get(document.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == paper()
    assert response["Content-Length"] == str(len(paper()))
    assert not response.has_header("Content-Range")


def test_if_range_with_a_stale_etag_gets_the_whole_file(client, document):
    response = client.get(document.get_absolute_url(), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=f'"{"0" * 64}"')
    assert response.status_code == 200
    assert body(response) == paper()
    assert not response.has_header("Content-Range")


def test_if_range_with_the_current_etag_gets_the_range(client, document):
    etag = client.get(document.get_absolute_url())["ETag"]
    response = client.get(document.get_absolute_url(), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=etag)
    assert response.status_code == 206
    assert body(response) == paper()[:100]


def test_if_range_with_a_weak_etag_gets_the_whole_file(client, document):
    etag = client.get(document.get_absolute_url())["ETag"]
    response = client.get(document.get_absolute_url(), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE="W/" + etag)
    assert response.status_code == 200
    assert body(response) == paper()


def test_if_range_with_the_last_modified_date_gets_the_range(client, document):
    response = client.get(
        document.get_absolute_url(), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=http_date(document.file_modified)
    )
    assert response.status_code == 206
    assert body(response) == paper()[:100]


def test_if_range_with_an_earlier_date_gets_the_whole_file(client, document):
    earlier = document.file_modified - datetime.timedelta(days=1)
    response = client.get(
        document.get_absolute_url(), HTTP_RANGE="bytes=0-99", HTTP_IF_RANGE=http_date(earlier)
    )
    assert response.status_code == 200
    assert body(response) == paper()


# Conditional requests


def test_if_none_match_with_the_etag_answers_304(client, document):
    etag = client.get(document.get_absolute_url())["ETag"]
    response = client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_with_last_modified_answers_304(client, document):
    last_modified = client.get(document.get_absolute_url())["Last-Modified"]
    response = client.get(document.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304
    assert response.content == b""


def test_if_none_match_with_another_etag_gets_the_file(client, document):
    response = client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=f'"{"0" * 64}"')
    assert response.status_code == 200
    assert body(response) == paper()


def test_conditional_request_does_not_bypass_access(client):
    document = make_document(make_item(), content=paper(), security=Security.STAFFONLY)
    url = document.get_absolute_url()
    response = client.get(url, HTTP_IF_NONE_MATCH=f'"{document.sha256}"')
    assert response.status_code == 302
    assert response["Location"] == login_url(url)


# URLs


def test_wrong_filename_redirects_to_the_right_url(client, document):
    response = client.get(f"/id/eprint/{document.item_id}/1/other-name.pdf")
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()


def test_wrong_filename_of_a_restricted_document_does_not_reveal_the_real_name(client):
    document = make_document(
        make_item(), content=paper(), filename="secret-title.pdf", security=Security.STAFFONLY
    )
    wrong = f"/id/eprint/{document.item_id}/1/guess.pdf"
    response = client.get(wrong)
    assert response.status_code == 302
    assert response["Location"] == login_url(wrong)


def test_short_form_redirects_permanently_to_the_long_form(client, document):
    response = client.get(f"/{document.item_id}/1/paper.pdf")
    assert response.status_code == 301
    assert response["Location"] == f"/id/eprint/{document.item_id}/1/paper.pdf"


@pytest.mark.parametrize("pos", ["2", "99999", "0", "x", "-1"])
def test_unknown_position_is_not_found(client, document, pos):
    assert client.get(f"/id/eprint/{document.item_id}/{pos}/paper.pdf").status_code == 404


def test_unknown_item_is_not_found(client, document):
    assert client.get(f"/id/eprint/{document.item_id + 1}/1/paper.pdf").status_code == 404


@pytest.mark.parametrize(
    "tail",
    [
        "1/..%2F..%2Fsettings.py",
        "1/..%2F..%2F..%2Frepository%2Fsettings.py",
        "1/../../settings.py",
        "1/..%5C..%5Csettings.py",
        "1/%2e%2e",
        "1/..",
        "1/.",
        "1/%2Fetc%2Fpasswd",
        "1/paper.pdf%00.txt",
        "1/%252e%252e%252fsettings.py",
    ],
)
@pytest.mark.parametrize("prefix", ["/id/eprint/", "/"])
def test_path_traversal_never_serves_another_file(client, document, prefix, tail):
    response = client.get(f"{prefix}{document.item_id}/{tail}", follow=True)
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        # Only ever by way of redirects to the document's own URL, and then its own bytes.
        assert response.redirect_chain[-1][0] == document.get_absolute_url()
        assert body(response) == paper()


def test_document_whose_stored_file_is_missing_is_not_found(client, document, caplog):
    document.file.storage.delete(document.file.name)
    with caplog.at_level(logging.ERROR, logger="eprints_app.views.downloads"):
        response = client.get(document.get_absolute_url())
    assert response.status_code == 404
    assert f"Stored file of document {document.pk} is missing" in caplog.text


# Who may download what (eprints.md §2)

EMBARGOES = {"no embargo": None, "embargo ahead": 30, "embargo passed": -30}


def may_download(who: str, security: str, status: str, embargo: str) -> bool:
    """eprints.md §2, restated: the owner and editors always; others only from a live item,
    by the document's security, which a future embargo makes staff-only and a past one public."""
    if who in {"owner", "editor"}:
        return True
    if status != ItemStatus.ARCHIVE:
        return False
    visible_to = {
        "no embargo": security,
        "embargo ahead": Security.STAFFONLY,
        "embargo passed": Security.PUBLIC,
    }[embargo]
    if visible_to == Security.PUBLIC:
        return True
    return visible_to == Security.VALIDUSER and who == "another user"


# Who is who in the cast (tests/conftest.py): the owner is its depositor.
CAST = {"anonymous": "anonymous", "another user": "other_depositor", "owner": "depositor", "editor": "editor"}


@pytest.mark.parametrize("embargo", list(EMBARGOES))
@pytest.mark.parametrize(
    "status", [ItemStatus.INBOX, ItemStatus.BUFFER, ItemStatus.ARCHIVE, ItemStatus.DELETION]
)
@pytest.mark.parametrize("security", [Security.PUBLIC, Security.VALIDUSER, Security.STAFFONLY])
@pytest.mark.parametrize("who", ["anonymous", "another user", "owner", "editor"])
def test_access_matrix(client, request, depositor, who, security, status, embargo):
    days = EMBARGOES[embargo]
    date_embargo = None if days is None else timezone.localdate() + datetime.timedelta(days=days)
    item = make_item(status=status, depositor=depositor)
    document = make_document(item, content=paper(), security=security, date_embargo=date_embargo)
    url = document.get_absolute_url()
    user = request.getfixturevalue(CAST[who])
    if user.is_authenticated:
        client.force_login(user)

    response = client.get(url)

    if may_download(who, security, status, embargo):
        assert response.status_code == 200
        assert body(response) == paper()
    elif who == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == login_url(url)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("days_until_embargo_ends", "status_for_anonymous"), [(-1, 200), (0, 200), (1, 302)])
def test_embargo_ends_on_its_date(client, days_until_embargo_ends, status_for_anonymous):
    ends = timezone.localdate() + datetime.timedelta(days=days_until_embargo_ends)
    document = make_document(make_item(), content=paper(), date_embargo=ends)
    assert client.get(document.get_absolute_url()).status_code == status_for_anonymous


def test_embargo_lifts_by_itself_when_the_day_comes(client, monkeypatch):
    today = timezone.localdate()
    document = make_document(
        make_item(),
        content=paper(),
        security=Security.STAFFONLY,
        date_embargo=today + datetime.timedelta(days=1),
    )
    url = document.get_absolute_url()
    assert client.get(url).status_code == 302

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == paper()


def test_restricted_download_may_not_be_kept_by_shared_caches(client, other_depositor):
    item = make_item()
    restricted = make_document(item, security=Security.VALIDUSER)
    public = make_document(item, filename="open.pdf")
    client.force_login(other_depositor)
    assert "private" in client.get(restricted.get_absolute_url())["Cache-Control"]
    # An open-access file may be kept by a CDN for a short time, when asked for anonymously.
    assert "public" in Client().get(public.get_absolute_url())["Cache-Control"]
