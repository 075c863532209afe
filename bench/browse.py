"""Benchmark: the browse pages at 1,000 and at 100,000 items.

The issue asks that browse pages not slow down as the repository grows. This fills a database
of its own (SQLite under var/bench-browse.sqlite3 unless BENCH_DATABASE_URL names another) to
each size in turn with bulk_create, then times each page through Django's test client: first
cold, with the cache cleared before every request, so the figures are those of the queries;
then warm, from the listing cache. It prints p50 / p95 latencies and the queries per request.
A database bigger than the first size is emptied first. PostgreSQL gets an ANALYZE after each
fill, as autovacuum would give it; SQLite is left without statistics, as it usually runs.

    python bench/browse.py
    BENCH_SIZES=1000,20000 BENCH_ROUNDS=10 python bench/browse.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_browse python bench/browse.py
"""

import functools
import os
import statistics

from environment import use_bench_database  # bench/environment.py, beside this script

use_bench_database("bench-browse.sqlite3")

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import analyze, batches, fill_to, p95, study, timed_get  # noqa: E402

from eprints_app.enums import ItemType  # noqa: E402
from eprints_app.models import Creator, Division, Item, Subject  # noqa: E402

SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "1000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
BATCH = 5000
TYPES = [ItemType.ARTICLE, ItemType.MONOGRAPH, ItemType.BOOK_SECTION, ItemType.THESIS, ItemType.BOOK]
# Family names from A to Z, numbered: Adams0, Brown0, ... Zhang0, Adams1, ...
FAMILIES = [
    *("Adams", "Brown", "Clark", "Davies", "Evans", "Fisher", "Green", "Harris", "Irving", "Jones"),
    *("King", "Lewis", "Moore", "Nolan", "Owen", "Patel", "Quinn", "Roberts", "Smith", "Taylor"),
    *("Upton", "Vaughan", "Walker", "Xu", "Young", "Zhang"),
]
# Distinct people grow with the repository, as they do: one new name per five items.
PEOPLE_PER_ITEM = 0.2
PAGES = [
    ("year index", "/view/year/"),
    ("year page (2010)", "/view/year/2010.html"),
    ("subject tree", "/view/subjects/"),
    ("subject page (HB, a leaf)", "/view/subjects/HB.html"),
    ("subject page (H, a root)", "/view/subjects/H.html"),
    ("author page", "/view/creators/harris0-bench.html"),
    ("authors under H", "/view/creators/H.html"),
]


def load_trees() -> tuple[list[str], list[str]]:
    """The demo's subject and division trees; items are filed under their leaves."""
    if not Subject.objects.exists():
        call_command("loaddata", "fixtures/subjects.json", "fixtures/divisions.json", verbosity=0)
        Subject.rebuild_paths()
        Division.rebuild_paths()
    leaves = [
        list(model.objects.filter(children__isnull=True).order_by("code").values_list("code", flat=True))
        for model in (Subject, Division)
    ]
    return leaves[0], leaves[1]


def family(person: int) -> str:
    return f"{FAMILIES[person % len(FAMILIES)]}{person // len(FAMILIES)}"


def add_items(have: int, target: int, subjects: list[str], divisions: list[str]) -> None:
    """Items numbered from 1: four in five live, dated 1990-2024, two creators, a subject or two."""
    now = timezone.now()
    people = max(1, int(target * PEOPLE_PER_ITEM))
    on_subjects, on_divisions = Item.subjects.through, Item.divisions.through
    for numbers in batches(have, target, BATCH):
        ids = range(numbers.start + 1, numbers.stop + 1)
        Item.objects.bulk_create(
            study(
                n,
                now,
                now,
                id=n,
                type=TYPES[(n // 2) % len(TYPES)],
                date=f"{1990 + (n // 5) % 35}-{n % 12 + 1:02d}",
                status="archive" if n % 5 else "buffer",
            )
            for n in ids
        )
        Creator.objects.bulk_create(
            Creator(item_id=n, position=p, family=family((n * (p + 1)) % people), given="Bench")
            for n in ids
            for p in (0, 1)
        )
        on_subjects.objects.bulk_create(
            on_subjects(item_id=n, subject_id=code)
            for n in ids
            for code in {subjects[n % len(subjects)], subjects[(n * 7) % len(subjects)]}
        )
        on_divisions.objects.bulk_create(
            on_divisions(item_id=n, division_id=divisions[n % len(divisions)]) for n in ids
        )
    analyze()


def measure(client: Client, label: str, url: str) -> None:
    results = []
    for clear in (True, False):
        times = []
        for _ in range(ROUNDS):
            if clear:
                cache.clear()
            elapsed, queries, _ = timed_get(client, url)
            times.append(elapsed)
        results.append(f"p50 {statistics.median(times):7.1f} ms  p95 {p95(times):7.1f} ms {queries} q")
    print(f"  {label:<26} cold {results[0]} | warm {results[1]}")


def main() -> None:
    call_command("migrate", verbosity=0)
    if Item.objects.count() > SIZES[0]:
        call_command("flush", interactive=False, verbosity=0)
    subjects, divisions = load_trees()
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"database: {connection.vendor}, {ROUNDS} requests each, cold then warm")
    for size in SIZES:
        fill_to(size, functools.partial(add_items, subjects=subjects, divisions=divisions))
        live = Item.objects.live().count()
        print(f"{size} items ({live} live):")
        for label, url in PAGES:
            measure(client, label, url)


if __name__ == "__main__":
    main()
