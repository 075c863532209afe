"""The listing generation, and what is cached under it: browse data and search results here,
and keyed by the same number, public answers (``public_cache``), OAI-PMH pages and the
documents downloads look up. All are left behind as a whole whenever anything they show changes.

Every key carries a "listing generation" number; ``services.changes`` bumps it
after a change to an item, its creators, documents, subjects or divisions, or to the trees
themselves is committed, and the search index bumps it whenever its entries change. Old
entries are never read again and expire on their own.
"""

import hashlib
import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache

GENERATION_KEY = "browse:generation"
# A safety net for changes that send no signals (queryset updates, bulk loads).
TIMEOUT = 60 * 60

T = TypeVar("T")


def new_generation() -> int:
    # From the clock rather than 1: should the key be evicted, counting again from a small
    # number could land on a generation whose entries are still cached.
    return time.time_ns()


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, new_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, new_generation(), timeout=None)


def key_of(parts: tuple[Hashable, ...]) -> str:
    """``parts`` may hold anything from the request (slugs, codes): hashed, they make a key
    that every cache backend accepts."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:40]
    return f"browse:{generation()}:{digest}"


def cached(parts: tuple[Hashable, ...], build: Callable[[], T | None]) -> T | None:
    """The value cached for ``parts`` in this generation, built and stored when missing.

    When ``build`` finds nothing (None), nothing is stored, so that requests for things that
    do not exist cannot crowd the cache.
    """
    key = key_of(parts)
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(key, value, TIMEOUT)
    return value


def store(parts: tuple[Hashable, ...], value: object) -> None:
    """Cache a value that ``cached(parts, ...)`` would build, found along with another."""
    cache.set(key_of(parts), value, TIMEOUT)
