"""PostgreSQL: a stored, GIN-indexed tsvector per item, websearch queries, ts_rank, ts_headline.

Weights follow the issue: title (and identifiers) A, creators and keywords (and classification)
B, abstract C, full text D. A query aimed at the abstract or the full text is restricted to
that weight; one aimed at the title, creators or keywords is checked against that column.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet

from eprints_app.models import Item
from eprints_app.search import snippets
from eprints_app.search.models import SearchEntry

# Created by migration 0005: English stemming, and accents folded when `unaccent` is installed.
CONFIG = "repository_english"

WEIGHTS = {
    "title": "A",
    "identifiers": "A",
    "creators": "B",
    "keywords": "B",
    "classification": "B",
    "abstract": "C",
    "full_text": "D",
}
CHECKED_COLUMNS = ("title", "creators", "keywords")
WEIGHT_ONLY = {"abstract": "C", "full_text": "D"}
# A lexeme as tsquery's text form writes it: quoted, with quotes inside doubled.
LEXEME = r"('(?:[^']|'')*')"


class WeightedQuery(SearchQuery):
    """A websearch query whose every lexeme must carry one weight (tsquery's 'word':C form)."""

    def __init__(self, value: str, weight: str) -> None:
        super().__init__(value, search_type="websearch", config=CONFIG)
        self.weight = weight

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery", [*params, LEXEME, rf"\1:{self.weight}"]


def vector() -> SearchVector:
    """The weighted vector of an entry, from its own columns."""
    parts = [SearchVector(column, weight=weight, config=CONFIG) for column, weight in WEIGHTS.items()]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined + part
    return combined


def vector_sql() -> tuple[str, tuple]:
    """``vector()`` as SQL over the columns of the entry table, for the statement that writes entries."""
    query = SearchEntry.objects.all().query
    compiler = query.get_compiler(connection=connection)
    sql, params = compiler.compile(vector().resolve_expression(query))
    return sql, tuple(params)


def websearch(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def text_query(texts: dict[str, str]) -> SearchQuery:
    """All the text queries in one tsquery, for the index, for ranking and for headlines."""
    queries = [
        WeightedQuery(t, WEIGHT_ONLY[f]) if f in WEIGHT_ONLY else websearch(t) for f, t in texts.items()
    ]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined & query
    return combined


def match(items: QuerySet[Item], texts: dict[str, str]) -> QuerySet[Item]:
    items = items.filter(search_entry__vector=text_query(texts))
    for column in CHECKED_COLUMNS:
        if column in texts:
            name = f"_{column}_vector"
            items = items.alias(**{name: SearchVector(f"search_entry__{column}", config=CONFIG)})
            items = items.filter(**{name: websearch(texts[column])})
    return items


def ranked_ids(items: QuerySet[Item], texts: dict[str, str], offset: int, limit: int) -> list[int]:
    """A page of the matching items' IDs, the most relevant first."""
    rank = SearchRank(F("search_entry__vector"), text_query(texts))
    ranked = match(items, texts).annotate(rank=rank).order_by("-rank", "-pk")
    return list(ranked.values_list("pk", flat=True)[offset : offset + limit])


def headlines(ids: list[int], texts: dict[str, str], columns: tuple[str, ...]) -> dict[int, list[str]]:
    """For each item, a headline of each column, matches marked for ``snippets.render``."""
    query = text_query(texts)
    options = {
        "config": CONFIG,
        "start_sel": snippets.START,
        "stop_sel": snippets.STOP,
        "max_words": 30,
        "min_words": 12,
        "max_fragments": 2,
        "fragment_delimiter": snippets.ELLIPSIS,
    }
    fields = {f"_{column}": SearchHeadline(column, query, **options) for column in columns}
    rows = SearchEntry.objects.filter(pk__in=ids).annotate(**fields).values_list("pk", *fields)
    return {row[0]: list(row[1:]) for row in rows}
