"""Render the thumbnails of every document again (or of those without them: --missing-only).

Runs here, not through the task queue, so the counts printed are the outcome. Safe to re-run:
a document's new thumbnails replace its old ones, which are deleted.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from eprints_app.enums import DerivativeStatus
from eprints_app.management.output import derivative_counts, progress
from eprints_app.models import Document
from eprints_app.services.derivatives import build_thumbnails


class Command(BaseCommand):
    help = "Render the thumbnails of documents."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only documents whose thumbnails are pending or failed.",
        )

    def handle(self, *args, missing_only: bool, verbosity: int, **options) -> None:
        documents = Document.objects.order_by("pk")
        if missing_only:
            documents = documents.filter(
                thumbnail_status__in=[DerivativeStatus.PENDING, DerivativeStatus.FAILED]
            )
        ids = list(documents.values_list("pk", flat=True))
        outcomes = Counter(
            build_thumbnails(pk) for pk in progress(ids, len(ids), self.stderr, enabled=verbosity > 0)
        )
        self.stdout.write(derivative_counts("Thumbnails", outcomes, len(ids)))
