"""Extract the text of every document again (or of those without it: --missing-only).

Runs here, not through the task queue, so the counts printed are the outcome. Safe to re-run:
each document's text is replaced, never added to.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from eprints_app.enums import DerivativeStatus
from eprints_app.management.output import derivative_counts, progress
from eprints_app.models import Document
from eprints_app.services.derivatives import extract_document_text


class Command(BaseCommand):
    help = "Extract the text of documents for search."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only documents whose text is pending or failed.",
        )

    def handle(self, *args, missing_only: bool, verbosity: int, **options) -> None:
        documents = Document.objects.order_by("pk")
        if missing_only:
            documents = documents.filter(text_status__in=[DerivativeStatus.PENDING, DerivativeStatus.FAILED])
        ids = list(documents.values_list("pk", flat=True))
        outcomes = Counter(
            extract_document_text(pk) for pk in progress(ids, len(ids), self.stderr, enabled=verbosity > 0)
        )
        self.stdout.write(derivative_counts("Text", outcomes, len(ids)))
