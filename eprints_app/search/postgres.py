"""PostgreSQL: stored, weighted tsvectors per item, websearch queries, ts_rank, ts_headline.

``vector`` holds every column with the issue's weights (title and identifiers A, creators,
keywords and classification B, abstract C, full text D) and is GIN-indexed for matching.
``rank_vector`` holds all but the full text, each field under a label of its own, and stays in
the row: ranking reads it rather than a book's vector, and a search aimed at one field is
checked against its label there. So the full text decides whether an item matches, and an item
found only through it ranks below every item whose record matches. ``text_vector`` holds the
full text alone, GIN-indexed too, so that a search of the full text is answered by an index
rather than by reading every candidate's whole vector to find its label D.

The two GIN-indexed vectors also hold their biwords, adjacent lexemes paired ("climat chang",
migration 0011), and a query asks the index for the biwords of its phrases: GIN keeps no
positions, and without them every item with all the words of a phrase would be read to check.
"""

import re
from contextlib import contextmanager

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import F, Func, QuerySet

from eprints_app.search import snippets
from eprints_app.search.models import SearchEntry
from eprints_app.search.rows import Rows, keyed

# Created by migration 0005: English stemming, and accents folded when `unaccent` is installed.
CONFIG = "repository_english"

VECTORS = {
    "vector": {
        "title": "A",
        "identifiers": "A",
        "creators": "B",
        "keywords": "B",
        "classification": "B",
        "abstract": "C",
        "full_text": "D",
    },
    "rank_vector": {
        "title": "A",
        "identifiers": "A",
        "creators": "B",
        "keywords": "C",
        "classification": "C",
        "abstract": "D",
    },
    "text_vector": {"full_text": "D"},
}
# ts_rank's weights for rank_vector's labels D, C, B, A: title above creators and keywords,
# above abstract.
RANK_WEIGHTS = [0.2, 0.4, 0.4, 1.0]
# A search aimed at one field of the record is checked against the field's label in rank_vector.
FIELD_LABELS = {"title": "A", "creators": "B", "keywords": "C", "abstract": "D"}
# The vectors that hold their biwords as well (SQL function of migration 0011).
WITH_BIWORDS = ("vector", "text_vector")
# A lexeme as tsquery's text form writes it: quoted, with quotes inside doubled.
QUOTED = r"'(?:[^']|'')*'"
LEXEME = f"({QUOTED})"
# A phrase operator, and a phrase: lexemes joined by them, not itself an operand of one.
FOLLOWED_BY = r"<(?:-|\d+)>"
PHRASE = re.compile(rf"(?<!> ){QUOTED}(?: {FOLLOWED_BY} {QUOTED})+(?! <)")


class WeightedQuery(SearchQuery):
    """A websearch query whose every lexeme must carry one weight (tsquery's 'word':C form)."""

    def __init__(self, value: str, weight: str) -> None:
        super().__init__(value, search_type="websearch", config=CONFIG)
        self.weight = weight

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery", [*params, LEXEME, rf"\1:{self.weight}"]


class ParsedQuery(SearchQuery):
    """A query given in tsquery's text form, taken as it is."""

    template = "%(expressions)s::tsquery"


def with_biwords(query: str) -> str:
    """A tsquery (text form) whose every phrase also asks for its biwords, the pairs of
    lexemes joined by <-> in it: ``'a' <-> 'b' <2> 'c'`` becomes ``( 'a' <-> 'b' <2> 'c' & 'a b' )``.
    """

    def add_biwords(phrase: re.Match) -> str:
        words = re.split(f" ({FOLLOWED_BY}) ", phrase[0])
        biwords = [
            f"{first[:-1]} {second[1:]}"
            for first, operator, second in zip(words[0::2], words[1::2], words[2::2], strict=False)
            if operator == "<->"
        ]
        return f"( {' & '.join([phrase[0], *biwords])} )" if biwords else phrase[0]

    return PHRASE.sub(add_biwords, query)


def index_query(texts: dict[str, str]) -> ParsedQuery:
    """``text_query`` of these texts for a GIN-indexed vector, its phrases with their biwords."""
    combined = " && ".join(["websearch_to_tsquery(%s::regconfig, %s)"] * len(texts))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({combined})::text", [part for text in texts.values() for part in (CONFIG, text)]
        )
        (query,) = cursor.fetchone()
    return ParsedQuery(with_biwords(query))


def weighted(weights: dict[str, str]) -> SearchVector:
    """The vector of these columns of an entry, each under its label."""
    parts = [SearchVector(column, weight=label, config=CONFIG) for column, label in weights.items()]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined + part
    return combined


def vectors_sql() -> tuple[dict[str, str], list]:
    """The entry's vectors as SQL over the entry table's columns, for the statement that writes
    entries: ({column: expression}, parameters in the order the expressions appear)."""
    query = SearchEntry.objects.all().query
    compiler = query.get_compiler(connection=connection)
    expressions, params = {}, []
    for name, weights in VECTORS.items():
        vector = weighted(weights)
        if name in WITH_BIWORDS:
            vector = Func(vector, function="repository_with_biwords", output_field=SearchVectorField())
        sql, expression_params = compiler.compile(vector.resolve_expression(query))
        expressions[name] = sql
        params += expression_params
    return expressions, params


@contextmanager
def planned():
    """Run a search's statements with the entries reached through their GIN index, and
    without JIT compilation.

    The planner likes to scan all the entries and test each, which reads every vector: far
    slower than the index whenever a word is common. Counting and ranking tens of thousands of
    matches looks costly enough to the planner to compile, which takes longer than the run.
    Sorting and hashing them should not spill to disk.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '32MB'")
        yield


def websearch(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def text_query(texts: dict[str, str]) -> SearchQuery:
    """All the text queries in one tsquery: for the index, for ranking and for headlines."""
    queries = [websearch(text) for text in texts.values()]
    combined = queries[0]
    for query in queries[1:]:
        combined = combined & query
    return combined


def match(entries: QuerySet[SearchEntry], texts: dict[str, str]) -> QuerySet[SearchEntry]:
    record = {field: text for field, text in texts.items() if field != "full_text"}
    if record:
        entries = entries.filter(vector=index_query(record))
    if "full_text" in texts:
        entries = entries.filter(text_vector=index_query({"full_text": texts["full_text"]}))
    for field, text in record.items():
        if field in FIELD_LABELS:
            entries = entries.filter(rank_vector=WeightedQuery(text, FIELD_LABELS[field]))
    return entries


def ranked_rows(entries: QuerySet[SearchEntry], columns: list[str], texts: dict[str, str]) -> Rows:
    """The matching entries, the most relevant first (then the newest).

    Even a search of the full text alone is ranked by the record: the items whose record also
    has the words come first, then the rest, newest first.
    """
    rank = SearchRank(F("rank_vector"), text_query(texts), weights=RANK_WEIGHTS)
    return keyed(match(entries, texts), columns, ((rank, True), (F("date"), True), (F("pk"), True)))


def headlines(ids: list[int], texts: dict[str, str], column: str) -> dict[int, str]:
    """For each item, a headline of this column, matches marked for ``snippets.render``."""
    headline = SearchHeadline(
        column,
        text_query(texts),
        config=CONFIG,
        start_sel=snippets.START,
        stop_sel=snippets.STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=snippets.ELLIPSIS,
    )
    return dict(
        SearchEntry.objects.filter(pk__in=ids).annotate(headline=headline).values_list("pk", "headline")
    )
