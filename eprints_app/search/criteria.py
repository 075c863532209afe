"""What a reader asked for, apart from any backend: text per field, and filters."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Expression, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

# The fields a query can be aimed at, by form name; "q" is all of them (simple search).
TEXT_FIELDS = ("q", "title", "creators", "abstract", "keywords", "full_text")


@dataclass(frozen=True)
class Criteria:
    """Text queries by field (only those with something to search for) and filters.

    Several types, years or publication statuses mean any of them; several subjects or
    divisions mean all of them, each with its sub-headings, so that every facet a reader
    follows narrows the results.
    """

    texts: dict[str, str] = field(default_factory=dict)
    types: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    subjects: tuple[str, ...] = ()  # lineages, e.g. "J:JZ"
    divisions: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    refereed: bool | None = None

    def is_empty(self) -> bool:
        filters = (self.types, self.years, self.subjects, self.divisions, self.statuses)
        bounds = (self.year_from, self.year_to, self.refereed)
        return not self.texts and not any(filters) and all(value is None for value in bounds)

    def apply_filters(self, entries: QuerySet) -> QuerySet:
        """The search entries that pass every filter; the text queries are the backend's."""
        if self.types:
            entries = entries.filter(type__in=self.types)
        if self.years:
            entries = entries.filter(reduce(or_, (Q(date__startswith=f"{year:04d}") for year in self.years)))
        if self.year_from is not None:
            entries = entries.filter(date__gte=f"{self.year_from:04d}")
        if self.year_to is not None:
            entries = entries.filter(date__lt=f"{self.year_to + 1:04d}").exclude(date="")
        for lineage in self.subjects:
            entries = entries.filter(under("subject_lineages", lineage))
        for lineage in self.divisions:
            entries = entries.filter(under("division_lineages", lineage))
        if self.statuses:
            entries = entries.filter(ispublished__in=self.statuses)
        if self.refereed is not None:
            entries = entries.filter(refereed=self.refereed)
        return entries


def under(column: str | Expression, lineage: str) -> GreaterThan:
    """Entries classified under the heading with this lineage, or anything below it: their
    lineages column (``SearchEntry.subject_lineages`` or ``division_lineages``) holds it."""
    return GreaterThan(StrIndex(column, Value(f":{lineage}:")), 0)


def lies_under(lineages: str, lineage: str) -> bool:
    """``under`` for one entry's lineages (or top-level codes), read in Python."""
    return f":{lineage}:" in lineages
