"""Write the whole repository as a BagIt bag that ``import_eprints DIR`` reads back
(``exports.bag``): every record of every status as EP3 XML, every depositor, every file.

Refuses a folder that is not empty; a failed export leaves nothing at DIR.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eprints_app.exports.bag import BagExportError, export_repository
from eprints_app.management.output import progress
from eprints_app.models import Item


class Command(BaseCommand):
    help = (
        "Write every record, depositor and file as a BagIt bag (EP3 XML and EPrints' documents tree) in DIR."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("directory", type=Path, help="A new or empty folder for the bag.")
        parser.add_argument(
            "--progress",
            action="store_true",
            dest="show_progress",
            help="Show the progress bar even when stderr is not a terminal.",
        )

    def handle(self, *args, directory: Path, show_progress: bool, verbosity: int, **options) -> None:
        total = Item.objects.count()
        # Each record takes the next tick; the bar is drawn as the tick after it is taken.
        ticks = progress(range(total), total, self.stderr, enabled=show_progress or self.stderr.isatty())
        try:
            report = export_repository(directory, on_record=lambda: next(ticks, None))
        except BagExportError as error:
            raise CommandError(f"{error} Nothing was written to {directory}.") from None
        for _ in ticks:
            pass
        if verbosity > 0:
            self.stdout.write(
                f"Exported {report.records} records, {report.users} users and {report.files} files "
                f"({report.octets} bytes of payload) to the bag {directory}."
            )
