"""An item's creators and editors: saved and deleted here, so that the item notices
(``services.changes.item_changed``: Last Modified, cached lists, the search index)."""

from eprints_app.models import Creator
from eprints_app.services.changes import item_changed


def save_creator(creator: Creator) -> Creator:
    creator.save()
    item_changed(creator.item_id)
    return creator


def delete_creator(creator: Creator) -> None:
    creator.delete()
    item_changed(creator.item_id)
