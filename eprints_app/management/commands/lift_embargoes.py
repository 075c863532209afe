"""Mark items whose documents' embargoes have ended as changed (run daily, e.g. from cron).

The job itself is ``services.embargoes.lift_ended_embargoes``, shared with
``reindex_search --embargoes``. Safe to re-run: an item is touched once per embargo.
"""

from django.core.management.base import BaseCommand

from eprints_app.services.embargoes import lift_ended_embargoes


class Command(BaseCommand):
    help = "Move Last Modified of items whose document embargoes ended since they last changed."

    def handle(self, *args, **options) -> None:
        ids = lift_ended_embargoes()
        self.stdout.write(f"{len(ids)} item(s) with ended embargoes marked as changed and reindexed.")
