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
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from eprints_app.browse.cache import bump_generation
from eprints_app.models import Division, Item, Subject
from eprints_app.services.search_index import schedule_reindex


def item_changed(*item_ids: int, touch: bool = True) -> None:
    """The listed steps, for items whose content changed (``touch=False``: Last Modified moved already)."""
    if touch:
        Item.objects.filter(pk__in=item_ids).update(last_modified=timezone.now())
    lists_changed()
    schedule_reindex(item_ids)


def lists_changed() -> None:
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
