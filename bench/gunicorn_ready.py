"""Gunicorn config for bench/http.py: nothing changed but a log line once a worker has loaded the
site, so that the benchmark knows when a fresh server is ready (gunicorn -c bench/gunicorn_ready.py)."""


def post_worker_init(worker):
    worker.log.info("Worker ready (pid %s)", worker.pid)
