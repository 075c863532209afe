"""Count the usage events into monthly totals per item (run daily, e.g. from cron).

Idempotent and safe at any time: each month is rebuilt from its events in one transaction.
Salts of past days are deleted too, should a day have passed without readers.
``--month YYYY-MM`` does one month; ``--enqueue`` leaves the work to ``db_worker``
(``eprints_app.tasks.aggregate_usage_statistics``).
"""

from django.core.management.base import BaseCommand, CommandError

from eprints_app.stats.aggregation import aggregate
from eprints_app.stats.periods import PeriodError, parse_month
from eprints_app.stats.sessions import delete_past_salts


class Command(BaseCommand):
    help = "Aggregate usage events into monthly totals and uniques per item (COUNTER R5)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", action="append", default=[], help="YYYY-MM; may be repeated")
        parser.add_argument("--enqueue", action="store_true", help="queue the work for the task worker")

    def handle(self, *args, **options) -> None:
        try:
            months = [parse_month(month, "--month") for month in options["month"]]
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["enqueue"]:
            from eprints_app.tasks import aggregate_usage_statistics

            result = aggregate_usage_statistics.enqueue([f"{month:%Y-%m}" for month in months])
            self.stdout.write(f"Aggregation queued (task {result.id}).")
            return
        done = aggregate(months or None)
        delete_past_salts()
        for month, rows in done.items():
            state = "final (events pruned), left as it is" if rows is None else f"{rows} item(s)"
            self.stdout.write(f"{month:%Y-%m}: {state}")
        self.stdout.write(f"{len(done)} month(s) aggregated.")
