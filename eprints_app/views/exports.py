"""Export URLs: /cgi/export/eprint/<id>/<Format>/<repoid>-eprint-<id>.<ext> (eprints.md §4, §5)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from eprints_app.public_cache import public_cache
from eprints_app.views.common import ItemRemoved, export_format, export_response, item_removed, public_item


@public_cache
@require_safe
def export_item(request: HttpRequest, eprintid: int, identifier: str, filename: str = "") -> HttpResponse:
    """One item in one format; an item that is not live answers as its page would (404 or 410)."""
    fmt = export_format(request, identifier)
    try:
        item = public_item(eprintid)
    except ItemRemoved as removed:
        return item_removed(request, removed.item)
    return export_response(fmt, [item], fmt.filename(item))
