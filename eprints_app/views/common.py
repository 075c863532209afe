"""What several views share: fetching items as the public or their managers may see them,
export formats and responses, serving a document's file, links and pages."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from eprints_app.access import can_manage, is_open_access, may_export
from eprints_app.citation import build_citation
from eprints_app.enums import ItemStatus
from eprints_app.exports import ExportFormat, get_format
from eprints_app.forms import DETAIL_FIELDS
from eprints_app.http import file_response, precondition_response, set_validators
from eprints_app.models import Document, Item
from eprints_app.public_cache import keep_file
from eprints_app.unavailable import StorageUnavailable, bucket_errors

logger = logging.getLogger(__name__)

SIGNED_URL_SECONDS = 300


class ItemRemoved(Exception):
    """A retired item, answered 410 "Item Removed" (``item_removed``)."""

    def __init__(self, item: Item) -> None:
        super().__init__(f"Item {item.pk} is retired.")
        self.item = item


def public_item(eprintid: int) -> Item:
    """A live item with its parts, for public pages and exports.

    Raises ItemRemoved for a retired item and Http404 for one that is not live.
    """
    item = get_object_or_404(Item.objects.with_parts().with_newer_version(), pk=eprintid)
    if item.status == ItemStatus.DELETION:
        raise ItemRemoved(item)
    if not item.is_live:
        raise Http404("No such item.")
    return item


def item_removed(request: HttpRequest, item: Item) -> HttpResponse:
    context = {"item": item, "citation": build_citation(item)}
    return render(request, "eprints_app/item_removed.html", context, status=410)


def item_for_manager(request: HttpRequest, eprintid: int) -> Item:
    """An item with its parts, for its depositor and editors (403 for anyone else)."""
    item = get_object_or_404(Item.objects.select_related("depositor").with_parts(), pk=eprintid)
    if not can_manage(request.user, item):
        raise PermissionDenied("Only the depositor and editors may manage this item.")
    return item


def record_fields(item: Item) -> list[dict]:
    """The item's set detail fields as label and shown value, for the staff view of the record."""
    rows = []
    for name in DETAIL_FIELDS:
        field = Item._meta.get_field(name)
        value = getattr(item, name)
        if value in ("", None):
            continue
        if field.choices:
            value = getattr(item, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        rows.append({"label": field.verbose_name, "value": value})
    return rows


def export_format(request: HttpRequest, identifier: str) -> ExportFormat:
    """The format asked for: 404 when there is none, 403 when it is for staff and this reader is not."""
    fmt = get_format(identifier)
    if fmt is None:
        raise Http404("No such export format.")
    if not may_export(request.user, fmt):
        raise PermissionDenied("This export format is for repository staff only.")
    return fmt


def export_response(fmt: ExportFormat, items: Sequence[Item], filename: str) -> HttpResponse:
    """The export of a list of items as a response; used by item, browse and search exports."""
    response = HttpResponse(fmt.render(items), content_type=fmt.content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def serve_document(request: HttpRequest, document: Document) -> HttpResponse:
    """The file of a document the reader may have: streamed with ranges, or from the bucket."""
    if settings.USE_S3:
        return signed_redirect(document)
    etag = f'"{document.sha256}"'
    not_modified = precondition_response(request, etag, document.file_modified)
    if not_modified is not None:
        return not_modified
    if settings.SENDFILE_HEADER:
        response = handed_to_front_server(document)
        set_validators(response, etag, document.file_modified)
    else:
        response = streamed(request, document, etag)
    if not is_open_access(document):
        # Only this reader may see it: no shared cache may keep a copy.
        patch_cache_control(response, private=True)
    return response


def signed_redirect(document: Document) -> HttpResponse:
    """The bucket serves the bytes (ranges included) through a short-lived signed URL.

    Signing needs no call to the bucket, so the object is asked for first (a HEAD, one round
    trip on a kept connection): a reader is never sent to an endpoint that is down (503, with
    Retry-After) or to an object that is gone (404, as from the filesystem).
    """
    storage, name = document.file.storage, document.file.name
    try:
        stored = storage.exists(name)
    except bucket_errors() as error:
        raise StorageUnavailable("Downloads will be back as soon as it is.") from error
    if not stored:
        logger.error("Stored file of document %s is missing", document.pk)
        raise Http404("The file of this document is missing; the staff have been told.")
    return redirect(
        storage.url(
            name,
            parameters={
                "ResponseContentType": document.mime_type,
                "ResponseContentDisposition": content_disposition_header(False, document.filename),
            },
            expire=SIGNED_URL_SECONDS,
        )
    )


def handed_to_front_server(document: Document) -> HttpResponse:
    """An empty answer whose header tells nginx (X-Accel-Redirect, to the internal location
    SENDFILE_PREFIX) or Apache (X-Sendfile, the file's path) to send the file, ranges included."""
    response = HttpResponse(content_type=document.mime_type)
    if settings.SENDFILE_HEADER == "X-Accel-Redirect":
        response["X-Accel-Redirect"] = settings.SENDFILE_PREFIX + quote(document.file.name)
    else:
        response["X-Sendfile"] = document.file.storage.path(document.file.name)
    response["Content-Disposition"] = content_disposition_header(False, document.filename)
    return response


def streamed(request: HttpRequest, document: Document, etag: str) -> HttpResponse:
    try:
        stored = document.file.storage.open(document.file.name, "rb")
    except OSError:
        logger.exception("Stored file of document %s is missing", document.pk)
        raise Http404("The file of this document is missing; the staff have been told.") from None
    response = file_response(
        request,
        stored,
        size=document.filesize,
        content_type=document.mime_type,
        filename=document.filename,
        etag=etag,
        last_modified=document.file_modified,
    )
    return keep_file(response, document.file.name) if response.status_code == 200 else response


@dataclass(frozen=True)
class Link:
    """A link in a trail, menu or facet: ``current`` marks the page's own, ``count`` what it holds."""

    label: str
    url: str
    count: int | None = None
    current: bool = False


def pagination(number: int, num_pages: int, url: Callable[[int], str]) -> dict:
    """What the shared pagination partial needs: where the previous and next pages are ("" at
    either end), ``url`` giving a page's address."""
    return {
        "number": number,
        "num_pages": num_pages,
        "previous": url(number - 1) if number > 1 else "",
        "next": url(number + 1) if number < num_pages else "",
    }
