"""actiontrack publish PLAN [--names] | actiontrack publish PLAN --unpublish

Publish a plan's latest issued report on the public pages (/public/PLAN/), or withdraw it."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from actiontrack.core.choices import ChangeSource
from actiontrack.core.jobs import JobCommand, logged_job
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Plan
from actiontrack.reports.publication import plan_publish, plan_unpublish
from actiontrack.reports.register import public_plan_of

COMMAND_LINE = Actor.system("actiontrack publish", ChangeSource.CLI)


class Command(JobCommand):
    help = "Publish a plan's latest issued board report on the public pages, or withdraw it (--unpublish)."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's reference, e.g. PIP-PR")
        parser.add_argument("--unpublish", action="store_true", help="withdraw the plan's public pages at once")
        parser.add_argument("--names", action="store_true",
                            help="name the people holding the owner posts (only where the issued report named them)")

    @logged_job("publish")
    def handle(self, *args, plan, unpublish=False, names=False, **options):
        found = Plan.objects.filter(reference=plan).first()
        if found is None:
            raise CommandError(f"No plan has the reference {plan!r}.")
        self.job.record(plan=found.reference)
        today = timezone.localdate()
        if unpublish:
            if names:
                raise CommandError("--names goes with publishing, not with --unpublish.")
            plan_unpublish(actor=COMMAND_LINE, plan=found, effective_on=today)
            self.stdout.write(f"{found.reference} is withdrawn: /public/{found.reference}/ no longer exists.")
            return
        try:
            plan_publish(actor=COMMAND_LINE, plan=found, holder_names=names, effective_on=today)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        shown = public_plan_of(found)
        self.stdout.write(f"{found.reference} is published at /public/{found.reference}/: the report to the "
                          f"{shown.meeting} of {shown.meeting_date:%d/%m/%Y}, "
                          + ("its table of actions exempt from publication." if shown.withheld
                             else f"{shown.total} actions" + (", naming the post holders." if names else ".")))
