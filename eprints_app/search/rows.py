"""The matching search entries as one SQL query, the ground of every search statement.

Each row holds an entry's ``pk``, ``type`` and ``year``, the columns the facets ask for, and
the keys ``k0``, ``k1``, ... of the order asked for. A page of results and the facet counts are
both read from such rows (``eprints_app.services.search``), often in one statement. The rows of
a relevance order come from the backend (ranked by ts_rank or bm25); those of every other order
are plain columns.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Expression, F, QuerySet


@dataclass(frozen=True)
class Rows:
    sql: str
    params: tuple
    descending: tuple[bool, ...]  # per key

    @property
    def keys(self) -> list[str]:
        return [f"k{n}" for n in range(len(self.descending))]

    @property
    def order_by(self) -> str:
        directions = ("DESC" if down else "ASC" for down in self.descending)
        return ", ".join(f"{key} {direction}" for key, direction in zip(self.keys, directions, strict=True))


def keyed(entries: QuerySet, columns: Sequence[str], keys: Sequence[tuple[Expression | F, bool]]) -> Rows:
    """Rows of these entries: the columns, then each key (an expression, and whether it
    orders descending)."""
    named = {f"k{n}": expression for n, (expression, _) in enumerate(keys)}
    sql, params = entries.order_by().annotate(**named).values(*columns, *named).query.sql_with_params()
    return Rows(sql, tuple(params), tuple(descending for _, descending in keys))
