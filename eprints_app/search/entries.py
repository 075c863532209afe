"""Search entries as SQL: what an entry holds, computed for many items in one statement.

``entry_rows`` is a queryset of the entries' values, with correlated subqueries for the parts
(creators, classification, the text of open-access documents); ``write_entries`` inserts or
replaces them with one INSERT ... SELECT, on PostgreSQL with the vector computed in the same
statement. ``eprints_app.services.search_index`` decides which items to write, and when.
"""

from datetime import date

from django.db import connection
from django.db.models import Aggregate, DateField, F, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat, Left, Lower, Replace, StrIndex
from django.utils import timezone

from eprints_app.models import Creator, Document, Item
from eprints_app.search import postgres
from eprints_app.search.models import SearchEntry

# PostgreSQL refuses a tsvector over 1 MB; 200,000 characters (a book of some 100 pages)
# stays well below that and bounds the cost of a headline.
FULL_TEXT_CHARS = 200_000
# A record's own texts are short (an abstract runs to a few thousand characters), but a script
# or a paste can store a megabyte, whose words alone would pass that limit: the entry of that
# item, and of every item written in the same statement, would fail. With these, an entry's
# texts come to at most 500,000 characters. The creators of a paper by thousands of people
# take more room than any other text of a record.
RECORD_TEXT_CHARS = 50_000
CREATORS_CHARS = 100_000
# The entry's columns, with the names entry_rows() gives them (annotations may not take the
# names of Item's own fields or relations).
COLUMNS = {
    "item_id": "pk",
    "title": "_title",
    "identifiers": "_identifiers",
    "creators": "_creators",
    "keywords": "_keywords",
    "classification": "_classification",
    "abstract": "_abstract",
    "full_text": "_full_text",
    "sort_author": "_sort_author",
    "type": "type",
    "date": "date",
    "ispublished": "ispublished",
    "refereed": "refereed",
    "subject_lineages": "_subject_lineages",
    "division_lineages": "_division_lineages",
    "subject_roots": "_subject_roots",
    "division_roots": "_division_roots",
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


def joined(queryset: QuerySet, expression, separator: str = " ") -> Coalesce:
    """The texts of an item's related rows, joined, as a correlated subquery."""
    texts = (
        queryset.filter(item=OuterRef("pk"))
        .values("item_id")
        .annotate(joined=JoinText(expression, separator))
    )
    return Coalesce(Subquery(texts.values("joined")), Value(""), output_field=TextField())


def lineages(through, heading: str, roots: bool = False) -> Coalesce:
    """The lineages of an item's subjects or divisions, or with ``roots`` only their top-level
    codes, each between colons (``SearchEntry``)."""
    lineage = F(f"{heading}__lineage")
    if roots:
        lineage = Left(lineage, StrIndex(Concat(lineage, Value(":")), Value(":")) - 1)
    between_colons = Concat(Value(":"), lineage, Value(":"), output_field=TextField())
    return joined(through.objects.all(), between_colons)


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
            _title=Left("title", RECORD_TEXT_CHARS),
            _keywords=Left("keywords", RECORD_TEXT_CHARS),
            _abstract=Left("abstract", RECORD_TEXT_CHARS),
            _creators=Left(
                joined(Creator.objects.all(), Concat("given", Value(" "), "family")), CREATORS_CHARS
            ),
            _classification=Left(
                Concat(
                    joined(Item.subjects.through.objects.all(), F("subject__path"), " ; "),
                    Value(" ; "),
                    joined(Item.divisions.through.objects.all(), F("division__path"), " ; "),
                    output_field=TextField(),
                ),
                RECORD_TEXT_CHARS,
            ),
            _subject_lineages=lineages(Item.subjects.through, "subject"),
            _division_lineages=lineages(Item.divisions.through, "division"),
            _subject_roots=lineages(Item.subjects.through, "subject", roots=True),
            _division_roots=lineages(Item.divisions.through, "division", roots=True),
            _full_text=Left(joined(Document.objects.open_access(today), "text", "\n"), FULL_TEXT_CHARS),
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
        vectors, vector_params = postgres.vectors_sql()
        select = f"SELECT {table}.*, {', '.join(vectors.values())} FROM ({select}) AS {table}"
        params, columns = (*vector_params, *params), [*columns, *vectors]
    updates = ", ".join(f"{quote(column)} = excluded.{quote(column)}" for column in columns[1:])
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)}) {select} "
        # "WHERE true": SQLite would otherwise read ON CONFLICT as a join constraint.
        f"WHERE true ON CONFLICT ({quote('item_id')}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount
