"""The public item page (eprints.md §3), its short URLs, and the home page."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from eprints_app.citation import build_citation
from eprints_app.cite_as import cite_as_context
from eprints_app.feeds import latest_additions
from eprints_app.http import precondition_response, set_validators
from eprints_app.metadata.page import item_head
from eprints_app.metadata.signposting import header_links, link_header
from eprints_app.public_cache import public_cache
from eprints_app.stats import figures, recording
from eprints_app.views.common import ItemRemoved, item_removed, public_item

LATEST_ON_HOME = 10
# Formatting six CSL styles takes tens of milliseconds; the result only changes with the record.
CITE_AS_SECONDS = 24 * 3600


@public_cache
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    latest = latest_additions()[:LATEST_ON_HOME]
    entries = [(item, build_citation(item)) for item in latest]
    return render(request, "eprints_app/home.html", {"entries": entries})


@require_safe
def item_short(request: HttpRequest, eprintid: int) -> HttpResponse:
    """/N and /N/ lead to /id/eprint/N/, as in EPrints."""
    return redirect("item", eprintid, permanent=True)


@public_cache
@require_safe
def item_page(request: HttpRequest, eprintid: int) -> HttpResponse:
    try:
        item = public_item(eprintid)
    except ItemRemoved as removed:
        return item_removed(request, removed.item)
    recording.mark_view(request, item)
    usage = figures.item_summary(item.pk)
    # The page differs for signed-in users (header, actions), so they get their own ETag;
    # it changes when a newer version of the item goes live, which the page then links to.
    # Thumbnails arrive after the record's last change (tasks update no timestamps).
    thumbnails = "".join(document.thumbnail_status[0] for document in item.document_list)
    etag = (
        f'"{item.pk}-{item.rev_number}-{int(item.last_modified.timestamp())}'
        f'-{item.newer_version_id or 0}-{request.user.pk or 0}-{thumbnails}-{figures.etag_part(usage)}"'
    )
    not_modified = precondition_response(request, etag, item.last_modified)
    if not_modified is not None:
        return not_modified
    context = {
        "item": item,
        "citation": build_citation(item),
        "documents": item.document_list,
        "head": item_head(item),
        "cite_as": cache.get_or_set(
            f"cite-as:{item.pk}:{item.rev_number}:{item.last_modified.timestamp()}",
            lambda: cite_as_context(item),
            CITE_AS_SECONDS,
        ),
        "usage": usage,
    }
    response = render(request, "eprints_app/item.html", context)
    response["Link"] = link_header(header_links(item))
    return set_validators(response, etag, item.last_modified)
