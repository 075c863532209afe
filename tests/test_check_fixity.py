"""manage.py check_fixity: every stored file's SHA-256 and size recomputed from the storage."""

import io
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from moto.server import ThreadedMotoServer

from eprints_app.models import Document, Item
from eprints_app.services.fixity import (
    ALTERED,
    MISSING,
    Share,
    check_document,
    documents_to_check,
    stored_chunks,
)
from tests.factories import make_document, make_item, pdf_bytes
from tests.s3_support import CREDENTIALS, use_bucket

pytestmark = pytest.mark.django_db

BUCKET = "fixity-test"


def run(*args: str) -> tuple[str, str, int]:
    """stdout, stderr and the exit status of ``check_fixity``."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_fixity", *args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return out.getvalue(), err.getvalue(), error.returncode
    return out.getvalue(), err.getvalue(), 0


def documents(count: int) -> list[Document]:
    item = make_item()
    return [make_document(item, filename=f"paper-{n}.pdf") for n in range(count)]


def test_intact_files_pass():
    made = documents(3)
    out, err, status = run()
    assert status == 0
    assert out == "Fixity: 3 files checked, 3 intact, 0 missing, 0 altered, 0 unreadable.\n"
    assert err == ""
    assert all(check_document(document) is None for document in made)


def test_altered_file_is_reported_and_fails_the_run():
    intact, altered = documents(2)
    path = Path(altered.file.path)
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # one bit flipped
    out, err, status = run()
    assert status == 1
    assert "2 files checked, 1 intact, 0 missing, 1 altered" in out
    assert (
        f"ALTERED: eprint {altered.item_id}, document 2 (paper-1.pdf), stored as {altered.file.name}" in err
    )
    assert f"recorded {altered.sha256} ({altered.filesize} bytes)" in err
    assert "1 of 2 files failed the fixity check." in err
    assert "paper-0.pdf" not in err


def test_truncated_file_is_altered_even_before_its_checksum_is_read():
    (document,) = documents(1)
    with open(document.file.path, "r+b") as handle:
        handle.truncate(100)
    problem = check_document(document)
    assert problem.kind == ALTERED
    assert "(100 bytes)" in problem.detail


def test_missing_file_is_reported_and_fails_the_run():
    _, gone = documents(2)
    gone.file.storage.delete(gone.file.name)
    out, err, status = run()
    assert status == 1
    assert "1 missing, 0 altered" in out
    assert f"MISSING: eprint {gone.item_id}, document 2 (paper-1.pdf)" in err


def test_files_are_read_a_chunk_at_a_time():
    data = pdf_bytes("A larger paper", pages=6)
    document = make_document(make_item(), content=data)
    chunks = list(stored_chunks(document.file.storage, document.file.name, chunk_size=1000))
    assert len(chunks) == -(-len(data) // 1000)
    assert b"".join(chunks) == data


def test_share_takes_the_same_documents_every_time_and_the_shares_cover_all():
    made = documents(7)
    seen = []
    for number in (1, 2, 3):
        out, _, status = run("--share", f"{number}/3")
        assert status == 0
        seen.append(int(out.split()[1]))
        expected = {d.pk for d in made if d.pk % 3 == number - 1}
        assert {d.pk for d in documents_to_check(share=Share(number, 3))} == expected
    assert sum(seen) == len(made)


def test_limit_checks_the_first_documents_by_id():
    made = documents(5)
    made[4].file.storage.delete(made[4].file.name)
    out, _, status = run("--limit", "4")
    assert (out, status) == ("Fixity: 4 files checked, 4 intact, 0 missing, 0 altered, 0 unreadable.\n", 0)
    assert run("--limit", "5")[2] == 1


def test_since_checks_documents_whose_file_or_record_changed_since():
    first, second, new = documents(3)  # of one item
    long_ago = timezone.now() - timedelta(days=30)
    Document.objects.filter(pk__in=[first.pk, second.pk]).update(file_modified=long_ago)
    Item.objects.filter(pk=first.item_id).update(last_modified=long_ago)
    other = make_item()
    moved = make_document(other, filename="moved.pdf")
    Document.objects.filter(pk=moved.pk).update(file_modified=long_ago)  # its record changed lately
    for document in (first, second):
        document.file.storage.delete(document.file.name)  # a check of them would fail
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    out, _, status = run("--since", since)
    assert (out.split()[1], status) == ("2", 0)  # new's file is recent, and moved's record
    assert {d.pk for d in documents_to_check(since=timezone.now() - timedelta(days=1))} == {new.pk, moved.pk}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--share", "0/7"], "is not a share"),
        (["--share", "8/7"], "is not a share"),
        (["--share", "1-7"], "is not a share"),
        (["--since", "last week"], "is not a date"),
        (["--since", "2024-13-01"], "is not a date"),
        (["--limit", "-1"], "--limit must be 0 or more."),
    ],
)
def test_bad_arguments_are_refused_with_a_message(args, message):
    documents(1)
    _, err, status = run(*args)
    assert status == 1
    assert message in err


def test_progress_bar_is_drawn_on_request():
    documents(2)
    _, err, status = run("--progress")
    assert status == 0
    assert err.endswith("[" + "#" * 30 + "] 2/2\n")
    assert run()[1] == ""  # not a terminal: no bar


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def test_files_in_a_bucket_are_checked_missing_and_altered_included(settings, s3_endpoint):
    use_bucket(settings, s3_endpoint, BUCKET)
    data = pdf_bytes("Kept in a bucket", pages=6)
    intact, altered, gone = (make_document(make_item(), content=data, filename=f"{n}.pdf") for n in "abc")
    bucket = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    bucket.put_object(Bucket=BUCKET, Key=altered.file.name, Body=data.replace(b"Kept", b"Kelt", 1))
    bucket.delete_object(Bucket=BUCKET, Key=gone.file.name)

    chunks = list(stored_chunks(intact.file.storage, intact.file.name, chunk_size=1000))
    assert len(chunks) > 1 and b"".join(chunks) == data
    assert check_document(intact) is None
    assert check_document(altered).kind == ALTERED
    assert check_document(gone).kind == MISSING
    out, err, status = run()
    assert status == 1
    assert "3 files checked, 1 intact, 1 missing, 1 altered" in out
