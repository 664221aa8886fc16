"""Benchmarks run Django against a throw-away database: SQLite in a temp folder by default,
or PostgreSQL when BENCH_DATABASE_URL is set (a database that will be emptied)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def reset_postgres() -> None:
    """Empty the PostgreSQL bench database (drop and recreate its schema) before migrating,
    so a bench can run twice; SQLite benches always start from a new file."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")


def setup() -> str:
    sys.path.insert(0, str(ROOT))
    tmp = tempfile.mkdtemp(prefix="padu-bench-")
    os.environ["PADU_VAR_DIR"] = tmp
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["STATIC_MANIFEST"] = "0"
    os.makedirs(f"{tmp}/static", exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.db import connection

    return connection.vendor
