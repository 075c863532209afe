"""New versions of an item (EPrints' "New version": the copy is linked as "Later Version of")."""

from django.core.files import File
from django.db import transaction

from eprints_app.enums import ItemStatus
from eprints_app.models import Creator, Item
from eprints_app.models.document import DOCUMENT_METADATA
from eprints_app.services.documents import add_document

# What belongs to the old record's life, not to its content.
NOT_COPIED = {
    "id",
    "status",
    "date_deposited",
    "last_modified",
    "status_changed",
    "rev_number",
    "succeeds",
    "depositor",
}


def new_version(item: Item, user) -> Item:
    """Copy an item, its creators, classification and documents (files included) into the
    workarea of ``user``, as a later version of ``item``."""
    with transaction.atomic():
        copy = Item(
            **{f.name: getattr(item, f.name) for f in Item._meta.concrete_fields if f.name not in NOT_COPIED}
        )
        copy.status, copy.succeeds, copy.depositor = ItemStatus.INBOX, item, user
        copy._change_reason = f"Created as a new version of item {item.pk}"
        copy.save()
        copy.subjects.set(item.subjects.all())
        copy.divisions.set(item.divisions.all())
        for person in item.creator_list:
            Creator.objects.create(
                item=copy,
                position=person.position,
                role=person.role,
                family=person.family,
                given=person.given,
                orcid=person.orcid,
                email=person.email,
            )
        for document in item.document_list:
            with document.file.storage.open(document.file.name, "rb") as stored:
                description = {name: getattr(document, name) for name in DOCUMENT_METADATA}
                add_document(copy, File(stored, name=document.filename), **description)
    return copy
