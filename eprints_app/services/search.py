"""Running a search: the matching live items in the order asked for, a page of them with
snippets, facet counts, and the list for an export.

The text matching, ranking and snippets are the backend's (``eprints_app.search.postgres`` or
``.sqlite``, by the database in use); everything else is shared. Searches read the search
entries alone (``SearchEntry``: live items only, with copies of the fields filtered and
counted by), never the items, and fetch items only for the page shown. Facet counts and pages
of results are cached until the index changes (``eprints_app.browse.cache``).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection
from django.db.models import Case, F, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils.safestring import SafeString

from eprints_app.browse.cache import cached
from eprints_app.citation import Citation, build_citation
from eprints_app.models import Item
from eprints_app.search import postgres, snippets, sqlite
from eprints_app.search.classification import Tree
from eprints_app.search.criteria import Criteria
from eprints_app.search.facets import Facets, count_facets
from eprints_app.search.models import SearchEntry

PER_PAGE = 20
# An export renders every item in one response: enough for a reading list or a CV, and a
# bound on the work one request can ask for.
EXPORT_LIMIT = 2000
# Where a snippet comes from: the first of these with a match, else the start of the abstract.
SNIPPET_COLUMNS = ("abstract", "full_text", "keywords", "classification")


T = TypeVar("T")


def blank_last(field: str) -> Case:
    return Case(When(**{field: ""}, then=Value(1)), default=Value(0))


ORDERINGS = {
    "newest": (blank_last("date"), F("date").desc(), "-pk"),
    "oldest": (blank_last("date"), "date", "pk"),
    "author": (blank_last("sort_author"), "sort_author", "-date", "pk"),
    "title": (Lower("title"), "pk"),
}


def backend() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def effective_order(criteria: Criteria, order: str) -> str:
    """Relevance needs something to be relevant to; without text the newest come first."""
    if order in ORDERINGS or (order == "relevance" and criteria.texts):
        return order
    return "relevance" if criteria.texts else "newest"


def matching(criteria: Criteria) -> QuerySet[SearchEntry]:
    entries = criteria.apply_filters(SearchEntry.objects.all())
    return backend().match(entries, criteria.texts) if criteria.texts else entries


def ordered_ids(criteria: Criteria, order: str, offset: int, limit: int) -> list[int]:
    """IDs of the matching items from ``offset``, in this order (cached like the facets)."""
    if limit <= 0:
        return []
    return cached(
        ("search-ids", criteria, order, offset, limit), lambda: find_ids(criteria, order, offset, limit)
    )


def find_ids(criteria: Criteria, order: str, offset: int, limit: int) -> list[int]:
    if order == "relevance":
        entries = criteria.apply_filters(SearchEntry.objects.all())
        return backend().ranked_ids(entries, criteria.texts, offset, limit)
    ordered = matching(criteria).order_by(*ORDERINGS[order]).values_list("pk", flat=True)
    return list(ordered[offset : offset + limit])


def items_in_order(ids: list[int]) -> list[Item]:
    by_id = Item.objects.live().with_parts().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class ResultIds:
    """The results' IDs in order, fetched a page at a time: what the Paginator slices."""

    def __init__(self, criteria: Criteria, order: str, total: int) -> None:
        self.criteria, self.order, self.total = criteria, order, total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, part: slice) -> list[int]:
        return ordered_ids(self.criteria, self.order, part.start, part.stop - part.start)


@dataclass(frozen=True)
class Result:
    item: Item
    citation: Citation
    snippet: SafeString


@dataclass(frozen=True)
class SearchPage:
    order: str
    facets: Facets
    page: Page
    results: list[Result]


def pick_snippet(headlines: list[str]) -> SafeString:
    for text in headlines:
        if snippets.has_match(text):
            return snippets.render(text)
    return snippets.render(headlines[0] if headlines else "")


def run_search(
    criteria: Criteria, order: str, page: str | None, subjects: Tree, divisions: Tree
) -> SearchPage:
    """One page of results: a number beyond the last gives the last, one that is not a number the first."""
    facets = cached(
        ("search-facets", criteria), lambda: count_facets(matching(criteria), criteria, subjects, divisions)
    )
    paginator = Paginator(ResultIds(criteria, order, facets.total), PER_PAGE)
    current = paginator.get_page(page)
    ids = list(current.object_list)
    headlines = backend().headlines(ids, criteria.texts, SNIPPET_COLUMNS) if criteria.texts else {}
    results = [
        Result(item, build_citation(item), pick_snippet(headlines.get(item.pk, [])))
        for item in items_in_order(ids)
    ]
    return SearchPage(order, facets, current, results)


def words_only(criteria: Criteria) -> Criteria:
    """The same search with every operator and quote taken out of the text."""
    texts = {field: " ".join(re.findall(r"\w+", text)) for field, text in criteria.texts.items()}
    return replace(criteria, texts={field: text for field, text in texts.items() if text})


def with_fallback(run: Callable[[Criteria, str], T], criteria: Criteria, order: str) -> T:
    """``run(criteria, order)``; on SQLite, a query FTS5 still refuses is run again as plain words."""
    try:
        return run(criteria, effective_order(criteria, order))
    except OperationalError:
        if connection.vendor != "sqlite":
            raise
        plain = words_only(criteria)
        return run(plain, effective_order(plain, order))


def search(criteria: Criteria, order: str, page: str | None, subjects: Tree, divisions: Tree) -> SearchPage:
    with backend().planned():
        return with_fallback(lambda c, o: run_search(c, o, page, subjects, divisions), criteria, order)


def export_items(criteria: Criteria, order: str) -> list[Item]:
    """The results in order, up to ``EXPORT_LIMIT``, with their parts, for an export format."""
    with backend().planned():
        return with_fallback(lambda c, o: items_in_order(ordered_ids(c, o, 0, EXPORT_LIMIT)), criteria, order)
