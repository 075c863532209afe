"""Facets: how the matching items divide by type, year, subject and division.

The counts are read from the matching rows (``eprints_app.search.rows``), grouped by type and
year, each group also counting its entries under every heading of the subject and division
levels shown (as their lineages columns say); the groups are added up here.
It reads no table but the entries, and the number of queries does not depend on the results.
Subjects and divisions are shown one level at a time: the top level, or the level below the
last one chosen, each count covering the node's whole subtree.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from eprints_app.enums import ItemType
from eprints_app.search.classification import Node, Tree
from eprints_app.search.criteria import Criteria, under
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


Levels = dict[str, list[Node]]


def levels_shown(criteria: Criteria, subjects: Tree, divisions: Tree) -> Levels:
    return {
        "subject": level_below(subjects, criteria.subjects),
        "division": level_below(divisions, criteria.divisions),
    }


def heading_counts(levels: Levels) -> tuple[list[str], list]:
    """SQL counting the rows under each heading shown, one aggregate per heading over rows
    with the entries' lineages columns, and its parameters."""
    query = SearchEntry.objects.none().query
    compiler = query.get_compiler(connection=connection)
    counts, params = [], []
    for facet, level in levels.items():
        column = RawSQL(f"{facet}_lineages", [], output_field=TextField())
        for node in level:
            sql, sql_params = compiler.compile(under(column, node.lineage).resolve_expression(query))
            counts.append(f"COUNT(*) FILTER (WHERE {sql})")
            params += sql_params
    return counts, params


def from_groups(groups: Iterable[tuple], levels: Levels) -> Facets:
    """The facets of rows of (type, year, entries, then the entries under each heading)."""
    types, years = Counter(), Counter()
    under_heading = [0] * sum(len(level) for level in levels.values())
    for type_, year, entries, *counts in groups:
        types[type_] += entries
        if year:
            years[year] += entries
        under_heading = [total + count for total, count in zip(under_heading, counts, strict=True)]
    totals = iter(under_heading)
    found = {
        facet: [FacetValue(node.code, node.name, next(totals)) for node in level]
        for facet, level in levels.items()
    }
    return Facets(
        total=types.total(),
        types=by_count(FacetValue(t, type_label(t), n) for t, n in types.items()),
        years=[FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)[:YEARS_SHOWN]],
        subjects=by_count(value for value in found["subject"] if value.count),
        divisions=by_count(value for value in found["division"] if value.count),
    )


def level_below(tree: Tree, chosen: tuple[str, ...]) -> list[Node]:
    """The level below the last chosen node (given by lineage), or the top level."""
    parent = tree.get(chosen[-1].rsplit(":", 1)[-1]) if chosen else None
    return tree.children(parent)


def type_label(value: str) -> str:
    return ItemType(value).label if value in ItemType.values else value


def by_count(values) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))
