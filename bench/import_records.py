"""Benchmark: importing an EPrints export of 10,000 records with small embedded files.

Writes an EP3 XML export ("XMLFiles": each record with two creators, a subject and one 2 kB text
file embedded in base64, MD5 checksum) to a temporary file, then imports it as
``manage.py import_eprints`` does: record by record, each in its own transaction, files checked
and stored through the document service, their text extraction and thumbnails queued (the
database task backend, as in production), the search index and listing generation brought up
to date after each batch of records. Prints records per second and the process's peak
memory (ru_maxrss) after 1,000 records and at the end: flat memory shows the export is streamed.

Records get eprint IDs from 900,000,001 up, so that the import never meets another benchmark's
items in a shared database; they are deleted first, so every run imports into the same state.
Files go to a temporary MEDIA_ROOT.

    python bench/import_records.py                    # 10,000 records on SQLite (var/bench-import.sqlite3)
    BENCH_RECORDS=500 python bench/import_records.py  # a quick run
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench python bench/import_records.py
"""

import base64
import hashlib
import os
import resource
import secrets
import tempfile
import time
from pathlib import Path

from environment import use_bench_database  # bench/environment.py, beside this script

MEDIA = tempfile.TemporaryDirectory(prefix="bench-import-media-")
CACHE = tempfile.TemporaryDirectory(prefix="bench-import-cache-")
os.environ.setdefault("DEBUG", "0")
os.environ["CACHE_DIR"] = CACHE.name
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["MEDIA_ROOT"] = MEDIA.name
os.environ["TASKS_BACKEND"] = "database"
use_bench_database("bench-import.sqlite3")

from django.core.management import call_command  # noqa: E402

from eprints_app.imports.ep3xml import ImportReport  # noqa: E402
from eprints_app.imports.files import FileSources  # noqa: E402
from eprints_app.imports.records import RecordWriter, import_stream  # noqa: E402
from eprints_app.models import Item  # noqa: E402

RECORDS = int(os.environ.get("BENCH_RECORDS", "10000"))
FIRST_ID = 900_000_001
# Memory and speed are printed after a tenth of the records (1,000 of 10,000) and at the end.
CHECKPOINT = max(RECORDS // 10, 1)
NS = "http://eprints.org/ep2/data/2.0"


def record_xml(n: int) -> str:
    """One record as EPrints' XMLFiles export writes it."""
    eprintid = FIRST_ID + n
    data = (f"Notes for study {n}: " + "measurements and observations. " * 64).encode()
    return f"""  <eprint id="http://old.example.org/id/eprint/{eprintid}">
    <eprintid>{eprintid}</eprintid>
    <rev_number>3</rev_number>
    <documents>
      <document>
        <files>
          <file>
            <filename>notes.txt</filename>
            <mime_type>text/plain</mime_type>
            <hash>{hashlib.md5(data).hexdigest()}</hash>
            <hash_type>MD5</hash_type>
            <filesize>{len(data)}</filesize>
            <data encoding="base64">{base64.encodebytes(data).decode()}</data>
          </file>
        </files>
        <pos>1</pos>
        <format>text</format>
        <security>public</security>
        <main>notes.txt</main>
      </document>
    </documents>
    <eprint_status>archive</eprint_status>
    <datestamp>2015-01-01 10:00:00</datestamp>
    <lastmod>2020-06-01 12:00:00</lastmod>
    <type>article</type>
    <creators>
      <item><name><family>Author{n}</family><given>Ann</given></name></item>
      <item><name><family>Second</family><given>Sam</given></name></item>
    </creators>
    <title>Study {n} of trade and policy</title>
    <ispublished>pub</ispublished>
    <subjects><item>JZ</item></subjects>
    <abstract>{"An abstract of a few sentences about the study. " * 8}</abstract>
    <date>{1990 + n % 35}</date>
    <publication>Journal of Benchmarks</publication>
    <volume>{n % 40}</volume>
    <refereed>TRUE</refereed>
    <local_field>kept as extra data</local_field>
  </eprint>
"""


def write_export(path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(f"<?xml version='1.0' encoding='utf-8'?>\n<eprints xmlns='{NS}'>\n")
        for n in range(RECORDS):
            out.write(record_xml(n))
        out.write("</eprints>\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    call_command("migrate", verbosity=0)
    Item.objects.filter(pk__gte=FIRST_ID).delete()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        export = Path(folder) / "export.xml"
        write_export(export)
        size = export.stat().st_size
        print(f"{RECORDS} records, export of {size / 1e6:.1f} MB; peak memory before: {peak_mb():.0f} MB")
        writer = RecordWriter(ImportReport(), FileSources())
        started = time.perf_counter()
        checkpoints = {CHECKPOINT, RECORDS}

        def tick() -> None:
            count = writer.report.imported
            if count in checkpoints:
                seconds = time.perf_counter() - started
                print(
                    f"  {count:>6} records: {count / seconds:6.0f} records/s overall, "
                    f"peak memory {peak_mb():.0f} MB"
                )

        with export.open("rb") as stream:
            import_stream(stream, writer, on_record=tick)
        report = writer.report
        print(
            f"imported {report.imported} ({len(report.created)} new), {report.documents_stored} files "
            f"stored, {len(report.failed)} failed, in {time.perf_counter() - started:.1f} s"
        )
    Item.objects.filter(pk__gte=FIRST_ID).delete()
    MEDIA.cleanup()
    CACHE.cleanup()


if __name__ == "__main__":
    main()
