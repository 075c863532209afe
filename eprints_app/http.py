"""Serving stored files over HTTP with byte ranges (RFC 9110 §14), in constant memory."""

import re
from collections.abc import Iterator
from datetime import datetime

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

CHUNK = 64 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
# A position of more digits is past the end of any file: Python refuses to convert a number
# of more than 4,300 digits, and a header may well be longer.
MAX_DIGITS = 18


def set_validators(response: HttpResponse, etag: str, last_modified: datetime) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def precondition_response(request: HttpRequest, etag: str, last_modified: datetime) -> HttpResponse | None:
    """A 304 (or 412) when the client's copy is current; None when the full answer is due."""
    validators = set_validators(HttpResponse(), etag, last_modified)
    answer = get_conditional_response(
        request, etag=etag, last_modified=int(last_modified.timestamp()), response=validators
    )
    return None if answer is validators else answer


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """The one byte range asked for, as (first, last) inclusive.

    None means "send the whole file" (no header, a malformed one, or several ranges,
    which a server may answer in full); False means the range cannot be satisfied.
    """
    match = RANGE_RE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = (position(group) for group in match.groups())
    if first is None:
        if last == 0 or size == 0:
            return False
        return max(size - last, 0), size - 1
    last_byte = min(last, size - 1) if last is not None else size - 1
    if last is not None and last < first:
        return None
    if first >= size:
        return False
    return first, last_byte


def position(digits: str) -> int | None:
    """A position in a Range header, None when left out; past any file's end when too long."""
    if not digits:
        return None
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def read_range(file, first: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(first)
        remaining = length
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def if_range_allows(request: HttpRequest, etag: str, last_modified: datetime) -> bool:
    """A Range applies only if If-Range is absent or still names this representation."""
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    if validator.startswith(('"', "W/")):
        return validator == etag
    since = parse_http_date_safe(validator)
    return since is not None and int(last_modified.timestamp()) <= since


def file_response(
    request: HttpRequest,
    file,
    *,
    size: int,
    content_type: str,
    filename: str,
    etag: str,
    last_modified: datetime,
) -> HttpResponse:
    """A 200, 206 or 416 response streaming an open file, which it closes when done."""
    wanted = None
    if request.headers.get("Range") and if_range_allows(request, etag, last_modified):
        wanted = parse_range(request.headers["Range"], size)
    if wanted is False:
        file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None:
        # The whole file: the server may hand it to the kernel (wsgi.file_wrapper, sendfile).
        response = FileResponse(file, content_type=content_type)
        response.block_size = CHUNK
        response["Content-Length"] = str(size)
        response["Content-Disposition"] = content_disposition_header(False, filename)
    else:
        first, last = wanted
        response = StreamingHttpResponse(
            read_range(file, first, last - first + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(last - first + 1)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Accept-Ranges"] = "bytes"
    return set_validators(response, etag, last_modified)
