"""All or nothing for rows and their stored files (services.documents.atomic_with_files).

A file is stored before its row, so whatever fails afterwards (the storage on a later file, the
database before or at COMMIT) must leave no row without its file and no file without its row:
a new version that fails mid-copy, and a deposit whose COMMIT fails, leave storage as they found
it. A COMMIT that fails may still have taken effect; then the files are kept, as their rows are.
"""

import threading
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connection

from eprints_app.models import Document, Item
from eprints_app.roles import DEPOSITOR, ROLE_PERMISSIONS
from eprints_app.services import documents
from eprints_app.services.versions import new_version
from tests.factories import make_document, make_item, make_user, pdf_bytes

ORIGINAL_SAVE = FileSystemStorage._save
# Tests of a real COMMIT: their writes are committed (and the tables emptied after each).
committing = pytest.mark.django_db(transaction=True)


def stored_files(folder) -> list[str]:
    return sorted(path.name for path in Path(folder).rglob("*") if path.is_file())


def failing_after(stores: int, error: Exception):
    """A FileSystemStorage._save that stores ``stores`` files, then raises ``error``."""
    calls = []

    def save(self, name, content):
        calls.append(name)
        if len(calls) > stores:
            raise error
        return ORIGINAL_SAVE(self, name, content)

    return save


@pytest.fixture
def owner(transactional_db):
    """A depositor, in a database whose tables another committing test may have emptied of the
    roles' groups (made by a migration): they are made again, as the migration makes them."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = [code.split(".") for code in codes]
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in wanted
            ]
        )
    return make_user("dora", role=DEPOSITOR)


@pytest.fixture
def published(db, depositor) -> Item:
    """A live item of the depositor's with two PDFs."""
    item = make_item(depositor=depositor, title="First edition")
    make_document(item, filename="one.pdf", content=pdf_bytes("One"))
    make_document(item, filename="two.pdf", content=pdf_bytes("Two"))
    return item


# New versions copy every document: a failure on the second leaves nothing of the first.


def test_new_version_whose_second_file_cannot_be_stored_leaves_no_item_row_or_file(
    client, published, depositor, media_root
):
    before = stored_files(media_root)
    full = OSError(28, "No space left on device")
    client.force_login(depositor)

    with mock.patch.object(FileSystemStorage, "_save", failing_after(1, full)):
        response = client.post(f"/id/eprint/{published.pk}/actions/new-version/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The file two.pdf could not be stored, so nothing was saved." in response.content.decode()
    assert list(Item.objects.values_list("pk", flat=True)) == [published.pk]
    assert Document.objects.count() == 2
    assert stored_files(media_root) == before


def test_new_version_whose_file_cannot_be_read_is_refused_with_the_reason(
    client, published, depositor, media_root
):
    Path(published.documents.get(pos=2).file.path).unlink()
    client.force_login(depositor)

    response = client.post(f"/id/eprint/{published.pk}/actions/new-version/")

    assert response.status_code == 503
    assert f"The file two.pdf of item {published.pk} could not be read" in response.content.decode()
    assert Item.objects.count() == 1
    assert stored_files(media_root) == ["one.pdf"]


def test_new_version_that_the_database_drops_mid_copy_leaves_no_row_and_no_file(
    published, depositor, media_root
):
    before = stored_files(media_root)
    saved = []
    real_save = Document.save

    def save_then_fail(self, *args, **kwargs):
        saved.append(self.filename)
        if len(saved) > 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_save(self, *args, **kwargs)

    with mock.patch.object(Document, "save", save_then_fail), pytest.raises(OperationalError):
        new_version(published, depositor)

    assert saved == ["one.pdf", "two.pdf"]
    assert Item.objects.count() == 1
    assert Document.objects.count() == 2
    assert stored_files(media_root) == before


def test_new_version_copies_every_file_when_nothing_fails(published, depositor, media_root):
    copy = new_version(published, depositor)
    copies = list(copy.documents.order_by("pos"))
    assert [d.filename for d in copies] == ["one.pdf", "two.pdf"]
    assert [d.file.read() for d in copies] == [pdf_bytes("One"), pdf_bytes("Two")]
    assert len(stored_files(media_root)) == 4


# A COMMIT that fails: the database goes at the last moment of a deposit.


@pytest.fixture
def fast_settling(monkeypatch):
    """Settling waits a twentieth of a second between tries; the threads it starts, to join."""
    monkeypatch.setattr(documents, "SETTLE_FIRST_PAUSE", 0.05)
    started: list[threading.Thread] = []
    start = documents.settle_failed_commit_later

    def recorded(stored):
        started.append(start(stored))
        return started[-1]

    monkeypatch.setattr(documents, "settle_failed_commit_later", recorded)
    return started


def settled(threads: list[threading.Thread]) -> None:
    assert len(threads) == 1
    threads[0].join(timeout=30)
    assert not threads[0].is_alive()


def deposit_through_actions_view(client, depositor) -> tuple[Item, str, dict]:
    from tests.form_data import edit_adding_a_file

    return edit_adding_a_file(client, depositor, "late.pdf", before="Before", after="Deposited")


def failing_commit(after_commit: bool):
    """connection.commit raising as a lost connection does: before the server committed (the
    usual case), or after (the answer lost on the way back)."""
    real_commit = connection.commit

    def commit():
        if after_commit:
            real_commit()
        raise OperationalError("server closed the connection unexpectedly")

    return commit


@committing
def test_deposit_whose_commit_fails_leaves_no_row_and_its_file_is_deleted(
    client, owner, media_root, fast_settling
):
    item, url, data = deposit_through_actions_view(client, owner)

    with mock.patch.object(connection, "commit", failing_commit(after_commit=False)):
        response = client.post(url, data)

    assert response.status_code == 503
    settled(fast_settling)
    assert Document.objects.count() == 0
    assert Item.objects.get(pk=item.pk).title == "Before"
    assert stored_files(media_root) == []


@committing
def test_deposit_whose_commit_took_effect_before_failing_keeps_its_file(
    client, owner, media_root, fast_settling
):
    item, url, data = deposit_through_actions_view(client, owner)

    with mock.patch.object(connection, "commit", failing_commit(after_commit=True)):
        response = client.post(url, data)

    assert response.status_code == 503
    settled(fast_settling)
    document = Document.objects.get()
    assert document.file.read() == pdf_bytes()
    assert stored_files(media_root) == ["late.pdf"]


@committing
def test_files_of_a_failed_commit_wait_for_the_database_to_answer_before_being_settled(
    client, owner, media_root, fast_settling
):
    item, url, data = deposit_through_actions_view(client, owner)
    lookups = []
    real_lookup = documents.files_with_rows

    def unreachable_twice(names):
        lookups.append(threading.current_thread().name)
        if len(lookups) <= 2:
            raise OperationalError("connection refused")
        return real_lookup(names)

    with (
        mock.patch.object(documents, "files_with_rows", unreachable_twice),
        mock.patch.object(connection, "commit", failing_commit(after_commit=False)),
    ):
        assert client.post(url, data).status_code == 503
        settled(fast_settling)

    assert lookups == ["settle-failed-commit"] * 3
    assert Document.objects.count() == 0
    assert stored_files(media_root) == []


@committing
def test_files_are_kept_while_the_database_cannot_tell_whether_their_rows_exist(media_root, monkeypatch):
    monkeypatch.setattr(documents, "SETTLE_FIRST_PAUSE", 0.05)
    monkeypatch.setattr(documents, "SETTLE_FOR_SECONDS", 0.3)
    storage = FileSystemStorage(location=media_root)
    name = storage.save("orphan-or-not.pdf", ContentFile(pdf_bytes()))

    with mock.patch.object(documents, "files_with_rows", side_effect=OperationalError("connection refused")):
        documents.settle_failed_commit([(storage, name)])

    assert storage.exists(name)


needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="ends a PostgreSQL session")


@needs_postgresql
@committing
def test_deposit_whose_database_session_ends_at_commit_leaves_no_row_and_no_file(
    client, owner, media_root, fast_settling
):
    """The server itself ends the session as the COMMIT is sent (as a restart or a crash would)."""
    item, url, data = deposit_through_actions_view(client, owner)
    real_commit = connection.commit
    database = connection.settings_dict
    admin_url = (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/postgres"
    )

    def commit_after_the_session_ends():
        pid = connection.connection.info.backend_pid
        with psycopg.connect(admin_url, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        real_commit()

    with mock.patch.object(connection, "commit", commit_after_the_session_ends):
        response = client.post(url, data)

    assert response.status_code == 503
    assert "Briefly unavailable" in response.content.decode()
    settled(fast_settling)
    assert Document.objects.count() == 0
    assert Item.objects.get(pk=item.pk).title == "Before"
    assert stored_files(media_root) == []
