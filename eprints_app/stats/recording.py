"""What is counted, and the cheap write that counts it.

A view marks the request with what it showed (``mark_view``, ``mark_download``) once it knows
the item is live and the reader is not one of its managers (its depositor or an editor); for a
kept answer, which only anonymous readers get and only for live items, ``PublicCacheMiddleware``
marks it from the URL (``mark_kept``). On the way out, the middleware calls ``count``: a GET
answered 200 or 304 (206 only for a range from the first byte, 302 for a download sent to the
bucket), from a user agent that is not on the COUNTER robots list, becomes a ``UsageEvent``.

Events are kept in this process's memory and written together once
``USAGE_STATISTICS_FLUSH_SECONDS`` have passed since the first of them, after the response has
been sent (Django's ``request_finished``), and when the process exits; 0 writes each at once.
The 30-second double-click rule is applied when events are aggregated (``aggregation``), so
counting a request costs a hash and, now and then, one insert of many rows.
"""

import atexit
import logging
import threading
import time
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from eprints_app.access import can_manage
from eprints_app.models import Document, Item, UsageEvent, UsageKind
from eprints_app.stats import robots, sessions

logger = logging.getLogger(__name__)

# Events waiting for a database that cannot be reached are kept up to this many, then dropped.
MAX_WAITING = 10_000
COUNTED_STATUSES = {200, 304}
# The URL names whose kept answers are counted, and what they count.
KEPT_KINDS = {"item": UsageKind.VIEW, "download": UsageKind.DOWNLOAD}


def mark_view(request: HttpRequest, item: Item) -> None:
    """The item's page is being shown: count it if the item is live and the reader is not
    previewing it as its depositor or an editor."""
    if item.is_live and not can_manage(request.user, item):
        request.usage_target = (UsageKind.VIEW, item.pk, 0)


def mark_download(request: HttpRequest, document: Document) -> None:
    """The document's file is being sent: count it on the same terms as a view."""
    if document.item.is_live and not can_manage(request.user, document.item):
        request.usage_target = (UsageKind.DOWNLOAD, document.item_id, document.pos)


def mark_kept(request: HttpRequest) -> None:
    """A kept answer is being given (anonymous reader, live item): what its URL shows."""
    target = kept_target(request.path_info)
    if target is not None:
        request.usage_target = target


# Kept answers are the popular addresses: resolving each again would cost more than the rest.
@lru_cache(maxsize=4096)
def kept_target(path: str) -> tuple[str, int, int] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    kind = KEPT_KINDS.get(match.url_name)
    return None if kind is None else (kind, match.kwargs["eprintid"], match.kwargs.get("pos", 0))


def count(request: HttpRequest, response: HttpResponse) -> None:
    """Count the answer to a marked request, unless it is not one COUNTER counts."""
    target = getattr(request, "usage_target", None)
    if target is None or request.method != "GET" or not settings.USAGE_STATISTICS:
        return
    kind, eprintid, pos = target
    if not counted_status(request, response, kind):
        return
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    if robots.is_robot(user_agent):
        return
    now = timezone.now()
    try:
        session = sessions.session_key(client_address(request), user_agent, now)
    except DatabaseError:  # the day's salt cannot be read: the reader's answer matters more
        logger.warning("Usage statistics: a request not counted, the database is unavailable")
        return
    buffer.add((now, kind, eprintid, pos, session))


def counted_status(request: HttpRequest, response: HttpResponse, kind: str) -> bool:
    status = response.status_code
    if status in COUNTED_STATUSES:
        return True
    if status == 206:
        # A range from the first byte starts a download; any other continues one.
        return request.META.get("HTTP_RANGE", "").replace(" ", "").startswith("bytes=0-")
    return status == 302 and kind == UsageKind.DOWNLOAD and settings.USE_S3


def client_address(request: HttpRequest) -> str:
    """The connection's address, or the header a trusted proxy in front sets
    (``USAGE_CLIENT_ADDRESS_HEADER``); only its hash is kept."""
    header = settings.USAGE_CLIENT_ADDRESS_HEADER
    if header:
        forwarded = request.META.get(header, "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


# An event as it waits: the values of UsageEvent's FIELDS.
Event = tuple[datetime, str, int, int, str]
FIELDS = ("time", "kind", "eprintid", "pos", "session")


def write(events: list[Event]) -> None:
    """Insert the events in one transaction, with one statement run for all of them.

    Not ``bulk_create``: it builds a model instance per row and cost four times as much (0.44
    against 0.10 s for 16,000 rows on SQLite), time a worker spends between two readers.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(UsageEvent._meta.get_field(name).column) for name in FIELDS)
    placeholders = ", ".join(["%s"] * len(FIELDS))
    sql = f"INSERT INTO {quote(UsageEvent._meta.db_table)} ({columns}) VALUES ({placeholders})"
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(adapt(moment), *rest) for moment, *rest in events]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class EventBuffer:
    """Events waiting to be written, shared by the threads of one process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.events: list[Event] = []
        self.since = 0.0

    def add(self, event: Event) -> None:
        with self.lock:
            if not self.events:
                self.since = time.monotonic()
            self.events.append(event)

    def due(self) -> bool:
        return bool(self.events) and time.monotonic() - self.since >= settings.USAGE_STATISTICS_FLUSH_SECONDS

    def flush(self) -> int:
        """Write the waiting events; returns how many were written. When the database cannot
        take them they wait for the next try (the newest MAX_WAITING)."""
        with self.lock:
            events, self.events = self.events, []
        if not events:
            return 0
        try:
            write(events)
        except DatabaseError:
            with self.lock:
                self.events = (events + self.events)[-MAX_WAITING:]
                self.since = time.monotonic()
            logger.warning("Usage statistics: %d events wait for the database", len(self.events))
            return 0
        return len(events)


buffer = EventBuffer()


@receiver(request_finished, dispatch_uid="usage-statistics-flush")
def flush_after_response(**kwargs) -> None:
    """After a response has been sent: write the waiting events if they are due, then give the
    connection back as the request's end would (a pooled one returns to the pool); Django's own
    receiver for that ran before this one. Not inside a transaction (a test's)."""
    if buffer.due():
        buffer.flush()
        if not connection.in_atomic_block:
            close_old_connections()


@atexit.register
def flush_at_exit() -> None:
    waiting = len(buffer.events)
    try:
        buffer.flush()
    except Exception as error:  # the process is ending: nothing more can be done with them
        logger.warning("Usage statistics: %d events lost at exit (%s)", waiting, error)
