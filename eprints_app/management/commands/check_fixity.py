"""Check that every stored file is still the file deposited: its SHA-256 and size recomputed
from the storage (``services.fixity``). Missing, altered and unreadable files are listed and the
command exits with status 1; it changes nothing, so it is safe to run at any time.

For a nightly job on a large repository: ``check_fixity --share $(date +%u)/7`` checks a seventh
each night and the whole repository each week; ``--since`` checks what changed lately.
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from eprints_app.management.output import progress
from eprints_app.services.fixity import KINDS, Share, check_document, documents_to_check


def moment(text: str) -> datetime:
    """A date (its start, in the site's time zone) or a date and time."""
    try:
        parsed = parse_datetime(text) or datetime.combine(parse_date(text), time.min)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a date such as 2024-05-31 or 2024-05-31T22:00.") from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Recompute each stored file's SHA-256 and report missing or altered files (exit status 1 if any)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--since", help="Only documents whose file or record changed on or after this date."
        )
        parser.add_argument(
            "--share", help="Only this share of the documents, e.g. 3/7 (always the same ones)."
        )
        parser.add_argument("--limit", type=int, help="At most this many documents (in order of their ID).")
        parser.add_argument(
            "--progress",
            action="store_true",
            dest="show_progress",
            help="Show the progress bar even when stderr is not a terminal.",
        )

    def handle(self, *args, since, share, limit, show_progress: bool, verbosity: int, **options) -> None:
        if limit is not None and limit < 0:
            raise CommandError("--limit must be 0 or more.")
        try:
            documents = documents_to_check(
                since=moment(since) if since else None,
                share=Share.parse(share) if share else None,
                limit=limit,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        total = documents.count()
        bar = show_progress or self.stderr.isatty()
        problems = []
        for document in progress(documents.iterator(chunk_size=500), total, self.stderr, enabled=bar):
            problem = check_document(document)
            if problem is not None:
                problems.append(problem)
                self.stderr.write(f"\n{problem}" if bar else str(problem))
        if verbosity > 0:
            counts = ", ".join(f"{sum(p.kind == kind for p in problems)} {kind}" for kind in KINDS)
            files = f"{total} file{'' if total == 1 else 's'}"
            self.stdout.write(f"Fixity: {files} checked, {total - len(problems)} intact, {counts}.")
        if problems:
            raise CommandError(f"{len(problems)} of {total} files failed the fixity check.", returncode=1)
