"""actiontrack report "<plan ref>" --as-at 2021-11-30 --format pdf|docx|html -o FILE
actiontrack report --id N --format pdf|docx|html -o FILE

With a plan: the plan's report with that as-at date if there is one (an issued one gives its stored file),
otherwise a new report's text (copied from the previous report, as creating one would) rendered as at the
date, without saving anything. With --id: that report; an issued report gives its stored file."""

import hashlib
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from actiontrack.core.jobs import JobCommand, logged_job
from actiontrack.domain.ukdates import DateError, format_long, parse_as_at
from actiontrack.plans.models import Plan
from actiontrack.reports import renderers
from actiontrack.reports.build import build_report_data
from actiontrack.reports.choices import FORMATS
from actiontrack.reports.models import BoardReport
from actiontrack.reports.organisation import branding
from actiontrack.reports.selectors import report_file
from actiontrack.reports.services import new_report


class Command(JobCommand):
    help = "Write a plan's board report as at a date, or a stored report, as PDF, DOCX or HTML."

    def add_arguments(self, parser):
        parser.add_argument("plan", nargs="?", help="the plan's reference, e.g. PIP-PR")
        parser.add_argument("--id", dest="report_id", type=int, help="a stored report's number, instead of a plan")
        parser.add_argument("--as-at", dest="as_at", help="dd/mm/yyyy or yyyy-mm-dd; default today")
        parser.add_argument("--format", dest="fmt", required=True, choices=sorted(FORMATS), help="the file format")
        parser.add_argument("-o", "--output", dest="output", required=True, help="the file to write")

    @logged_job("report")
    def handle(self, *args, plan=None, report_id=None, as_at=None, fmt, output, **options):
        if (plan is None) == (report_id is None):
            raise CommandError("Give either a plan reference or --id N (not both).")
        target = Path(output)
        self.job.record(format=fmt, file=target)
        if not target.parent.is_dir():
            raise CommandError(f"-o: the folder {str(target.parent)!r} does not exist.")
        if report_id is not None:
            if as_at:
                raise CommandError("--as-at goes with a plan reference; a stored report has its own as-at date.")
            content, what = self._stored(report_id, fmt)
        else:
            content, what = self._for_plan(plan, as_at, fmt)
        target.write_bytes(content)
        self.job.record(bytes=len(content))
        self.stdout.write(f"Wrote {target} ({len(content):,} bytes, SHA-256 {hashlib.sha256(content).hexdigest()}): "
                          f"{what}")

    def _stored(self, report_id: int, fmt: str) -> tuple[bytes, str]:
        report = BoardReport.objects.select_related("plan").filter(pk=report_id).first()
        if report is None:
            raise CommandError(f"No board report number {report_id}.")
        self.job.record(plan=report.plan.reference, as_at=report.as_at)
        file = report_file(report, fmt)
        state = "the file stored when it was issued" if file.stored else "a draft, rendered now"
        return file.content, f"{report.plan.reference} report for {report}, {state}."

    def _for_plan(self, reference: str, as_at: str | None, fmt: str) -> tuple[bytes, str]:
        self.job.record(plan=reference)
        plan = Plan.objects.filter(reference__iexact=reference).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("reference", flat=True)) or "none"
            raise CommandError(f"No plan with reference {reference!r}. Plans: {known}")
        try:
            day = parse_as_at(as_at) if as_at else date.today()
        except DateError as exc:
            raise CommandError(f"--as-at: {exc}") from None
        self.job.record(plan=plan.reference, as_at=day)
        existing = plan.board_reports.filter(as_at=day).order_by("-status", "-id").first()  # issued before draft
        if existing is not None:
            return self._stored(existing.pk, fmt)
        report = new_report(plan, meeting_date=day)
        try:
            data = build_report_data(report)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        template = branding().template if fmt == "docx" else None
        return renderers.render(fmt, data, docx_template=template), (
            f"{plan.reference} as at {format_long(day)}, a draft from the previous report's text (nothing saved).")
