"""Background tasks (django-tasks): text extraction and thumbnails for a document, and the
aggregation of usage statistics.

Which backend runs them is the TASKS setting: by default the immediate backend runs them at once
in the process that enqueues them; with ``TASKS_BACKEND=database`` they wait in the database for
``manage.py db_worker``. Arguments are JSON (a document ID), as a queue needs.
"""

from django.core.cache import cache
from django.db import transaction
from django_tasks import task
from django_tasks.base import Task

from eprints_app.models import Document
from eprints_app.services import derivatives
from eprints_app.stats.aggregation import aggregate
from eprints_app.stats.periods import parse_month
from eprints_app.stats.sessions import delete_past_salts

# A thumbnail found missing from storage is asked for again at most this often.
REBUILD_REQUEST_SECONDS = 3600


@task()
def extract_document_text(document_id: int) -> str | None:
    return derivatives.extract_document_text(document_id)


@task()
def build_document_thumbnails(document_id: int) -> str | None:
    return derivatives.build_thumbnails(document_id)


@task()
def aggregate_usage_statistics(months: list[str] | None = None) -> int:
    """``aggregate_stats`` for the worker (``aggregate_stats --enqueue`` from cron queues it):
    the given months ("YYYY-MM"), or every month with events; returns how many."""
    done = aggregate([parse_month(month, "month") for month in months or []] or None)
    delete_past_salts()
    return len(done)


def enqueue_derivatives(document_id: int) -> None:
    """Queue both tasks once the current transaction commits (at once outside one).

    After the commit, so that a worker finds the row and its file; ``robust`` so that a queue
    that cannot be reached is logged rather than turned into an error for a deposit that saved.
    """
    enqueue_on_commit(extract_document_text, document_id)
    enqueue_on_commit(build_document_thumbnails, document_id)


def request_thumbnails(document: Document) -> None:
    """Queue the thumbnails of a document whose stored thumbnail is missing, at most once an hour
    per file: the thumbnail view asks, and the cache key keeps repeated requests from queueing
    the same work again."""
    key = f"thumbnails-requested:{document.pk}:{document.sha256}"
    if cache.add(key, True, REBUILD_REQUEST_SECONDS):
        enqueue_on_commit(build_document_thumbnails, document.pk)


def enqueue_on_commit(work: Task, document_id: int) -> None:
    def enqueue() -> None:
        work.enqueue(document_id)

    # Django names the callback when it logs a failure: say which task could not be queued.
    enqueue.__qualname__ = f"{work.name}.enqueue"
    transaction.on_commit(enqueue, robust=True)
