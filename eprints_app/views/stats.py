"""Usage statistics: an item's figures as JSON, and ``/cgi/stats/`` (IRStats2's address) with
the repository's tables, their CSV and the COUNTER Item Report."""

from datetime import UTC, datetime

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from eprints_app.browse.cache import cached
from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from eprints_app.stats import counter, figures, reports
from eprints_app.stats.aggregation import last_aggregated
from eprints_app.stats.periods import Period, PeriodError, parse_period

REPORT_DELIMITERS = {"tsv": "\t", "csv": ","}


@require_safe
def item_stats_json(request: HttpRequest, eprintid: int) -> HttpResponse:
    status = Item.objects.filter(pk=eprintid).values_list("status", flat=True).first()
    if status == ItemStatus.DELETION:
        return JsonResponse({"error": f"Item {eprintid} has been removed."}, status=410)
    if status != ItemStatus.ARCHIVE:
        return JsonResponse({"error": f"No item {eprintid}."}, status=404)
    return JsonResponse(figures.item_json(eprintid))


def period_or_error(request: HttpRequest) -> Period | HttpResponse:
    """The period asked for, or the page saying what is wrong with it (400)."""
    try:
        return parse_period(request.GET)
    except PeriodError as error:
        context = {
            "error": str(error),
            "period_from": request.GET.get("from", ""),
            "period_to": request.GET.get("to", ""),
        }
        return render(request, "eprints_app/stats/overview.html", context, status=400)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    period = period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    stamp = last_aggregated()
    site = cached(("usage-overview", period.query, stamp), lambda: reports.site_figures(period))
    context = {
        "period": period,
        "period_from": f"{period.first:%Y-%m}",
        "period_to": f"{period.last:%Y-%m}",
        "as_of": datetime.fromtimestamp(stamp, tz=UTC) if stamp else None,
        **site,
    }
    return render(request, "eprints_app/stats/overview.html", context)


@require_safe
def table_csv(request: HttpRequest, slug: str) -> HttpResponse:
    table = reports.TABLES.get(slug)
    if table is None:
        raise Http404("No such statistics table.")
    period = period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    return reports.csv_response(table, period)


@require_safe
def item_report(request: HttpRequest, extension: str) -> HttpResponse:
    period = period_or_error(request)
    if isinstance(period, HttpResponse):
        return period
    return counter.report_response(period, timezone.now(), REPORT_DELIMITERS[extension])
