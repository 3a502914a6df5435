"""Real installations for the ops tests, as an administrator makes them: each with its own data folder and its
own database (a SQLite file, or a PostgreSQL database made for the test on the server at 127.0.0.1:5432),
driven by `actiontrack` commands and small scripts in subprocesses.

Shared by tests/ops/test_backup.py, test_faults.py, test_upgrade.py, test_job_logs.py, test_first_run.py and
test_running.py. A test module that starts processes imports the fixture `no_process_left_behind` too."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = f"postgres://postgres@{PG_HOST}:{PG_PORT}/postgres"
# Variables of the test run that must not leak into an installation of its own.
OURS = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "LOG_FORMAT", "LOG_LEVEL")


def installation_environment(data_dir: Path, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in OURS and not key.startswith(("ACTIONTRACK_", "SECURE_", "PG"))}
    env.update({"ACTIONTRACK_DATA_DIR": str(data_dir), "SECRET_KEY": "backup-test-secret-key-" + "k" * 40,
                "DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "DJANGO_SETTINGS_MODULE": "actiontrack.settings",
                "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1", "LOG_LEVEL": "WARNING"})
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


SCRIPT_PRELUDE = "import django\ndjango.setup()\n"


_running: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_process_left_behind():
    """Whatever a test started and did not finish is killed when it ends, passed or failed."""
    yield
    while _running:
        process = _running.pop()
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _start(arguments: list[str], env: dict[str, str]) -> subprocess.Popen:
    process = subprocess.Popen(arguments, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _running.append(process)
    return process


@dataclass
class Site:
    """One installation: a data folder, and a PostgreSQL database when `database_url` is given (else SQLite)."""

    data_dir: Path
    database_url: str | None = None
    environment: dict[str, str] = field(default_factory=dict)  # more variables, e.g. for `serve`

    @property
    def env(self) -> dict[str, str]:
        return installation_environment(self.data_dir, self.database_url, **self.environment)

    @property
    def uploads(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def sqlite_file(self) -> Path:
        return self.data_dir / "actiontrack.sqlite3"

    def run(self, *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "actiontrack.cli", *args], env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if check:
            assert result.returncode == 0, f"actiontrack {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result

    def start(self, *args: str) -> subprocess.Popen:
        """Start an `actiontrack` command without waiting for it (see `finish`)."""
        return _start([sys.executable, "-m", "actiontrack.cli", *args], self.env)

    def script(self, code: str, *args: str, timeout: float = 120) -> str:
        """Run Python with Django set up for this installation; returns what it wrote to standard output."""
        result = subprocess.run([sys.executable, "-c", SCRIPT_PRELUDE + code, *args], env=self.env,
                                capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"script failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def start_script(self, code: str, *args: str) -> subprocess.Popen:
        return _start([sys.executable, "-c", SCRIPT_PRELUDE + code, *args], self.env)

    def files(self) -> dict[str, bytes]:
        """Every file in the uploads folder, by its path inside it."""
        if not self.uploads.exists():
            return {}
        return {path.relative_to(self.uploads).as_posix(): path.read_bytes()
                for path in sorted(self.uploads.rglob("*")) if path.is_file()}

    def tables(self) -> dict[str, list[tuple]]:
        """Every row of every table, each table ordered by its primary key (and the sequences' positions)."""
        return postgres_tables(self.database_url) if self.database_url else sqlite_tables(self.sqlite_file)


def finish(process: subprocess.Popen, timeout: float = 120) -> str:
    """Wait for a process started with Site.start or Site.start_script; returns its standard output."""
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"{process.args[2:]} took more than {timeout} s:\n{out}\n{err}") from None
    finally:
        if process in _running and process.returncode is not None:
            _running.remove(process)
    assert process.returncode == 0, f"{process.args[2:]} failed:\n{out}\n{err}"
    return out


def sqlite_tables(path: Path) -> dict[str, list[tuple]]:
    dumped = {}
    with contextlib.closing(sqlite3.connect(path)) as db:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            columns = list(db.execute(f'PRAGMA table_info("{name}")'))
            key = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]] or [c[1] for c in columns]
            order = ", ".join(f'"{column}"' for column in key)
            dumped[name] = db.execute(f'SELECT * FROM "{name}" ORDER BY {order}').fetchall()
            dumped.setdefault("<columns>", []).append((name, tuple(c[1] for c in sorted(columns, key=lambda c: c[0]))))
    return dumped


def postgres_tables(url: str) -> dict[str, list[tuple]]:
    import psycopg

    dumped = {}
    with psycopg.connect(url) as db:
        names = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                              "ORDER BY tablename")]
        for name in names:
            key = [row[0] for row in db.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f'"{name}"'])]
            order = ", ".join(f'"{column}"' for column in key) or "1"
            cursor = db.execute(f'SELECT * FROM "{name}" ORDER BY {order}')
            dumped[name] = [tuple(row) for row in cursor]
            dumped.setdefault("<columns>", []).append((name, tuple(column.name for column in cursor.description)))
        dumped["<sequences>"] = list(db.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename"))
    return dumped


def pg_server_answers() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def throwaway_database(name: str):
    """A PostgreSQL database of the test's own on the shared server, dropped afterwards; yields its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until(condition, *, seconds: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


_demo_template: list[Path] = []


def sqlite_demo(factory: pytest.TempPathFactory) -> Path:
    """A SQLite data folder with the demo plan loaded, made once per test run; copy it, never change it."""
    if not _demo_template:
        site = Site(factory.mktemp("demo-template") / "data")
        site.run("demo", "--no-serve")
        _demo_template.append(site.data_dir)
    return _demo_template[0]


def sqlite_demo_copy(factory: pytest.TempPathFactory, folder: Path) -> Site:
    shutil.copytree(sqlite_demo(factory), folder)
    return Site(folder)


ENGINES = ["sqlite", "postgresql"]


@contextlib.contextmanager
def databases(engine: str, *names: str):
    """URLs of throwaway PostgreSQL databases named after the test process, or Nones for SQLite."""
    if engine == "sqlite":
        yield [None] * len(names)
        return
    if not pg_server_answers():
        pytest.skip(f"no PostgreSQL server answers at {PG_HOST}:{PG_PORT} (CI always has one)")
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(throwaway_database(f"{name}_{os.getpid()}")) for name in names]
