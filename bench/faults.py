"""Benchmark: a mixed load, then the same with the database cut off for a few seconds.

The issue asks that a PostgreSQL restart in the middle of a load run make requests fail cleanly
(503 with Retry-After, never a server error) for a few seconds at most, that the site recover by
itself, and that a deposit in flight either complete or leave nothing behind.

This prepares the database of bench/http.py (its helpers, imported: the demo data, BENCH_ITEMS
live items with a public PDF each, the search index) on PostgreSQL, which it needs: by default
eprints_bench_faults on 127.0.0.1:5432, created when missing (BENCH_DATABASE_URL names another).
It starts the site as `make serve` does (gunicorn, DEBUG off, WEB_CONCURRENCY workers) with its
database connections going through a TCP proxy (tests/outage_support.py), and loads it with
BENCH_CONNECTIONS connections for BENCH_SECONDS, each asking for item pages, downloads, searches,
browse pages, OAI-PMH pages and exports at random, while one more signs in to the admin and
deposits an item with a PDF every DEPOSIT_SECONDS. Twice: first as it is (no errors expected;
p50 and p99 printed), then with the proxy cut for BENCH_CUT_SECONDS in the middle, as a restart
would: every connection dropped, new ones refused. For that run it prints the 503s with
Retry-After, any other error, and how soon after the database was back new requests all
succeeded. After each run it checks that every document row's file is stored and every stored
document file has its row. It exits 0 whatever the figures.

    make bench-faults
    BENCH_SECONDS=20 python bench/faults.py
"""

import sys

# As in bench/http.py: this folder goes last, so that `import http` (here, in Django and in
# bench/http.py itself once imported) finds the standard library's, not that file.
sys.path.append(sys.path.pop(0))

import http.client  # noqa: E402
import os  # noqa: E402
from pathlib import Path  # noqa: E402

import psycopg  # noqa: E402
from environment import ROOT  # noqa: E402  (bench/environment.py, beside this script)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/eprints_bench_faults"


def bench_database() -> str:
    """BENCH_DATABASE_URL or the default, which is created when missing; PostgreSQL only."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"bench/faults.py cuts off a PostgreSQL server: BENCH_DATABASE_URL={url} is not one.")
    if url == DEFAULT_DATABASE:
        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                connection.execute(f'CREATE DATABASE "{name}"')
    return url


os.environ["BENCH_DATABASE_URL"] = bench_database()
os.environ["BENCH_MEDIA_ROOT"] = os.environ.get("BENCH_MEDIA_ROOT") or str(
    ROOT / "var" / "bench-faults-media"
)
sys.path.insert(0, str(ROOT))
import random  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from bench import http as site  # noqa: E402  (first of ours: it points Django at the above, starts it)
from eprints_app.enums import ItemStatus, ItemType  # noqa: E402
from eprints_app.exports import get_format  # noqa: E402
from eprints_app.models import Document, Item  # noqa: E402
from eprints_app.services.demo_pdf import make_pdf  # noqa: E402
from tests.form_data import ADD_URL, form_values  # noqa: E402
from tests.outage_support import TcpProxy  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
CUT_SECONDS = float(os.environ.get("BENCH_CUT_SECONDS", "3"))
DEPOSIT_SECONDS = float(os.environ.get("DEPOSIT_SECONDS", "2"))
WARM_UP_SECONDS = 2
CACHE_DIR = site.VAR / "bench-faults-cache"
USER = "bench-faults"
PASSWORD = secrets.token_urlsafe(16)
DEPOSIT_TITLE = "Deposited under load"
# How often each kind of request is made, out of the sum.
WEIGHTS = {"item page": 30, "download": 15, "search": 15, "browse": 10, "OAI-PMH": 15, "export": 15}


@dataclass(frozen=True)
class Answer:
    kind: str
    status: int  # 0: no answer (the connection failed)
    retry_after: bool
    started: float
    ended: float

    @property
    def ms(self) -> float:
        return (self.ended - self.started) * 1000


# What is asked for.


def paths() -> dict[str, list[str]]:
    """Addresses of each kind of request, from the live items."""
    items = list(Item.objects.live().order_by("pk"))
    documents = Document.objects.open_access().select_related("item").order_by("item_id", "pos")
    words = ["policy", "trade", "climate", "security", "health", "migration", "finance", "energy"]
    formats = [get_format(name) for name in ("BibTeX", "RIS", "DC", "CSL-JSON")]
    oai = "/cgi/oai2?verb={}&metadataPrefix=oai_dc"
    return {
        "item page": [item.get_absolute_url() for item in items],
        "download": [document.get_absolute_url() for document in documents],
        "search": [f"/cgi/search/simple?q={a}+{b}" for a in words for b in words if a != b]
        + [f"/cgi/search/simple?q={word}&page=2" for word in words],
        "browse": ["/view/", "/view/year/", *(f"/view/year/{year}.html" for year in range(1990, 2025))],
        "OAI-PMH": [oai.format("ListRecords"), oai.format("ListIdentifiers"), "/cgi/oai2?verb=Identify"]
        + [
            oai.format("GetRecord") + f"&identifier=oai:{settings.REPOSITORY_ID}:{item.pk}"
            for item in items[:: max(1, len(items) // 200)]
        ],
        "export": [fmt.url(item) for item in items[:: max(1, len(items) // 200)] for fmt in formats],
    }


def fetch(conn: http.client.HTTPConnection, kind: str, path: str) -> Answer:
    started = time.monotonic()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        status, retry_after = response.status, response.getheader("Retry-After") is not None
    except (OSError, http.client.HTTPException):
        conn.close()
        status, retry_after = 0, False
    return Answer(kind, status, retry_after, started, time.monotonic())


class Depositor:
    """A signed-in editor depositing a live item with a one-page PDF through the admin's add
    form, as a browser would post it."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.pdf = make_pdf(
            DEPOSIT_TITLE, ["Bench, D."], "A PDF deposited while the site is loaded.", pages=1
        )

    def sign_in(self) -> None:
        login = f"{self.base}/{settings.ADMIN_URL}login/"
        self.session.get(login, timeout=30)
        token = self.session.cookies["csrftoken"]
        data = {"username": USER, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"}
        response = self.session.post(login, data=data, timeout=30, allow_redirects=False)
        assert response.status_code == 302, f"signing in answered {response.status_code}"

    def deposit(self, number: int) -> Answer:
        started = time.monotonic()
        try:
            form = self.session.get(self.base + ADD_URL, timeout=60)
            if form.status_code != 200:
                return Answer(
                    "deposit", form.status_code, "Retry-After" in form.headers, started, time.monotonic()
                )
            data = form_values(form)
            data.update(
                {
                    "type": ItemType.MONOGRAPH,
                    "monograph_type": "report",
                    "title": f"{DEPOSIT_TITLE} {number}",
                    "date": "2025",
                    "publisher": "Bench Press",
                    "status": ItemStatus.ARCHIVE,
                    "creators-0-family": "Bench",
                    "creators-0-given": "Dora",
                    "documents-0-content": "published",
                    "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
                }
            )
            files = {"documents-0-file": (f"deposit-{number}.pdf", self.pdf, "application/pdf")}
            response = self.session.post(
                self.base + ADD_URL, data=data, files=files, timeout=60, allow_redirects=False
            )
            # The admin answers a saved item with a redirect, a refused form with the form again,
            # which is counted as an error (422).
            status = 422 if response.status_code == 200 else response.status_code
            return Answer("deposit", status, "Retry-After" in response.headers, started, time.monotonic())
        except requests.RequestException:
            return Answer("deposit", 0, False, started, time.monotonic())


def load(base: str, seconds: float, addresses: dict[str, list[str]], during=None) -> list[Answer]:
    """CONNECTIONS readers and one depositor for ``seconds``; ``during(started)`` runs beside them."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
    answers: list[list[Answer]] = [[] for _ in range(CONNECTIONS + 1)]
    deadline = time.monotonic() + seconds

    def read(index: int) -> None:
        chooser = random.Random(index)
        conn = http.client.HTTPConnection(host, port, timeout=60)
        while time.monotonic() < deadline:
            kind = chooser.choices(kinds, weights)[0]
            answers[index].append(fetch(conn, kind, chooser.choice(addresses[kind])))
        conn.close()

    def deposit() -> None:
        depositor = Depositor(base)
        depositor.sign_in()
        number = 0
        while time.monotonic() < deadline:
            number += 1
            answers[CONNECTIONS].append(depositor.deposit(number))
            time.sleep(max(0.0, DEPOSIT_SECONDS - answers[CONNECTIONS][-1].ms / 1000))

    threads = [threading.Thread(target=read, args=(n,)) for n in range(CONNECTIONS)]
    threads.append(threading.Thread(target=deposit))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if during:
        during(started)
    for thread in threads:
        thread.join()
    return [answer for each in answers for answer in each]


# What is printed.


def percentile(times: list[float], fraction: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


def is_error(answer: Answer) -> bool:
    return not 200 <= answer.status < 400


def table(answers: list[Answer], seconds: float) -> None:
    print(f"  {'request':<12}{'count':>8}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for kind in [*WEIGHTS, "deposit", "all"]:
        mine = [a for a in answers if kind in (a.kind, "all")]
        if not mine:
            continue
        times = [a.ms for a in mine]
        statuses = ", ".join(
            f"{status or 'no answer'}: {n}" for status, n in sorted(Counter(a.status for a in mine).items())
        )
        print(f"  {kind:<12}{len(mine):>8}{len(mine) / seconds:>8.0f}", end="")
        print(f"{percentile(times, 0.5):>9.1f}{percentile(times, 0.99):>9.1f}  {statuses}")


def steady(base: str, addresses: dict[str, list[str]]) -> None:
    print(f"\n1. {CONNECTIONS} connections reading and one depositing, {SECONDS:.0f} s")
    answers = load(base, SECONDS, addresses)
    table(answers, SECONDS)
    errors = sum(1 for a in answers if is_error(a))
    print(f"  errors: {errors}   target 0: {site.check(f'no errors under load ({errors})', errors == 0)}")


def outage(base: str, proxy: TcpProxy, addresses: dict[str, list[str]]) -> None:
    cut_at = (SECONDS - CUT_SECONDS) / 2
    times: dict[str, float] = {}

    def cut_and_restore(started: float) -> None:
        time.sleep(max(0.0, started + cut_at - time.monotonic()))
        times["cut"] = time.monotonic()
        proxy.cut()
        time.sleep(CUT_SECONDS)
        proxy.restore()
        times["restored"] = time.monotonic()

    print(f"\n2. the same, the database cut off for {CUT_SECONDS:.0f} s from {cut_at:.1f} s")
    answers = load(base, SECONDS, addresses, during=cut_and_restore)
    table(answers, SECONDS)
    cut, restored = times["cut"], times["restored"]
    unavailable = [a for a in answers if a.status == 503]
    with_retry = sum(1 for a in unavailable if a.retry_after)
    others = Counter(a.status or "no answer" for a in answers if is_error(a) and a.status != 503)
    print(f"  503 with Retry-After: {with_retry}, without: {len(unavailable) - with_retry}; ", end="")
    print(f"other errors: {sum(others.values())} {dict(others) or ''}")
    clean = len(unavailable) == with_retry and not others
    site.check(f"only 503s with Retry-After during the outage ({len(unavailable)})", clean)
    if unavailable:
        first = min(a.ended for a in unavailable) - cut
        last = max(a.ended for a in unavailable) - restored
        print(f"  first 503 answered {first:.2f} s after the cut, the last {last:.2f} s after the restore")
    sent = [a for a in answers if cut <= a.started < restored]
    served = sum(1 for a in sent if a.status == 200)
    print(f"  requests sent while cut off: {len(sent)}, of which {served} answered 200 (kept pages)")
    print("  answers a second, from 2 s before the cut (503s in brackets):")
    print("   ", timeline(answers, cut - 2, restored + 5))
    longest = max((a.ms for a in sent), default=0)
    print(f"  longest answer to a request sent while cut off: {longest / 1000:.2f} s")
    failed_after = [a.started - restored for a in answers if is_error(a) and a.started >= restored]
    recovery = max(failed_after, default=0.0)
    print(f"  time to recover: every request sent {recovery:.2f} s or more after the restore succeeded")
    site.check(f"recovered within 5 s of the database's return ({recovery:.2f} s)", recovery <= 5)
    deposits = Counter(a.status for a in answers if a.kind == "deposit")
    print(f"  deposits: {deposits[302]} saved, {deposits[503]} refused with 503, ", end="")
    print(f"{sum(n for status, n in deposits.items() if status not in (302, 503))} other")


def timeline(answers: list[Answer], start: float, end: float) -> str:
    seconds = range(int(end - start))
    ok = Counter(int(a.ended - start) for a in answers if start <= a.ended < end and a.status != 503)
    unavailable = Counter(int(a.ended - start) for a in answers if start <= a.ended < end and a.status == 503)
    return " ".join(f"{ok[n]}" + (f"({unavailable[n]})" if unavailable[n] else "") for n in seconds)


def consistency() -> tuple[set[str], set[str]]:
    """Document rows whose file is not stored, and stored document files without a row."""
    media = Path(settings.MEDIA_ROOT)
    rows = set(Document.objects.values_list("file", flat=True))
    # Uploads go under documents/ (``document_upload_to``).
    stored = {str(path.relative_to(media)) for path in (media / "documents").rglob("*") if path.is_file()}
    return {name for name in rows if not (media / name).is_file()}, stored - rows


def check_consistency(before: tuple[set[str], set[str]], when: str) -> None:
    missing, orphans = (now - then for now, then in zip(consistency(), before, strict=True))
    print(f"  after {when}: {len(missing)} rows without their file, {len(orphans)} files without their row")
    for name in sorted(missing | orphans)[:10]:
        print(f"    {name}")
    site.check(f"deposits atomic after {when} ({len(missing)} + {len(orphans)})", not missing and not orphans)


def main() -> None:
    site.prepare()
    site.collectstatic()
    user, _ = get_user_model().objects.get_or_create(username=USER)
    user.is_staff = user.is_superuser = True
    user.set_password(PASSWORD)
    user.save()
    addresses = paths()
    before = consistency()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    database = settings.DATABASES["default"]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"database: PostgreSQL {version}, {database['NAME']}, through a proxy that can be cut")
    print(f"gunicorn: {site.WORKERS} workers, {site.THREADS} thread(s) each, DEBUG off")

    proxy = TcpProxy(int(database["PORT"] or 5432), database["HOST"] or "127.0.0.1").start()
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    proxied = f"postgres://{database['USER']}@127.0.0.1:{proxy.port}/{database['NAME']}"
    server = site.Server(
        "faults", "repository.wsgi", dict(site.site_env(), DATABASE_URL=proxied, CACHE_DIR=str(CACHE_DIR))
    )
    server.start()
    base = f"http://{site.HOST}:{server.port}"
    try:
        load(base, WARM_UP_SECONDS, addresses)
        steady(base, addresses)
        check_consistency(before, "the first run")
        outage(base, proxy, addresses)
        check_consistency(before, "the outage")
    finally:
        server.stop()
        proxy.stop()
    site.summary()


if __name__ == "__main__":
    main()
