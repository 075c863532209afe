"""Receivers that keep an item's Last Modified current when its parts change.

An item's own save moves ``last_modified`` (``Item.save``); these cover the parts
edited beside it (admin inlines, the actions view's formsets, scripts).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from eprints_app import tasks
from eprints_app.browse.cache import bump_generation
from eprints_app.enums import DerivativeStatus
from eprints_app.models import Creator, Division, Document, Item, Subject
from eprints_app.roles import ROLE_PERMISSIONS
from eprints_app.services.files import delete_stored_file_on_commit
from eprints_app.services.search_index import schedule_reindex


def touch_item(item_id: int) -> None:
    Item.objects.filter(pk=item_id).update(last_modified=timezone.now())


@receiver(post_save, sender=Creator)
@receiver(post_save, sender=Document)
@receiver(post_delete, sender=Creator)
def part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        touch_item(instance.item_id)


@receiver(post_delete, sender=Document)
def document_deleted(sender, instance: Document, **kwargs) -> None:
    touch_item(instance.item_id)
    if instance.file:
        delete_stored_file_on_commit(instance.file.storage, instance.file.name)


@receiver(m2m_changed, sender=Item.subjects.through)
@receiver(m2m_changed, sender=Item.divisions.through)
def classification_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        touch_item(instance.pk)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def role_given(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Members of the repository's roles work in the admin, so they need staff status."""
    if action != "post_add" or reverse or instance.is_staff:
        return
    if Group.objects.filter(pk__in=pk_set, name__in=ROLE_PERMISSIONS).exists():
        type(instance).objects.filter(pk=instance.pk).update(is_staff=True)
        instance.is_staff = True


# Derived text and thumbnails (eprints_app.tasks): rebuilt whenever a document gets a file.


@receiver(pre_save, sender=Document)
def file_arriving(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    """A new document or a new file makes the text and thumbnails stale: clear them in this same save
    (no extra query), so that nothing derived from a replaced file outlives it."""
    if raw or not (instance._state.adding or (instance.file and not instance.file._committed)):
        return
    instance._derivatives_stale = True
    for field in (instance.thumbnail_small, instance.thumbnail_preview):
        if field:
            delete_stored_file_on_commit(field.storage, field.name)
    instance.text, instance.thumbnail_small, instance.thumbnail_preview = "", "", ""
    instance.text_status = instance.thumbnail_status = DerivativeStatus.PENDING
    instance.derivative_error = ""


@receiver(post_save, sender=Document)
def file_saved(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    if not raw and getattr(instance, "_derivatives_stale", False):
        instance._derivatives_stale = False
        tasks.enqueue_derivatives(instance.pk)


@receiver(post_delete, sender=Document)
def thumbnails_deleted(sender, instance: Document, **kwargs) -> None:
    for field in (instance.thumbnail_small, instance.thumbnail_preview):
        if field:
            delete_stored_file_on_commit(field.storage, field.name)


# Browse listings are cached under a generation number (eprints_app.browse.cache): a change
# to anything they show moves it on, so that no reader is shown the old list.
def lists_changed() -> None:
    bump_generation()
    # Again once committed: a list rebuilt meanwhile by another request, from the data as it
    # was before this transaction, would otherwise stay cached.
    transaction.on_commit(bump_generation, robust=True)


@receiver(post_save, sender=Item)
@receiver(post_delete, sender=Item)
@receiver(post_save, sender=Creator)
@receiver(post_delete, sender=Creator)
@receiver(post_save, sender=Document)
@receiver(post_delete, sender=Document)
@receiver(post_save, sender=Subject)
@receiver(post_delete, sender=Subject)
@receiver(post_save, sender=Division)
@receiver(post_delete, sender=Division)
def listing_changed(sender, **kwargs) -> None:
    lists_changed()


@receiver(m2m_changed, sender=Item.subjects.through)
@receiver(m2m_changed, sender=Item.divisions.through)
def listing_classification_changed(sender, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        lists_changed()


# Search: an item's index entry is rebuilt once the change commits (deleting an item deletes
# its entry through the foreign key). Renaming a heading changes the paths its items are found by.


def reindex_for_search(*item_ids: int) -> None:
    schedule_reindex(item_ids)


@receiver(post_save, sender=Item)
def item_saved_for_search(sender, instance: Item, raw=False, **kwargs) -> None:
    if not raw:
        reindex_for_search(instance.pk)


@receiver(post_save, sender=Creator)
@receiver(post_delete, sender=Creator)
@receiver(post_save, sender=Document)
@receiver(post_delete, sender=Document)
def part_changed_for_search(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        reindex_for_search(instance.item_id)


@receiver(m2m_changed, sender=Item.subjects.through)
@receiver(m2m_changed, sender=Item.divisions.through)
def classification_changed_for_search(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and not reverse:
        reindex_for_search(instance.pk)


@receiver(post_save, sender=Subject)
@receiver(post_save, sender=Division)
def heading_saved_for_search(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        reindex_for_search(*instance.items.values_list("pk", flat=True))
