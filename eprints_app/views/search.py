"""Simple and advanced search (eprints.md §4, §8): /cgi/search/simple?q=… and /cgi/search/advanced.

Both take the same parameters; the advanced page shows every field. Results come 20 a page
with facets that narrow them, and export through the format registry with ``export=<Format>``.
"""

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from eprints_app.enums import PublicationStatus
from eprints_app.exports import public_formats
from eprints_app.public_cache import public_cache
from eprints_app.search.classification import Tree, division_tree, subject_tree
from eprints_app.search.facets import Facets, FacetValue, type_label
from eprints_app.search.forms import ORDERS, SearchForm
from eprints_app.services.search import EXPORT_LIMIT, SearchPage, export_items, search
from eprints_app.views.common import Link, export_format, export_response, pagination


class Links:
    """URLs of this search with one parameter changed; a new URL starts again at page 1."""

    def __init__(self, params: QueryDict) -> None:
        self.params = params.copy()
        for name in ("page", "export"):
            self.params.pop(name, None)

    def url(self, name: str, values: list[str]) -> str:
        query = self.params.copy()
        query.setlist(name, values)
        return f"?{query.urlencode()}"


@public_cache
@require_safe
def simple(request: HttpRequest) -> HttpResponse:
    return search_page(request, "eprints_app/search_simple.html")


@public_cache
@require_safe
def advanced(request: HttpRequest) -> HttpResponse:
    return search_page(request, "eprints_app/search_advanced.html")


def search_page(request: HttpRequest, template: str) -> HttpResponse:
    subjects, divisions = subject_tree(), division_tree()
    form = SearchForm(request.GET or None, subjects=subjects, divisions=divisions)
    context: dict = {"form": form}
    if not form.is_bound:
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    criteria, order = form.criteria(), form.cleaned_data["order"]
    context["ignored"] = form.ignored_fields()
    if criteria.is_empty():
        return render(request, template, context)
    if "export" in request.GET:
        fmt = export_format(request, request.GET["export"])
        return export_response(fmt, export_items(criteria, order), fmt.filename())
    found = search(criteria, order, request.GET.get("page"), subjects, divisions)
    links = Links(request.GET)
    context.update(
        found=found,
        orders=[
            Link(label, links.url("order", [key]), current=key == found.order)
            for key, label in ORDERS.items()
            if key != "relevance" or criteria.texts
        ],
        facet_groups=facet_groups(found.facets, form, links),
        chosen=chosen_filters(form, links),
        pages=pages(found, links),
        formats=public_formats(),
        export_params=[(name, value) for name, values in links.params.lists() for value in values],
        export_limit=EXPORT_LIMIT,
    )
    return render(request, template, context)


def facet_groups(facets: Facets, form: SearchForm, links: Links) -> list[tuple[str, list[Link]]]:
    def level(name: str, tree: Tree, values: list[FacetValue]) -> list[Link]:
        chosen = form.cleaned_data[name]
        result = []
        for value in values:
            ancestors = tree.nodes[value.value].lineage.split(":")
            codes = [code for code in chosen if code not in ancestors] + [value.value]
            result.append(Link(value.label, links.url(name, codes), value.count))
        return result

    groups = [
        ("Item Type", [Link(v.label, links.url("type", [v.value]), v.count) for v in facets.types]),
        ("Year", [Link(v.label, links.url("year", [v.value]), v.count) for v in facets.years]),
        ("Subject", level("subject", form.subjects, facets.subjects)),
        ("Division", level("division", form.divisions, facets.divisions)),
    ]
    return [(title, entries) for title, entries in groups if entries]


def chosen_filters(form: SearchForm, links: Links) -> list[Link]:
    """The filters in force, each with the URL of the search without it."""
    data = form.cleaned_data
    labels = {
        "type": type_label,
        "year": str,
        "subject": lambda code: form.subjects.nodes[code].path,
        "division": lambda code: form.divisions.nodes[code].path,
        "ispublished": lambda value: PublicationStatus(value).label,
    }
    chosen = []
    for name, label in labels.items():
        values = [str(value) for value in data[name]]
        for value in values:
            others = [other for other in values if other != value]
            chosen.append(Link(label(value), links.url(name, others)))
    if data["refereed"]:
        chosen.append(Link(f"Refereed: {data['refereed'].capitalize()}", links.url("refereed", [])))
    for name, prefix in (("year_from", "From"), ("year_to", "To")):
        if data[name] is not None:
            chosen.append(Link(f"{prefix} {data[name]}", links.url(name, [])))
    return chosen


def pages(found: SearchPage, links: Links) -> dict:
    return pagination(
        found.page.number, found.page.paginator.num_pages, lambda n: links.url("page", [str(n)])
    )
