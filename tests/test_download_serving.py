"""How downloads are sent: by sendfile, or by the web server in front, and without queries once
the document is known; never to a reader who may no longer have it."""

from urllib.parse import quote

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from eprints_app.enums import Security
from eprints_app.services.documents import save_document
from tests.factories import make_document, make_item, pdf_bytes

pytestmark = pytest.mark.django_db


class FileWrapper:
    """What a WSGI server offers as wsgi.file_wrapper (gunicorn sends its file with sendfile)."""

    def __init__(self, file, block_size):
        self.file, self.block_size = file, block_size

    def __iter__(self):
        return iter(lambda: self.file.read(self.block_size), b"")


def test_a_whole_file_is_handed_to_the_wsgi_server_as_a_file():
    data = pdf_bytes()
    document = make_document(make_item(), content=data)
    environ = RequestFactory().get(document.get_absolute_url()).environ
    environ["wsgi.file_wrapper"] = FileWrapper
    started = []
    # As Django's test client does: the test's connection must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = WSGIHandler()(environ, lambda status, headers: started.append((status, dict(headers))))
        assert isinstance(body, FileWrapper)
        assert b"".join(body) == data
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    ((status, headers),) = started
    assert (status, headers["Content-Length"]) == ("200 OK", str(len(data)))


def test_a_second_download_of_an_open_access_file_makes_no_query(client, django_assert_num_queries):
    document = make_document(make_item())
    url = document.get_absolute_url()
    first = b"".join(client.get(url).streaming_content)
    with django_assert_num_queries(0):
        response = client.get(url)
        assert b"".join(response.streaming_content) == first


def test_a_document_restricted_after_a_download_is_refused_at_once(client):
    document = make_document(make_item())
    url = document.get_absolute_url()
    assert client.get(url).status_code == 200
    document.security = Security.STAFFONLY
    save_document(document)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("X-Accel-Redirect", lambda document, media: f"/protected-media/{quote(document.file.name)}"),
        ("X-Sendfile", lambda document, media: str(media / document.file.name)),
    ],
)
def test_the_web_server_in_front_may_send_the_file(client, settings, media_root, header, expected):
    settings.SENDFILE_HEADER = header
    document = make_document(make_item(), filename="report 1.pdf")
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response.content == b""
    assert response[header] == expected(document, media_root)
    assert response["Content-Type"] == "application/pdf"
    assert response["ETag"] == f'"{document.sha256}"'
    assert 'filename="report 1.pdf"' in response["Content-Disposition"]
    assert client.get(document.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_web_server_is_not_asked_to_send_a_file_the_reader_may_not_have(client, settings):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    document = make_document(make_item(), security=Security.STAFFONLY)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert "X-Accel-Redirect" not in response


def test_a_registered_readers_file_handed_to_the_server_stays_private(client, settings, depositor):
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    document = make_document(make_item(), security=Security.VALIDUSER)
    client.force_login(depositor)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert "X-Accel-Redirect" in response
    assert "private" in response["Cache-Control"]


def test_a_kept_download_sends_the_same_bytes_and_headers(client):
    document = make_document(make_item(), filename="Report 2024.pdf")
    url = document.get_absolute_url()
    fresh = client.get(url)
    fresh_bytes = b"".join(fresh.streaming_content)
    kept = client.get(url)
    assert b"".join(kept.streaming_content) == fresh_bytes
    for header in ("Content-Type", "Content-Length", "Content-Disposition", "ETag", "Last-Modified", "Link"):
        assert kept[header] == fresh[header]
    assert 'filename="Report 2024.pdf"' in kept["Content-Disposition"]


def test_a_byte_range_is_never_answered_with_the_kept_whole_file(client):
    data = pdf_bytes()
    document = make_document(make_item(), content=data)
    url = document.get_absolute_url()
    client.get(url)
    client.get(url)
    partial = client.get(url, HTTP_RANGE="bytes=0-9")
    assert partial.status_code == 206
    assert b"".join(partial.streaming_content) == data[:10]


def test_a_kept_download_whose_file_went_missing_is_answered_by_the_view(client):
    document = make_document(make_item())
    url = document.get_absolute_url()
    client.get(url)
    document.file.storage.delete(document.file.name)
    assert client.get(url).status_code == 404


def test_a_kept_download_answers_a_current_copy_with_304(client):
    document = make_document(make_item())
    url = document.get_absolute_url()
    etag = client.get(url)["ETag"]
    client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert make_item().pk  # the request left the database connection alone
