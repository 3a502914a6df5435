import textwrap
from itertools import zip_longest

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from actiontrack.core.jobs import JobCommand, logged_job
from actiontrack.domain.ukdates import DateError, format_long, parse_as_at
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import plan_as_at

COLUMNS = (("Ref", 4), ("Action", 38), ("Owner", 30), ("Due date", 24), ("Status", 40))


def _row(cells: list[str]) -> list[str]:
    """One table row as terminal lines, each cell wrapped to its column (nothing is cut off)."""
    wrapped = [textwrap.wrap(" ".join(cell.split()), width) or [""]
               for cell, (_, width) in zip(cells, COLUMNS, strict=True)]
    lines = []
    for parts in zip_longest(*wrapped, fillvalue=""):
        lines.append("  ".join(part.ljust(width) for part, (_, width) in zip(parts, COLUMNS, strict=True)).rstrip())
    return lines


class Command(JobCommand):
    help = "Print a plan's RAG table as at a date, with text labels and summary counts."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's reference, e.g. PIP-PR")
        parser.add_argument("--as-at", dest="as_at", help="dd/mm/yyyy or yyyy-mm-dd; default today")

    @logged_job("rag")
    def handle(self, *args, plan, as_at=None, **options):
        self.job.record(plan=plan)
        found = Plan.objects.filter(reference__iexact=plan).first()
        if found is None:
            known = ", ".join(Plan.objects.values_list("reference", flat=True)) or "none"
            raise CommandError(f"No plan with reference {plan!r}. Plans: {known}")
        try:
            day = parse_as_at(as_at) if as_at else timezone.localdate()
            view = plan_as_at(found, day)
        except DateError as exc:
            raise CommandError(f"--as-at: {exc}") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.job.record(plan=found.reference, as_at=day, actions=len(view.actions))
        self.stdout.write(f"{found.title} ({found.reference}) as at {format_long(day)}")
        self.stdout.write(f"RAG scheme: {view.scheme.name}\n")
        self.stdout.write(_row([name for name, _ in COLUMNS])[0])
        self.stdout.write("  ".join("-" * width for _, width in COLUMNS))
        for action in view.actions:
            due = action.due_text + (f" (was {action.baseline_on:%d/%m/%Y})" if action.slipped else "")
            cells = [action.ref, action.text, action.owners_text, due,
                     f"{action.rating.label} ({action.rating.reason})"]
            self.stdout.write("\n".join(_row(cells)))
        self.stdout.write("")
        total = len(view.actions)
        self.stdout.write(f"{total} action{'s' if total != 1 else ''}: "
                          + ", ".join(f"{count} {band.title}" for band, count in view.counts))
