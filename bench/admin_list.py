"""Benchmark: the admin's item list and the public item page at 100,000 items.

EPrints' "Manage deposits" slows down as a repository grows; ours should not. This fills a
database of its own (SQLite under var/bench.sqlite3 unless BENCH_DATABASE_URL names another),
then times requests through Django's test client and prints p50 / p95 latencies and query counts.

    make bench                      # 100,000 items on SQLite
    BENCH_ITEMS=20000 make bench
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench make bench
"""

import os
import statistics

from environment import use_bench_database  # bench/environment.py, beside this script

use_bench_database("bench.sqlite3")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import batches, created, fill_to, p95, study, timed_get  # noqa: E402

from eprints_app.models import Creator, Item  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "100000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
BATCH = 5000
LIST = "/admin/eprints_app/item/"


def add_items(have: int, target: int) -> None:
    now = timezone.now()
    for numbers in batches(have, target, BATCH):
        items = Item.objects.bulk_create(
            study(
                n,
                now,
                now,
                type="article" if n % 3 else "monograph",
                date=str(1990 + n % 35),
                status="archive" if n % 5 else "buffer",
            )
            for n in numbers
        )
        Creator.objects.bulk_create(
            Creator(item=item, family=f"Author{item.pk % 997}", given="Bench") for item in created(items)
        )


def measure(client: Client, label: str, url: str) -> None:
    runs = [timed_get(client, url) for _ in range(ROUNDS)]
    times = [elapsed for elapsed, _, _ in runs]
    median = statistics.median(times)
    print(f"{label:<34} p50 {median:7.1f} ms   p95 {p95(times):7.1f} ms   {runs[-1][1]:3d} queries")


def main() -> None:
    call_command("migrate", verbosity=0)
    fill_to(ITEMS, add_items)
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    newest = Item.objects.live().order_by("-pk").values_list("pk", flat=True).first()
    print(f"database: {connection.vendor}, {ROUNDS} requests each")
    measure(client, "admin list, first page", LIST)
    measure(client, "admin list, page 1000", f"{LIST}?p=1000")
    measure(client, "admin list, status + year filter", f"{LIST}?status__exact=archive&year=2001")
    measure(client, "admin list, search by title", f"{LIST}?q=climate")
    measure(client, "admin list, search by creator", f"{LIST}?q=Author42")
    measure(client, "public item page", f"/id/eprint/{newest}/")


if __name__ == "__main__":
    main()
