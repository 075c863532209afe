"""SQLite: an FTS5 table over the search entries, bm25 ranking with column weights, snippet().

The table (created by migration 0005, kept in step with the entries by triggers) uses the
porter stemmer over unicode61 with accents folded, the nearest FTS5 comes to PostgreSQL's
English configuration. Queries are translated by ``syntax.to_fts5``.
"""

from contextlib import nullcontext

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from eprints_app.search import snippets
from eprints_app.search.models import SearchEntry
from eprints_app.search.rows import Rows
from eprints_app.search.syntax import parse, to_fts5

TABLE = "eprints_app_searchentry_fts"
# Column order of the FTS5 table, with bm25 weights in the ratio of PostgreSQL's A, B, C, D.
COLUMNS = {
    "title": 10.0,
    "identifiers": 10.0,
    "creators": 4.0,
    "keywords": 4.0,
    "classification": 4.0,
    "abstract": 2.0,
    "full_text": 1.0,
}
FIELD_COLUMNS = {
    "q": (),
    "title": ("title",),
    "creators": ("creators",),
    "keywords": ("keywords",),
    "abstract": ("abstract",),
    "full_text": ("full_text",),
}
# SQLite plans FTS5 queries well as they are.
planned = nullcontext
BM25 = f"bm25({TABLE}, {', '.join(str(weight) for weight in COLUMNS.values())})"
SNIPPET_TOKENS = 32


def match_expression(texts: dict[str, str]) -> str:
    return " AND ".join(f"({to_fts5(parse(text), FIELD_COLUMNS[field])})" for field, text in texts.items())


def match(entries: QuerySet[SearchEntry], texts: dict[str, str]) -> QuerySet[SearchEntry]:
    matching = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match_expression(texts)])
    return entries.filter(pk__in=matching)


def ranked_rows(entries: QuerySet[SearchEntry], columns: list[str], texts: dict[str, str]) -> Rows:
    """The matching entries, the most relevant first (bm25 is lower for better)."""
    among, params = entries.order_by().values(*columns).query.sql_with_params()
    # CROSS JOIN keeps the FTS5 table outside: SQLite walks the matches and looks each entry up
    # by its key, rather than running the full-text query again for every filtered entry.
    sql = (
        f"SELECT among.*, {BM25} AS k0, {TABLE}.rowid AS k1 FROM {TABLE} "
        f"CROSS JOIN ({among}) AS among ON among.pk = {TABLE}.rowid WHERE {TABLE} MATCH %s"
    )
    return Rows(sql, (*params, match_expression(texts)), (False, True))


def headlines(ids: list[int], texts: dict[str, str], column: str) -> dict[int, str]:
    """For each item, a snippet of this column, matches marked for ``snippets.render``."""
    if not ids:
        return {}
    snippet = f"snippet({TABLE}, {list(COLUMNS).index(column)}, %s, %s, %s, {SNIPPET_TOKENS})"
    placeholders = ", ".join("%s" for _ in ids)
    sql = f"SELECT rowid, {snippet} FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [snippets.START, snippets.STOP, snippets.ELLIPSIS, match_expression(texts), *ids])
        return dict(cursor.fetchall())
