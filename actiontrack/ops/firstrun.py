"""A fresh data folder works at once: before a command that needs the database's tables, actiontrack.cli calls
`ensure_tables`. On SQLite a database with no tables at all is created there and then; a PostgreSQL database, or
one that an upgrade has left behind, gets a message saying exactly what to run, never a "no such table" traceback.
PostgreSQL is never migrated behind someone's back: several app servers share it, and docs/deploy.md makes
migrating a deliberate step, done once."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import OperationalError

# Django's and actiontrack's commands that need no tables, or create or check them themselves (demo, serve and
# restore migrate; migrate is the cure).
NO_TABLES_NEEDED = frozenset({
    "check", "collectstatic", "compilemessages", "createcachetable", "dbshell", "demo", "diffsettings", "findstatic",
    "help", "inspectdb", "makemessages", "makemigrations", "migrate", "optimizemigration", "restore", "runserver",
    "sendtestemail", "serve", "showmigrations", "sqlflush", "sqlmigrate", "sqlsequencereset", "squashmigrations",
    "startapp", "startproject", "test", "testserver", "version",
})


class NotReady(Exception):
    """The database cannot be used yet; the message says why and what to run."""


def where() -> str:
    """The database in words, for messages: its file, or its name and server."""
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    if database["ENGINE"].endswith("sqlite3"):
        return f"the SQLite database {database['NAME']}"
    server = database.get("HOST") or "localhost"
    if database.get("PORT"):
        server += f":{database['PORT']}"
    return f"the PostgreSQL database {database['NAME']!r} on {server}"


def unreachable(exc: OperationalError) -> str:
    first_line = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    return (f"{where()} cannot be reached: {first_line}. Check DATABASE_URL and that the database server is "
            "running.")


def ensure_tables(command: str) -> None:
    """Make the database ready for `command`, or raise NotReady saying what to run."""
    if command in NO_TABLES_NEEDED:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        raise NotReady(unreachable(exc)) from None
    if not pending:
        return
    fresh = not executor.loader.applied_migrations
    if fresh and connection.vendor == "sqlite":
        sys.stderr.write(f"actiontrack: a new data folder: creating {where()} first.\n")
        call_command("migrate", interactive=False, verbosity=0)
        return
    state = "has no tables yet" if fresh else (
        f"is {len(pending)} migration{'s' if len(pending) != 1 else ''} behind this version of actiontrack")
    raise NotReady(f"{where()} {state}. Run `actiontrack migrate` once, with the same settings (DATABASE_URL), "
                   f"then `actiontrack {command}` again.")
