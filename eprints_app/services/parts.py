"""An item's creators and documents as the admin's inlines and the actions view's formsets
edit them: each saved or deleted through its own service, so that the item notices."""

from django.forms import BaseInlineFormSet

from eprints_app.models import Creator, Document
from eprints_app.services.creators import delete_creator, save_creator
from eprints_app.services.documents import delete_document, save_document

SERVICES = {Creator: (save_creator, delete_creator), Document: (save_document, delete_document)}


def save_parts(formset: BaseInlineFormSet) -> None:
    """Save a valid formset of an item's creators or documents."""
    save, delete = SERVICES[formset.model]
    for part in formset.save(commit=False):
        save(part)
    for part in formset.deleted_objects:
        delete(part)
