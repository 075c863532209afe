"""What the benchmarks share once Django is set up: made-up items in bulk, and timed requests.

Import it after environment.use_bench_database(), which points Django at the benchmark's
database and starts it.
"""

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.db import connection, reset_queries
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from eprints_app.models import Creator, Document, Item

JOURNAL = "Journal of Benchmarks"  # marks the items the benchmarks add
WORDS = ["policy", "trade", "climate", "security", "health", "migration", "finance", "energy"]


def fill_to(target: int, add: Callable[[int, int], None]) -> None:
    """Items up to ``target``, through ``add(have, target)``, unless the database holds as many
    already; prints how many there are and how long adding them took."""
    have = Item.objects.count()
    if have >= target:
        print(f"{have} items ready")
        return
    started = time.perf_counter()
    add(have, target)
    print(f"{target} items ready ({time.perf_counter() - started:.1f} s to fill)")


def batches(have: int, target: int, size: int) -> Iterator[range]:
    """The numbers from ``have`` up to ``target``, at most ``size`` at a time."""
    for start in range(have, target, size):
        yield range(start, min(start + size, target))


def study_title(n: int) -> str:
    """A title that differs from item to item in words a search can find: "Trade and policy: study 9"."""
    return f"{WORDS[n % 8].title()} and {WORDS[(n // 8) % 8]}: study {n}"


def study(n: int, deposited: datetime, modified: datetime, **fields) -> Item:
    """Item number ``n`` of a benchmark, unsaved: its title, the benchmarks' journal, deposited
    and last modified when given, and the ``fields`` that differ from benchmark to benchmark."""
    return Item(
        title=study_title(n),
        publication=JOURNAL,
        date_deposited=deposited,
        last_modified=modified,
        rev_number=1,
        **fields,
    )


def created(items: list[Item]) -> list[Item]:
    """The items bulk_create has just added, with their primary keys, which bulk_create on an
    older SQLite does not set: then they are read back, the newest being the ones just added."""
    if items and items[0].pk is None:
        return list(Item.objects.order_by("-pk")[: len(items)])[::-1]
    return items


def add_studies(
    numbers: range, base: datetime, subject_id: int, status: Callable[[int], str], **document
) -> list[Document]:
    """One article per number, changed a second apart from ``base``, with two creators, the
    subject and one PDF document (with the fields given in ``document``); returns the documents."""
    items = created(
        Item.objects.bulk_create(
            study(
                n,
                base,
                base + timedelta(seconds=n),
                type="article",
                abstract="An abstract of a few sentences about the study. " * 8,
                date=str(1990 + n % 35),
                volume=str(n % 40),
                refereed=bool(n % 2),
                status=status(n),
            )
            for n in numbers
        )
    )
    Creator.objects.bulk_create(
        Creator(item=item, position=p, family=f"Author{(item.pk + p) % 997}", given="Bench")
        for item in items
        for p in range(2)
    )
    documents = Document.objects.bulk_create(paper(item, **document) for item in items)
    Item.subjects.through.objects.bulk_create(
        Item.subjects.through(item_id=item.pk, subject_id=subject_id) for item in items
    )
    return documents


def paper(item: Item, **fields) -> Document:
    """The item's first document, a PDF whose file is named but not stored."""
    file = f"bench/{item.pk}/paper.pdf"
    return Document(item=item, pos=1, file=file, filename="paper.pdf", mime_type="application/pdf", **fields)


def analyze() -> None:
    """On PostgreSQL, what autovacuum would do after a load: the planner needs the statistics.
    SQLite is left without them, as it usually runs."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def timed_get(client: Client, url: str, params: dict | None = None) -> tuple[float, int, HttpResponse]:
    """Milliseconds and queries of one GET through the test client, which must answer 200."""
    reset_queries()  # the log keeps the last 9,000 queries: filling a database reaches that
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, params, response.status_code)
    return elapsed, len(queries), response


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]
