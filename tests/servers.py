"""The site as deployed, in processes of its own, for tests/test_two_servers.py: a PostgreSQL
database and a Redis database of the test's own, gunicorn app servers and a task worker.

Servers start as `make serve` starts them and as bench/http.py does (``python -m gunicorn
repository.wsgi`` with bench/gunicorn_ready.py, which logs when each worker has loaded the site).
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES = f"postgres://postgres@{HOST}:5432"
REDIS_PORT = 6379
# What the child processes take from this one's environment; every setting they get is given.
INHERITED = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")
# The production settings but for one line: STATIC_ROOT, which is not read from the environment,
# goes to the test's own folder, so that collectstatic leaves the checkout's staticfiles/ alone.
SETTINGS = "from repository.settings import *  # noqa: F403\nSTATIC_ROOT = {static_root!r}\n"
# A key that marks a Redis database as taken by a run of the test.
CLAIM = "tests.servers:claimed-by"


def unreachable() -> str | None:
    """Why PostgreSQL or Redis cannot be used here, or None when both answer."""
    try:
        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL at {POSTGRES} is unreachable ({' '.join(str(error).split())})"
    try:
        redis.Redis(HOST, REDIS_PORT, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        return f"Redis at {HOST}:{REDIS_PORT} is unreachable ({error})"
    return None


def query(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    """The rows of one statement, run on its own connection to the database at ``url``."""
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def create_database(name: str) -> str:
    """A new, empty database; its DATABASE_URL."""
    drop_database(name)  # left by an earlier run of the same process id that was killed
    query(f"{POSTGRES}/postgres", f'CREATE DATABASE "{name}"')
    return f"{POSTGRES}/{name}"


def drop_database(name: str) -> None:
    """Drop it, ending the sessions of processes that did not close theirs."""
    query(f"{POSTGRES}/postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def claim_redis_database() -> redis.Redis:
    """An empty Redis database, marked as this run's, so that two runs at once (or another
    user of the same Redis) never empty each other's."""
    for number in range(15, 0, -1):
        client = redis.Redis(HOST, REDIS_PORT, db=number)
        try:
            if client.set(CLAIM, os.getpid(), nx=True):
                if client.dbsize() == 1:
                    return client
                client.delete(CLAIM)
        except redis.ResponseError:  # a server configured with fewer databases
            continue
    raise RuntimeError("No empty Redis database was found for the test.")


def redis_url(client: redis.Redis) -> str:
    return f"redis://{HOST}:{REDIS_PORT}/{client.get_connection_kwargs()['db']}"


def settings_folder(folder: Path) -> Path:
    """A folder to put on PYTHONPATH, with the module ``two_servers_settings``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "two_servers_settings.py").write_text(SETTINGS.format(static_root=str(folder / "static")))
    return folder


def environment(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of the site's processes: the settings given, DEBUG off."""
    inherited = {name: os.environ[name] for name in INHERITED if name in os.environ}
    return {
        **inherited,
        "PYTHONPATH": str(settings_folder(folder)),
        "DJANGO_SETTINGS_MODULE": "two_servers_settings",
        "DEBUG": "0",
        **settings,
    }


def manage(env: dict[str, str], *args: str) -> str:
    """Run a management command as a deployment would; its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class Process:
    """A long-running command of the deployment, its output in a log file."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "wb") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """SIGTERM, which gunicorn and db_worker both take as a clean stop; SIGKILL if ignored."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class AppServer(Process):
    """One instance of the production command, on a port the system picks."""

    LISTENING = re.compile(r"Listening at: (http://\S+)")

    def __init__(self, workers: int, env: dict[str, str], log: Path) -> None:
        self.url = ""
        self.workers = workers
        command = [sys.executable, "-m", "gunicorn", "repository.wsgi", "--config", "bench/gunicorn_ready.py"]
        command += ["--bind", f"{HOST}:0", "--workers", str(workers)]
        super().__init__(command, env, log)

    def wait_ready(self, timeout: float = 60) -> None:
        """Until every worker has loaded the site; then ``url`` is where it listens."""
        deadline = time.monotonic() + timeout
        while self.output().count("Worker ready") < self.workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.output()[-3000:]}")
            time.sleep(0.05)
        self.url = self.LISTENING.search(self.output()).group(1)

    def __call__(self, path: str) -> str:
        """The full address of a path on this server."""
        return self.url + path


def task_worker(env: dict[str, str], log: Path) -> Process:
    """`manage.py db_worker`, polling often so that the test need not wait long."""
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return Process([*command, "--interval", "0.2"], env, log)
