"""What follows a change to anything an item shows: its fields, creators, documents, subjects
or divisions, or the names of the headings it is filed under.

Every such change ends in ``item_changed``, which

1. moves the items' Last Modified (unless the item's own save has just done so), so that
   conditional GETs, OAI-PMH and sitemaps see the change;
2. bumps the listing generation (``browse.cache``), now and again once the transaction commits,
   so that no cached list, search result or page is shown again;
3. reindexes the items for search once the transaction commits.

The services for documents and creators call it; the receivers below cover what Django saves
without a call of ours: an item's own save (the admin, forms, scripts), many-to-many changes of
its classification, and renamed or removed headings.

Work that commits many transactions in a row (an import: one per record) runs them inside
``batched_changes``, which does steps 2 and 3 once for the whole batch instead of once a change.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from eprints_app.browse.cache import bump_generation
from eprints_app.models import Division, Item, Subject
from eprints_app.services.search_index import reindex_items, schedule_reindex


@dataclass
class ChangeBatch:
    """What the changes made inside ``batched_changes`` still owe: see there."""

    touch: bool
    item_ids: set[int] = field(default_factory=set)
    lists: bool = False

    def flush(self) -> None:
        """Reindex the batch's items and bump the listing generation, and start over. Run between
        the batch's transactions, after their commits; inside a caller's own transaction, the
        bump waits for its commit (``on_commit``)."""
        item_ids, lists = self.item_ids, self.lists
        self.item_ids, self.lists = set(), False
        if item_ids:
            reindex_items(item_ids)
        if item_ids or lists:
            transaction.on_commit(bump_generation, robust=True)


_batch: ContextVar[ChangeBatch | None] = ContextVar("change_batch", default=None)


@contextmanager
def batched_changes(*, touch: bool = True) -> Iterator[ChangeBatch]:
    """Many transactions in a row, with ``item_changed``'s steps 2 and 3 done once for all of them.

    Inside, ``item_changed`` and ``lists_changed`` only note the items (step 1 is still done at
    once, unless ``touch=False``: the caller sets Last Modified itself before each commit); the
    batch's ``flush()``, which the caller runs between transactions as often as it likes, and the
    end of the block reindex the noted items together (``reindex_items``, a statement per 2,000)
    and bump the listing generation once. The end flushes even when the block raises, so that
    what committed before the error is indexed.

    No stale page, list or search result outlives a flush. Everything cached is keyed by the
    generation: whatever a request built during the batch, from data before or after any of its
    commits, is keyed by a generation that the flush, run after those commits, leaves behind.
    Until then readers see a cached list or page as it was before the batch, or one built from
    the commits so far, and search finds the items as they were before it: the same as if the
    batch's records had not yet been written, for at most one batch (the caller bounds it).
    A transaction that rolled back leaves its items noted; reindexing them only reads their
    current state, so that costs nothing but the work.

    Batches do not nest.
    """
    if _batch.get() is not None:
        raise RuntimeError("Batches of changes do not nest.")
    batch = ChangeBatch(touch=touch)
    token = _batch.set(batch)
    try:
        yield batch
    finally:
        _batch.reset(token)
        batch.flush()


def item_changed(*item_ids: int, touch: bool = True) -> None:
    """The listed steps, for items whose content changed (``touch=False``: Last Modified moved already)."""
    batch = _batch.get()
    if touch and (batch is None or batch.touch):
        Item.objects.filter(pk__in=item_ids).update(last_modified=timezone.now())
    if batch is not None:
        batch.item_ids.update(item_ids)
        return
    lists_changed()
    schedule_reindex(item_ids)


def lists_changed() -> None:
    if (batch := _batch.get()) is not None:
        batch.lists = True
        return
    bump_generation()
    # Again once committed: a list rebuilt meanwhile by another request, from the data as it
    # was before this transaction, would otherwise stay cached.
    transaction.on_commit(bump_generation, robust=True)


@receiver(post_save, sender=Item)
def item_saved(sender, instance: Item, raw: bool = False, **kwargs) -> None:
    if not raw:
        item_changed(instance.pk, touch=False)


@receiver(post_delete, sender=Item)
def item_deleted(sender, **kwargs) -> None:
    # Its search entry goes with it (a foreign key); lists must forget it.
    lists_changed()


@receiver(m2m_changed, sender=Item.subjects.through)
@receiver(m2m_changed, sender=Item.divisions.through)
def classification_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # heading.items.add(...): the items are the other side
        item_changed(*(pk_set or ()))
    else:
        item_changed(instance.pk)


@receiver(post_save, sender=Subject)
@receiver(post_save, sender=Division)
def heading_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """A renamed or moved heading changes how its items are shown and found."""
    if not raw:
        lists_changed()
        schedule_reindex(instance.items.values_list("pk", flat=True))


@receiver(post_delete, sender=Subject)
@receiver(post_delete, sender=Division)
def heading_deleted(sender, **kwargs) -> None:
    lists_changed()
