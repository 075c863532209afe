"""Document downloads: /id/eprint/<id>/<pos>/<filename> (eprints.md §2, §4)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from eprints_app.access import can_download
from eprints_app.browse.cache import cached
from eprints_app.metadata.signposting import collection_link
from eprints_app.models import Document
from eprints_app.public_cache import public_cache
from eprints_app.stats import recording
from eprints_app.views.common import serve_document


def find_document(eprintid: int, pos: int) -> Document:
    """The document with its item, from the cache while nothing about either has changed (the
    listing generation): a download of an open-access file then makes no query. Access is
    decided afresh on every request, embargo dates included."""
    document = cached(
        ("document", eprintid, pos),
        lambda: (
            Document.objects.select_related("item").defer("text").filter(item_id=eprintid, pos=pos).first()
        ),
    )
    if document is None:
        raise Http404("No such document.")
    return document


@public_cache
@require_safe
def download(request: HttpRequest, eprintid: int, pos: int, filename: str) -> HttpResponse:
    document = find_document(eprintid, pos)
    if not can_download(request.user, document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("You may not download this document.")
    if filename != document.filename:
        return redirect(document.get_absolute_url())
    recording.mark_download(request, document)
    response = serve_document(request, document)
    if document.item.is_live:
        # FAIR Signposting: the file's way back to its landing page.
        response["Link"] = collection_link(document)
    return response


@require_safe
def download_short(request: HttpRequest, eprintid: int, pos: int, filename: str) -> HttpResponse:
    """/N/POS/filename leads to the long form."""
    return redirect("download", eprintid, pos, filename, permanent=True)
