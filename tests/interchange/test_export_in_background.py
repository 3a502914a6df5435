"""A large plan's download is prepared by the worker, not in the request (ACTIONTRACK_EXPORT_IN_BACKGROUND_FROM
actions; here the demo's ten count as large): the board member asks for it, the real worker (`actiontrack worker
--once`) writes it into the file store, and the same address then serves it - read back, it is the plan - to
anyone who may see the plan, until the plan changes. Someone who may not see the plan is told it does not
exist, and asks for nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.plans import services
from actiontrack.plans.selectors import action_by_ref

# Committed as requests commit: the worker ends by closing its database connections, as a real one does.
pytestmark = pytest.mark.django_db(transaction=True)
QUEUED = override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                           EXPORT_IN_BACKGROUND_FROM=10)
URL = reverse("interchange:export", args=["PIP-PR", "xlsx"]) + "?as_at=30/11/2021"


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def refs_in(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content))["Actions"]
    return sorted(str(row[2]) for row in sheet.iter_rows(min_row=2, values_only=True) if row[2])


@QUEUED
def test_a_large_plans_download_is_prepared_by_the_worker_and_then_served(signed_in, board_member, verifier, demo):
    client = signed_in(board_member)
    page = client.get(URL)
    assert page.status_code == 200 and "prepared in the background" in page.text
    assert "Prepare the Excel tracker" in page.text and BackgroundJob.objects.count() == 0  # a GET asks nothing

    assert client.post(URL).status_code == 302
    client.post(URL)  # asked twice: still one job
    job = BackgroundJob.objects.get(kind="export")
    assert job.status == "queued" and job.requested_by == board_member
    waiting = client.get(URL, headers={"HX-Request": "true", "HX-Target": "export-job"})
    assert "Being prepared" in waiting.text and 'hx-trigger="every 3s"' in waiting.text

    call_command("worker", once=True, verbosity=0)
    ready = client.get(URL, headers={"HX-Request": "true", "HX-Target": "export-job"})
    assert "Ready" in ready.text and "Download the Excel tracker" in ready.text
    download = client.get(URL)
    assert download["Content-Disposition"] == 'attachment; filename="PIP-PR-as-at-2021-11-30.xlsx"'
    refs = refs_in(download.content)
    assert len(refs) == 10 and "3.1" in refs

    # Another person who can see the plan gets the same file, without asking again.
    again = signed_in(verifier).get(URL)
    assert again.content == download.content and BackgroundJob.objects.filter(kind="export").count() == 1


@QUEUED
def test_after_the_plan_changes_the_prepared_file_is_not_served(signed_in, board_member, demo):
    client = signed_in(board_member)
    client.post(URL)
    call_command("worker", once=True, verbosity=0)
    assert client.get(URL)["Content-Type"].startswith("application/vnd.openxmlformats")
    action = action_by_ref(demo.plan, "3.1")
    services.action_change_text(actor=Actor.system("Test", ChangeSource.CLI), action=action, text="Reworded.",
                                reason="Test.", effective_on=action.plan.agreed_on)
    assert "Prepare the Excel tracker" in client.get(URL).text


@QUEUED
def test_a_failure_says_so_and_can_be_tried_again(signed_in, board_member, demo, monkeypatch):
    from actiontrack.interchange.exporting import export_xlsx

    client = signed_in(board_member)
    client.post(URL)
    monkeypatch.setattr(export_xlsx, "render", lambda plan, as_at: 1 / 0)
    call_command("worker", once=True, verbosity=0)  # the worker logs the error and goes on
    page = client.get(URL)
    assert "It could not be prepared" in page.text and "Something went wrong on the server" in page.text
    monkeypatch.undo()
    client.post(URL)
    call_command("worker", once=True, verbosity=0)
    assert len(refs_in(client.get(URL).content)) == 10


@QUEUED
def test_someone_who_cannot_see_the_plan_asks_for_nothing(signed_in, outsider, demo):
    client = signed_in(outsider)
    assert client.get(URL).status_code == 404 and client.post(URL).status_code == 404
    assert not BackgroundJob.objects.exists()


def test_a_small_plan_downloads_at_once(signed_in, board_member, demo):
    response = signed_in(board_member).get(URL)
    assert len(refs_in(response.content)) == 10 and not BackgroundJob.objects.exists()


@QUEUED
def test_jobs_that_ended_long_ago_are_forgotten_when_the_next_is_asked_for(signed_in, board_member, demo):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    client = signed_in(board_member)
    client.post(URL)
    call_command("worker", once=True, verbosity=0)
    old = BackgroundJob.objects.get()
    BackgroundJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=91))
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=8))
    recent = BackgroundJob.objects.create(kind="export", object_id=demo.plan.pk, label="recent", status="done",
                                          finished_at=timezone.now() - timedelta(days=89))
    client.post(reverse("interchange:export", args=["PIP-PR", "csv"]))
    assert set(BackgroundJob.objects.values_list("label", flat=True)) == {
        "recent", "CSV of PIP-PR as at " + timezone.localdate().strftime("%d/%m/%Y")}
    assert DBTaskResult.objects.count() == 1 and BackgroundJob.objects.filter(pk=recent.pk).exists()


@QUEUED
def test_one_plans_prepared_download_is_never_served_for_another_plan(signed_in, board_member, demo):
    """Two plans asked for in the same format and as at the same date, with nothing journalled between: each
    gets its own file (the job is found by plan and key, not by key alone)."""
    from actiontrack.plans.models import PlanRole
    from tests.builders import a_plan

    other = a_plan(actions=10, reference="OTHER-1", title="Another plan entirely", agreed_on=demo.plan.agreed_on)
    PlanRole.objects.create(user=board_member, plan=other, role="viewer")
    client = signed_in(board_member)
    client.post(URL)  # the demo plan's, prepared
    call_command("worker", once=True, verbosity=0)
    theirs = reverse("interchange:export", args=["OTHER-1", "xlsx"]) + "?as_at=30/11/2021"
    page = client.get(theirs)
    assert page["Content-Type"].startswith("text/html") and "Prepare the Excel tracker" in page.text
    client.post(theirs)
    call_command("worker", once=True, verbosity=0)
    refs = refs_in(client.get(theirs).content)
    assert len(refs) == 10 and all(ref.startswith("1.") for ref in refs)  # its own ten, not the demo's
