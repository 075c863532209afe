"""Who may see and do what: one helper per object (eprints.md §2).

The public vocabulary: an item is "live" (``Item.is_live``, ``Item.objects.live()``); a document
is "open access" when anyone may download it (``is_open_access`` here, and
``Document.objects.open_access()`` for queries); an export format is for everyone or for staff
(``may_export``).
"""

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from eprints_app.enums import ItemStatus, Security
from eprints_app.models import Document, Item

if TYPE_CHECKING:  # the export formats themselves ask who may download what
    from eprints_app.exports import ExportFormat

User = AbstractBaseUser | AnonymousUser


def is_editor(user: User) -> bool:
    """Editors (and superusers) hold the edit_any_item permission."""
    return user.is_authenticated and user.has_perm("eprints_app.edit_any_item")


def is_owner(user: User, item: Item) -> bool:
    return user.is_authenticated and item.depositor_id == user.pk


def can_manage(user: User, item: Item) -> bool:
    """Open the actions view: the depositor and editors."""
    return is_editor(user) or is_owner(user, item)


def can_edit(user: User, item: Item) -> bool:
    """Edit fields and documents: editors always, depositors while the item is in their workarea."""
    return is_editor(user) or (is_owner(user, item) and item.status == ItemStatus.INBOX)


def is_open_access(document: Document) -> bool:
    """Anyone may download it: a public (or no longer embargoed) document of a live item."""
    return document.item.is_live and document.effective_security == Security.PUBLIC


def can_download(user: User, document: Document) -> bool:
    """A public document of a live item: anyone; registered-only: any logged-in user;
    staff-only, embargoed, or any document of an item that is not live: editors and the owner."""
    if is_open_access(document) or can_manage(user, document.item):
        return True
    return (
        document.item.is_live and document.effective_security == Security.VALIDUSER and user.is_authenticated
    )


def may_export(user: User, fmt: "ExportFormat") -> bool:
    """Formats that could carry personal data are for editors; the rest for everyone. The item's
    export URL, browse lists and searches all ask this."""
    return fmt.public or is_editor(user)
