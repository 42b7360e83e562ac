"""Shared set-up for the database benchmarks: Django on a dedicated database, migrated and emptied.

The benchmarks EMPTY the database they run on, so a PostgreSQL database is used only if its name
contains "bench" (never CI's `test`, pytest-django's `test_*`, or the council's own data, even when
DATABASE_URL is left pointing at it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/heard_bench"


class Unavailable(Exception):
    """The database cannot be reached: the benchmark prints why and is skipped."""


def setup_django(database_url: str) -> str:
    """Configure Django for `database_url`, creating the PostgreSQL database if need be, migrate it and
    empty it. Returns the vendor ("postgresql" or "sqlite")."""
    sys.path.insert(0, str(ROOT))
    url = urlparse(database_url)
    name = url.path.lstrip("/")
    if url.scheme.startswith("postgres"):
        if "bench" not in name or name.startswith("test"):
            raise SystemExit(
                f"refusing to benchmark on {name!r}: benchmarks empty their database, so its "
                "name must contain 'bench', e.g. heard_bench"
            )
        _create_postgres_database(database_url, name)
    os.environ["DATABASE_URL"] = database_url
    # Production-like: DEBUG off, so Django does not keep every query in memory.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    return connection.vendor


def _create_postgres_database(database_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    admin = urlparse(database_url)._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as e:
        raise Unavailable(f"PostgreSQL is not reachable at {urlparse(database_url).netloc}: {e}") from None
