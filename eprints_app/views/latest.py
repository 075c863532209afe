"""/cgi/latest: the latest additions as a page, and EPrints' /cgi/latest_tool feed addresses."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from eprints_app.citation import build_citation
from eprints_app.feeds import latest_additions
from eprints_app.public_cache import public_cache

RECENT_DAYS = 7
# When nothing came in during the last week, the page still shows this many.
FALLBACK_COUNT = 20
# A busy week is cut here, to keep the page light; the feeds and browse pages go further.
MAX_ON_PAGE = 200

FEED_OUTPUTS = {"atom": "latest_atom", "rss2": "latest_rss", "rss": "latest_rss"}


@public_cache
@require_safe
def latest(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    items = list(latest_additions().filter(date_deposited__gte=since)[: MAX_ON_PAGE + 1])
    recent = bool(items)
    if not recent:
        items = list(latest_additions()[:FALLBACK_COUNT])
    context = {
        "entries": [(item, build_citation(item)) for item in items[:MAX_ON_PAGE]],
        "recent": recent,
        "days": RECENT_DAYS,
        "truncated": len(items) > MAX_ON_PAGE,
    }
    return render(request, "eprints_app/latest.html", context)


@require_safe
def latest_tool(request: HttpRequest) -> HttpResponse:
    """EPrints' /cgi/latest_tool?output=Atom|RSS2 leads to our feeds; without output, to /cgi/latest."""
    target = FEED_OUTPUTS.get(request.GET.get("output", "").lower(), "latest")
    return redirect(target, permanent=True)
