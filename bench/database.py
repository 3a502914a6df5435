"""The PostgreSQL database a benchmark builds its data into (bench.load, bench.dashboard, bench.scale): its own,
dropped at the end, or one kept between runs with --keep NAME; with Django set up on it and a throwaway data
folder."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def create_database(server_url: str, name: str) -> tuple[bool, str]:
    """(created, url): a new database, or the one named by --keep if it is already there."""
    import psycopg

    parts = urlsplit(server_url)
    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return not exists, parts._replace(path=f"/{name}").geturl()


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def bench_database(keep: str | None, name: str, build: Callable[[], str], **settings: str) -> Iterator[dict]:
    """Django set up on a database of the benchmark's own (`<name>_<pid>`, dropped at the end) or on `keep`'s
    (built on the first run, reused on the next), with a throwaway data folder and safe settings (`settings` adds
    to them). `build` fills a new database and returns what it built, printed with the time it took; the database is
    then analysed, as autovacuum would soon after. Yields the environment the settings were read from, for servers
    started by the benchmark. The server is DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/postgres)."""
    server_url = os.environ.get("DATABASE_URL", "").strip() or "postgres://postgres@127.0.0.1:5432/postgres"
    db_name = keep or f"{name}_{os.getpid()}"
    created, db_url = create_database(server_url, db_name)
    data_dir = tempfile.mkdtemp(prefix=f"actiontrack-{name}-")
    os.environ.update({"DATABASE_URL": db_url, "ACTIONTRACK_DATA_DIR": data_dir, "DEBUG": "false",
                       "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40, "ALLOWED_HOSTS": "testserver,localhost",
                       "LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "actiontrack.settings", **settings})
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        if created:
            started = time.perf_counter()
            built = build()
            out(f"build: {built} in {time.perf_counter() - started:.0f} s (PostgreSQL database {db_name})")
            import psycopg

            with psycopg.connect(db_url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        else:
            out(f"reusing PostgreSQL database {db_name} (built by an earlier --keep run)")
        yield dict(os.environ)
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            drop_database(server_url, db_name)
        shutil.rmtree(data_dir, ignore_errors=True)
