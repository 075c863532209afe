"""Delete usage events of months that are over and aggregated (run monthly, e.g. from cron).

Each month before the kept ones is aggregated one last time and its events deleted in the
same transaction; its totals are then final. Safe to re-run.
"""

from django.core.management.base import BaseCommand, CommandError

from eprints_app.stats.aggregation import prune


class Command(BaseCommand):
    help = "Aggregate, then delete the raw usage events of all but this month and the last KEEP."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--keep-months",
            type=int,
            default=1,
            help="whole months of events to keep besides this one (default 1)",
        )

    def handle(self, *args, **options) -> None:
        keep = options["keep_months"]
        if keep < 0:
            raise CommandError("--keep-months must be 0 or more.")
        done = prune(keep)
        for month, rows in done.items():
            state = "already final" if rows is None else f"{rows} item(s), events deleted"
            self.stdout.write(f"{month:%Y-%m}: {state}")
        self.stdout.write(f"{len(done)} month(s) pruned.")
