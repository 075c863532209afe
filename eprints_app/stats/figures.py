"""An item's figures, as of the last aggregation: for ``stats.json`` and the item page."""

from datetime import date

from django.utils import timezone

from eprints_app.models import MonthlyUsage
from eprints_app.stats.charts import Series, monthly_chart
from eprints_app.stats.periods import last_months

RECENT_MONTHS = 12


def item_months(eprintid: int) -> list[MonthlyUsage]:
    """The item's months with any use, oldest first."""
    rows = MonthlyUsage.objects.filter(eprintid=eprintid).order_by("month")
    return [row for row in rows if row.views or row.downloads]


def item_json(eprintid: int) -> dict:
    """``GET /id/eprint/<id>/stats.json``."""
    months = item_months(eprintid)
    return {
        "eprintid": eprintid,
        "months": [
            {
                "month": f"{row.month:%Y-%m}",
                "views": row.views,
                "downloads": row.downloads,
                "unique_views": row.unique_views,
                "unique_downloads": row.unique_downloads,
            }
            for row in months
        ],
        "total": {
            "views": sum(row.views for row in months),
            "downloads": sum(row.downloads for row in months),
        },
    }


def item_summary(eprintid: int, today: date | None = None) -> dict:
    """The item page's block: the last 12 months (this one included) and all time, and a chart
    of those 12 months with a row for each in its table."""
    months = item_months(eprintid)
    recent = last_months(RECENT_MONTHS, today or timezone.localdate())
    by_month = {row.month: row for row in months}
    shown = [
        {
            "month": month,
            "label": f"{month:%B %Y}",
            "views": by_month[month].views if month in by_month else 0,
            "downloads": by_month[month].downloads if month in by_month else 0,
        }
        for month in recent.months
    ]
    return {
        "recent_views": sum(month["views"] for month in shown),
        "recent_downloads": sum(month["downloads"] for month in shown),
        "views": sum(row.views for row in months),
        "downloads": sum(row.downloads for row in months),
        "months": shown,
        # Drawn only if the page is (templates call it), not for a 304.
        "chart": lambda: monthly_chart(
            "item-usage",
            "Downloads and views of this item in each of the last 12 months",
            recent.months,
            [
                Series("Downloads", [month["downloads"] for month in shown]),
                Series("Views", [month["views"] for month in shown]),
            ],
        ),
    }


def etag_part(summary: dict) -> str:
    """What the item page's ETag needs to change with when its figures do."""
    counts = [summary["views"], summary["downloads"], summary["recent_views"], summary["recent_downloads"]]
    return ".".join(str(count) for count in counts)
