"""actiontrack export REF --format xlsx|csv|json [--as-at DATE] -o FILE"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from actiontrack.core.jobs import JobCommand, logged_job
from actiontrack.domain.ukdates import DateError, format_long, parse_as_at
from actiontrack.interchange.registry import EXPORTERS, exporter
from actiontrack.plans.models import Plan


class Command(JobCommand):
    help = "Export a plan as an Excel tracker, CSV, or the whole plan as JSON."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's reference, e.g. PIP-PR")
        parser.add_argument("--format", required=True, choices=sorted(EXPORTERS), dest="fmt")
        parser.add_argument("--as-at", dest="as_at", default="",
                            help="dd/mm/yyyy or yyyy-mm-dd; default today (JSON holds every date)")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    @logged_job("export")
    def handle(self, *args, plan, fmt, as_at="", output, **options):
        self.job.record(plan=plan, format=fmt, file=output)
        found = Plan.objects.filter(reference__iexact=plan).first()
        if found is None:
            known = ", ".join(Plan.objects.values_list("reference", flat=True)) or "none"
            raise CommandError(f"No plan with reference {plan!r}. Plans: {known}")
        try:
            day = parse_as_at(as_at) if as_at else max(timezone.localdate(), found.agreed_on)
        except DateError as exc:
            raise CommandError(f"--as-at: {exc}") from None
        try:
            content = exporter(fmt).render(found, day)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.job.record(plan=found.reference, as_at=day)
        path = Path(output)
        try:
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {output!r}: {exc.strerror}") from None
        self.job.record(bytes=len(content))
        when = "with its whole history" if fmt == "json" else f"as at {format_long(day)}"
        self.stdout.write(f"Wrote {found.reference} {when} to {path} ({len(content):,} bytes, "
                          f"{EXPORTERS[fmt].label}).")
