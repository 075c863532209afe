"""Facets: how the matching items divide by type, year, subject and division.

Counts come from grouped queries over the whole result set (a fixed number of queries,
whatever its size). Subjects and divisions are shown one level at a time: the top level,
or the level below the last one chosen, each count covering the node's whole subtree.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, Count, QuerySet, Value, When
from django.db.models.functions import Substr

from eprints_app.enums import ItemType
from eprints_app.models import Item
from eprints_app.search.classification import Node, Tree
from eprints_app.search.criteria import Criteria

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


def count_facets(matched: QuerySet[Item], criteria: Criteria, subjects: Tree, divisions: Tree) -> Facets:
    """Facet counts of the matching items; ``total`` is their number."""
    types: dict[str, int] = {}
    years: dict[str, int] = {}
    rows = matched.order_by().values("type", year=Substr("date", 1, 4)).annotate(n=Count("pk"))
    for row in rows:
        types[row["type"]] = types.get(row["type"], 0) + row["n"]
        if row["year"]:
            years[row["year"]] = years.get(row["year"], 0) + row["n"]
    return Facets(
        total=sum(types.values()),
        types=by_count(FacetValue(t, type_label(t), n) for t, n in types.items()),
        years=[FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)[:YEARS_SHOWN]],
        subjects=tree_level(matched, Item.subjects.through, "subject", subjects, criteria.subjects),
        divisions=tree_level(matched, Item.divisions.through, "division", divisions, criteria.divisions),
    )


def type_label(value: str) -> str:
    return ItemType(value).label if value in ItemType.values else value


def by_count(values) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))


def tree_level(matched: QuerySet[Item], through, node: str, tree: Tree, chosen: tuple[str, ...]) -> list:
    """Counts for the level below the last chosen node (or the top level), by subtree."""
    parent: Node | None = tree.get(chosen[-1].rsplit(":", 1)[-1]) if chosen else None
    level = tree.children(parent)
    if not level:
        return []
    subtrees = {child.code: tree.subtree(child) for child in level}
    bucket = Case(
        *(When(**{f"{node}_id__in": codes}, then=Value(code)) for code, codes in subtrees.items()),
        output_field=CharField(),
    )
    # Rows outside the level fall in no bucket; filtering them out in SQL as well would make
    # SQLite probe its (item, node) index once per node for every item.
    rows = (
        through.objects.filter(item_id__in=matched.values("pk"))
        .values(bucket=bucket)
        .annotate(n=Count("item_id", distinct=True))
        .order_by()
    )
    names = {child.code: child.name for child in level}
    return by_count(
        FacetValue(row["bucket"], names[row["bucket"]], row["n"]) for row in rows if row["bucket"]
    )
