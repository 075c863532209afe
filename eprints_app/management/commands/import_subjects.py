"""Load a subject (or division) tree from EPrints' subjects file; safe to re-run."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eprints_app.imports.subjects import SubjectsFileError, import_headings
from eprints_app.models import Division, Subject


class Command(BaseCommand):
    help = (
        "Load subjects from EPrints' subjects file (code:name:parents:depositable a line). The tree "
        "under the root given by --root (default subjects, or divisions with --divisions) is loaded, "
        "its root's children at the top; a re-run updates names and parents."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="EPrints' subjects file (its cfg/subjects).")
        parser.add_argument("--divisions", action="store_true", help="Load the division tree instead.")
        parser.add_argument("--root", help="The code of the tree's root under ROOT in the file.")

    def handle(self, *args, file: Path, divisions: bool, root: str | None, **options) -> None:
        model = Division if divisions else Subject
        root = root or ("divisions" if divisions else "subjects")
        try:
            report = import_headings(model, file, root)
        except SubjectsFileError as error:
            raise CommandError(f"{error} Nothing was loaded.") from None
        kind = model._meta.verbose_name_plural
        self.stdout.write(
            f"Loaded the {root} tree into {kind}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
        for warning in report.warnings:
            self.stdout.write(f"  {warning}")
