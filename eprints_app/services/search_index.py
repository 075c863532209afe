"""Keeping the search index current: one entry per live item.

``services.changes.item_changed`` schedules ``reindex_items`` for the end of the transaction
whenever an item, its creators, documents or classification change; the text-extraction task
calls ``reindex_item`` once a document's text is in; ``reindex_all`` rebuilds everything
(``manage.py reindex_search``, after bulk loads). An entry holds only what readers may see:
it exists for live items only, and takes the text of open-access documents only
(``eprints_app.search.entries`` builds it). Cached search results are left behind whenever
entries change (the listing generation of ``eprints_app.browse.cache`` moves on).
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from eprints_app.browse.cache import bump_generation
from eprints_app.models import Item
from eprints_app.search.entries import write_entries
from eprints_app.search.models import SearchEntry

# Items written per statement: big enough for set-based speed, small enough for steady progress.
BATCH_SIZE = 2000


def reindex_items(item_ids: Iterable[int]) -> None:
    """Bring the entries of these items up to date; items that are not live (or gone) lose theirs."""
    for chunk in batches(sorted(set(item_ids))):
        with transaction.atomic():
            SearchEntry.objects.filter(pk__in=chunk).exclude(item__in=Item.objects.live()).delete()
            write_entries(Item.objects.filter(pk__in=chunk))
        transaction.on_commit(bump_generation, robust=True)


def reindex_item(item_id: int) -> None:
    """Bring one item's entry up to date (the text-extraction task calls this)."""
    reindex_items([item_id])


@dataclass(frozen=True)
class IndexCounts:
    entries: int
    with_full_text: int
    removed: int


def remove_stale_entries() -> int:
    """Delete the entries of items that are no longer live; returns how many."""
    removed, _ = SearchEntry.objects.exclude(item__in=Item.objects.live()).delete()
    if removed:
        transaction.on_commit(bump_generation, robust=True)
    return removed


def batches(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + BATCH_SIZE] for start in range(0, len(ids), BATCH_SIZE)]


def live_id_batches() -> list[list[int]]:
    return batches(list(Item.objects.live().order_by("pk").values_list("pk", flat=True)))


def index_counts(removed: int = 0) -> IndexCounts:
    entries = SearchEntry.objects.all()
    return IndexCounts(entries.count(), entries.exclude(full_text="").count(), removed)


def reindex_all() -> IndexCounts:
    """Rebuild the whole index (``manage.py reindex_search`` does the same with a progress bar)."""
    removed = remove_stale_entries()
    for batch in live_id_batches():
        reindex_items(batch)
    return index_counts(removed)


_pending = threading.local()


def schedule_reindex(item_ids: Iterable[int]) -> None:
    """Reindex these items when the current transaction commits (at once outside one).

    IDs gathered during a transaction are indexed together, once each, by the first callback
    that runs; if a transaction rolls back, its IDs wait for the next commit, which is harmless
    since reindexing only reads the current state.
    """
    pending = _pending.__dict__.setdefault("ids", set())
    pending.update(item_ids)
    transaction.on_commit(flush_pending, robust=True)


def flush_pending() -> None:
    ids = _pending.__dict__.pop("ids", set())
    if ids:
        reindex_items(ids)
