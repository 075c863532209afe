"""Answers for when the database or the file storage cannot be reached: 503 with Retry-After.

A database restarting or a bucket's endpoint stopping is a passing state, not a bug: readers,
harvesters and crawlers are told to come back shortly rather than shown a server error. Pages
kept for anonymous readers (``public_cache``) go on being answered from the cache meanwhile,
and the database connection pool reconnects by itself once the server is back.

``UnavailableMiddleware`` answers for a view that raised one of ``DATABASE_ERRORS`` or
``StorageUnavailable``. The page is rendered without the request, since the user, the session
and the messages all live in the database that may be down.
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from eprints_app.context_processors import repository

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# psycopg_pool's PoolTimeout is a psycopg OperationalError, which Django wraps as its own.
DATABASE_ERRORS = (OperationalError, InterfaceError)


class StorageUnavailable(Exception):
    """The file storage could not be reached or refused to work (a stopped endpoint, a full disk)."""


def bucket_errors() -> tuple[type[Exception], ...]:
    """What S3 storage raises when its endpoint cannot be reached or refuses (botocore's errors;
    a missing object is django-storages' FileNotFoundError). Imported when an exception is being
    matched, and only with a bucket configured, so that workers never load botocore for this."""
    if not settings.USE_S3:
        return ()
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def unavailable(reason: str, refused: str = "") -> HttpResponse:
    """The 503 page: ``reason`` says what cannot be reached, ``refused`` what was not done."""
    context = {**repository(None), "reason": reason, "refused": refused}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # No shared cache may keep an outage.
    response["Cache-Control"] = "no-store"
    return response


class UnavailableMiddleware:
    """Early in MIDDLEWARE: turns a view's database or storage failure into the 503 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
            return unavailable("The repository's database cannot be reached just now.")
        if isinstance(exception, StorageUnavailable):
            logger.warning("File storage unavailable for %s %s: %s", request.method, request.path, exception)
            return unavailable("The repository's file store cannot be reached just now.", str(exception))
        return None
