"""Keeping the search index current: one entry per live item, written by set-based SQL.

Receivers in ``eprints_app.signals`` schedule ``reindex_items`` for the end of the transaction
whenever an item, its creators, documents or classification change; the text-extraction task
calls ``reindex_item`` once a document's text is in; ``reindex_all`` rebuilds everything
(``manage.py reindex_search``, after bulk loads). An entry holds only what readers may see:
it exists for live items only, and takes the text of open-access documents only.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Aggregate, DateField, F, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, Left, Lower, Replace
from django.utils import timezone

from eprints_app.enums import Security
from eprints_app.models import Creator, Document, Item
from eprints_app.search import postgres
from eprints_app.search.models import SearchEntry

# PostgreSQL refuses a tsvector over 1 MB; 200,000 characters (a book of some 100 pages)
# stays well below that and bounds the cost of a headline.
FULL_TEXT_CHARS = 200_000
BATCH_SIZE = 2000
# The entry's columns, with the names entry_rows() gives them (annotations may not take the
# names of Item's own fields or relations).
COLUMNS = {
    "item_id": "pk",
    "title": "title",
    "identifiers": "_identifiers",
    "creators": "_creators",
    "keywords": "keywords",
    "classification": "_classification",
    "abstract": "abstract",
    "full_text": "_full_text",
    "sort_author": "_sort_author",
    "indexed_on": "_indexed_on",
}


class JoinText(Aggregate):
    """Texts joined by a separator: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, separator: str = " ") -> None:
        super().__init__(expression, Value(separator))

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


def open_access(today: date) -> Q:
    """Documents anyone may download, as a filter: ``access.is_open_access`` for documents of
    live items (``effective_security``: public once an embargo has passed). A test holds the two together."""
    return Q(date_embargo__isnull=True, security=Security.PUBLIC) | Q(date_embargo__lte=today)


def joined(queryset: QuerySet, expression, separator: str = " ") -> Coalesce:
    """The texts of an item's related rows, joined, as a correlated subquery."""
    texts = (
        queryset.filter(item=OuterRef("pk"))
        .values("item_id")
        .annotate(joined=JoinText(expression, separator))
    )
    return Coalesce(Subquery(texts.values("joined")), Value(""), output_field=TextField())


def entry_rows(items: QuerySet[Item], today: date) -> QuerySet:
    """The entries of the live ones among these items, as rows of ``COLUMNS``."""
    first_person = (
        Creator.objects.filter(item=OuterRef("pk"))
        .order_by("role", "position", "id")
        .values(name=Lower(Concat("family", Value(" "), "given")))[:1]
    )
    numbers = [part for name in ("id_number", "isbn", "issn") for part in (Value(" "), F(name))]
    return (
        items.filter(pk__in=Item.objects.live().values("pk"))
        .annotate(
            _identifiers=Concat(
                Cast("pk", TextField()),
                *numbers,
                Value(" "),
                Replace("isbn", Value("-"), Value("")),
                output_field=TextField(),
            ),
            _creators=joined(Creator.objects.all(), Concat("given", Value(" "), "family")),
            _classification=Concat(
                joined(Item.subjects.through.objects.all(), F("subject__path"), " ; "),
                Value(" ; "),
                joined(Item.divisions.through.objects.all(), F("division__path"), " ; "),
                output_field=TextField(),
            ),
            _full_text=Left(
                joined(Document.objects.filter(open_access(today)), "text", "\n"), FULL_TEXT_CHARS
            ),
            _sort_author=Coalesce(Subquery(first_person), Value(""), output_field=TextField()),
            _indexed_on=Value(today, output_field=DateField()),
        )
        .order_by()
        .values_list(*COLUMNS.values())
    )


def write_entries(items: QuerySet[Item]) -> int:
    """Insert or replace the entries of the live ones among ``items`` in one statement; on
    PostgreSQL the same statement computes their vectors, so each row is written once."""
    rows, params = entry_rows(items, timezone.localdate()).query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(SearchEntry._meta.db_table)
    named = ", ".join(f"entry_rows.{quote(alias)} AS {quote(column)}" for column, alias in COLUMNS.items())
    select, columns = f"SELECT {named} FROM ({rows}) AS entry_rows", list(COLUMNS)
    if connection.vendor == "postgresql":
        vector, vector_params = postgres.vector_sql()
        select = f"SELECT {table}.*, {vector} FROM ({select}) AS {table}"
        params, columns = (*vector_params, *params), [*columns, "vector"]
    updates = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in columns[1:])
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)}) {select} "
        # "WHERE true": SQLite would otherwise read ON CONFLICT as a join constraint.
        f"WHERE true ON CONFLICT ({quote('item_id')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def reindex_items(item_ids: Iterable[int]) -> None:
    """Bring the entries of these items up to date; items that are not live (or gone) lose theirs."""
    for chunk in batches(sorted(set(item_ids))):
        with transaction.atomic():
            SearchEntry.objects.filter(pk__in=chunk).exclude(item__in=Item.objects.live()).delete()
            write_entries(Item.objects.filter(pk__in=chunk))


def reindex_item(item_id: int) -> None:
    """Bring one item's entry up to date (the text-extraction task calls this)."""
    reindex_items([item_id])


@dataclass(frozen=True)
class IndexCounts:
    entries: int
    with_full_text: int
    removed: int


def remove_stale_entries() -> int:
    """Delete the entries of items that are no longer live; returns how many."""
    removed, _ = SearchEntry.objects.exclude(item__in=Item.objects.live()).delete()
    return removed


def batches(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]


def live_id_batches() -> list[list[int]]:
    return batches(list(Item.objects.live().order_by("pk").values_list("pk", flat=True)))


def index_counts(removed: int = 0) -> IndexCounts:
    entries = SearchEntry.objects.all()
    return IndexCounts(entries.count(), entries.exclude(full_text="").count(), removed)


def reindex_all() -> IndexCounts:
    """Rebuild the whole index (``manage.py reindex_search`` does the same with a progress bar)."""
    removed = remove_stale_entries()
    for batch in live_id_batches():
        reindex_items(batch)
    return index_counts(removed)


def lapsed_embargo_items() -> list[int]:
    """Live items with a document whose embargo has ended since their entry was written."""
    lapsed = Item.objects.live().filter(
        documents__date_embargo__lte=timezone.localdate(),
        documents__date_embargo__gt=F("search_entry__indexed_on"),
    )
    return list(lapsed.values_list("pk", flat=True).distinct())


_pending = threading.local()


def schedule_reindex(item_ids: Iterable[int]) -> None:
    """Reindex these items when the current transaction commits (at once outside one).

    IDs gathered during a transaction are indexed together, once each, by the first callback
    that runs; if a transaction rolls back, its IDs wait for the next commit, which is harmless
    since reindexing only reads the current state.
    """
    pending = _pending.__dict__.setdefault("ids", set())
    pending.update(item_ids)
    transaction.on_commit(flush_pending, robust=True)


def flush_pending() -> None:
    ids = _pending.__dict__.pop("ids", set())
    if ids:
        reindex_items(ids)
