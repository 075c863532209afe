"""Gunicorn config for the benchmarks and the tests that start the production command: the
settings of gunicorn.conf.py (which gunicorn reads by itself only when given no config), and a
log line once a worker has loaded the site, so that they know when a fresh server is ready
(gunicorn -c bench/gunicorn_ready.py)."""

import runpy
from pathlib import Path

PRODUCTION = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
globals().update({name: value for name, value in PRODUCTION.items() if not name.startswith("_")})


def post_worker_init(worker):
    worker.log.info("Worker ready (pid %s)", worker.pid)
