"""Point a benchmark at a database of its own and start Django: imported first by each script."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_bench_database(sqlite_name: str) -> None:
    """SQLite under var/<sqlite_name>, unless BENCH_DATABASE_URL names another database."""
    sys.path.insert(0, str(ROOT))
    default = f"sqlite:///{ROOT / 'var' / sqlite_name}"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or default
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")
    import django

    django.setup()
