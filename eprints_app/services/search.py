"""Running a search: the matching live items in the order asked for, a page of them with
snippets, facet counts, and the list for an export.

The text matching, ranking and snippets are the backend's (``eprints_app.search.postgres`` or
``.sqlite``, by the database in use); everything else is shared. Searches read the search
entries alone (``SearchEntry``: live items only, with copies of the fields filtered and
counted by), never the items, and fetch items only for the page shown. A new search finds its
matches once: one statement counts the facets and picks the page asked for (the matches
materialized, then read twice). Facet counts and pages of results are cached until the index
changes (``eprints_app.browse.cache``), so paging and reordering need only a page's statement.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import ModuleType
from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection
from django.db.models import Case, F, Value, When
from django.db.models.functions import Lower, Substr
from django.utils.safestring import SafeString

from eprints_app.browse.cache import cached, store
from eprints_app.citation import Citation, build_citation
from eprints_app.models import Item
from eprints_app.search import postgres, snippets, sqlite
from eprints_app.search.classification import Tree
from eprints_app.search.criteria import Criteria
from eprints_app.search.facets import Facets, from_groups, levels_shown
from eprints_app.search.models import SearchEntry
from eprints_app.search.rows import Rows, keyed

PER_PAGE = 20
# An export renders every item in one response: enough for a reading list or a CV, and a
# bound on the work one request can ask for.
EXPORT_LIMIT = 2000
# Where a snippet comes from: the first of these with a match, else the start of the abstract.
SNIPPET_COLUMNS = ("abstract", "full_text", "keywords", "classification")


T = TypeVar("T")


def blank_last(field: str) -> Case:
    return Case(When(**{field: ""}, then=Value(1)), default=Value(0))


# Each order's keys, with whether each is descending; relevance is the backend's.
ORDERINGS = {
    "newest": ((blank_last("date"), False), (F("date"), True), (F("pk"), True)),
    "oldest": ((blank_last("date"), False), (F("date"), False), (F("pk"), False)),
    "author": (
        (blank_last("sort_author"), False),
        (F("sort_author"), False),
        (F("date"), True),
        (F("pk"), False),
    ),
    "title": ((Lower("title"), False), (F("pk"), False)),
}


def backend() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def effective_order(criteria: Criteria, order: str) -> str:
    """Relevance needs something to be relevant to; without text the newest come first."""
    if order in ORDERINGS or (order == "relevance" and criteria.texts):
        return order
    return "relevance" if criteria.texts else "newest"


def matched_rows(criteria: Criteria, order: str, columns: list[str]) -> Rows:
    """The matching entries as rows of these columns (``year`` among them if asked for), and
    the keys of this order."""
    entries = criteria.apply_filters(SearchEntry.objects.all()).annotate(year=Substr("date", 1, 4))
    if order == "relevance":
        return backend().ranked_rows(entries, columns, criteria.texts)
    if criteria.texts:
        entries = backend().match(entries, criteria.texts)
    return keyed(entries, columns, ORDERINGS[order])


def ids_key(criteria: Criteria, order: str, offset: int, limit: int) -> tuple:
    return ("search-ids", criteria, order, offset, limit)


def ordered_ids(criteria: Criteria, order: str, offset: int, limit: int) -> list[int]:
    """IDs of the matching items from ``offset``, in this order (cached like the facets)."""
    if limit <= 0:
        return []
    return cached(ids_key(criteria, order, offset, limit), lambda: find_ids(criteria, order, offset, limit))


def find_ids(criteria: Criteria, order: str, offset: int, limit: int) -> list[int]:
    rows = matched_rows(criteria, order, ["pk"])
    sql = f"SELECT pk FROM ({rows.sql}) AS matched ORDER BY {rows.order_by} LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, (*rows.params, limit, offset))
        return [pk for (pk,) in cursor.fetchall()]


def facets_and_ids(
    criteria: Criteria, order: str, offset: int, subjects: Tree, divisions: Tree
) -> tuple[Facets, list[int]]:
    """The facets, and the IDs of a page from ``offset``, from one statement.

    Its result is the page's rows (``part`` 0: the ID, then the order's keys), then the groups
    the facets count (part 1: by type and year; then one part per subject and division level,
    by its column). The page comes first because PostgreSQL types the columns of a UNION from
    its first SELECTs, where the keys would otherwise be NULLs, taken as text.
    """
    levels = levels_shown(criteria, subjects, divisions)
    columns = [level.column for level in levels.values()]
    rows = matched_rows(criteria, order, ["pk", "type", "year", *columns])
    keys = ", ".join(rows.keys)
    no_keys = ", NULL" * len(rows.keys)
    # (value, year) of each part's groups, and what it groups by
    groups = [("type, year", "type, year"), *((f"{column}, NULL", column) for column in columns)]
    sql = (
        f"WITH matched AS MATERIALIZED ({rows.sql}), "
        f"page AS (SELECT pk, {keys} FROM matched ORDER BY {rows.order_by} LIMIT %s OFFSET %s) "
        f"SELECT 0 AS part, NULL AS value, NULL AS year, NULL AS entries, pk, {keys} FROM page "
        + "".join(
            f"UNION ALL SELECT {part}, {selected}, COUNT(*), NULL{no_keys} FROM matched GROUP BY {by} "
            for part, (selected, by) in enumerate(groups, 1)
        )
        + f"ORDER BY part, {rows.order_by}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*rows.params, PER_PAGE, offset))
        results = cursor.fetchall()
    parts = defaultdict(list)
    for part, value, year, entries, pk, *_ in results:
        parts[part].append((value, year, entries) if part else pk)
    placed = {facet: [(value, n) for value, _, n in parts[part]] for part, facet in enumerate(levels, 2)}
    return from_groups(parts[1], placed, levels), parts[0]


def requested_offset(page: str | None) -> int:
    """Where the page asked for starts, as far as its number says (anything but a number is
    the first page); the paginator, which knows how many there are, has the last word."""
    number = int(page) if page and page.isdecimal() and len(page) <= 6 else 1
    return (max(number, 1) - 1) * PER_PAGE


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
        # Always a whole page from the start, as the facets' statement stores it.
        return ordered_ids(self.criteria, self.order, part.start, PER_PAGE)[: part.stop - part.start]


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


def find_snippets(ids: list[int], texts: dict[str, str]) -> dict[int, SafeString]:
    """Each item's snippet: the headline of the first of ``SNIPPET_COLUMNS`` with a match, else
    the start of its abstract.

    The columns are asked in turn, each for the items still without a match: most items match
    in their record, and the headline of a book's full text costs milliseconds.
    """
    chosen, openings = {}, {}
    pending = ids
    for column in SNIPPET_COLUMNS:
        if not pending:
            break
        for pk, text in backend().headlines(pending, texts, column).items():
            openings.setdefault(pk, text)
            if snippets.has_match(text):
                chosen[pk] = text
        pending = [pk for pk in pending if pk not in chosen]
    return {pk: snippets.render(chosen.get(pk, openings.get(pk, ""))) for pk in ids}


def run_search(
    criteria: Criteria, order: str, page: str | None, subjects: Tree, divisions: Tree
) -> SearchPage:
    """One page of results: a number beyond the last gives the last, one that is not a number the first."""
    offset = requested_offset(page)

    def facets_with_page() -> Facets:
        facets, ids = facets_and_ids(criteria, order, offset, subjects, divisions)
        store(ids_key(criteria, order, offset, PER_PAGE), ids)
        return facets

    facets = cached(("search-facets", criteria), facets_with_page)
    paginator = Paginator(ResultIds(criteria, order, facets.total), PER_PAGE)
    current = paginator.get_page(page)
    ids = list(current.object_list)
    found = find_snippets(ids, criteria.texts) if criteria.texts else {}
    results = [
        Result(item, build_citation(item), found.get(item.pk, snippets.render("")))
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
