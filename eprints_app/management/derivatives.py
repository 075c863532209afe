"""The shape of ``extract_text`` and ``rebuild_thumbnails``: redo one derivative for every
document, or with ``--missing-only`` for those pending or failed.

Runs here, not through the task queue, so the counts printed are the outcome.
"""

from collections import Counter
from collections.abc import Callable

from django.core.management.base import BaseCommand

from eprints_app.enums import DerivativeStatus
from eprints_app.management.output import derivative_counts, progress
from eprints_app.models import Document


class DerivativeCommand(BaseCommand):
    #: What the counts are headed with ("Text", "Thumbnails").
    label: str
    #: The document field holding this derivative's status.
    status_field: str
    #: Builds the derivative of one document by ID; returns its new status.
    build: Callable[[int], str | None]

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help=f"Only documents whose {self.label.lower()} is pending or failed.",
        )

    def handle(self, *args, missing_only: bool, verbosity: int, **options) -> None:
        documents = Document.objects.order_by("pk")
        if missing_only:
            documents = documents.filter(
                **{f"{self.status_field}__in": [DerivativeStatus.PENDING, DerivativeStatus.FAILED]}
            )
        ids = list(documents.values_list("pk", flat=True))
        outcomes = Counter(
            self.build(pk) for pk in progress(ids, len(ids), self.stderr, enabled=verbosity > 0)
        )
        self.stdout.write(derivative_counts(self.label, outcomes, len(ids)))
