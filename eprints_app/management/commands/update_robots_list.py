"""Replace the COUNTER robots list with a newer one, from a file in COUNTER's JSON layout.

The list is checked first (JSON, a ``pattern`` in every entry, each a regular expression); a bad
one is refused with the reason and the list in use stays. It is written to ``USAGE_ROBOTS_FILE``,
which every process reads again within a minute.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from eprints_app.stats import robots


class Command(BaseCommand):
    help = "Replace the COUNTER robots list (COUNTER_Robots_list.json) used to leave out robots."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="a COUNTER_Robots_list.json")

    def handle(self, *args, **options) -> None:
        try:
            count = robots.replace_list(options["file"])
        except robots.RobotsListError as error:
            raise CommandError(f"Robots list not replaced: {error}") from None
        robots.robots.reset()
        self.stdout.write(f"{count} robot pattern(s) now in use ({settings.USAGE_ROBOTS_FILE}).")
