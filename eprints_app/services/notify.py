"""Emails to the people concerned by what happens to an item (Django's email; console by default).

A failure to send is logged and never undoes the change that caused it.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from eprints_app.enums import ItemStatus
from eprints_app.models import Item
from eprints_app.text import one_line

logger = logging.getLogger(__name__)


def send(subject: str, body: str, recipients: list[str]) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    try:
        # A title may hold line breaks, which a mail header may not.
        send_mail(one_line(f"[{settings.REPOSITORY_NAME}] {subject}"), body, None, recipients)
    except Exception:
        logger.exception("Could not send %r to %s", subject, recipients)


def editor_addresses() -> list[str]:
    """Everyone who reviews deposits: holders of edit_any_item, directly, by group, or superusers."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    permission = Q(user_permissions__codename="edit_any_item") | Q(
        groups__permissions__codename="edit_any_item"
    )
    return list(users.filter(permission | Q(is_superuser=True)).values_list("email", flat=True).distinct())


def actions_url(item: Item) -> str:
    return f"{settings.BASE_URL}/id/eprint/{item.pk}/actions/"


def notify_status_change(item: Item, previous: str, user, message: str = "") -> None:
    """Tell editors of a new deposit to review, and the depositor of what happened to theirs."""
    title = f'"{item.title}" (item {item.pk})'
    depositor = item.depositor.email if item.depositor_id and item.depositor else ""
    by_someone_else = user is None or user.pk != item.depositor_id
    note = f"\n\nMessage from the editor:\n{message}\n" if message else ""
    if item.status == ItemStatus.BUFFER and previous == ItemStatus.INBOX:
        send(
            f"Deposit to review: {item.title}",
            f"{title} awaits review:\n{actions_url(item)}\n",
            editor_addresses(),
        )
    elif not by_someone_else:
        return
    elif item.is_live:
        send(
            f"Your item is live: {item.title}",
            f"{title} is now in the live archive:\n{item.uri}\n{note}",
            [depositor],
        )
    elif item.status == ItemStatus.INBOX:
        send(
            f"Returned to your workarea: {item.title}",
            f"{title} was returned to your workarea for changes:\n{actions_url(item)}\n{note}",
            [depositor],
        )
    elif item.status == ItemStatus.DELETION:
        send(f"Item retired: {item.title}", f"{title} was retired from the repository.\n{note}", [depositor])
