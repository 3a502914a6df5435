"""`actiontrack serve`: the production server, gunicorn. `actiontrack demo` serves through it too (`run_gunicorn`), so
a newcomer sees what users get. gunicorn replaces this process, so a SIGTERM reaches its master, which stops its
workers and frees the port."""

import os
import sys
from collections.abc import Mapping

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError


class Command(BaseCommand):
    help = "Run the production server (gunicorn), serving static files itself. Refuses to start with DEBUG on " \
           "or an unreachable database."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ACTIONTRACK_BIND", "127.0.0.1:8000"),
                            help="address:port to listen on (default 127.0.0.1:8000, or ACTIONTRACK_BIND)")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                            help="worker processes (default 2, or WEB_CONCURRENCY)")
        parser.add_argument("--check-only", action="store_true", help="run the start-up checks, then stop")

    def handle(self, *args, bind, workers, check_only=False, **options):
        if settings.DEBUG:
            raise CommandError("DEBUG is on: `serve` is the production server. Unset DEBUG (or set DEBUG=false); "
                               "to try the app, use `actiontrack demo`.")
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        try:
            connection.ensure_connection()
        except OperationalError as exc:
            where = settings.DATABASES["default"].get("HOST") or settings.DATABASES["default"]["NAME"]
            raise CommandError(f"The database at {where} cannot be reached: {str(exc).strip().splitlines()[0]}. "
                               "Check DATABASE_URL and that the database server is running.") from None
        call_command("migrate", interactive=False, verbosity=0, check_unapplied=False)
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"actiontrack: serving on http://{bind}/ with {workers} worker(s); "
                          f"data in {settings.DATA_DIR}; secret key from {settings.SECRET_KEY_SOURCE}")
        if settings.SECRET_KEY_SOURCE != "SECRET_KEY" and settings.DATABASES["default"]["ENGINE"] != (
                "django.db.backends.sqlite3"):
            self.stdout.write("actiontrack: with several app servers on this database, give each the same SECRET_KEY "
                              "(docs/deploy.md), or people are signed out as they move between servers.")
        if check_only:
            return
        run_gunicorn(bind, workers)


def run_gunicorn(bind: str, workers: int, *options: str, environment: Mapping[str, str] | None = None):
    """Replace this process with gunicorn serving the app (never returns)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [
        sys.executable, "-m", "gunicorn", "actiontrack.wsgi:application", "--bind", bind, "--workers", str(workers),
        "--timeout", "60", "--graceful-timeout", "20", "--error-logfile", "-",
        # Starts and stops the background worker beside the web server (ops/gunicorn_hooks.py).
        "--config", "python:actiontrack.ops.gunicorn_hooks", *options],
        dict(os.environ if environment is None else environment))
