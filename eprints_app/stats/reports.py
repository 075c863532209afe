"""The repository's figures for a period (``/cgi/stats/``): top items by views and by
downloads, totals by division, item type and year, and monthly totals; each as a table that
the page shows and that downloads as CSV.

Items in several divisions count in each, so the divisions' totals may add up to more than
the repository's.
"""

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Sum
from django.http import HttpResponse

from eprints_app.enums import ItemType
from eprints_app.models import Division, Item, MonthlyUsage
from eprints_app.stats.charts import Series, monthly_chart
from eprints_app.stats.periods import Period

TOP_ON_PAGE = 10
TYPE_LABELS = dict(ItemType.choices)


@dataclass
class Row:
    label: str
    views: int
    downloads: int
    url: str = ""
    key: str = ""  # the ID, code or month the label names


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    heading: str  # of the first column
    build: Callable[[Period, dict[int, tuple[int, int]]], list[Row]]

    def rows(self, period: Period, usage: dict[int, tuple[int, int]] | None = None) -> list[Row]:
        return self.build(period, per_item(period) if usage is None else usage)


def per_item(period: Period) -> dict[int, tuple[int, int]]:
    """{eprintid: (views, downloads)} over the period, for items with any use."""
    rows = (
        MonthlyUsage.objects.filter(month__gte=period.first, month__lte=period.last)
        .values_list("eprintid")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
    )
    return {eprintid: (views, downloads) for eprintid, views, downloads in rows if views or downloads}


def titles_of(eprintids: list[int]) -> dict[int, str]:
    titles = {}
    for start in range(0, len(eprintids), 500):  # within every database's limit on parameters
        titles.update(Item.objects.filter(pk__in=eprintids[start : start + 500]).values_list("pk", "title"))
    return titles


def top_items(usage: dict[int, tuple[int, int]], by: int, limit: int | None = None) -> list[Row]:
    """Items by views (``by`` 0) or downloads (1), most first, then by ID."""
    ranked = sorted(usage, key=lambda eprintid: (-usage[eprintid][by], eprintid))
    ranked = [eprintid for eprintid in ranked if usage[eprintid][by]][:limit]
    titles = titles_of(ranked)
    return [
        Row(
            titles.get(eprintid, f"Item {eprintid}"),
            *usage[eprintid],
            f"/id/eprint/{eprintid}/",
            str(eprintid),
        )
        for eprintid in ranked
    ]


def grouped(usage: dict[int, tuple[int, int]], groups: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for eprintid, group in groups:
        if eprintid in usage:
            views, downloads = usage[eprintid]
            totals[group][0] += views
            totals[group][1] += downloads
    return totals


def by_division(period: Period, usage: dict[int, tuple[int, int]]) -> list[Row]:
    links = Item.divisions.through.objects.values_list("item_id", "division_id").iterator()
    totals = grouped(usage, links)
    return [
        Row(division.path, *totals[division.code], f"/view/divisions/{division.code}.html", division.code)
        for division in Division.objects.filter(code__in=list(totals))
    ]


def by_type(period: Period, usage: dict[int, tuple[int, int]]) -> list[Row]:
    totals = grouped(usage, Item.objects.values_list("pk", "type").iterator())
    return [
        Row(TYPE_LABELS.get(code, code), *totals[code], f"/view/types/{code}.html", code)
        for code in sorted(totals, key=lambda code: TYPE_LABELS.get(code, code))
    ]


def by_year(period: Period, usage: dict[int, tuple[int, int]]) -> list[Row]:
    years = ((pk, date[:4] or "NULL") for pk, date in Item.objects.values_list("pk", "date").iterator())
    totals = grouped(usage, years)
    return [
        Row("Unspecified" if year == "NULL" else year, *totals[year], f"/view/year/{year}.html", year)
        for year in sorted(totals, key=lambda year: (not year.isdigit(), -int(year) if year.isdigit() else 0))
    ]


def by_month(period: Period, usage: dict[int, tuple[int, int]] | None = None) -> list[Row]:
    rows = (
        MonthlyUsage.objects.filter(month__gte=period.first, month__lte=period.last)
        .values_list("month")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
    )
    totals = {month: (views, downloads) for month, views, downloads in rows}
    return [
        Row(f"{month:%B %Y}", *totals.get(month, (0, 0)), key=f"{month:%Y-%m}") for month in period.months
    ]


TABLES = {
    table.slug: table
    for table in (
        Table("top-items", "Most viewed items", "Item", lambda period, usage: top_items(usage, 0)),
        Table("top-downloads", "Most downloaded items", "Item", lambda period, usage: top_items(usage, 1)),
        Table("divisions", "By division", "Division", by_division),
        Table("types", "By item type", "Item Type", by_type),
        Table("years", "By year of the item", "Year", by_year),
        Table("months", "By month", "Month", by_month),
    )
}


def site_figures(period: Period) -> dict:
    """Everything ``/cgi/stats/`` shows for the period (the top lists cut to ``TOP_ON_PAGE``)."""
    usage = per_item(period)
    months = by_month(period)
    tables = []
    for table in TABLES.values():
        if table.slug == "months":
            rows = months
        elif table.slug.startswith("top-"):
            rows = top_items(usage, 0 if table.slug == "top-items" else 1, TOP_ON_PAGE)
        else:
            rows = table.rows(period, usage)
        tables.append({"slug": table.slug, "title": table.title, "heading": table.heading, "rows": rows})
    return {
        "tables": tables,
        "views": sum(row.views for row in months),
        "downloads": sum(row.downloads for row in months),
        "chart": monthly_chart(
            "site-usage",
            f"Downloads and views of the repository each month, {period}",
            period.months,
            [
                Series("Downloads", [row.downloads for row in months]),
                Series("Views", [row.views for row in months]),
            ],
        ),
    }


def csv_response(table: Table, period: Period) -> HttpResponse:
    """The whole table for the period as CSV, named for the table and the period."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="stats-{table.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([table.heading, "ID", "Downloads", "Views"])
    for row in table.rows(period):
        writer.writerow([row.label, row.key, row.downloads, row.views])
    return response
