"""Members of the repository's roles (``eprints_app.roles``) work in the admin, so giving
someone a role makes them staff. Groups are given through the admin's user form or a script,
which save the many-to-many link without a call of ours: a receiver is the hook."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from eprints_app.roles import ROLE_PERMISSIONS


@receiver(m2m_changed, sender=get_user_model().groups.through)
def role_given(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action != "post_add" or reverse or instance.is_staff:
        return
    if Group.objects.filter(pk__in=pk_set, name__in=ROLE_PERMISSIONS).exists():
        type(instance).objects.filter(pk=instance.pk).update(is_staff=True)
        instance.is_staff = True
