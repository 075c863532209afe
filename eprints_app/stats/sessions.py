"""COUNTER's user session, without keeping anyone's address.

A session is one reader (client address and user agent) in one hour. Its key is a keyed hash
(BLAKE2b) of the three with a salt drawn at random for each day and kept in the database, so
that every app server shares it; salts of past days are deleted when a new day's is made, after
which no key can be linked to an address again, even by someone with the database and the
settings. The address itself is never stored or logged.
"""

import hashlib
import secrets
import threading
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from eprints_app.models import DailySalt

_salts: dict[date, bytes] = {}
_lock = threading.Lock()


def salt_for(day: date) -> bytes:
    """The day's salt: from this process's memory, else the database, else made (and the days
    before it forgotten)."""
    salt = _salts.get(day)
    if salt is None:
        with _lock:
            salt = _salts.get(day) or _load_or_make(day)
            _salts.clear()
            _salts[day] = salt
    return salt


def _load_or_make(day: date) -> bytes:
    row = DailySalt.objects.filter(day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = DailySalt.objects.create(day=day, salt=secrets.token_hex(32))
                DailySalt.objects.filter(day__lt=day).delete()
        except IntegrityError:  # another process made it first
            row = DailySalt.objects.get(day=day)
    return bytes.fromhex(row.salt)


def delete_past_salts(today: date | None = None) -> int:
    """Delete the salts of days before today (each day's first request does it too; the daily
    aggregation makes sure of it after a day without readers). Returns how many."""
    day = today or timezone.localdate()
    return DailySalt.objects.filter(day__lt=day).delete()[0]


def forget_salts() -> None:
    """Drop the salts this process holds (tests; the database keeps the day's)."""
    with _lock:
        _salts.clear()


def session_key(address: str, user_agent: str, when: datetime) -> str:
    """32 hex digits naming the reader's session in the hour of ``when``; the salt is that of
    its day in ``TIME_ZONE``, whose months the figures are counted in."""
    day = when.astimezone(timezone.get_default_timezone()).date()
    hour = int(when.timestamp()) // 3600
    message = f"{address}\n{user_agent}\n{hour}".encode()
    return hashlib.blake2b(message, key=salt_for(day), digest_size=16).hexdigest()
