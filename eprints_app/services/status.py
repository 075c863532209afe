"""Moving items between EPrints' four statuses (eprints.md §1, §9).

Every status change in the app (the admin's actions and form, the actions view,
management commands) goes through ``change_status``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eprints_app.access import is_editor, is_owner
from eprints_app.enums import CreatorRole, ItemStatus, ItemType
from eprints_app.models import Creator, Item
from eprints_app.services.notify import notify_status_change


class StatusChangeError(Exception):
    """A status change that is not allowed; the message is shown to the user."""


@dataclass(frozen=True)
class Transition:
    target: str
    label: str
    editor_only: bool = True


# EPrints' buttons, by the status an item is in.
TRANSITIONS: dict[str, tuple[Transition, ...]] = {
    ItemStatus.INBOX: (
        Transition(ItemStatus.BUFFER, "Deposit item for review", editor_only=False),
        Transition(ItemStatus.ARCHIVE, "Move to Repository"),
    ),
    ItemStatus.BUFFER: (
        Transition(ItemStatus.ARCHIVE, "Move to Repository"),
        Transition(ItemStatus.INBOX, "Return to Work Area"),
    ),
    ItemStatus.ARCHIVE: (
        Transition(ItemStatus.BUFFER, "Move to Review"),
        Transition(ItemStatus.INBOX, "Return to Work Area"),
        Transition(ItemStatus.DELETION, "Retire Item"),
    ),
    ItemStatus.DELETION: (Transition(ItemStatus.ARCHIVE, "Move to Repository"),),
}


def available_transitions(item: Item, user) -> list[Transition]:
    """The moves this user may make on this item now."""
    if is_editor(user):
        return list(TRANSITIONS[item.status])
    if is_owner(user, item):
        moves = [t for t in TRANSITIONS[item.status] if not t.editor_only]
        if settings.DEPOSIT_SKIPS_REVIEW:
            moves = [
                Transition(ItemStatus.ARCHIVE, "Deposit item", editor_only=False)
                if t.target == ItemStatus.BUFFER
                else t
                for t in moves
            ]
        return moves
    return []


def missing_requirements(item: Item) -> list[str]:
    """What EPrints' workflow asks of an item of this type before it leaves the workarea."""
    problems = []
    if not item.title.strip():
        problems.append("a title")
    people = item.creators.all() if item.pk else Creator.objects.none()
    if item.type == ItemType.BOOK and not people.exists():
        problems.append("at least one creator or editor")
    elif item.type != ItemType.BOOK and not people.filter(role=CreatorRole.CREATOR).exists():
        problems.append("at least one creator")
    if item.type in {ItemType.MONOGRAPH, ItemType.BOOK} and not item.publisher.strip():
        problems.append("a publisher")
    if item.type == ItemType.MONOGRAPH and not (item.monograph_type or item.series):
        problems.append("a monograph type")
    if item.type == ItemType.THESIS:
        if not item.institution.strip():
            problems.append("an institution")
        if not item.thesis_type:
            problems.append("a thesis type")
    if item.type == ItemType.ARTICLE and not item.publication.strip():
        problems.append("a journal or publication title")
    if item.type == ItemType.BOOK_SECTION and not item.book_title.strip():
        problems.append("a book title")
    if item.type == ItemType.CONFERENCE_ITEM and not item.event_title.strip():
        problems.append("an event title")
    return problems


def change_status(item: Item, target: str, user=None, message: str = "") -> Item:
    """Move an item to another status.

    Steps: check that the move exists from the current status and that this user
    may make it (``user=None`` is the system itself: any move that exists); check
    the item is complete enough to leave the workarea; stamp ``status_changed``,
    and ``date_deposited`` the first time the item goes live (never again); save,
    which moves Last Modified and the revision and records the move in the history;
    once committed, tell the people concerned by email (``message`` goes to the
    depositor with the news).
    """
    if target not in ItemStatus.values:
        raise StatusChangeError(f"{target!r} is not a status.")
    allowed = TRANSITIONS[item.status] if user is None else available_transitions(item, user)
    if target not in {t.target for t in allowed}:
        raise StatusChangeError(
            f"An item that is {ItemStatus(item.status).label} cannot be moved to "
            f"{ItemStatus(target).label}" + ("." if user is None else " by you.")
        )
    if target in {ItemStatus.BUFFER, ItemStatus.ARCHIVE}:
        problems = missing_requirements(item)
        if problems:
            raise StatusChangeError("This item still needs " + ", ".join(problems) + ".")
    previous = item.status
    with transaction.atomic():
        now = timezone.now()
        item.status = target
        item.status_changed = now
        if target == ItemStatus.ARCHIVE and item.date_deposited is None:
            item.date_deposited = now
        item._change_reason = f"Moved from {ItemStatus(previous).label} to {ItemStatus(target).label}"
        if message:
            item._change_reason += f": {message}"
        item.save()
        transaction.on_commit(lambda: notify_status_change(item, previous, user, message))
    return item
