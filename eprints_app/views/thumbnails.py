"""Document thumbnails: /id/eprint/<id>/<pos>/thumbnail/<small|preview>.webp

Served here rather than from the media URL so that a thumbnail obeys its document's access
rules: the first page of a restricted document is as restricted as the document.
"""

import hashlib
import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from eprints_app.access import can_download, is_open_access
from eprints_app.enums import DerivativeStatus
from eprints_app.http import precondition_response, set_validators
from eprints_app.models import Document
from eprints_app.services.thumbnails import CONTENT_TYPE, SIZES
from eprints_app.tasks import request_thumbnails
from eprints_app.unavailable import StorageUnavailable, bucket_errors

logger = logging.getLogger(__name__)

# Page URLs carry the file's checksum (?v=...), so a new file is a new URL and a day is safe.
MAX_AGE = 24 * 3600


@require_safe
def thumbnail(request: HttpRequest, eprintid: int, pos: int, size: str) -> HttpResponse:
    if size not in SIZES:
        raise Http404("No such thumbnail size.")
    document = get_object_or_404(
        Document.objects.select_related("item").defer("text"), item_id=eprintid, pos=pos
    )
    if not can_download(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("You may not see this document.")
    stored = getattr(document, f"thumbnail_{size}")
    if document.thumbnail_status != DerivativeStatus.DONE or not stored:
        raise Http404("This document has no thumbnail.")
    name_digest = hashlib.sha256(stored.name.encode()).hexdigest()[:12]
    etag = f'"{document.sha256[:16]}-{name_digest}"'
    not_modified = precondition_response(request, etag, document.file_modified)
    if not_modified is not None:
        return not_modified
    try:
        with stored.storage.open(stored.name, "rb") as file:
            data = file.read()
    except OSError:
        logger.warning("Thumbnail %s of document %s is missing; rebuilding it", stored.name, document.pk)
        request_thumbnails(document)
        raise Http404("This document's thumbnail is being rebuilt.") from None
    except bucket_errors() as error:
        raise StorageUnavailable("Thumbnails will be back as soon as it is.") from error
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    # Only the reader who may see a restricted document may keep its thumbnail.
    audience = {"public": True} if is_open_access(document) else {"private": True}
    patch_cache_control(response, max_age=MAX_AGE, **audience)
    return set_validators(response, etag, document.file_modified)
