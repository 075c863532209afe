"""Receivers that keep an item's Last Modified current when its parts change.

An item's own save moves ``last_modified`` (``Item.save``); these cover the parts
edited beside it (admin inlines, the actions view's formsets, scripts).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from eprints_app.models import Creator, Document, Item
from eprints_app.roles import ROLE_PERMISSIONS
from eprints_app.services.files import delete_stored_file_on_commit


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
