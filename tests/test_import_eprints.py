"""manage.py import_eprints: records with their files, IDs and times, re-runs, broken input."""

import datetime
import functools
import hashlib
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError

from eprints_app.enums import DerivativeStatus, Security
from eprints_app.models import Document, Item
from tests.factories import pdf_bytes
from tests.import_support import document, documents_tree, export, run, stored_files

pytestmark = pytest.mark.django_db

DEPOSITED = datetime.datetime(2014, 9, 25, 21, 8, 31, tzinfo=datetime.UTC)
MODIFIED = datetime.datetime(2019, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)
CHANGED = datetime.datetime(2015, 1, 1, 12, 0, 0, tzinfo=datetime.UTC)


@dataclass
class FileServer:
    root: Path
    url: str


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def file_server(tmp_path):
    """A real HTTP server on a free local port, serving a folder of the test's own."""
    root = tmp_path / "served"
    root.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield FileServer(root, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()


def a_record(eprintid: int = 123, **fields) -> dict:
    values = {
        "eprintid": eprintid,
        "eprint_status": "archive",
        "userid": "5",
        "datestamp": "2014-09-25 21:08:31",
        "lastmod": "2019-02-03 04:05:06",
        "status_changed": "2015-01-01 12:00:00",
        "type": "article",
        "title": f"Record {eprintid}",
        "documents": [document(1, "paper.pdf", content="published", license="cc_by_4")],
    }
    return {**values, **fields}


def write(tmp_path, records, name="export.xml", **options):
    path = tmp_path / name
    path.write_bytes(export(records, **options))
    return path


def test_embedded_files_are_stored_as_uploads_are_and_the_times_are_kept(
    tmp_path, django_capture_on_commit_callbacks
):
    records = [
        a_record(123),
        a_record(124, documents=[document(1), document(2, "data.pdf", security="staffonly")]),
    ]
    source = write(tmp_path, records)

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("import_eprints", str(source))

    assert out.splitlines()[1:] == ["Documents: 3 files stored, 0 unchanged, 0 left out."]
    item = Item.objects.get(pk=123)
    assert (item.status, item.date_deposited, item.last_modified, item.status_changed) == (
        "archive",
        DEPOSITED,
        MODIFIED,
        CHANGED,
    )
    (doc,) = item.documents.all()
    assert (doc.pos, doc.filename, doc.content, doc.license, doc.mime_type) == (
        1,
        "paper.pdf",
        "published",
        "cc_by_4",
        "application/pdf",
    )
    data = records[0]["documents"][0]["data"]
    assert doc.file.read() == data and doc.sha256 == hashlib.sha256(data).hexdigest()
    # Text extraction ran as for an upload, and moved no Last Modified.
    assert doc.text_status == DerivativeStatus.DONE and "Document 1" in doc.text
    assert [(d.pos, d.security) for d in Item.objects.get(pk=124).documents.all()] == [
        (1, Security.PUBLIC),
        (2, Security.STAFFONLY),
    ]
    assert Item.objects.get(pk=124).last_modified == MODIFIED


@pytest.mark.parametrize("disk", ["disk0", None])
def test_files_are_taken_from_a_documents_tree(tmp_path, disk):
    record = a_record(123, documents=[document(1), document(2, "data.pdf")])
    source = write(tmp_path, [record], embed=False)
    tree = documents_tree(tmp_path / "documents", 123, record["documents"], disk=disk)

    run("import_eprints", str(source), "--documents", str(tree))

    assert [(d.pos, d.file.read()) for d in Document.objects.order_by("pos")] == [
        (1, record["documents"][0]["data"]),
        (2, record["documents"][1]["data"]),
    ]


def test_a_file_whose_checksum_differs_is_left_out_and_never_stored(tmp_path, media_root):
    good = document(1)
    bad = document(2, "altered.pdf", hash=hashlib.md5(b"what EPrints had").hexdigest())
    source = write(tmp_path, [a_record(123, documents=[good, bad])])

    out, _ = run("import_eprints", str(source))

    assert [d.pos for d in Document.objects.all()] == [1]
    assert [name.rsplit("/", 1)[1] for name in stored_files(media_root)] == ["paper.pdf"]
    assert "Documents: 1 file stored, 0 unchanged, 1 left out." in out
    assert (
        f"  eprint 123: document 2 (altered.pdf): its file's MD5 checksum is "
        f"{hashlib.md5(bad['data']).hexdigest()}, not the {bad['hash']} recorded"
    ) in out


@pytest.mark.parametrize("hash_type", ["SHA1", "SHA-256", "SHA256"])
def test_sha_checksums_are_checked_too(tmp_path, hash_type):
    source = write(tmp_path, [a_record(123, documents=[document(1, hash_type=hash_type)])])
    run("import_eprints", str(source))
    assert Document.objects.count() == 1
    bad = write(tmp_path, [a_record(124, documents=[document(1, hash_type=hash_type, hash="0" * 64)])])
    out, _ = run("import_eprints", str(bad))
    assert f"its file's {hash_type} checksum is" in out and not Document.objects.filter(item=124).exists()


def test_a_rerun_duplicates_nothing_and_stores_no_file_again(tmp_path, media_root):
    source = write(tmp_path, [a_record(123), a_record(124)])
    run("import_eprints", str(source))
    files, revisions = stored_files(media_root), dict(Item.objects.values_list("pk", "rev_number"))

    out, _ = run("import_eprints", str(source))

    assert out.splitlines()[0].endswith("0 new, 0 updated, 2 unchanged.")
    assert "Documents: 0 files stored, 2 unchanged, 0 left out." in out
    assert Item.objects.count() == 2 and Document.objects.count() == 2
    assert stored_files(media_root) == files
    assert dict(Item.objects.values_list("pk", "rev_number")) == revisions
    assert Item.objects.get(pk=123).last_modified == MODIFIED


def test_a_rerun_updates_changed_fields_and_files_and_keeps_the_new_times(
    tmp_path, media_root, django_capture_on_commit_callbacks
):
    run(
        "import_eprints", str(write(tmp_path, [a_record(123, documents=[document(1), document(2, "b.pdf")])]))
    )
    old_files = stored_files(media_root)
    new_pdf = pdf_bytes("A corrected version")
    changed = a_record(
        123,
        title="Corrected title",
        lastmod="2020-05-06 07:08:09",
        documents=[document(1, "paper.pdf", data=new_pdf, content="accepted")],
    )

    with django_capture_on_commit_callbacks(execute=True):
        out, _ = run("import_eprints", str(write(tmp_path, [changed], name="again.xml")))

    assert out.splitlines()[0].endswith("0 new, 1 updated, 0 unchanged.")
    item = Item.objects.get(pk=123)
    assert item.title == "Corrected title"
    assert item.last_modified == datetime.datetime(2020, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)
    (doc,) = item.documents.all()  # position 2 is gone from the record, so from the item
    assert (doc.pos, doc.content, doc.file.read()) == (1, "accepted", new_pdf)
    # The replaced and the removed files left storage once the change committed.
    assert stored_files(media_root) == {doc.file.name} and not old_files & {doc.file.name}


def test_malformed_xml_stops_at_its_line_and_keeps_what_came_before(tmp_path, media_root):
    good = export([a_record(123)]).decode()
    broken = good.replace("</eprints>", "<eprint><eprintid>124</eprintid>\n<title>Broken</eprint></eprints>")
    source = tmp_path / "broken.xml"
    source.write_text(broken, encoding="utf-8")
    line = broken.count("\n", 0, broken.index("<title>Broken")) + 1

    with pytest.raises(CommandError, match=rf"broken.xml: the file is not well-formed XML at line {line}: "):
        run("import_eprints", str(source))

    assert list(Item.objects.values_list("pk", flat=True)) == [123]
    assert [name.rsplit("/", 1)[1] for name in stored_files(media_root)] == ["paper.pdf"]


def test_the_stop_message_says_how_many_records_came_in_before_it(tmp_path):
    source = tmp_path / "broken.xml"
    source.write_text(export([a_record(123)]).decode().replace("</eprints>", "<eprint>"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"The 1 record before it are imported\.$"):
        run("import_eprints", str(source))


def test_fetch_takes_files_from_their_urls(tmp_path, file_server):
    data = pdf_bytes("Fetched")
    (file_server.root / "paper.pdf").write_bytes(data)
    url = f"{file_server.url}/paper.pdf"
    source = write(tmp_path, [a_record(123, documents=[document(1, data=data, url=url)])], embed=False)

    out, _ = run("import_eprints", str(source))
    assert "its file is not embedded (give --documents DIR or --fetch)" in out
    assert not Document.objects.exists()

    run("import_eprints", str(source), "--fetch")
    assert Document.objects.get().file.read() == data


def test_fetch_reports_a_missing_file_and_an_address_that_is_not_http(tmp_path, file_server):
    records = [
        a_record(123, documents=[document(1, url=f"{file_server.url}/nothing.pdf")]),
        a_record(124, documents=[document(1, url=f"file://{tmp_path}/secret.pdf")]),
    ]
    out, _ = run("import_eprints", str(write(tmp_path, records, embed=False)), "--fetch")
    assert (
        f"  eprint 123: document 1 (paper.pdf): {file_server.url}/nothing.pdf could not be fetched (" in out
    )
    assert (
        f"  eprint 124: document 1 (paper.pdf): file://{tmp_path}/secret.pdf is not an http or https address"
        in out
    )
    assert not Document.objects.exists()


def test_progress_bar_shows_records_per_second_only_when_asked_or_on_a_terminal(tmp_path):
    source = write(tmp_path, [a_record(123)])
    _, quiet = run("import_eprints", str(source))
    _, shown = run("import_eprints", str(source), "--progress")
    assert quiet == ""
    assert shown.startswith("\r[##############################] 100% 1 record, ") and "records/s" in shown


def test_import_ep3xml_is_the_same_command(tmp_path):
    out, _ = run("import_ep3xml", str(write(tmp_path, [a_record(123)])), "--keep-ids")
    assert out.startswith("Imported 1 record in ") and Item.objects.filter(pk=123).exists()


def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match=r"Cannot read .*nothing.xml: No such file or directory."):
        run("import_eprints", str(tmp_path / "nothing.xml"))


def test_a_record_that_cannot_be_written_is_listed_and_the_command_fails(tmp_path):
    source = write(tmp_path, [a_record(123), a_record(124, volume="9" * 40)])
    with pytest.raises(
        CommandError, match=r"^1 record could not be imported \(listed above\); the others are\.$"
    ):
        run("import_eprints", str(source))
    assert list(Item.objects.values_list("pk", flat=True)) == [123]


def test_documents_keep_their_description_in_our_vocabulary(tmp_path):
    documents = [
        document(1, content="accepted", license="cc_by_nc_nd", language="fr", formatdesc="Author's copy"),
        document(2, "later.pdf", date_embargo="2031-06", security="staffonly"),
        document(3, "odd.pdf", license="all_rights", content="coverimage", security="secret"),
    ]
    out, _ = run("import_eprints", str(write(tmp_path, [a_record(123, documents=documents)])))
    described = [
        (d.pos, d.content, d.license, d.language, d.formatdesc, d.security, d.date_embargo)
        for d in Document.objects.order_by("pos")
    ]
    assert described == [
        (1, "accepted", "cc_by_nc_nd_4", "fr", "Author's copy", "public", None),
        (2, "", "", "", "", "staffonly", datetime.date(2031, 6, 30)),
        (3, "other", "", "", "", "staffonly", None),
    ]
    assert out.splitlines()[-4:] == [
        "3 warnings:",
        "  eprint 123: document 3 (odd.pdf): security 'secret' is not one we know; staff only.",
        "  eprint 123: document 3 (odd.pdf): licence 'all_rights' is not one we know; left empty.",
        "  eprint 123: document 3 (odd.pdf): content 'coverimage' is not one we know; kept as other.",
    ]


def test_document_ids_revision_and_file_times_are_kept_as_eprints_had_them(tmp_path):
    documents = [document(1, docid=4711, mtime="2014-09-25 20:36:11"), document(2, "b.pdf", docid=4712)]
    source = write(tmp_path, [a_record(123, rev_number=15, documents=documents)])
    run("import_eprints", str(source))
    assert [(d.pk, d.pos) for d in Document.objects.order_by("pos")] == [(4711, 1), (4712, 2)]
    assert Document.objects.get(pk=4711).file_modified == datetime.datetime(
        2014, 9, 25, 20, 36, 11, tzinfo=datetime.UTC
    )
    assert Item.objects.get(pk=123).rev_number == 15
    # A document ID already taken (by another item's document) is not taken over.
    other = write(tmp_path, [a_record(124, documents=[document(1, docid=4711)])], name="other.xml")
    run("import_eprints", str(other))
    assert Document.objects.get(item=124).pk not in (4711, 4712)
    # New documents are numbered after the kept IDs.
    assert Document.objects.get(item=124).pk > 4712
