"""Benchmark: what counting usage statistics costs the two reads it counts.

Issue #15 asks that counting not slow reads: the item page and a download with counting on
must keep at least 0.9 of their throughput with it off. This uses bench/http.py's database
(SQLite under var/bench-http.sqlite3, or BENCH_DATABASE_URL), its production command
(gunicorn, DEBUG off, WEB_CONCURRENCY workers) and its warm-up, and loads the seed's item page
and its PDF with BENCH_CONNECTIONS connections for BENCH_SECONDS, as a browser (a reader's user
agent, which the robots list lets through), once with USAGE_STATISTICS=0 and once with it on,
twice over in turn. It prints the requests per second of each, the ratio on/off, and how many
events the counted runs wrote (every request counts: the kept answers are counted too). It
exits 0 whatever the figures.

    make bench-stats
    BENCH_SECONDS=10 python bench/stats_overhead.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/eprints_bench_http python bench/stats_overhead.py
"""

import importlib.util
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

# bench/http.py (its database, servers and settings), loaded under another name: "http" is the
# standard library's.
spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
bench_http = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench_http)

from eprints_app.models import Document, Item, UsageEvent  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
ROUNDS = 2
GOAL = 0.9


def load(server, path: str) -> float:
    """Requests per second as a browser, after a one-second warm-up (wrk, else threads)."""
    if bench_http.WRK:
        url = f"http://{bench_http.HOST}:{server.port}{path}"
        threads = min(bench_http.CONNECTIONS, os.cpu_count() or 1)

        def run(seconds: int) -> float:
            command = [bench_http.WRK, f"-t{threads}", f"-c{bench_http.CONNECTIONS}", f"-d{seconds}s"]
            command += ["--timeout", "30s", "-H", f"User-Agent: {BROWSER}", url]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    else:

        def run(seconds: int) -> float:
            done = [0] * bench_http.CONNECTIONS
            deadline = time.perf_counter() + seconds

            def connection(index: int) -> None:
                conn = server.connection()
                while time.perf_counter() < deadline:
                    conn.request("GET", path, headers={"User-Agent": BROWSER})
                    response = conn.getresponse()
                    response.read()
                    done[index] += response.status == 200
                conn.close()

            started = time.perf_counter()
            workers = [threading.Thread(target=connection, args=(n,)) for n in range(bench_http.CONNECTIONS)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            return sum(done) / (time.perf_counter() - started)

    run(1)
    return run(bench_http.SECONDS)


def measure(counting: bool, paths: dict[str, str]) -> dict[str, float]:
    env = dict(bench_http.site_env(), USAGE_STATISTICS="1" if counting else "0")
    server = bench_http.Server("stats-on" if counting else "stats-off", "repository.wsgi", env).start()
    try:
        return {label: load(server, path) for label, path in paths.items()}
    finally:
        server.stop()  # workers write the events they still hold as they exit


def main() -> None:
    bench_http.prepare()
    bench_http.collectstatic()
    item = Item.objects.get(pk=bench_http.SEED)
    document = Document.objects.filter(item=item).order_by("pos").first()
    paths = {"item page": item.get_absolute_url(), "PDF download": document.get_absolute_url()}
    print(f"{bench_http.WORKERS} workers, {bench_http.CONNECTIONS} connections, {bench_http.SECONDS} s a run")
    rates: dict[bool, dict[str, list[float]]] = {False: {}, True: {}}
    before = UsageEvent.objects.count()
    for _ in range(ROUNDS):
        for counting in (False, True):
            for label, rate in measure(counting, paths).items():
                rates[counting].setdefault(label, []).append(rate)
    written = UsageEvent.objects.count() - before
    for label in paths:
        off, on = (sum(rates[state][label]) / ROUNDS for state in (False, True))
        ratio = on / off
        verdict = "met" if ratio >= GOAL else "MISSED"
        figures = f"off {off:8.0f} req/s   on {on:8.0f} req/s   on/off {ratio:.2f}"
        print(f"{label:14} {figures} (goal >= {GOAL}: {verdict})")
    print(f"events written by the counted runs: {written}")
    UsageEvent.objects.all().delete()  # the next run starts from none


if __name__ == "__main__":
    sys.exit(main())
