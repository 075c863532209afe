"""Huge, negative, multiple and malformed Range headers: each gets exactly the bytes it names,
the whole file, or a 416, on every address that serves a file; never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eprints_app.enums import ItemStatus, Security
from eprints_app.services.documents import add_document
from tests.factories import make_document, make_item
from tests.hostile.support import body

pytestmark = pytest.mark.django_db

CONTENT = bytes(range(32, 127)) * 2
SIZE = len(CONTENT)
WHOLE = slice(None)
HUGE = "9" * 5000

RANGES = {
    "first byte": ("bytes=0-0", 206, slice(0, 1)),
    "open-ended": ("bytes=0-", 206, WHOLE),
    "last byte": ("bytes=-1", 206, slice(-1, None)),
    "suffix of nothing": ("bytes=-0", 416, None),
    "suffix longer than the file": ("bytes=-1000", 206, WHOLE),
    "end past the end": ("bytes=10-100000", 206, slice(10, None)),
    "start at the end": (f"bytes={SIZE}-", 416, None),
    "20-digit start": ("bytes=99999999999999999999-", 416, None),
    "20-digit end": ("bytes=5-99999999999999999999", 206, slice(5, None)),
    "5000-digit start": (f"bytes={HUGE}-", 416, None),
    "5000-digit end": (f"bytes=0-{HUGE}", 206, WHOLE),
    "5000-digit suffix": (f"bytes=-{HUGE}", 206, WHOLE),
    "5000-digit start and end": (f"bytes={HUGE}-{HUGE}", 416, None),
    "5000-digit start before a small end": (f"bytes={HUGE}-5", 200, WHOLE),
    "negative start": ("bytes=-5-10", 200, WHOLE),
    "double minus": ("bytes=--5", 200, WHOLE),
    "end before start": ("bytes=9-3", 200, WHOLE),
    "two ranges": ("bytes=0-1,5-6", 200, WHOLE),
    "overlapping ranges": ("bytes=0-10,5-15", 200, WHOLE),
    "ten thousand ranges": ("bytes=" + ",".join(["0-1"] * 10_000), 200, WHOLE),
    "a range and a suffix": ("bytes=0-0,-1", 200, WHOLE),
    "spaces everywhere": ("bytes = 2 - 4", 206, slice(2, 5)),
    "another unit": ("pages=1-2", 200, WHOLE),
    "no unit": ("0-5", 200, WHOLE),
    "hexadecimal": ("bytes=0x0-0x5", 200, WHOLE),
    "exponent": ("bytes=1e2-", 200, WHOLE),
    "plus sign": ("bytes=+1-5", 200, WHOLE),
    "fraction": ("bytes=1.5-5", 200, WHOLE),
    "NUL byte": ("bytes=0-5\x00", 200, WHOLE),
    "trailing comma": ("bytes=0-5,", 200, WHOLE),
    "only a comma": ("bytes=,", 200, WHOLE),
    "Latin-1 letter": ("bytes=0-5\xe9", 200, WHOLE),
    "8 KB of junk": ("\xff" * 8000, 200, WHOLE),
}


def assert_answered(response, status: int, part: slice | None, content: bytes = CONTENT) -> None:
    """The bytes named (206), the whole file (200) or nothing but the size (416)."""
    assert response.status_code == status
    if status == 416:
        assert response["Content-Range"] == f"bytes */{len(content)}"
        assert body(response) == b""
        return
    assert body(response) == content[part]
    assert response["Content-Length"] == str(len(content[part]))
    if status == 200:
        assert not response.has_header("Content-Range")
    else:
        positions = range(len(content))[part]
        assert response["Content-Range"] == f"bytes {positions[0]}-{positions[-1]}/{len(content)}"


def text_document(**fields):
    return make_document(make_item(**fields), content=CONTENT, filename="data.txt")


@pytest.mark.parametrize("case", RANGES)
def test_an_open_download_answers_a_range_with_its_bytes_the_whole_file_or_416(client, case):
    header, *expected = RANGES[case]
    document = text_document()
    assert_answered(client.get(document.get_absolute_url(), HTTP_RANGE=header), *expected)


@pytest.mark.parametrize(
    "case", ["first byte", "5000-digit end", "5000-digit start", "two ranges", "NUL byte"]
)
def test_a_restricted_download_answers_its_owner_the_same_and_privately(client, depositor, case):
    header, *expected = RANGES[case]
    document = text_document(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    response = client.get(document.get_absolute_url(), HTTP_RANGE=header)
    assert_answered(response, *expected)
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("case", ["first byte", "5000-digit end", "suffix of nothing"])
def test_a_range_of_a_file_the_reader_may_not_have_sends_no_byte(client, case):
    document = text_document()
    document.security = Security.STAFFONLY
    document.save()
    response = client.get(document.get_absolute_url(), HTTP_RANGE=RANGES[case][0])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("case", ["first byte", "5000-digit start", "end before start"])
def test_a_range_after_the_whole_file_was_kept_is_answered_live(client, case):
    header, *expected = RANGES[case]
    document = text_document()
    assert body(client.get(document.get_absolute_url())) == CONTENT
    assert_answered(client.get(document.get_absolute_url(), HTTP_RANGE=header), *expected)


@pytest.mark.parametrize("header", ["bytes=0-", "bytes=-1", "bytes=0-0", f"bytes=0-{HUGE}"])
def test_any_range_of_an_empty_file_is_unsatisfiable(client, header):
    document = add_document(make_item(), SimpleUploadedFile("empty.txt", b""))
    assert_answered(client.get(document.get_absolute_url(), HTTP_RANGE=header), 416, None, b"")
    assert_answered(client.get(document.get_absolute_url()), 200, WHOLE, b"")


@pytest.mark.parametrize(
    ("if_range", "status"),
    [
        ("garbage", 200),
        ('"' + "a" * 5000, 200),
        ("W/", 200),
        ("\x00", 200),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 200),
        ("Mon, 99 Foo 2024 99:99:99 GMT", 200),
        ("Fri, 31 Dec 9999 23:59:59 GMT", 206),
    ],
)
def test_an_if_range_that_names_no_current_copy_gets_the_whole_file(client, if_range, status):
    document = text_document()
    response = client.get(document.get_absolute_url(), HTTP_RANGE="bytes=0-0", HTTP_IF_RANGE=if_range)
    assert_answered(response, status, WHOLE if status == 200 else slice(0, 1))


@pytest.mark.parametrize("case", ["first byte", "5000-digit start", "two ranges"])
def test_a_head_request_with_a_range_sends_no_body(client, case):
    document = text_document()
    response = client.head(document.get_absolute_url(), HTTP_RANGE=RANGES[case][0])
    assert (response.status_code, body(response)) == (RANGES[case][1], b"")


@pytest.mark.parametrize(
    "path",
    [
        "/id/eprint/{pk}/",
        "/cgi/export/eprint/{pk}/BibTeX/demo-eprint-{pk}.bib",
        "/cgi/oai2?verb=Identify",
        "/feeds/latest.atom",
        "/{pk}/1/data.txt",
    ],
)
@pytest.mark.parametrize("case", ["first byte", "5000-digit start", "NUL byte"])
def test_a_range_on_an_address_that_serves_no_file_is_ignored(client, path, case):
    document = text_document()
    response = client.get(path.format(pk=document.item_id), HTTP_RANGE=RANGES[case][0])
    assert response.status_code in {200, 301}
