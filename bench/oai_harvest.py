"""Benchmark: a full OAI-PMH harvest (ListRecords, oai_dc) of 10,000 items.

Harvesters walk the whole list page by page; with offset paging the last pages of a large
repository get slower and slower. Keyset paging should make every page cost the same. This
fills a database of its own (SQLite under var/bench-oai.sqlite3 unless BENCH_DATABASE_URL
names another), harvests it through Django's test client following resumption tokens, and
prints records per second, then the median latency (and queries) of the first and the last
page over BENCH_ROUNDS requests each.

    python bench/oai_harvest.py                 # 10,000 items on SQLite
    BENCH_ITEMS=50000 python bench/oai_harvest.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_oai python bench/oai_harvest.py
"""

import os
import re
import statistics
import time
from datetime import timedelta

from environment import use_bench_database  # bench/environment.py, beside this script

use_bench_database("bench-oai.sqlite3")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from eprints_app.models import Creator, Document, Item, Subject  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
BATCH = 2000
WORDS = ["policy", "trade", "climate", "security", "health", "migration", "finance", "energy"]
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")
RECORD = re.compile(rb"<record>")


def fill(target: int) -> None:
    """Live items with two creators, a subject and a public document each, changed a second apart."""
    have = Item.objects.count()
    if have >= target:
        print(f"{have} items ready")
        return
    started = time.perf_counter()
    subject, _ = Subject.objects.get_or_create(code="JZ", defaults={"name": "JZ International relations"})
    base = timezone.now() - timedelta(days=400)
    while have < target:
        size = min(BATCH, target - have)
        items = Item.objects.bulk_create(
            Item(
                type="article",
                title=f"{WORDS[n % 8].title()} and {WORDS[(n // 8) % 8]}: study {n}",
                abstract="An abstract of a few sentences about the study. " * 8,
                date=str(1990 + n % 35),
                publication="Journal of Benchmarks",
                volume=str(n % 40),
                refereed=bool(n % 2),
                status="archive" if n % 10 else "deletion",
                date_deposited=base,
                last_modified=base + timedelta(seconds=n),
                rev_number=1,
            )
            for n in range(have, have + size)
        )
        if connection.vendor == "sqlite":
            items = list(Item.objects.order_by("-pk")[:size])
        Creator.objects.bulk_create(
            Creator(item=item, position=p, family=f"Author{(item.pk + p) % 997}", given="Bench")
            for item in items
            for p in range(2)
        )
        Document.objects.bulk_create(
            Document(
                item=item,
                pos=1,
                file=f"bench/{item.pk}/paper.pdf",
                filename="paper.pdf",
                mime_type="application/pdf",
                filesize=1000,
            )
            for item in items
        )
        Item.subjects.through.objects.bulk_create(
            Item.subjects.through(item_id=item.pk, subject_id=subject.pk) for item in items
        )
        have += size
    print(f"{have} items ready ({time.perf_counter() - started:.1f} s to fill)")


def timed(client: Client, params: dict) -> tuple[float, bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/cgi/oai2", params)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200 and b"<error" not in response.content, response.content[:500]
    return elapsed, response.content, len(queries)


def harvest(client: Client) -> list[dict]:
    """Every page of the list, following tokens; returns each page's request."""
    requests = [{"verb": "ListRecords", "metadataPrefix": "oai_dc"}]
    records = 0
    started = time.perf_counter()
    while True:
        _, content, _ = timed(client, requests[-1])
        records += len(RECORD.findall(content))
        token = TOKEN.search(content)
        if token is None or not token.group(1):
            break
        requests.append({"verb": "ListRecords", "resumptionToken": token.group(1).decode()})
    total = time.perf_counter() - started
    print(f"database: {connection.vendor}; {records} records in {len(requests)} pages")
    print(f"full harvest         {total:7.2f} s   {records / total:8.0f} records/s")
    return requests


def compare(client: Client, first: dict, last: dict) -> None:
    """Median latency of the first and the last page, requested alternately so that load on
    the machine weighs on both alike (tokens may be used again)."""
    runs = [(timed(client, first), timed(client, last)) for _ in range(ROUNDS)]
    medians = []
    for label, index in (("first page", 0), ("last page", 1)):
        median = statistics.median(run[index][0] for run in runs)
        _, content, queries = runs[0][index]
        print(f"{label:<20} {median:7.1f} ms  {queries:3d} queries  {len(RECORD.findall(content))} records")
        medians.append(median)
    print(f"last / first         {medians[1] / medians[0]:7.2f}   (median of {ROUNDS} requests each)")


def main() -> None:
    call_command("migrate", verbosity=0)
    fill(ITEMS)
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/cgi/oai2", {"verb": "Identify"})  # load templates and URLs before timing
    pages = harvest(client)
    compare(client, pages[0], pages[-1])


if __name__ == "__main__":
    main()
