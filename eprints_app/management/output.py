"""What long management commands print: a progress bar on stderr, and the counts of outcomes."""

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.core.management.base import OutputWrapper

from eprints_app.enums import DerivativeStatus

T = TypeVar("T")

WIDTH = 30


def progress(items: Iterable[T], total: int, stream: OutputWrapper, *, enabled: bool = True) -> Iterator[T]:
    """Yield ``items``, redrawing "[#####.....] 12/40" on one line after each."""
    done = 0
    for item in items:
        yield item
        done += 1
        if enabled:
            filled = WIDTH * done // max(total, 1)
            stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}", ending="")
            stream.flush()
    if enabled and done:
        stream.write("")


def derivative_counts(what: str, outcomes: Counter, total: int) -> str:
    """ "Text: 3 done, 1 skipped, 0 failed (4 documents)." """
    counts = ", ".join(f"{outcomes[status]} {status}" for status in DerivativeStatus if status != "pending")
    return f"{what}: {counts} ({total} document{'' if total == 1 else 's'})."
