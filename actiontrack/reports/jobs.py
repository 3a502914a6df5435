"""Issuing a board report in the background: rendering its PDF, DOCX and HTML takes seconds for a small plan and
minutes for a thousand actions, longer than a web request may hold a server worker. The plan manager asks
(`report_issue_request`, which checks at once everything that can be checked, so a mistake is still answered on
the spot); the worker issues it (`issue_report`, through services.report_issue); the report's page shows the
job until it ends (core.background)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tasks import task

from actiontrack.core import background
from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.domain.ukdates import format_long
from actiontrack.plans import permissions as perms
from actiontrack.plans.errors import EditConflict

from . import services
from .models import BoardReport

ISSUE = "report_issue"


def report_issue_request(*, actor: Actor, report: BoardReport, today: date,
                         expected_version: int | None = None) -> BackgroundJob:
    """Check the report can be issued by this person today, as it stands (raising as services.report_issue
    would), then hand the issuing to the worker. A report already being issued is not asked for twice."""
    perms.require_manager(actor, report.plan, "issue board reports")
    services.report_issue_check(report, today, expected_version)
    under_way = background.waiting(ISSUE, report.pk)
    if under_way is not None:
        raise ValidationError(f"The report for {report} is already being issued (asked for by "
                              f"{under_way.requested_by or 'someone'} at {under_way.requested_at:%H:%M}).")
    job = background.job_create(kind=ISSUE, object_id=report.pk, label=f"Issue the board report for {report}",
                                user=actor.user)
    return background.enqueue(issue_report, job, report.pk, actor.user.pk if actor.user else None,
                              actor.source, today.isoformat(), report.version)


@task()
def issue_report(job_id: int, report_id: int, user_id: int | None, source: str, today: str, version: int) -> None:
    with background.running(job_id):
        report = BoardReport.objects.select_related("plan").get(pk=report_id)
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        actor = Actor.of(user, source) if user else Actor.system("Background job", source)
        try:
            services.report_issue(actor=actor, report=report, today=date.fromisoformat(today),
                                  expected_version=version)
        except EditConflict as exc:  # edited after the plan manager asked: theirs to check and ask again
            raise ValidationError(f"{exc} It was not issued: check the report, then issue it again.") from exc


def issue_job(report: BoardReport) -> BackgroundJob | None:
    """What the report's page says about issuing it: the job under way, or the last one if it failed while the
    report is still a draft."""
    job = background.latest(ISSUE, report.pk)
    if job is None or report.is_issued and not job.waiting:
        return None
    return job if job.waiting or job.status == BackgroundJob.Status.FAILED else None


def issued_message(report: BoardReport) -> str:
    return (f"The report for {report} was issued on {format_long(report.issued_on)}. It is now frozen: its files "
            "will download exactly as they are now.")
