"""Mark items whose documents' embargoes have ended as changed (run daily, e.g. from cron).

An embargoed document becomes public on its date by itself (Document.effective_security);
this moves the item's Last Modified, so that incremental OAI-PMH harvests and sitemaps
notice that its full text is now open, and puts that text into the search index.
Safe to re-run: an item is touched once per embargo.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from eprints_app.models import Document, Item
from eprints_app.services.search_index import reindex_items


class Command(BaseCommand):
    help = "Move Last Modified of items whose document embargoes ended since they last changed."

    def handle(self, *args, **options) -> None:
        # An embargo that ended on day D (up to today) lifted after the item last changed.
        ended = Document.objects.filter(
            item=OuterRef("pk"),
            date_embargo__lte=timezone.localdate(),
            date_embargo__gt=OuterRef("last_modified__date"),
        )
        with transaction.atomic():
            ids = list(Item.objects.filter(Exists(ended)).values_list("pk", flat=True))
            Item.objects.filter(pk__in=ids).update(last_modified=timezone.now())
            # Their full text may now be searched.
            reindex_items(ids)
        self.stdout.write(f"{len(ids)} item(s) with ended embargoes marked as changed and reindexed.")
