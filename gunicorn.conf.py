"""gunicorn's settings for the production command (`make serve`; the README's Deployment).

gunicorn reads this file by itself when it starts in this folder; bench/gunicorn_ready.py, which
the tests and benchmarks give it instead, reads it too. The command line still says how many
workers (``--workers``, or ``WEB_CONCURRENCY``) and where to listen.

Each worker serves ``GUNICORN_THREADS`` requests at once on threads (gthread), so that while some
wait on the database (at most the pool's 3 s during an outage) or on the bucket, the others go on
answering kept pages, which need neither, and static files. A worker's database pool holds as
many connections as it has threads (``DATABASE_POOL_SIZE`` defaults to ``GUNICORN_THREADS`` in
repository/settings.py), so no thread waits for another's connection.
"""

import os

worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
