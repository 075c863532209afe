"""New versions of an item (EPrints' "New version": the copy is linked as "Later Version of")."""

import posixpath

from django.core.files import File

from eprints_app.enums import ItemStatus
from eprints_app.models import Creator, Item
from eprints_app.models.document import DOCUMENT_METADATA
from eprints_app.services.documents import add_document, atomic_with_files
from eprints_app.unavailable import StorageUnavailable, bucket_errors

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
    workarea of ``user``, as a later version of ``item``.

    All or nothing: should a file fail to be read or stored, or the database fail, no row is left
    and the files already copied leave storage again (``atomic_with_files``); a file that cannot
    be read or stored raises ``StorageUnavailable`` with the reason.
    """
    with atomic_with_files():
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
            description = {name: getattr(document, name) for name in DOCUMENT_METADATA}
            # A document made without an original file name is copied under its stored one.
            filename = document.filename or posixpath.basename(document.file.name)
            try:
                with document.file.storage.open(document.file.name, "rb") as stored:
                    add_document(copy, File(stored, name=filename), **description)
            except (OSError, *bucket_errors()) as error:
                raise StorageUnavailable(
                    f"The file {document.filename} of item {item.pk} could not be read, so no new "
                    "version was made. Please try again in a few minutes."
                ) from error
    return copy
