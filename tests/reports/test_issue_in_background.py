"""Issuing a board report is done by the background worker, not in the plan manager's request: the request is
answered at once, the report's page says it is being issued, and the real worker (Django's tasks framework with its
database backend, `actiontrack worker --once`) issues it; a report edited meanwhile is not issued, and the page
says why. The rest of the suite runs jobs within the request (ACTIONTRACK_TASK_BACKEND=immediate)."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.reports import renderers, services
from actiontrack.reports.choices import ReportStatus
from actiontrack.reports.models import BoardReport, IssuedFile

# Committed as requests commit: the worker ends by closing its database connections, as a real one does.
pytestmark = pytest.mark.django_db(transaction=True)

QUEUED = override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def url(name, report):
    return reverse(f"reports:{name}", args=["PIP-PR", report.pk])


def words(response) -> str:
    return " ".join(response.content.decode().split())


@QUEUED
def test_the_request_only_asks_and_the_worker_issues_the_report(november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    response = client.post(url("issue", november_report), {"version": november_report.version}, follow=True)
    page = words(response)
    assert response.status_code == 200 and "is being issued" in page and "Being issued" in page
    assert "Check again" in page and 'hx-trigger="every 4s"' in response.content.decode()
    assert BoardReport.objects.get(pk=november_report.pk).status == ReportStatus.DRAFT
    [job] = BackgroundJob.objects.all()
    assert (job.kind, job.status, job.requested_by) == ("report_issue", BackgroundJob.Status.QUEUED, plan_manager)
    # Asking again while it waits is refused, saying who asked.
    again = words(client.post(url("issue", november_report), {"version": november_report.version}))
    assert "already being issued" in again and "Priya Shah" in again

    call_command("worker", once=True, verbosity=0)

    report = BoardReport.objects.get(pk=november_report.pk)
    job.refresh_from_db()
    assert report.status == ReportStatus.ISSUED and report.issued_by == plan_manager
    assert job.status == BackgroundJob.Status.DONE and job.started_at and job.finished_at
    assert set(IssuedFile.objects.filter(report=report).values_list("format", flat=True)) == {"pdf", "docx", "html"}
    # The part of the page htmx asks for says it is done; the page itself shows the issued report.
    part = words(client.get(url("detail", report), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="issue-job"))
    assert "The report was issued" in part and "hx-trigger" not in part
    page = words(client.get(url("detail", report)))
    assert "Issued on" in page and "Being issued" not in page


@QUEUED
def test_a_report_edited_after_issuing_was_asked_for_is_not_issued_and_the_page_says_why(
        november_report, plan_manager, signed_in, monkeypatch):
    monkeypatch.setattr(renderers, "render", lambda fmt, data, **_: fmt.encode())  # the files are not the point here
    client = signed_in(plan_manager)
    client.post(url("issue", november_report), {"version": november_report.version})
    report = BoardReport.objects.get(pk=november_report.pk)
    services.report_update(actor=Actor.of(plan_manager), report=report, today=report.as_at,
                           expected_version=report.version, changes={"meeting": "Performance and Resources Board "
                                                                                "(reconvened)"})
    call_command("worker", once=True, verbosity=0)
    assert BoardReport.objects.get(pk=november_report.pk).status == ReportStatus.DRAFT
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.FAILED and "changed by someone else" in job.message
    page = words(client.get(url("detail", report)))
    assert "The report was not issued" in page and "issue it again" in page


@QUEUED
def test_someone_who_does_not_manage_the_plan_cannot_ask_for_it_to_be_issued(november_report, board_member,
                                                                             plan_manager, signed_in):
    # Shared with the board, so the board member can read the draft, and is refused only the issuing.
    services.report_share(actor=Actor.of(plan_manager), report=november_report, shared=True,
                          today=november_report.as_at)
    response = signed_in(board_member).post(url("issue", november_report), {"version": november_report.version + 1})
    assert response.status_code == 403 and not BackgroundJob.objects.exists()


def test_the_worker_says_there_is_nothing_to_do_when_jobs_run_within_requests():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ACTIONTRACK_TASK_BACKEND is 'immediate'"):
        call_command("worker", once=True)
