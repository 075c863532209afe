"""Depositors' and editors' screens: my items, the review list, history, new versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from eprints_app.access import can_manage, is_editor
from eprints_app.citation import build_citation
from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from eprints_app.services.history import revision
from eprints_app.services.versions import new_version
from eprints_app.views.common import item_for_manager, record_fields

REVIEW_PAGE_SIZE = 200


@login_required
@require_safe
def my_items(request: HttpRequest) -> HttpResponse:
    """EPrints' "Manage deposits": the signed-in user's own items, by status."""
    own = Item.objects.filter(depositor=request.user).with_parts().order_by("-last_modified")
    groups = {status: [] for status in ItemStatus}
    for item in own:
        groups[ItemStatus(item.status)].append((item, build_citation(item)))
    context = {
        "groups": [(status.label, entries) for status, entries in groups.items()],
        "editor": is_editor(request.user),
    }
    return render(request, "eprints_app/my_items.html", context)


@login_required
@require_safe
def review(request: HttpRequest) -> HttpResponse:
    """Editors' review list: items under review, oldest first, with depositor and age."""
    if not is_editor(request.user):
        raise PermissionDenied("Only editors review deposits.")
    waiting = (
        Item.objects.filter(status=ItemStatus.BUFFER)
        .select_related("depositor")
        .with_parts()
        .order_by("status_changed", "id")[:REVIEW_PAGE_SIZE]
    )
    now = timezone.now()
    entries = [
        (item, build_citation(item), now - (item.status_changed or item.last_modified)) for item in waiting
    ]
    return render(request, "eprints_app/review.html", {"entries": entries})


@login_required
@require_http_methods(["GET", "POST"])
def make_new_version(request: HttpRequest, eprintid: int) -> HttpResponse:
    """Confirm (GET) and create (POST) a new version in the signed-in user's workarea."""
    item = item_for_manager(request, eprintid)
    if not item.is_live:
        raise PermissionDenied("Only an item in the live archive can have a new version.")
    if request.method == "POST":
        copy = new_version(item, request.user)
        messages.success(request, f"Item {copy.pk} is a new version of item {item.pk}, in your workarea.")
        return redirect("actions", copy.pk)
    return render(
        request, "eprints_app/new_version_confirm.html", {"item": item, "citation": build_citation(item)}
    )


@login_required
@require_safe
def item_revision(request: HttpRequest, eprintid: int, history_id: int) -> HttpResponse:
    """One earlier revision of the record, in full."""
    item = get_object_or_404(Item, pk=eprintid)
    if not can_manage(request.user, item):
        raise PermissionDenied("Only the depositor and editors may see an item's history.")
    record = get_object_or_404(item.history.all(), history_id=history_id)
    creators, documents = revision(item, record)
    context = {
        "item": item,
        "record": record,
        "fields": record_fields(record),
        "creators": creators,
        "documents": documents,
    }
    return render(request, "eprints_app/revision.html", context)
