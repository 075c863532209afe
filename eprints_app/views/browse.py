"""Browse pages under /view/ (eprints.md §4, §8): by year, subject, division, author and type.

Index pages list what has live items, with counts. List pages look up what was asked for
(404 when it does not exist) and hand a Listing to ``listing_response``, which answers with a
page of it (?group=, ?page=) or with the whole list in an export format (?export=).
"""

import re
from math import ceil

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from eprints_app.browse import people, trees
from eprints_app.browse.cache import cached
from eprints_app.browse.indexes import Entry, item_types, items_of_year, year_has_items, year_label, years
from eprints_app.browse.listing import (
    DEFAULT_GROUPING,
    EXPORT_LIMIT,
    GROUPINGS,
    Listing,
    build_page,
    export_items,
)
from eprints_app.enums import ItemType
from eprints_app.exports import public_formats
from eprints_app.models import Item
from eprints_app.public_cache import public_cache
from eprints_app.views.common import Link, export_format, export_response, pagination

PAGE_NUMBER = re.compile(r"[0-9]{1,9}")
PEOPLE_PER_PAGE = 500
TREE_LABELS = {"subjects": "Subject", "divisions": "Division"}


def browse_trail(*links: Link) -> list[Link]:
    return [Link("Browse", reverse("browse")), *links]


@public_cache
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "eprints_app/browse/index.html")


@public_cache
@require_safe
def year_index(request: HttpRequest) -> HttpResponse:
    context = {
        "heading": "Browse by Year",
        "lead": "Items by the year of their date, newest first; those without a date last.",
        "entries": years(),
        "trail": browse_trail(),
    }
    return render(request, "eprints_app/browse/entries.html", context)


@public_cache
@require_safe
def year_page(request: HttpRequest, year: str) -> HttpResponse:
    if not year_has_items(year):
        raise Http404("No items of that year.")
    listing = Listing("year", year, f"Items where Year is {year_label(year)}", items_of_year(year))
    return listing_response(request, listing, browse_trail(Link("Year", reverse("browse_years"))))


@public_cache
@require_safe
def tree_index(request: HttpRequest, tree: str) -> HttpResponse:
    context = {
        "heading": f"Browse by {TREE_LABELS[tree]}",
        "nodes": trees.tree(tree).roots,
        "trail": browse_trail(),
    }
    return render(request, "eprints_app/browse/tree.html", context)


@public_cache
@require_safe
def tree_node(request: HttpRequest, tree: str, code: str) -> HttpResponse:
    found = trees.branch(tree, code)
    if found is None:
        raise Http404(f"No such {TREE_LABELS[tree].lower()}.")
    node = found.nodes[code]
    trail = browse_trail(
        Link(TREE_LABELS[tree], reverse("browse_tree", args=[tree])),
        *(Link(above.name, above.url) for above in found.ancestors(node)),
    )
    heading = f'Items where {TREE_LABELS[tree]} is "{node.path}"'
    listing = Listing(tree, code, heading, found.items_at_or_below(node))
    return listing_response(request, listing, trail, {"narrower": node.children})


@public_cache
@require_safe
def type_index(request: HttpRequest) -> HttpResponse:
    context = {"heading": "Browse by Item Type", "entries": item_types(), "trail": browse_trail()}
    return render(request, "eprints_app/browse/entries.html", context)


@public_cache
@require_safe
def type_page(request: HttpRequest, item_type: str) -> HttpResponse:
    if item_type not in ItemType.values:
        raise Http404("No such item type.")
    heading = f'Items where Type is "{ItemType(item_type).label}"'
    listing = Listing("types", item_type, heading, Item.objects.live().filter(type=item_type))
    return listing_response(request, listing, browse_trail(Link("Item Type", reverse("browse_types"))))


@public_cache
@require_safe
def creator_index(request: HttpRequest) -> HttpResponse:
    entries = [
        Entry(letter, count, reverse("browse_letter", args=[letter])) for letter, count in people.letters()
    ]
    context = {
        "heading": "Browse by Author",
        "lead": "Authors by the first letter of their family name, with how many authors each.",
        "entries": entries,
        "trail": browse_trail(),
    }
    return render(request, "eprints_app/browse/entries.html", context)


@public_cache
@require_safe
def creator_letter(request: HttpRequest, letter: str) -> HttpResponse:
    filed = people.filed_under(letter)
    number = page_number(request)
    num_pages = max(1, ceil(len(filed) / PEOPLE_PER_PAGE))
    if number > num_pages:
        raise Http404("No such page.")
    shown = filed[(number - 1) * PEOPLE_PER_PAGE : number * PEOPLE_PER_PAGE]
    starting = f"begins with {letter}" if letter != people.OTHER else "begins with another character"
    context = {
        "heading": f"Browse by Author: {letter}",
        "lead": f"Authors whose family name {starting}, with how many items each.",
        "entries": [Entry(p.name, p.count, p.url) for p in shown],
        "trail": browse_trail(Link("Author", reverse("browse_creators"))),
        "pages": page_links(request.path, number, num_pages, {}),
    }
    return render(request, "eprints_app/browse/entries.html", context)


@public_cache
@require_safe
def creator_page(request: HttpRequest, slug: str) -> HttpResponse:
    found = people.person(slug)
    if found is None:
        raise Http404("No such author.")
    letter = people.initial(found.family)
    trail = browse_trail(
        Link("Author", reverse("browse_creators")), Link(letter, reverse("browse_letter", args=[letter]))
    )
    listing = Listing("creators", slug, f'Items where Author is "{found.name}"', people.items_of(found))
    return listing_response(request, listing, trail, {"orcid": found.orcid})


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        raise Http404("No such page.")
    return int(raw)


def with_query(path: str, params: dict) -> str:
    query = urlencode(params)
    return f"{path}?{query}" if query else path


def page_links(path: str, number: int, num_pages: int, params: dict[str, str]) -> dict:
    """Pagination that keeps the other parameters."""
    return pagination(
        number, num_pages, lambda n: with_query(path, {**params, **({"page": n} if n > 1 else {})})
    )


def listing_response(
    request: HttpRequest, listing: Listing, trail: list[Link], extra: dict | None = None
) -> HttpResponse:
    """A page of the list, or the whole list in an export format."""
    grouping = request.GET.get("group", DEFAULT_GROUPING)
    if grouping not in GROUPINGS:
        raise Http404("No such grouping.")
    if "export" in request.GET:
        fmt = export_format(request, request.GET["export"])
        return export_response(fmt, export_items(listing, grouping), listing.filename(fmt))
    number = page_number(request)
    page = cached(
        ("list", listing.kind, listing.value, grouping, number),
        lambda: build_page(listing, grouping, number),
    )
    params = {"group": grouping} if grouping != DEFAULT_GROUPING else {}
    context = {
        "heading": listing.heading,
        "trail": trail,
        "page": page,
        "groupings": [
            Link(
                label,
                with_query(request.path, {"group": key} if key != DEFAULT_GROUPING else {}),
                current=key == grouping,
            )
            for key, label in GROUPINGS.items()
        ],
        "grouping": params.get("group", ""),
        "formats": public_formats(),
        "export_limit": EXPORT_LIMIT if page.count > EXPORT_LIMIT else None,
        "pages": page_links(request.path, page.number, page.num_pages, params),
        **(extra or {}),
    }
    return render(request, "eprints_app/browse/listing.html", context)
