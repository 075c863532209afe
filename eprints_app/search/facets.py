"""Facets: how the matching items divide by type, year, subject and division.

All the counts come from one statement, which finds the matching items once (a materialized
CTE) and groups them every way; the number of queries does not depend on the results.
Subjects and divisions are shown one level at a time: the top level, or the level below the
last one chosen, each count covering the node's whole subtree.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import Substr

from eprints_app.enums import ItemType
from eprints_app.models import Item
from eprints_app.search.classification import Node, Tree
from eprints_app.search.criteria import Criteria
from eprints_app.search.models import SearchEntry

# The most recent years with results are listed; older ones stay reachable by the year range.
YEARS_SHOWN = 20


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    total: int
    types: list[FacetValue]
    years: list[FacetValue]
    subjects: list[FacetValue]
    divisions: list[FacetValue]


def count_facets(
    matched: QuerySet[SearchEntry], criteria: Criteria, subjects: Tree, divisions: Tree
) -> Facets:
    """Facet counts of the matching items; ``total`` is their number."""
    levels = {
        "subject": (Item.subjects.through, subjects, level_below(subjects, criteria.subjects)),
        "division": (Item.divisions.through, divisions, level_below(divisions, criteria.divisions)),
    }
    types: dict[str, int] = {}
    years: dict[str, int] = {}
    buckets: dict[str, list[FacetValue]] = {"subject": [], "division": []}
    for facet, value, year, count in grouped_counts(matched, levels):
        if facet == "type":
            types[value] = types.get(value, 0) + count
            if year:
                years[year] = years.get(year, 0) + count
        elif value:  # classified outside the level shown
            buckets[facet].append(FacetValue(value, levels[facet][1].nodes[value].name, count))
    return Facets(
        total=sum(types.values()),
        types=by_count(FacetValue(t, type_label(t), n) for t, n in types.items()),
        years=[FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)[:YEARS_SHOWN]],
        subjects=by_count(buckets["subject"]),
        divisions=by_count(buckets["division"]),
    )


def level_below(tree: Tree, chosen: tuple[str, ...]) -> list[Node]:
    """The level below the last chosen node (given by lineage), or the top level."""
    parent = tree.get(chosen[-1].rsplit(":", 1)[-1]) if chosen else None
    return tree.children(parent)


def grouped_counts(matched: QuerySet[SearchEntry], levels: dict) -> list[tuple[str, str, str, int]]:
    """Rows of (facet, value, year, count): items by type and year, and by the node of each
    tree level whose subtree holds their classification."""
    quote = connection.ops.quote_name
    rows = matched.order_by().values("pk", "type", year=Substr("date", 1, 4))
    cte, params = rows.query.sql_with_params()
    params = list(params)
    selects = [f"SELECT 'type', {quote('type')}, {quote('year')}, COUNT(*) FROM matched GROUP BY 2, 3"]
    for facet, (through, tree, level) in levels.items():
        if not level:
            continue
        column = f"link.{quote(f'{facet}_id')}"
        whens = []
        for node in level:
            codes = tree.subtree(node)
            whens.append(f"WHEN {column} IN ({', '.join(['%s'] * len(codes))}) THEN %s")
            params += [*codes, node.code]
        # Each item once per node (two subjects may share a subtree), then counted: hashing
        # twice is cheaper than sorting for COUNT(DISTINCT). CROSS JOIN: SQLite then walks the
        # matches and looks each up in the link table's index (PostgreSQL plans it as an inner
        # join like any other).
        selects.append(
            f"SELECT '{facet}', bucket, '', COUNT(*) FROM (SELECT DISTINCT link.{quote('item_id')}, "
            f"CASE {' '.join(whens)} END AS bucket "
            f"FROM matched CROSS JOIN {quote(through._meta.db_table)} link "
            f"WHERE link.{quote('item_id')} = matched.{quote('pk')}) {facet}_buckets GROUP BY 2"
        )
    sql = f"WITH matched AS MATERIALIZED ({cte}) {' UNION ALL '.join(selects)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def type_label(value: str) -> str:
    return ItemType(value).label if value in ItemType.values else value


def by_count(values) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))
