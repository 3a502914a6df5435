"""`actiontrack worker`: does the background jobs people ask for (issuing board reports) as they come, until
stopped. `actiontrack serve` starts one beside the web server (ops/gunicorn_hooks.py); run it on its own where
the web servers run without one (several app servers: one worker is enough, more share the queue safely)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Do background jobs (issuing board reports) as they are asked for, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="do the jobs waiting now, then stop")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at the queue when it is empty (default 1)")

    def handle(self, *args, once=False, interval=1.0, **options):
        if settings.TASK_BACKEND != "database":
            raise CommandError(f"ACTIONTRACK_TASK_BACKEND is {settings.TASK_BACKEND!r}: jobs run within the request "
                               "that asks for them, so there is nothing for a worker to do. Unset it (or set it to "
                               "'database') to run jobs in a worker.")
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        call_command("db_worker", batch=once, interval=interval, reload=False, startup_delay=not once,
                     verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
