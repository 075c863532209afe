"""The years and item types that have live items, with how many each."""

import re
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse

from eprints_app.browse.cache import cached
from eprints_app.enums import ItemType
from eprints_app.models import Item


@dataclass(frozen=True)
class Entry:
    """One line of an index: what it is, how many it holds, and its page."""

    label: str
    count: int
    url: str


# EPrints' name for the page of the items a view's field leaves empty: /view/year/NULL.html.
UNSPECIFIED = "NULL"
UNSPECIFIED_LABEL = "Unspecified"
# The years that have a page: a date stored by a script ("20x1") begins with no year.
YEAR = re.compile("[0-9]{4}")


def years() -> list[Entry]:
    """Years with live items, newest first (Item.date begins with its year), then the undated."""
    return cached(("years",), _years)


def _years() -> list[Entry]:
    rows = (
        Item.objects.live()
        .annotate(year=Substr("date", 1, 4))
        .values_list("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
    )
    return [
        Entry(year or UNSPECIFIED_LABEL, count, reverse("browse_year", args=[year or UNSPECIFIED]))
        for year, count in rows
        if not year or YEAR.fullmatch(year)
    ]


def year_label(year: str) -> str:
    return UNSPECIFIED_LABEL if year == UNSPECIFIED else year


def items_of_year(year: str) -> QuerySet[Item]:
    """Live items dated in ``year`` (a range rather than a prefix match, so the date index
    serves), or those without a date."""
    if year == UNSPECIFIED:
        return Item.objects.live().filter(date="")
    return Item.objects.live().filter(date__gte=year, date__lte=f"{year}-12-31")


def year_has_items(year: str) -> bool:
    # Cached only when true: years asked for in vain cannot crowd the cache.
    return bool(cached(("year", year), lambda: items_of_year(year).exists() or None))


def item_types() -> list[Entry]:
    """Item types with live items, by label."""
    return cached(("types",), _item_types)


def _item_types() -> list[Entry]:
    counts = dict(Item.objects.live().values_list("type").annotate(count=Count("pk")).order_by())
    entries = [
        Entry(label, counts[value], reverse("browse_type", args=[value]))
        for value, label in ItemType.choices
        if counts.get(value)
    ]
    return sorted(entries, key=lambda entry: entry.label)
