"""Export URLs: /cgi/export/eprint/<id>/<Format>/<repoid>-eprint-<id>.<ext> (eprints.md §4, §5)."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from eprints_app.access import is_editor
from eprints_app.exports import ExportFormat, get_format
from eprints_app.models import Item
from eprints_app.views.items import ItemRemoved, item_removed, public_item


def export_response(fmt: ExportFormat, items: Sequence[Item], filename: str) -> HttpResponse:
    """The export of a list of items as a response; used by item, browse and search exports."""
    response = HttpResponse(fmt.render(items), content_type=fmt.content_type)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def format_for(request: HttpRequest, identifier: str) -> ExportFormat:
    fmt = get_format(identifier)
    if fmt is None:
        raise Http404("No such export format.")
    if not fmt.public and not is_editor(request.user):
        raise PermissionDenied("This export format is for repository staff only.")
    return fmt


@require_safe
def export_item(request: HttpRequest, eprintid: int, identifier: str, filename: str = "") -> HttpResponse:
    """One item in one format; an item that is not live answers as its page would (404 or 410)."""
    fmt = format_for(request, identifier)
    try:
        item = public_item(eprintid)
    except ItemRemoved as removed:
        return item_removed(request, removed.item)
    return export_response(fmt, [item], fmt.filename(item))
