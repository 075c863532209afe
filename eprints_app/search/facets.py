"""Facets: how the matching items divide by type, year, subject and division.

The counts are read from the matching rows (``eprints_app.search.rows``) in groups: by type
and year, and for subjects and divisions by the entries' column that places them in the level
shown (``Level``), whose groups are then added up under each heading here. It reads no table
but the entries, and the number of queries does not depend on the results. Subjects and
divisions are shown one level at a time: the top level, or the level below the last one
chosen, each count covering the node's whole subtree.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from eprints_app.enums import ItemType
from eprints_app.search.classification import Node, Tree
from eprints_app.search.criteria import Criteria, lies_under

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


@dataclass(frozen=True)
class Level:
    """The headings of a facet shown, and the column of the entries that says which they lie
    under: their top-level codes (``subject_roots``, few distinct values) for the top level,
    their lineages below it (the matches then lie under a chosen heading, and are fewer)."""

    nodes: list[Node]
    column: str


def levels_shown(criteria: Criteria, subjects: Tree, divisions: Tree) -> dict[str, Level]:
    return {
        "subject": level_below(subjects, criteria.subjects, "subject"),
        "division": level_below(divisions, criteria.divisions, "division"),
    }


def from_groups(
    type_years: Iterable[tuple[str, str, int]],
    placed: dict[str, Iterable[tuple[str, int]]],
    levels: dict[str, Level],
) -> Facets:
    """The facets of the matches counted in groups: (type, year, entries), and for each facet
    (value of the level's column, entries)."""
    types, years = Counter(), Counter()
    for type_, year, entries in type_years:
        types[type_] += entries
        if year:
            years[year] += entries
    found = {}
    for facet, level in levels.items():
        under_heading = Counter()
        for value, entries in placed[facet]:
            for node in level.nodes:
                if lies_under(value, node.lineage):
                    under_heading[node.code] += entries
        found[facet] = [FacetValue(node.code, node.name, under_heading[node.code]) for node in level.nodes]
    return Facets(
        total=types.total(),
        types=by_count(FacetValue(t, type_label(t), n) for t, n in types.items()),
        years=[FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)[:YEARS_SHOWN]],
        subjects=by_count(value for value in found["subject"] if value.count),
        divisions=by_count(value for value in found["division"] if value.count),
    )


def level_below(tree: Tree, chosen: tuple[str, ...], facet: str) -> Level:
    """The level below the last chosen node (given by lineage), or the top level."""
    if not chosen:
        return Level(tree.children(None), f"{facet}_roots")
    return Level(tree.children(tree.get(chosen[-1].rsplit(":", 1)[-1])), f"{facet}_lineages")


def type_label(value: str) -> str:
    return ItemType(value).label if value in ItemType.values else value


def by_count(values) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))
