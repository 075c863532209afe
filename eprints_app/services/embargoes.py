"""The daily embargo job, run by ``manage.py lift_embargoes`` and ``reindex_search --embargoes``.

An embargoed document becomes public on its date by itself (``Document.effective_security``);
nothing is saved then, so this job tells everything that keeps a copy: the item's Last Modified
moves (incremental OAI-PMH harvests and sitemaps notice that its full text is open), cached
lists and pages are left behind, and its search entry takes the text in. Safe to re-run: an
item is taken once per embargo.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from eprints_app.models import Document, Item
from eprints_app.services.changes import lists_changed
from eprints_app.services.search_index import reindex_items


def lift_ended_embargoes() -> list[int]:
    """The IDs of items with an embargo that ended (up to today) after the item last changed or
    was last indexed, now marked changed and reindexed."""
    ended = Document.objects.filter(item=OuterRef("pk"), date_embargo__lte=timezone.localdate())
    since_changed = ended.filter(date_embargo__gt=OuterRef("last_modified__date"))
    since_indexed = ended.filter(date_embargo__gt=OuterRef("search_entry__indexed_on"))
    with transaction.atomic():
        items = Item.objects.filter(Exists(since_changed) | Exists(since_indexed))
        ids = list(items.values_list("pk", flat=True))
        Item.objects.filter(pk__in=ids).update(last_modified=timezone.now())
        lists_changed()
        reindex_items(ids)
    return ids
