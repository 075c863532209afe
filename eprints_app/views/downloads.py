"""Document downloads: /id/eprint/<id>/<pos>/<filename> (eprints.md §2, §4)."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from eprints_app.access import can_download, is_open_access
from eprints_app.http import file_response, precondition_response
from eprints_app.metadata.signposting import collection_link
from eprints_app.models import Document

logger = logging.getLogger(__name__)

SIGNED_URL_SECONDS = 300


@require_safe
def download(request: HttpRequest, eprintid: int, pos: int, filename: str) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("item").defer("text"), item_id=eprintid, pos=pos
    )
    if not can_download(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("You may not download this document.")
    if filename != document.filename:
        return redirect(document.get_absolute_url())
    response = serve_document(request, document)
    if document.item.is_live:
        # FAIR Signposting: the file's way back to its landing page.
        response["Link"] = collection_link(document)
    return response


def serve_document(request: HttpRequest, document: Document) -> HttpResponse:
    """The file of a document the reader may have: streamed with ranges, or from the bucket."""
    if settings.USE_S3:
        # The bucket serves the bytes (ranges included) through a short-lived signed URL.
        return redirect(
            document.file.storage.url(
                document.file.name,
                parameters={
                    "ResponseContentType": document.mime_type,
                    "ResponseContentDisposition": content_disposition_header(False, document.filename),
                },
                expire=SIGNED_URL_SECONDS,
            )
        )
    etag = f'"{document.sha256}"'
    not_modified = precondition_response(request, etag, document.file_modified)
    if not_modified is not None:
        return not_modified
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
    if not is_open_access(document):
        # Only this reader may see it: no shared cache may keep a copy.
        patch_cache_control(response, private=True)
    return response


@require_safe
def download_short(request: HttpRequest, eprintid: int, pos: int, filename: str) -> HttpResponse:
    """/N/POS/filename leads to the long form."""
    return redirect("download", eprintid, pos, filename, permanent=True)
