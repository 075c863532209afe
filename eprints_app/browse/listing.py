"""A browse list: the live items of a year, subject, division, author or item type, grouped
(by item type, by the first author's initial, or not at all) and cut into pages.

A page is data (its groups of items with their citations), cached by the view and rendered by
the page's template.
"""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Case, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Substr, Upper
from django.http import Http404

from eprints_app.citation import Citation, build_citation
from eprints_app.enums import ItemType
from eprints_app.exports import ExportFormat
from eprints_app.models import Creator, Item

#: The "Group by" choices of EPrints' view pages, by the value of ?group=.
GROUPINGS = {"type": "Item Type", "initial": "Author's initial", "none": "No grouping"}
DEFAULT_GROUPING = "type"
PAGE_SIZE = 100
# An export carries the whole list up to this many items, in list order: more than any year
# or author has, and a bound on what one request may cost.
EXPORT_LIMIT = 10_000
NO_AUTHOR = "No author"


@dataclass(frozen=True)
class Listing:
    #: What the list is (year, subjects, divisions, creators, types) and which one ("2021"):
    #: they name it in cache keys and in export file names.
    kind: str
    value: str
    heading: str
    #: Live items, in no particular order.
    items: QuerySet[Item]

    def ordered(self, grouping: str) -> QuerySet[Item]:
        """The items with their parts, group by group, newest first within a group."""
        items = self.items.with_parts()
        if grouping == "type":
            return items.annotate(type_rank=type_rank()).order_by("type_rank", "-date", "title", "pk")
        if grouping == "initial":
            items = items.annotate(first_family=first_family(), initial=Upper(Substr("first_family", 1, 1)))
            return items.order_by(F("initial").asc(nulls_last=True), "first_family", "-date", "pk")
        return items.order_by("-date", "title", "pk")

    def filename(self, fmt: ExportFormat) -> str:
        """EPrints-style export file name: "<repoid>-year-2021.bib"."""
        return f"{settings.REPOSITORY_ID}-{self.kind}-{self.value}.{fmt.extension}"


def type_rank() -> Case:
    """Item types numbered in the order of their labels, the order their groups are shown in."""
    by_label = sorted(ItemType.choices, key=lambda choice: choice[1])
    ranks = [When(type=value, then=Value(rank)) for rank, (value, _label) in enumerate(by_label)]
    return Case(*ranks, default=Value(len(ranks)))


def first_family() -> Subquery:
    """The family name the citation opens with: the first creator's, or else the first editor's."""
    people = Creator.objects.filter(item=OuterRef("pk")).order_by("role", "position", "id")
    return Subquery(people.values("family")[:1])


@dataclass(frozen=True)
class Group:
    #: The group's heading; None when the list is not grouped.
    label: str | None
    entries: list[tuple[Item, Citation]]


@dataclass(frozen=True)
class ListingPage:
    groups: list[Group]
    count: int
    number: int
    num_pages: int
    first: int
    last: int


def group_label(item: Item, grouping: str) -> str | None:
    if grouping == "type":
        return item.get_type_display()
    if grouping == "initial":
        return item.initial or NO_AUTHOR
    return None


def build_page(listing: Listing, grouping: str, number: int) -> ListingPage:
    """Page ``number`` of the list (404 when there is no such page), in a fixed number of queries."""
    paginator = Paginator(listing.ordered(grouping), PAGE_SIZE)
    try:
        page = paginator.page(number)
    except InvalidPage:
        raise Http404("No such page.") from None
    groups = [
        Group(label, [(item, build_citation(item)) for item in items])
        for label, items in groupby(page.object_list, key=lambda item: group_label(item, grouping))
    ]
    return ListingPage(
        groups=groups,
        count=paginator.count,
        number=page.number,
        num_pages=paginator.num_pages,
        first=page.start_index(),
        last=page.end_index(),
    )


def export_items(listing: Listing, grouping: str) -> list[Item]:
    return list(listing.ordered(grouping)[:EXPORT_LIMIT])
