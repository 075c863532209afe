"""Import items from an EP3 XML file (EPrints' own export format), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eprints_app.imports.ep3xml import EP3ImportError, ImportReport, import_ep3xml


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "Import the records of an EP3 XML file as items, in one transaction. Subjects and divisions "
        "are matched by code (unknown codes are reported, not created); documents are listed, not imported."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="An EP3 XML file, as EPrints exports it.")
        parser.add_argument(
            "--keep-ids",
            action="store_true",
            help="Give each record its eprint ID from the file when no item has that ID yet.",
        )

    def handle(self, *args, file: str, keep_ids: bool, **options) -> None:
        try:
            source = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            report = import_ep3xml(source, keep_ids=keep_ids)
        except EP3ImportError as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        for line in summary(report, keep_ids):
            self.stdout.write(line)


def summary(report: ImportReport, keep_ids: bool) -> list[str]:
    """The counts, then every thing that was not taken over."""
    kept = len(report.items) - len(report.renumbered)
    lines = [f"Imported {plural(len(report.items), 'item')}."]
    if keep_ids:
        lines.append(f"{plural(kept, 'item')} kept the eprint ID of the file.")
    for old, new in report.renumbered:
        lines.append(f"  eprint {old if old is not None else '(none)'} is now eprint {new}")
    if report.skipped_documents:
        lines.append(f"Skipped {plural(len(report.skipped_documents), 'document')}: files are not fetched.")
        lines += [f"  {line}" for line in report.skipped_documents]
    for kind, unknown in (("subject", report.unknown_subjects), ("division", report.unknown_divisions)):
        if unknown:
            lines.append(f"Unknown {kind} codes, not assigned:")
            lines += [f"  {code} ({', '.join(labels)})" for code, labels in sorted(unknown.items())]
    if report.ignored_fields:
        fields = ", ".join(f"{name} ({count})" for name, count in sorted(report.ignored_fields.items()))
        lines.append(f"Fields not imported: {fields}")
    if report.warnings:
        lines.append(f"{plural(len(report.warnings), 'warning')}:")
        lines += [f"  {warning}" for warning in report.warnings]
    return lines
