"""The production set-up: TASKS_BACKEND=database queues the tasks, and `manage.py db_worker`, a
real process of its own, runs them.

The worker must reach the database this test writes to. On PostgreSQL that is the test database
itself, with the test's writes committed (``transaction=True``). On SQLite pytest-django keeps the
test database in memory, out of another process's reach, so for this test the default connection
is pointed at a migrated database file of its own, which the worker is given too.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from eprints_app.enums import DerivativeStatus
from eprints_app.models import Document
from tests.factories import make_document, make_item, pdf_bytes

WAIT_SECONDS = 60


pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_database(django_db_blocker, tmp_path):
    """A database both this test and a worker process reach; its DATABASE_URL."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        yield f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        return
    path = tmp_path / "worker.sqlite3"
    with django_db_blocker.unblock():
        original = connections["default"]
        replacement = original.__class__({**original.settings_dict, "NAME": str(path)}, "default")
        connections["default"] = replacement
        try:
            call_command("migrate", verbosity=0)
            yield f"sqlite:///{path}"
        finally:
            replacement.close()
            connections["default"] = original


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def start_worker(database_url: str, log: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0.2",
    ]
    with open(log, "wb") as output:
        return subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=environment, stdout=output, stderr=subprocess.STDOUT
        )


def wait_until_processed(document_id: int) -> Document:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        document = Document.objects.get(pk=document_id)
        if DerivativeStatus.PENDING not in (document.text_status, document.thumbnail_status):
            return document
        time.sleep(0.2)
    return document


def test_queued_tasks_wait_for_the_database_worker_which_runs_them(
    shared_database, database_backend, tmp_path
):
    document = make_document(make_item(), content=pdf_bytes("Queued for the worker"))
    assert sorted(DBTaskResult.objects.values_list("task_path", "status")) == [
        ("eprints_app.tasks.build_document_thumbnails", "READY"),
        ("eprints_app.tasks.extract_document_text", "READY"),
    ]
    assert Document.objects.get(pk=document.pk).text_status == DerivativeStatus.PENDING

    log = tmp_path / "worker.log"
    worker = start_worker(shared_database, log)
    try:
        processed = wait_until_processed(document.pk)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            exit_code = worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            raise
    assert (processed.text_status, processed.thumbnail_status) == ("done", "done"), log.read_text()
    assert "Queued for the worker" in processed.text
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert exit_code == 0, log.read_text()
