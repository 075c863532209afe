"""What OAI-PMH harvests: every item that is or was live, one page at a time.

Live items (``Item.objects.live()``) are records in full. Items that were live once and are
no longer (retired, or moved back to review or the workarea; Date Deposited is set only the
first time an item goes live) are deleted records: a header with status="deleted" and no
metadata, for as long as the row exists (deletedRecord "persistent"). Items never live
never appear. A record's datestamp is its item's Last Modified.
"""

import re
from datetime import UTC, datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils.html import escape

from eprints_app.enums import ItemStatus
from eprints_app.exports import ExportFormat
from eprints_app.models import Document, Item
from eprints_app.oai import sets
from eprints_app.oai.tokens import ListState

#: Records (or headers) a page, as EPrints sends.
PAGE_SIZE = 100
# The largest ID the database's bigint can hold: longer numbers cannot name an item.
MAX_ID = 2**63 - 1


def harvestable() -> QuerySet[Item]:
    """Every record, live or deleted (see the module's docstring)."""
    return Item.objects.live() | Item.objects.filter(
        Q(status=ItemStatus.DELETION) | Q(date_deposited__isnull=False)
    )


def oai_identifier(item_id: int) -> str:
    return f"oai:{settings.REPOSITORY_ID}:{item_id}"


def parse_identifier(identifier: str) -> int | None:
    """The item ID in one of our identifiers, exactly as we write them; None otherwise."""
    prefix = f"oai:{settings.REPOSITORY_ID}:"
    number = identifier.removeprefix(prefix)
    if number == identifier or not re.fullmatch(r"[1-9][0-9]{0,18}", number) or int(number) > MAX_ID:
        return None
    return int(number)


def datestamp(moment: datetime) -> str:
    """A UTC datestamp at the repository's granularity (seconds)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def header_xml(item: Item) -> str:
    """The record's <header>: joined here rather than included from a template once per record
    (a page has a hundred), escaped as the templates' autoescaping would."""
    status = "" if item.is_live else ' status="deleted"'
    specs = "".join(f"<setSpec>{escape(spec)}</setSpec>" for spec in sets.set_specs(item))
    return (
        f"<header{status}><identifier>{escape(oai_identifier(item.pk))}</identifier>"
        f"<datestamp>{datestamp(item.last_modified)}</datestamp>{specs}</header>"
    )


def record_xml(item: Item, fmt: ExportFormat) -> str:
    """The <record>: the header, and the metadata in ``fmt`` unless the record is deleted."""
    metadata = fmt.render_oai(item) if item.is_live else ""
    body = f"<metadata>{metadata}</metadata>" if metadata else ""
    return f"<record>{header_xml(item)}{body}</record>"


def selection(state: ListState) -> QuerySet[Item] | None:
    """The complete list a harvest asks for; None when its set does not exist."""
    items = harvestable()
    if state.set_spec is not None:
        condition = sets.condition(state.set_spec)
        if condition is None:
            return None
        items = items.filter(condition)
    if state.start is not None:
        items = items.filter(last_modified__gte=state.start)
    if state.end is not None:
        items = items.filter(last_modified__lt=state.end)
    return items


class Key(NamedTuple):
    """A record's place in the list, and what tells one version of it from another."""

    pk: int
    last_modified: datetime
    rev_number: int
    status: str


def page(items: QuerySet[Item], after: tuple[datetime, int] | None) -> tuple[list[Key], bool]:
    """The keys of the next page after the (Last Modified, ID) key, and whether more follow.

    Keyset pagination: the query seeks past the last key sent instead of counting an
    offset, so a late page costs what the first does. An item changed during a harvest
    moves to the end of the list and is sent again there, never missed.
    """
    if after is not None:
        moment, pk = after
        items = items.filter(last_modified__gte=moment).filter(Q(last_modified__gt=moment) | Q(pk__gt=pk))
    rows = items.order_by("last_modified", "pk").values_list(*Key._fields)[: PAGE_SIZE + 1]
    keys = [Key(*row) for row in rows]
    return keys[:PAGE_SIZE], len(keys) > PAGE_SIZE


def with_header_parts(items: QuerySet[Item]) -> QuerySet[Item]:
    """Items with what their headers show (``sets.set_specs``): document access, subjects, divisions."""
    documents = Document.objects.only("item_id", "security", "date_embargo")
    return items.prefetch_related(
        Prefetch("documents", queryset=documents, to_attr="prefetched_documents"),
        Prefetch("subjects", to_attr="prefetched_subjects"),
        Prefetch("divisions", to_attr="prefetched_divisions"),
    )
