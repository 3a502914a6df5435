from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from actiontrack.ops.jobs import job_log
from actiontrack.plans.demo import DEMO_USERS, load_demo
from actiontrack.reports.demo import load_demo_report


class Command(BaseCommand):
    help = "Create the database, load the demo plan and users (once), and serve the app on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the demo data, then stop")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, no_serve=False, port="8000", **options):
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        with job_log("demo") as job:  # the loading only: the server that follows logs its requests
            call_command("migrate", interactive=False, verbosity=0)
            result = load_demo()
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
        self.stdout.write(f"\nServing on http://127.0.0.1:{port}/ — press Ctrl+C to stop.")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)
