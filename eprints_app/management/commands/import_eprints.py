"""Move from EPrints: records, their files, users and IDs, from EP3 XML files, folders or bags."""

import time
from pathlib import Path
from typing import IO

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from eprints_app.imports.bag import BagError, ImportInput, import_input
from eprints_app.imports.ep3xml import EP3ImportError, ImportReport
from eprints_app.imports.files import FileSources
from eprints_app.imports.records import RecordWriter, import_stream
from eprints_app.imports.users import import_users

WIDTH = 30


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class Progress:
    """ "[#####.....] 45% 1200 records, 310 records/s" on one line of stderr, by bytes read."""

    def __init__(self, stream: OutputWrapper, total_bytes: int, *, enabled: bool):
        self.stream, self.total, self.enabled = stream, max(total_bytes, 1), enabled
        self.done_bytes = self.records = 0
        self.started = self.drawn = time.monotonic()

    def reader(self, source: IO[bytes]) -> IO[bytes]:
        progress = self

        class Counting:
            def read(self, size: int = -1) -> bytes:
                data = source.read(size)
                progress.done_bytes += len(data)
                return data

        return Counting()  # type: ignore[return-value]

    def tick(self) -> None:
        self.records += 1
        now = time.monotonic()
        if self.enabled and now - self.drawn >= 0.2:
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        share = min(self.done_bytes / self.total, 1)
        filled = int(WIDTH * share)
        rate = self.records / max(now - self.started, 1e-9)
        bar = f"[{'#' * filled}{'.' * (WIDTH - filled)}] {share:4.0%}"
        self.stream.write(f"\r{bar} {plural(self.records, 'record')}, {rate:.0f} records/s", ending="")
        self.stream.flush()

    def finish(self) -> float:
        """Seconds since the start; the bar is completed and ended."""
        now = time.monotonic()
        if self.enabled and self.records:
            self.draw(now)
            self.stream.write("")
        return now - self.started


class Command(BaseCommand):
    help = (
        "Import EPrints records (EP3 XML, with files embedded or from a documents tree or their URLs), "
        "users (users.xml) and whole bags written by export_repository. Each record is written in a "
        "transaction of its own; a re-run updates the records with the same eprint IDs."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="FILE_OR_DIR",
            help="EP3 XML files; folders of them (users.xml first); bags written by export_repository.",
        )
        parser.add_argument(
            "--documents",
            type=Path,
            help="EPrints' documents folder (…/documents, holding disk0/00/00/01/23/01/FILE).",
        )
        parser.add_argument(
            "--fetch",
            action="store_true",
            help="Fetch files neither embedded nor in --documents from their <url> (http, https).",
        )
        parser.add_argument(
            "--progress",
            action="store_true",
            help="Show the progress bar even when stderr is not a terminal.",
        )
        parser.add_argument(
            "--keep-ids",
            action="store_true",
            help="Kept for old scripts: records always keep their eprint IDs.",
        )

    def handle(self, *args, paths: list[str], documents: Path | None, fetch: bool, progress: bool, **options):
        if documents is not None and not documents.is_dir():
            raise CommandError(f"--documents {documents} is not a folder.")
        inputs = self.inputs(paths, documents)
        report = ImportReport()
        writer = RecordWriter(report, FileSources(fetch=fetch))
        files = [(source, path) for source in inputs for path in source.records]
        bar = Progress(
            self.stderr,
            sum(path.stat().st_size for _, path in files),
            enabled=progress or (self.stderr.isatty() and options["verbosity"] > 0),
        )
        try:
            self.run(inputs, files, writer, bar)
        finally:
            writer.link_successors()
        seconds = bar.finish()
        for line in summary(report, seconds):
            self.stdout.write(line)
        if report.stopped:
            raise CommandError(
                f"Stopped: {report.stopped}. The {plural(report.imported, 'record')} before it are imported."
            )
        if report.failed:
            count = plural(len(report.failed), "record")
            raise CommandError(f"{count} could not be imported (listed above); the others are.")

    def run(self, inputs: list[ImportInput], files: list, writer: RecordWriter, bar: Progress) -> None:
        """Users first, then every record file; a file that stops (malformed) stops the import."""
        report = writer.report
        for source in inputs:
            if source.users is not None:
                try:
                    writer.users = {**(writer.users or {}), **import_users(source.users, report)}
                except EP3ImportError as error:
                    report.stopped = str(error)
                    return
        for source, path in files:
            writer.sources.documents = source.documents
            with path.open("rb") as stream:
                try:
                    import_stream(bar.reader(stream), writer, on_record=bar.tick)
                except EP3ImportError as error:
                    report.stopped = f"{path}: {error}"
                    return

    def inputs(self, paths: list[str], documents: Path | None) -> list[ImportInput]:
        inputs = []
        for name in paths:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"Cannot read {name}: No such file or directory.")
            try:
                inputs.append(import_input(path, documents))
            except (BagError, OSError) as error:
                raise CommandError(str(error)) from None
        return inputs


def summary(report: ImportReport, seconds: float) -> list[str]:
    """The counts, then everything that was not taken over as it was."""
    rate = report.imported / seconds if seconds > 0 else 0
    lines = [
        f"Imported {plural(report.imported, 'record')} in {seconds:.1f} s ({rate:.0f} records/s): "
        f"{len(report.created)} new, {len(report.updated)} updated, {len(report.unchanged)} unchanged."
    ]
    if report.users_created or report.users_updated:
        lines.append(f"Users: {report.users_created} created, {report.users_updated} updated.")
    lines.append(
        f"Documents: {plural(report.documents_stored, 'file')} stored, "
        f"{report.documents_unchanged} unchanged, {len(report.documents_left_out)} left out."
    )
    lines += [f"  {line}" for line in report.documents_left_out]
    for kind, created in (("subject", report.created_subjects), ("division", report.created_divisions)):
        if created:
            lines.append(
                f"Created {kind} headings, named by their codes (load their names with import_subjects):"
            )
            lines += [f"  {code} ({', '.join(labels)})" for code, labels in sorted(created.items())]
    if report.extra_fields:
        fields = ", ".join(f"{name} ({count})" for name, count in sorted(report.extra_fields.items()))
        lines.append(f"Fields this repository does not have, kept as extra data: {fields}")
    if report.failed:
        lines.append(f"Not imported, {plural(len(report.failed), 'record')}:")
        lines += [f"  {line}" for line in report.failed]
    if report.warnings:
        lines.append(f"{plural(len(report.warnings), 'warning')}:")
        lines += [f"  {warning}" for warning in report.warnings]
    return lines
