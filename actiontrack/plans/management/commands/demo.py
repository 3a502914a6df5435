import os
import socket

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from actiontrack.cli import DEMO_DEFAULTS
from actiontrack.core.jobs import job_log
from actiontrack.ops.management.commands.serve import run_gunicorn
from actiontrack.plans.demo import DEMO_USERS, DemoClash, load_demo
from actiontrack.reports.demo import load_demo_report


class Command(BaseCommand):
    help = ("Create the database, load the demo plan and users (once), and serve the app on 127.0.0.1:8000 with the "
            "production server, over plain HTTP.")

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo data, then stop")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, no_serve=False, port="8000", **options):
        if not no_serve:
            self._check_can_serve(port)
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        with job_log("demo") as job:  # the loading only: the server that follows logs its requests
            call_command("migrate", interactive=False, verbosity=0)
            try:
                result = load_demo()
            except DemoClash as exc:
                raise CommandError(str(exc)) from None
            load_demo_report()  # the November 2021 board report, from the source paper
            job.record(plan=result.plan.reference, added=int(result.created))
        if result.created:
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo plan {result.plan.reference}: {result.plan}"))
        else:
            self.stdout.write(f"The demo plan {result.plan.reference} is already loaded; nothing duplicated.")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"Source document: {warning}"))
        if result.passwords:
            self.stdout.write("\nDemo users (passwords are shown this once; keep them):")
            for spec in DEMO_USERS:
                if spec.username in result.passwords:
                    self.stdout.write(f"  {spec.username:<10} {result.passwords[spec.username]:<18} {spec.what}")
        else:
            users = ", ".join(spec.username for spec in DEMO_USERS)
            self.stdout.write(f"Demo users ({users}) exist already; their passwords were printed the first "
                              "time. Set a new one with: actiontrack changepassword USERNAME")
        if no_serve:
            return
        call_command("collectstatic", interactive=False, verbosity=0)  # the app serves them, as in production
        self.stdout.write(f"\nServing on http://127.0.0.1:{port}/ — press Ctrl+C to stop.")
        # The production server, as `actiontrack serve` runs it; only its own start-up lines are left out.
        run_gunicorn(f"127.0.0.1:{port}", 2, "--log-level", "warning", environment={**DEMO_DEFAULTS, **os.environ})

    def _check_can_serve(self, port: str) -> None:
        if settings.DEBUG:
            raise CommandError("DEBUG is on: the demo shows what users get, with DEBUG off. Unset DEBUG, or use "
                               "--no-serve to load the demo only.")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise CommandError(f"--port {port!r}: give a port number, e.g. --port 8001")
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
            try:
                probe.bind(("127.0.0.1", int(port)))
            except OSError as exc:
                raise CommandError(f"Port {port} on 127.0.0.1 cannot be used ({exc.strerror}): is the demo already "
                                   f"running? Stop it, or choose another port, e.g. --port {int(port) + 1}.") from None
