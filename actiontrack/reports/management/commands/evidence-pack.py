"""actiontrack evidence-pack PLAN --as-at DATE -o FILE.zip | actiontrack evidence-pack --verify FILE.zip

Make an evidence pack of a plan as it stood on a day (reports.evidence_pack), or check one was not altered."""

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from actiontrack.core.jobs import JobCommand, logged_job
from actiontrack.domain.ukdates import DateError, format_long, parse_as_at
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import check_as_at
from actiontrack.reports.evidence_pack import EvidenceAltered, evidence_pack, verify


class Command(JobCommand):
    help = ("Write a plan's evidence pack as at a day (a zip of the plan as a PDF, the evidence of the actions "
            "completed by then, their approvals and a manifest of SHA-256 hashes), or check one with --verify.")

    def add_arguments(self, parser):
        parser.add_argument("plan", nargs="?", help="the plan's reference, e.g. PIP-PR")
        parser.add_argument("--as-at", dest="as_at", help="dd/mm/yyyy or yyyy-mm-dd; default today")
        parser.add_argument("-o", "--output", dest="output", help="the zip file to write")
        parser.add_argument("--verify", dest="check", metavar="FILE.zip", help="check a pack instead of making one")

    @logged_job("evidence_pack")
    def handle(self, *args, plan=None, as_at=None, output=None, check=None, **options):
        if check:
            if plan or output or as_at:
                raise CommandError("--verify takes only the pack to check.")
            return self._verify(Path(check))
        if not plan or not output:
            raise CommandError("Give the plan's reference and -o FILE.zip (or --verify FILE.zip).")
        found = Plan.objects.filter(reference__iexact=plan).first()
        if found is None:
            raise CommandError(f"No plan has the reference {plan!r}.")
        try:
            day = parse_as_at(as_at) if as_at else timezone.localdate()
            check_as_at(found, day)
        except DateError as exc:
            raise CommandError(f"--as-at: {exc}") from None
        except ValidationError as exc:  # before the plan was agreed
            raise CommandError(f"--as-at: {' '.join(exc.messages)}") from None
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"-o: the folder {str(target.parent)!r} does not exist.")
        self.job.record(plan=found.reference, as_at=day, file=target)
        try:
            content = evidence_pack(found, day)
        except EvidenceAltered as exc:
            raise CommandError(str(exc)) from None
        target.write_bytes(content)
        self.job.record(bytes=len(content))
        self.stdout.write(f"Wrote {target} ({len(content):,} bytes, SHA-256 {hashlib.sha256(content).hexdigest()}): "
                          f"{found.reference} as at {format_long(day)}.")

    def _verify(self, path: Path) -> None:
        if not path.is_file():
            raise CommandError(f"--verify: no file {str(path)!r}.")
        self.job.record(file=path)
        verdict = verify(path.read_bytes())
        if not verdict.intact:
            raise CommandError(f"{path} was altered:\n  " + "\n  ".join(verdict.problems))
        self.stdout.write(f"{path} is intact: its manifest and all {verdict.files} files match their SHA-256.")
