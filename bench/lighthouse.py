"""Benchmark: the item page's Lighthouse scores, desktop and mobile.

Issue #13 asks for the seed's item page's four Lighthouse scores (performance, accessibility, best
practices, SEO) as a reader's browser sees the page served in production. This uses
bench/http.py's database (SQLite under var/bench-http.sqlite3, or BENCH_DATABASE_URL) and its
production command (gunicorn, DEBUG off, static files collected and served by WhiteNoise), renders
the seed's thumbnails, and runs Lighthouse headless in Chromium (CHROME_PATH, /usr/bin/chromium by
default; it reaches only this machine) BENCH_LIGHTHOUSE_RUNS times (3) with the desktop preset and
as many with Lighthouse's default mobile emulation (a mid-range phone on a throttled connection).

Lighthouse comes from the npm registry, installed by npm into var/node/ (not committed) on the
first run: version 13 where Node.js is 22.19 or newer, else 12. Where Node.js, npm or Chromium
is missing, or npm cannot install it, this prints "Lighthouse not available: <why>" and exits 0.

It prints each run's four scores, then the median of each and the paint, blocking, layout shift
and weight figures of the run of median performance, and for a category below 100 the
audits that cost it points; the full reports are written to var/lighthouse/.

    make bench-lighthouse
    BENCH_LIGHTHOUSE_RUNS=1 python bench/lighthouse.py
"""

import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_PREFIX = ROOT / "var" / "node"
REPORTS = ROOT / "var" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH") or "/usr/bin/chromium"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
CATEGORIES = {
    "performance": "performance",
    "accessibility": "accessibility",
    "best-practices": "best practices",
    "seo": "SEO",
}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    # Only the site on this machine may be reached: every other host name fails to resolve.
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"',
]
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}
FORM_FACTORS = {"desktop": ["--preset=desktop"], "mobile": []}


class Unavailable(Exception):
    """Why Lighthouse cannot run on this machine."""


def node_version() -> tuple[int, ...]:
    output = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    return tuple(int(part) for part in output.strip().lstrip("v").split("."))


def lighthouse() -> Path:
    """The Lighthouse command, installed under var/node/ by npm unless it is there already."""
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            raise Unavailable(f"{tool} is not installed (Debian: apt-get install nodejs npm)")
    if not os.access(CHROME, os.X_OK):
        raise Unavailable(f"Chromium not found at {CHROME} (make browser installs it; or set CHROME_PATH)")
    major = "13" if node_version() >= (22, 19) else "12"
    command = NODE_PREFIX / "node_modules" / ".bin" / "lighthouse"
    installed = NODE_PREFIX / "node_modules" / "lighthouse" / "package.json"
    if command.exists() and json.loads(installed.read_text())["version"].split(".")[0] == major:
        return command
    print(f"installing lighthouse@{major} with npm into {NODE_PREFIX.relative_to(ROOT)}/")
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    install = subprocess.run(
        ["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", f"lighthouse@{major}"],
        capture_output=True,
        text=True,
    )
    if install.returncode != 0 or not command.exists():
        said = "\n".join(install.stderr.strip().splitlines()[:6])
        raise Unavailable(f"npm could not install lighthouse@{major}:\n{said}")
    return command


def run(command: Path, url: str, form_factor: str, number: int) -> dict:
    """One Lighthouse run's report (also written to var/lighthouse/)."""
    report = REPORTS / f"item-{form_factor}-{number}.json"
    arguments = [str(command), url, "--output=json", f"--output-path={report}", "--quiet"]
    arguments += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
    arguments += FORM_FACTORS[form_factor]
    result = subprocess.run(
        arguments, capture_output=True, text=True, env=dict(os.environ, CHROME_PATH=CHROME), timeout=300
    )
    if result.returncode != 0 or not report.exists():
        sys.exit(f"Lighthouse failed ({form_factor}):\n{result.stderr[-3000:]}")
    return json.loads(report.read_text())


def scores(report: dict) -> dict[str, int]:
    return {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}


def line(label: str, values: dict[str, int | float]) -> str:
    return f"  {label:<10}" + "".join(f"{CATEGORIES[key]:>16} {values[key]:>3g}" for key in CATEGORIES)


def costs(report: dict) -> list[str]:
    """The audits that cost a category points: '<category>: <audit> (<score>)'."""
    found = []
    for key in CATEGORIES:
        category = report["categories"][key]
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                found.append(f"{CATEGORIES[key]}: {audit['title']} ({ref['id']}, score {audit['score']:g})")
    return found


def metrics(report: dict) -> str:
    """The page's paint, blocking, layout shift and weight figures in the report."""
    audits = report["audits"]
    figures = [f"{label} {audits[key]['displayValue']}" for key, label in METRICS.items()]
    return ", ".join(figures + [f"{audits['total-byte-weight']['numericValue'] / 1024:.0f} KiB in all"])


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


def main() -> None:
    try:
        command = lighthouse()
    except Unavailable as why:
        print(f"Lighthouse not available: {why}")
        return
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True).stdout.strip()

    # bench/http.py (its database, production command and settings), under another name: "http"
    # is the standard library's.
    spec = importlib.util.spec_from_file_location("bench_http", Path(__file__).with_name("http.py"))
    bench_http = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_http)
    from eprints_app.models import Document
    from eprints_app.services.derivatives import build_thumbnails

    bench_http.prepare()
    for document in Document.objects.filter(item_id=bench_http.SEED):
        if not document.thumbnail_small:
            build_thumbnails(document.pk)
    describe_machine()
    print(f"Lighthouse {version}, Chromium {CHROME}, {RUNS} run(s) each")
    bench_http.collectstatic()
    REPORTS.mkdir(parents=True, exist_ok=True)
    site = bench_http.Server("site", "repository.wsgi", bench_http.site_env()).start()
    try:
        url = f"http://{bench_http.HOST}:{site.port}/id/eprint/{bench_http.SEED}/"
        print(f"item page: {url}")
        for form_factor in FORM_FACTORS:
            reports = [run(command, url, form_factor, number) for number in range(1, RUNS + 1)]
            print(f"{form_factor}:")
            for number, report in enumerate(reports, 1):
                print(line(f"run {number}", scores(report)))
            each = [scores(report) for report in reports]
            print(line("median", {key: statistics.median(run[key] for run in each) for key in CATEGORIES}))
            middle = sorted(reports, key=lambda report: scores(report)["performance"])[len(reports) // 2]
            print(f"    median run: {metrics(middle)}")
            for cost in sorted({cost for report in reports for cost in costs(report)}):
                print(f"    below 100, {cost}")
    finally:
        site.stop()
    print(f"reports: {REPORTS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
