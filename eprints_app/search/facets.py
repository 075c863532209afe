"""Facets: how the matching items divide by type, year, subject and division.

All the counts come from one statement over the matching search entries: grouped by type and
year, each group counts its entries under every heading of the subject and division levels
shown (the entries' lineages say which), and the groups are added up here. It reads no other
table, and the number of queries does not depend on the results. Subjects and divisions are
shown one level at a time: the top level, or the level below the last one chosen, each count
covering the node's whole subtree.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

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


def count_facets(
    matched: QuerySet[SearchEntry], criteria: Criteria, subjects: Tree, divisions: Tree
) -> Facets:
    """Facet counts of the matching items; ``total`` is their number."""
    levels = {
        "subject": level_below(subjects, criteria.subjects),
        "division": level_below(divisions, criteria.divisions),
    }
    under_heading = {
        f"{facet}_{n}": Count("pk", filter=under(f"{facet}_lineages", node.lineage))
        for facet, level in levels.items()
        for n, node in enumerate(level)
    }
    groups = matched.order_by().values("type", year=Substr("date", 1, 4))
    types, years, headings = Counter(), Counter(), Counter()
    for group in groups.annotate(entries=Count("pk"), **under_heading):
        types[group["type"]] += group["entries"]
        if group["year"]:
            years[group["year"]] += group["entries"]
        headings.update({name: group[name] for name in under_heading})

    def level_counts(facet: str) -> list[FacetValue]:
        counted = ((node, headings[f"{facet}_{n}"]) for n, node in enumerate(levels[facet]))
        return by_count(FacetValue(node.code, node.name, count) for node, count in counted if count)

    return Facets(
        total=types.total(),
        types=by_count(FacetValue(t, type_label(t), n) for t, n in types.items()),
        years=[FacetValue(y, y, years[y]) for y in sorted(years, reverse=True)[:YEARS_SHOWN]],
        subjects=level_counts("subject"),
        divisions=level_counts("division"),
    )


def level_below(tree: Tree, chosen: tuple[str, ...]) -> list[Node]:
    """The level below the last chosen node (given by lineage), or the top level."""
    parent = tree.get(chosen[-1].rsplit(":", 1)[-1]) if chosen else None
    return tree.children(parent)


def type_label(value: str) -> str:
    return ItemType(value).label if value in ItemType.values else value


def by_count(values) -> list[FacetValue]:
    return sorted(values, key=lambda v: (-v.count, v.label))
