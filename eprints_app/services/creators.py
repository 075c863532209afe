"""An item's creators and editors: saved and deleted here, so that the item notices
(``services.changes.item_changed``: Last Modified, cached lists, the search index)."""

from django.forms import BaseInlineFormSet

from eprints_app.models import Creator
from eprints_app.services.changes import item_changed


def save_creator(creator: Creator) -> Creator:
    creator.save()
    item_changed(creator.item_id)
    return creator


def delete_creator(creator: Creator) -> None:
    creator.delete()
    item_changed(creator.item_id)


def save_creator_formset(formset: BaseInlineFormSet) -> None:
    """Save a valid formset of an item's creators (the admin's inline, the actions view)."""
    for creator in formset.save(commit=False):
        save_creator(creator)
    for creator in formset.deleted_objects:
        delete_creator(creator)
