"""Monthly totals and uniques per item, from the raw events (COUNTER Release 5).

``aggregate`` rebuilds the ``MonthlyUsage`` rows of every month that still has its events, each
month in one transaction, from the events alone: it is idempotent and safe to run at any time,
and running it again gives the same rows. ``prune`` aggregates the months before a cut-off one
last time, then deletes their events and marks them final (``AggregatedMonth.pruned``).

The rules, as the Code of Practice gives them:

- Double clicks: requests from one session for the same item page or the same file that follow
  each other within 30 seconds count once (COUNTER keeps the last of them; one in each run).
- Totals: ``views`` (investigations of the item page) and ``downloads`` (requests of its files)
  after that rule; COUNTER's Total_Item_Investigations is their sum.
- Uniques: the sessions that viewed the item, that downloaded any of its files, and that did
  either, each counted once per item (Unique_Item_Investigations, Unique_Item_Requests).

A session lasts an hour and its key changes with the day's salt, so no run of double clicks and
no session reaches into another month.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from eprints_app.models import AggregatedMonth, MonthlyUsage, UsageEvent, UsageKind

DOUBLE_CLICK = timedelta(seconds=30)
# Moved on every aggregation: part of the item page's ETag and of its figures' cache key.
STAMP_KEY = "stats:aggregated"


def month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def next_month(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in ``TIME_ZONE``."""
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = next_month(month)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def months_between(first: date, last: date) -> list[date]:
    months = []
    while first <= last:
        months.append(first)
        first = next_month(first)
    return months


def months_with_events(before: date | None = None) -> list[date]:
    """The months from the oldest event to the newest (or to the month before ``before``)."""
    span = UsageEvent.objects.aggregate(first=Min("time"), last=Max("time"))
    if span["first"] is None:
        return []
    last = month_of(span["last"])
    months = months_between(month_of(span["first"]), last)
    return [month for month in months if before is None or month < before]


def count_month(month: date) -> list[MonthlyUsage]:
    """The month's rows, counted from its events."""
    start, end = month_bounds(month)
    events = UsageEvent.objects.filter(time__gte=start, time__lt=end)
    rows: dict[int, MonthlyUsage] = defaultdict(lambda: MonthlyUsage(month=month))
    previous = None
    ordered = events.order_by("kind", "eprintid", "pos", "session", "time")
    for kind, eprintid, pos, session, moment in ordered.values_list(
        "kind", "eprintid", "pos", "session", "time"
    ).iterator(chunk_size=5000):
        click = (kind, eprintid, pos, session)
        if previous is None or previous[0] != click or moment - previous[1] > DOUBLE_CLICK:
            row = rows[eprintid]
            if kind == UsageKind.VIEW:
                row.views += 1
            else:
                row.downloads += 1
        previous = (click, moment)
    uniques = (
        ("unique_views", events.filter(kind=UsageKind.VIEW)),
        ("unique_downloads", events.filter(kind=UsageKind.DOWNLOAD)),
        ("unique_investigations", events),
    )
    for field, subset in uniques:
        for eprintid, sessions in subset.values_list("eprintid").annotate(Count("session", distinct=True)):
            setattr(rows[eprintid], field, sessions)
    for eprintid, row in rows.items():
        row.eprintid = eprintid
    return list(rows.values())


def aggregate_month(month: date, *, prune: bool = False) -> int | None:
    """Rebuild the month's rows from its events (and with ``prune``, then delete them); None
    when the month was pruned before and its rows are final. Returns the number of rows."""
    with transaction.atomic():
        marker, _ = AggregatedMonth.objects.select_for_update().get_or_create(
            month=month, defaults={"aggregated": timezone.now()}
        )
        if marker.pruned:
            return None
        rows = count_month(month)
        MonthlyUsage.objects.filter(month=month).delete()
        MonthlyUsage.objects.bulk_create(rows)
        marker.aggregated = timezone.now()
        if prune:
            start, end = month_bounds(month)
            UsageEvent.objects.filter(time__gte=start, time__lt=end).delete()
            marker.pruned = True
        marker.save()
    transaction.on_commit(lambda: cache.set(STAMP_KEY, marker.aggregated.timestamp(), None))
    return len(rows)


def aggregate(months: list[date] | None = None) -> dict[date, int | None]:
    """Aggregate the given months, or every month that has events; {month: rows}."""
    return {month: aggregate_month(month) for month in (months or months_with_events())}


def prune(keep_months: int = 1, today: date | None = None) -> dict[date, int | None]:
    """Aggregate, then delete the events of months before the last ``keep_months`` whole
    months and this one; {month: rows}."""
    cutoff = (today or timezone.localdate()).replace(day=1)
    for _ in range(keep_months):
        cutoff = (cutoff - timedelta(days=1)).replace(day=1)
    return {month: aggregate_month(month, prune=True) for month in months_with_events(before=cutoff)}


def last_aggregated() -> float:
    """When figures last changed (a timestamp; 0 before the first aggregation), from the cache,
    else the database."""
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        latest = AggregatedMonth.objects.aggregate(latest=Max("aggregated"))["latest"]
        stamp = latest.timestamp() if latest else 0.0
        cache.set(STAMP_KEY, stamp, None)
    return stamp
