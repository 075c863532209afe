"""Benchmark: public reads over HTTP, against the framework's floor.

The issue asks that public reads cost little more than Django itself does. This prepares a
database of its own (SQLite under var/bench-http.sqlite3, files under var/bench-http-media,
unless BENCH_DATABASE_URL names another database): the demo data with the seed item 114516 and
its PDF, plus BENCH_ITEMS live items with creators, a subject and a small public PDF each, and
the search index. It then starts the site as `make serve` does (gunicorn repository.wsgi, DEBUG
off, WEB_CONCURRENCY workers; no access log) and, beside it under the same gunicorn settings, a
trivial Django site with no apps and no middleware whose one view answers "ok" (bench/trivial/).

It loads each with the same BENCH_CONNECTIONS connections for BENCH_SECONDS after a warm-up,
with wrk when it is installed, else with threads of http.client, and prints for each read its
requests per second and the ratio to the trivial view measured in the same run; the first
request after a restart (new processes, empty cache) against the warm one; the item page's
latency on one connection (p50, p95, as the client sees it, nothing subtracted); a full OAI-PMH
harvest over HTTP (records per second, last page time / first page time); the memory of each
gunicorn worker after the run; and which targets were met. It exits 0 whatever the figures.

    make bench-http
    python bench/http.py
    BENCH_SECONDS=10 BENCH_ITEMS=5000 WEB_CONCURRENCY=4 python bench/http.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_http python bench/http.py
"""

import sys

# This file is bench/http.py and Python puts its folder first on the path: move the folder to the
# end, so that `import http` (here and in Django) finds the standard library's, not this file.
sys.path.append(sys.path.pop(0))

import hashlib  # noqa: E402
import http.client  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import quote  # noqa: E402

from environment import ROOT, use_bench_database  # bench/environment.py, beside this script

os.environ["MEDIA_ROOT"] = os.environ.get("BENCH_MEDIA_ROOT") or str(ROOT / "var" / "bench-http-media")
use_bench_database("bench-http.sqlite3")

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from support import JOURNAL, add_studies, analyze, batches, p95  # noqa: E402

from eprints_app.exports import get_format  # noqa: E402
from eprints_app.models import Document, Item  # noqa: E402
from eprints_app.services.demo_pdf import make_pdf  # noqa: E402

ITEMS = int(os.environ.get("BENCH_ITEMS", "1000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))  # one connection, for p50 / p95
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))  # OAI first and last page, alternately
WORKERS = os.environ.get("WEB_CONCURRENCY") or "2"
THREADS = os.environ.get("BENCH_THREADS") or os.environ.get("GUNICORN_THREADS") or "4"  # gunicorn.conf.py's
HOST = "127.0.0.1"
SEED = 114516
BATCH = 1000
VAR = ROOT / "var"
CACHE_DIR = VAR / "bench-http-cache"
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
WRK = shutil.which("wrk")
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")
RECORD = re.compile(rb"<record>")
HITS = re.compile(rb"Displaying results \d+ to \d+ of (\d+)")

# (what, met) for the summary at the end.
TARGETS: list[tuple[str, bool]] = []


def check(label: str, met: bool) -> str:
    TARGETS.append((label, met))
    return "met" if met else "MISSED"


# Preparing the database.


def fill(target: int) -> int:
    """Live items with two creators, the seed's subject and a small public PDF each; returns
    how many were added."""
    have = Item.objects.filter(publication=JOURNAL).count()
    if have >= target:
        return 0
    subject = Item.objects.get(pk=SEED).subjects.first()
    pdf = make_pdf("A benchmark paper", ["Bench, A."], "A small public PDF for the benchmark.", pages=1)
    sha256 = hashlib.sha256(pdf).hexdigest()
    base = timezone.now() - timedelta(days=400)
    for numbers in batches(have, target, BATCH):
        documents = add_studies(
            numbers, base, subject.pk, lambda n: "archive", filesize=len(pdf), sha256=sha256
        )
        for document in documents:
            if not default_storage.exists(document.file.name):
                default_storage.save(document.file.name, ContentFile(pdf))
    return target - have


def prepare() -> None:
    """Migrate, the demo data (seed and PDF), the extra items, the search index."""
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())  # reindexes what is there
    if fill(ITEMS):
        call_command("reindex_search", verbosity=0)
    analyze()
    live = Item.objects.live().count()
    print(f"database ready: {live} live items ({time.perf_counter() - started:.1f} s)")


def collectstatic() -> None:
    """As `make serve` does: production's static files storage needs its manifest."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=site_env(),
        check=True,
    )


# The servers.


def site_env() -> dict:
    """The production settings of `make serve`, on the bench database, files and cache."""
    return dict(os.environ, DEBUG="0", SECRET_KEY=SECRET_KEY, CACHE_DIR=str(CACHE_DIR))


def trivial_env() -> dict:
    """The trivial site, which also sends the seed's PDF (bench/trivial/urls.py)."""
    document = Document.objects.filter(item_id=SEED).order_by("pos").first()
    return dict(
        os.environ, DEBUG="0", DJANGO_SETTINGS_MODULE="bench.trivial.settings", BENCH_FILE=document.file.path
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn of its own on a free port: the command of `make serve`, without access log."""

    def __init__(self, name: str, module: str, env: dict) -> None:
        self.name, self.module, self.env = name, module, env
        self.log = VAR / f"bench-http-{name}.log"
        self.process: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> "Server":
        self.port = free_port()
        command = [sys.executable, "-m", "gunicorn", self.module, "--config", "bench/gunicorn_ready.py"]
        command += ["--bind", f"{HOST}:{self.port}", "--workers", WORKERS, "--threads", THREADS]
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 120) -> None:
        """Until every worker has loaded the site (bench/gunicorn_ready.py logs it)."""
        deadline = time.monotonic() + timeout
        while self.log.read_text().count("Worker ready") < int(WORKERS):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn ({self.name}) did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=60)

    def workers(self) -> list[int]:
        """The master's children: pids whose parent it is."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# Requests and load.


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, float]:
    """Status, body and milliseconds of one GET (the connection reconnects when closed)."""
    started = time.perf_counter()
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return response.status, body, (time.perf_counter() - started) * 1000


def latencies(server: Server, path: str, count: int) -> list[float]:
    conn = server.connection()
    times = []
    for _ in range(count):
        status, _, ms = get(conn, path)
        assert status == 200, (path, status)
        times.append(ms)
    conn.close()
    return sorted(times)


def wrk_load(server: Server, path: str, seconds: int) -> tuple[float, int]:
    """Requests per second and failed requests, measured by wrk."""
    threads = min(CONNECTIONS, os.cpu_count() or 1)
    url = f"http://{HOST}:{server.port}{path}"
    command = [WRK, f"-t{threads}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failed = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if errors:
        failed += sum(int(n) for n in errors.groups())
    return rate, failed


def python_load(server: Server, path: str, seconds: int) -> tuple[float, int]:
    """Requests per second and failed requests: one thread per connection, with http.client."""
    done, failed = [0] * CONNECTIONS, [0] * CONNECTIONS
    deadline = time.perf_counter() + seconds

    def run(index: int) -> None:
        conn = server.connection()
        while time.perf_counter() < deadline:
            try:
                status, _, _ = get(conn, path)
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            if status == 200:
                done[index] += 1
            else:
                failed[index] += 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(n,)) for n in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started), sum(failed)


def throughput(server: Server, path: str) -> float:
    """Requests per second under load, after a one-second warm-up."""
    load = wrk_load if WRK else python_load
    load(server, path, 1)
    rate, failed = load(server, path, SECONDS)
    if failed:
        print(f"  ! {failed} failed requests on {path}")
    return rate


# What is measured.


def reads() -> list[tuple[str, str, float]]:
    """(label, path, target ratio to the trivial view) of each public read."""
    item = Item.objects.get(pk=SEED)
    document = Document.objects.filter(item=item).order_by("pos").first()
    return [
        ("item page", item.get_absolute_url(), 0.5),
        ("PDF download", document.get_absolute_url(), 0.5),
        ("BibTeX export", get_format("BibTeX").url(item), 0.5),
        ("search, one hit", "/cgi/search/simple?q=soft+power", 0.25),
        ("search, many hits", "/cgi/search/simple?q=policy", 0.25),
        ("browse, year 2021", reverse("browse_year", kwargs={"year": "2021"}), 0.25),
    ]


def cold_start(server: Server, path: str) -> float:
    """Milliseconds of the first request after a restart, the cache emptied."""
    shutil.rmtree(CACHE_DIR, ignore_errors=True)
    server.start()
    try:
        conn = server.connection()
        status, _, ms = get(conn, path)
        conn.close()
        assert status == 200, (path, status)
        return ms
    finally:
        server.stop()


def compare_reads(site: Server, trivial: Server, paths: list[tuple[str, str, float]]) -> None:
    """Each read's throughput against the trivial view's, then cold against warm. The trivial
    view is loaded before the first read and after each, and each read is compared with the
    mean of the two beside it, so that other load on the machine weighs on both alike."""
    colds = {path: cold_start(site, path) for _, path, _ in paths}
    trivial_cold = cold_start(trivial, "/")
    site.start()
    trivial.start()
    floors = [throughput(trivial, "/")]
    rows = []
    for label, path, goal in paths:
        conn = site.connection()
        status, body, _ = get(conn, path)
        conn.close()
        hits = HITS.search(body)
        if hits:
            label = f"{label} ({int(hits.group(1))} found)"
        rate = throughput(site, path)
        floors.append(throughput(trivial, "/"))
        rows.append((label, path, goal, status, len(body), rate, (floors[-2] + floors[-1]) / 2))
    print(f"\n{CONNECTIONS} connections, {SECONDS} s each after 1 s warm-up; the trivial view loaded")
    print(f"before the first read and after each ({', '.join(f'{floor:.0f}' for floor in floors)} req/s);")
    print("each read's floor is the mean of the two beside it")
    print(f"\n{'read':<30}{'req/s':>7}{'floor':>7}{'ratio':>7}  {'target':<13}", end="")
    print(f"{'cold 1st':>11}{'warm p50':>12}{'body':>11}")
    floor = statistics.median(floors)
    print(f"{'trivial view (median)':<30}{floor:7.0f}{floor:7.0f}{1:7.2f}{'':<15}", end="")
    print(f"{trivial_cold:8.1f} ms{statistics.median(latencies(trivial, '/', 20)):9.1f} ms")
    for label, path, goal, status, size, rate, floor in rows:
        ratio = rate / floor
        verdict = check(f"{label} >= {goal}x trivial ({ratio:.2f}x)", ratio >= goal)
        warm = statistics.median(latencies(site, path, 20))
        print(f"{label:<30}{rate:7.0f}{floor:7.0f}{ratio:7.2f}  >={goal:<4} {verdict:<6}", end="")
        print(f"{colds[path]:8.1f} ms{warm:9.1f} ms{size / 1024:8.1f} kB  {path}", end="")
        print("" if status == 200 else f" (status {status})")
    # Sending a 270 kB file costs more than sending "ok" whatever the code: the trivial site's
    # FileResponse of the same PDF is the floor for that.
    file_rate = throughput(trivial, "/file")
    download = next(rate for label, _, _, _, _, rate, _ in rows if label.startswith("PDF download"))
    print(f"\nthe same PDF sent by the trivial site (FileResponse, no middleware): {file_rate:.0f} req/s;")
    print(f"  the PDF download is {download / file_rate:.2f}x that")


def item_latency(site: Server, path: str) -> None:
    latencies(site, path, 20)  # warm-up
    times = latencies(site, path, REQUESTS)
    p50 = statistics.median(times)
    verdict = check(f"item page p50 < 2 ms on one connection ({p50:.2f} ms)", p50 < 2)
    print(f"\nitem page, one connection, {REQUESTS} requests after 20 warm-up: ", end="")
    print(f"p50 {p50:.2f} ms  p95 {p95(times):.2f} ms   target p50 < 2 ms: {verdict}")
    print("  (client-side, nothing subtracted; gunicorn's sync workers close the connection after")
    print("   each response, so every request includes a local TCP connect)")


def harvest(conn) -> tuple[list[str], list[int], float]:
    """A full ListRecords harvest following tokens: its pages, their record counts, seconds."""
    pages = ["/cgi/oai2?verb=ListRecords&metadataPrefix=oai_dc"]
    counts = []
    started = time.perf_counter()
    while True:
        status, body, _ = get(conn, pages[-1])
        assert status == 200 and b"<error" not in body, body[:500]
        counts.append(len(RECORD.findall(body)))
        token = TOKEN.search(body)
        if token is None or not token.group(1):
            return pages, counts, time.perf_counter() - started
        pages.append(f"/cgi/oai2?verb=ListRecords&resumptionToken={quote(token.group(1).decode())}")


def oai_harvest(site: Server) -> None:
    """A full harvest with no page kept yet, the same again (each page kept), then the first and
    the last page alternately."""
    conn = site.connection()
    get(conn, "/cgi/oai2?verb=Identify")
    for kind in ("first harvest (no page kept)", "second harvest (pages kept)"):
        pages, counts, total = harvest(conn)
        records, rate = sum(counts), sum(counts) / total
        print(f"\nOAI-PMH {kind}, over HTTP (oai_dc): {records} records in {len(pages)} pages, {total:.2f} s")
        verdict = check(f"OAI {kind}: {rate:.0f} records/s >= 3000", rate >= 3000)
        print(f"  {rate:.0f} records/s   target >= 3000: {verdict}")
    # The very last page holds what remains: compare the first with the last full one.
    last = max(n for n, count in enumerate(counts) if count == counts[0])
    runs = [(get(conn, pages[0])[2], get(conn, pages[last])[2]) for _ in range(ROUNDS)]
    first_ms, last_ms = (statistics.median(run[n] for run in runs) for n in (0, 1))
    ratio = last_ms / first_ms
    print(f"  first page {first_ms:.1f} ms, last full page (page {last + 1}) {last_ms:.1f} ms", end="")
    print(f", {counts[0]} records each, median of {ROUNDS} each")
    verdict = check(f"OAI last page / first page {ratio:.2f} <= 1.2", ratio <= 1.2)
    print(f"  last / first {ratio:.2f}   target <= 1.2: {verdict}")
    conn.close()


def memory(site: Server, trivial: Server) -> None:
    print("\nmemory per gunicorn worker after the run (VmRSS):")
    for server in (site, trivial):
        sizes = [rss_mb(pid) for pid in server.workers()]
        print(f"  {server.name:<8} " + ", ".join(f"{size:.1f} MB" for size in sizes))
    worst = max(rss_mb(pid) for pid in site.workers())
    print(f"  target <= 80 MB per site worker: {check(f'worker RSS {worst:.1f} MB <= 80 MB', worst <= 80)}")


def describe_machine() -> None:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    print(f"machine: {cpu}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"database: PostgreSQL {version}, {database['NAME']} on {database.get('HOST') or 'socket'}")
    else:
        print(f"database: SQLite, {database['NAME']}")
    tool = "wrk" if WRK else "Python threads with http.client (wrk is not installed)"
    print(f"gunicorn: {WORKERS} workers, {THREADS} thread(s) each; load from {tool}")


def summary() -> None:
    met = sum(1 for _, ok in TARGETS if ok)
    print(f"\ntargets: {met} met, {len(TARGETS) - met} missed")
    for label, ok in TARGETS:
        print(f"  {'met   ' if ok else 'MISSED'}  {label}")


def main() -> None:
    prepare()
    describe_machine()
    collectstatic()
    paths = reads()
    site = Server("site", "repository.wsgi", site_env())
    trivial = Server("trivial", "bench.trivial.wsgi", trivial_env())
    try:
        compare_reads(site, trivial, paths)
        item_latency(site, paths[0][1])
        oai_harvest(site)
        memory(site, trivial)
    finally:
        site.stop()
        trivial.stop()
    summary()


if __name__ == "__main__":
    main()
