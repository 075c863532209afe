"""Rebuild the search index: every live item's entry (after bulk loads), or with --embargoes
only those whose documents' embargoes have ended since they were indexed: the same daily job
as ``lift_embargoes`` (``services.embargoes``).

Safe to re-run: entries are replaced, and entries of items no longer live are removed.
"""

from django.core.management.base import BaseCommand

from eprints_app.management.output import progress
from eprints_app.services import search_index
from eprints_app.services.embargoes import lift_ended_embargoes


class Command(BaseCommand):
    help = "Rebuild the search index."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--embargoes",
            action="store_true",
            help="Only items with a document whose embargo has ended since the item was indexed.",
        )

    def handle(self, *args, embargoes: bool, verbosity: int, **options) -> None:
        if embargoes:
            ids = lift_ended_embargoes()
            summary = f"Search index: {len(ids)} reindexed (items with embargoes ended)."
        else:
            removed = search_index.remove_stale_entries()
            batches = search_index.live_id_batches()
            for batch in progress(batches, len(batches), self.stderr, enabled=verbosity > 0):
                search_index.reindex_items(batch)
            counts = search_index.index_counts(removed)
            summary = (
                f"Search index: {counts.entries} live items ({counts.with_full_text} with full text); "
                f"{counts.removed} entries of items no longer live removed."
            )
        if verbosity > 0:
            self.stdout.write(summary)
