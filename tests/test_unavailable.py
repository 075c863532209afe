"""A database that cannot be reached: 503 with Retry-After, never a server error, and no deposit
left half-written; kept public pages go on being answered, and the site recovers by itself.

Most tests make every query fail in this process, as a restarting server makes them fail. The
last ones run the production command (gunicorn) against PostgreSQL through a proxy that the
test cuts and restores (tests/outage_support.py), on PostgreSQL only.
"""

import errno
import os
import secrets
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, ProgrammingError, connection, connections

from eprints_app.enums import ItemStatus
from eprints_app.models import Document, Item
from tests.factories import make_document, make_item, pdf_bytes
from tests.form_data import ADD_URL, deposit_data, edit_adding_a_file
from tests.outage_support import TcpProxy

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def database_down():
    """Every query fails, with the error Django raises while PostgreSQL restarts."""
    error = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(connections["default"], "_cursor", side_effect=error):
        yield


def stored_files(folder) -> list[Path]:
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())


def assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "<h1>Briefly unavailable</h1>" in body
    assert "The repository&#x27;s database cannot be reached just now." in body
    assert "Traceback" not in body


def test_page_answers_503_with_retry_after_while_the_database_is_unreachable(client):
    item = make_item()
    with database_down():
        response = client.get(item.get_absolute_url())
    assert_unavailable(response)


def test_kept_public_page_is_still_answered_while_the_database_is_unreachable(client):
    item = make_item(title="Kept through an outage")
    kept = client.get(item.get_absolute_url())
    assert kept.status_code == 200
    with database_down():
        response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response.content == kept.content


def test_an_outage_is_never_kept_and_the_next_request_renders_afresh(client):
    item = make_item()
    with database_down():
        assert client.get(item.get_absolute_url()).status_code == 503
    assert client.get(item.get_absolute_url()).status_code == 200


def test_signed_in_user_gets_503_when_their_session_cannot_be_read(client, depositor):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    client.force_login(depositor)
    with database_down():
        response = client.get(f"/id/eprint/{item.pk}/actions/")
    assert_unavailable(response)


def test_errors_of_a_working_database_are_not_taken_for_an_outage(client):
    item = make_item()
    bug = ProgrammingError("column items.title does not exist")
    with (
        mock.patch.object(connections["default"], "_cursor", side_effect=bug),
        pytest.raises(ProgrammingError),
    ):
        client.get(item.get_absolute_url())


# Deposits: a file is stored before its row, so a database failing in between must take it out.


def fail_after_the_row(*item_ids, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_deposit_through_the_actions_view_that_the_database_drops_leaves_no_row_and_no_file(
    client, depositor, settings
):
    item, url, data = edit_adding_a_file(
        client, depositor, "outage.pdf", before="Before the outage", after="Written during the outage"
    )

    # The document's row is written, then the database goes before the transaction commits.
    with mock.patch("eprints_app.services.documents.item_changed", side_effect=fail_after_the_row):
        response = client.post(url, data)

    assert_unavailable(response)
    assert Document.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert Item.objects.get(pk=item.pk).title == "Before the outage"


def test_deposit_through_the_admin_that_the_database_drops_leaves_no_item_and_no_file(
    client, editor, settings
):
    client.force_login(editor)
    data = deposit_data(client, SimpleUploadedFile("outage.pdf", pdf_bytes()))

    with mock.patch("eprints_app.services.documents.item_changed", side_effect=fail_after_the_row):
        response = client.post(ADD_URL, data)

    assert_unavailable(response)
    assert (Item.objects.count(), Document.objects.count()) == (0, 0)
    assert stored_files(settings.MEDIA_ROOT) == []


def test_deposit_whose_file_cannot_be_written_is_refused_with_the_reason_and_saves_nothing(
    client, depositor, settings
):
    item, url, data = edit_adding_a_file(
        client, depositor, "full.pdf", before="Before the disk filled", after="Written to a full disk"
    )
    full = OSError(errno.ENOSPC, "No space left on device")

    with mock.patch("django.core.files.storage.FileSystemStorage._save", side_effect=full):
        response = client.post(url, data)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "The file full.pdf could not be stored, so nothing was saved." in response.content.decode()
    assert response.context["item_form"]["title"].value() == "Written to a full disk"
    assert Document.objects.count() == 0
    assert stored_files(settings.MEDIA_ROOT) == []
    assert Item.objects.get(pk=item.pk).title == "Before the disk filled"


def test_document_row_that_fails_takes_its_stored_file_out_again(depositor, settings):
    item = make_item(status=ItemStatus.INBOX, depositor=depositor)
    with (
        mock.patch.object(Document, "save", side_effect=OperationalError("connection lost")),
        pytest.raises(OperationalError),
    ):
        make_document(item)
    assert stored_files(settings.MEDIA_ROOT) == []


# The production command against PostgreSQL through a proxy: the pool's own recovery.

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="cuts off a PostgreSQL server"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site_behind_proxy(transactional_db, tmp_path):
    """gunicorn (one worker, with the production command's threads) whose database connections
    go through a proxy the test can cut.

    DEBUG is on, so that any error that escaped would show Django's traceback page.
    """
    database = connection.settings_dict
    proxy = TcpProxy(int(database["PORT"] or 5432), database["HOST"] or "127.0.0.1").start()
    port = free_port()
    env = dict(
        os.environ,
        DEBUG="1",
        SECRET_KEY=secrets.token_urlsafe(40),
        DATABASE_URL=f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}",
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    log = tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "repository.wsgi", "--config", "bench/gunicorn_ready.py"]
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [*command, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "Worker ready" not in log.read_text(errors="replace"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        yield proxy, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        proxy.stop()


def live_get(url: str) -> requests.Response:
    # A session cookie, so that the page is rendered rather than answered from the kept copies.
    return requests.get(url, cookies={"sessionid": "none"}, timeout=30)


@needs_postgresql
def test_site_answers_503_while_its_database_is_cut_off_then_recovers_by_itself(site_behind_proxy):
    proxy, site = site_behind_proxy
    item = make_item(title="Served through an outage")
    page = site + item.get_absolute_url()
    assert live_get(page).status_code == 200

    proxy.cut()
    started = time.monotonic()
    during = [live_get(page) for _ in range(2)]
    waited = time.monotonic() - started
    for response in during:
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "5"
        assert "Briefly unavailable" in response.text
        assert "Traceback" not in response.text
    # Each waits for a connection at most the pool's timeout (3 s), not gunicorn's 30.
    assert waited < 2 * 4

    proxy.restore()
    restored = time.monotonic()
    while (response := live_get(page)).status_code != 200:
        assert response.status_code == 503
        assert time.monotonic() - restored < 5, "the site did not recover within 5 s"
    assert "Served through an outage" in response.text


@needs_postgresql
def test_connection_a_restart_killed_is_replaced_without_failing_a_request(site_behind_proxy):
    proxy, site = site_behind_proxy
    page = site + make_item().get_absolute_url()
    assert live_get(page).status_code == 200

    # The server goes and comes back between two requests: the pooled connection is dead.
    proxy.cut()
    proxy.restore()

    assert live_get(page).status_code == 200


@needs_postgresql
def test_kept_pages_and_static_files_are_answered_while_other_requests_wait_for_the_database(
    site_behind_proxy,
):
    """The worker's threads (gunicorn.conf.py): two requests that need the database wait for it
    (up to the pool's 3 s), and meanwhile a third thread answers a kept page and a static file."""
    proxy, site = site_behind_proxy
    item = make_item(title="Kept while others wait")
    page = site + item.get_absolute_url()
    assert requests.get(page, timeout=30).status_code == 200  # now kept for anonymous readers

    proxy.cut()
    with ThreadPoolExecutor(2) as readers:
        waiting = [readers.submit(live_get, page) for _ in range(2)]
        time.sleep(0.5)  # both are in the worker, waiting for a connection
        kept = requests.get(page, timeout=30)
        static = requests.get(site + "/static/eprints_app/site.css", timeout=30)
        answered_while_waiting = not any(request.done() for request in waiting)
        assert [request.result().status_code for request in waiting] == [503, 503]

    assert answered_while_waiting
    assert (kept.status_code, static.status_code) == (200, 200)
    assert "Kept while others wait" in kept.text
