"""Point a benchmark at a database of its own and start Django: imported first by each script."""

import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


def use_bench_database(sqlite_name: str) -> None:
    """SQLite under var/<sqlite_name>, unless BENCH_DATABASE_URL names another database."""
    # Python puts a script's folder first on the path, where bench/http.py stands in for the
    # standard library's http, which Django imports: this folder goes last.
    elsewhere = [path for path in sys.path if Path(path or ".").resolve() != BENCH]
    sys.path[:] = [str(ROOT), *elsewhere, str(BENCH)]
    default = f"sqlite:///{ROOT / 'var' / sqlite_name}"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")
    import django

    django.setup()
