"""Benchmark: a full OAI-PMH harvest (ListRecords, oai_dc) of 10,000 items, cold and warm.

Harvesters walk the whole list page by page; with offset paging the last pages of a large
repository get slower and slower. Keyset paging should make every page cost the same. Pages
are kept rendered in the cache (eprints_app.oai.pages) until anything they show changes, so a
harvest is measured both ways: cold, every page rendered (as after any change to the
repository), and warm, every page kept (a harvest repeated with nothing changed).

This fills a database of its own (SQLite under var/bench-oai.sqlite3 unless BENCH_DATABASE_URL
names another), runs with DEBUG off and the production default, a file cache, in a folder of
its own (var/bench-oai-cache unless CACHE_DIR names another), and harvests through Django's
test client following resumption tokens. It prints records per second of BENCH_HARVESTS cold
and warm harvests, alternately (median and range), then the median latency (and queries) of
the first and the last full page over BENCH_ROUNDS requests each, cold and warm, and last/first.

    python bench/oai_harvest.py                 # 10,000 items on SQLite
    BENCH_ITEMS=50000 python bench/oai_harvest.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_oai python bench/oai_harvest.py
"""

import os
import re
import secrets
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from environment import ROOT, use_bench_database  # bench/environment.py, beside this script

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("CACHE_DIR", str(ROOT / "var" / "bench-oai-cache"))
use_bench_database("bench-oai.sqlite3")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import add_studies, batches, fill_to, timed_get  # noqa: E402

from eprints_app.browse.cache import bump_generation  # noqa: E402
from eprints_app.models import Subject  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "20"))
HARVESTS = int(os.environ.get("BENCH_HARVESTS", "3"))
BATCH = 2000
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")
RECORD = re.compile(rb"<record>")


def add_items(have: int, target: int) -> None:
    """Live items with two creators, a subject and a public document each, changed a second apart."""
    subject, _ = Subject.objects.get_or_create(code="JZ", defaults={"name": "JZ International relations"})
    base = timezone.now() - timedelta(days=400)
    for numbers in batches(have, target, BATCH):
        add_studies(numbers, base, subject.pk, lambda n: "archive" if n % 10 else "deletion", filesize=1000)


def timed(client: Client, params: dict) -> tuple[float, bytes, int]:
    elapsed, queries, response = timed_get(client, "/cgi/oai2", params)
    assert b"<error" not in response.content, response.content[:500]
    return elapsed, response.content, queries


def harvest(client: Client) -> tuple[float, list[dict], list[int]]:
    """Every page of the list, following tokens: records per second, each page's request and
    how many records it held."""
    requests = [{"verb": "ListRecords", "metadataPrefix": "oai_dc"}]
    counts = []
    started = time.perf_counter()
    while True:
        _, content, _ = timed(client, requests[-1])
        counts.append(len(RECORD.findall(content)))
        token = TOKEN.search(content)
        if token is None or not token.group(1):
            break
        requests.append({"verb": "ListRecords", "resumptionToken": token.group(1).decode()})
    return sum(counts) / (time.perf_counter() - started), requests, counts


def harvests(client: Client) -> tuple[list[dict], list[int]]:
    """Cold and warm harvests, alternately so that load on the machine weighs on both alike.

    Cold: the listing generation is moved first, as any change to the repository moves it,
    so that no kept page is used (old ones stay in the cache, as they would). Warm: the same
    harvest again at once, every page kept by the cold one.
    """
    rates: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(HARVESTS):
        bump_generation()
        for label in ("cold", "warm"):
            rate, requests, counts = harvest(client)
            rates[label].append(rate)
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {connection.vendor}; cache: {backend}")
    print(f"full harvest: {sum(counts)} records in {len(requests)} pages; {HARVESTS} harvests each")
    for label, values in rates.items():
        median = statistics.median(values)
        print(f"  {label}  {median:8.0f} records/s   (range {min(values):.0f}-{max(values):.0f})")
    return requests, counts


def compare(client: Client, label: str, first: dict, last: dict, before: Callable[[], None]) -> None:
    """Median latency of the first and the last page, requested alternately so that load on
    the machine weighs on both alike (tokens may be used again); ``before`` runs, untimed,
    before each request."""

    def one(params: dict) -> tuple[float, bytes, int]:
        before()
        return timed(client, params)

    runs = [(one(first), one(last)) for _ in range(ROUNDS)]
    medians = []
    for name, index in (("first page", 0), ("last full page", 1)):
        median = statistics.median(run[index][0] for run in runs)
        _, content, queries = runs[0][index]
        records = len(RECORD.findall(content))
        print(f"  {label} {name:<15} {median:7.1f} ms  {queries:3d} queries  {records} records")
        medians.append(median)
    print(f"  {label} last / first     {medians[1] / medians[0]:7.2f}   (median of {ROUNDS} requests each)")


def main() -> None:
    call_command("migrate", verbosity=0)
    fill_to(ITEMS, add_items)
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/cgi/oai2", {"verb": "Identify"})  # load templates and URLs before timing
    pages, counts = harvests(client)
    # The very last page holds what remains: compare the first with the last full one.
    last = max(n for n, count in enumerate(counts) if count == counts[0])
    print(f"first page and last full page (page {last + 1} of {len(pages)}):")
    compare(client, "cold", pages[0], pages[last], bump_generation)
    for params in (pages[0], pages[last]):
        timed(client, params)  # kept again after the cold requests moved the generation
    compare(client, "warm", pages[0], pages[last], lambda: None)


if __name__ == "__main__":
    main()
