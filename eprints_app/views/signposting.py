"""The item's FAIR Signposting linkset: /id/eprint/<id>/linkset (RFC 9264)."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from eprints_app.metadata.signposting import LINKSET_TYPE, linkset
from eprints_app.models import Item


@require_safe
def item_linkset(request: HttpRequest, eprintid: int) -> JsonResponse:
    """Every typed link of a live item; anything else is not found."""
    item = get_object_or_404(Item.objects.live().with_parts(), pk=eprintid)
    return JsonResponse(linkset(item), content_type=LINKSET_TYPE)
