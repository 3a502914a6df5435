"""Applying an import is done by the background worker, not in the plan manager's request: confirming the
preview is answered at once with a page that waits for the job, nothing in the plan changes until the real
worker (`actiontrack worker --once`, Django's tasks framework with its database backend) applies it, and then
the page takes the plan manager to the plan saying what changed. A plan changed meanwhile so that the file no
longer fits is not imported, and the preview says why; someone who may not import is refused on the spot.
The rest of the suite applies imports within the request (ACTIONTRACK_TASK_BACKEND=immediate)."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.interchange import jobs
from actiontrack.plans.models import Plan, PlanRole
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services import roles

from .test_pages import start

pytestmark = pytest.mark.django_db(transaction=True)
QUEUED = override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def words(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def checked(client, preview) -> str:
    """The preview page once the worker has worked the preview out."""
    page = client.get(preview).content.decode()
    if "Being checked" in page:
        call_command("worker", once=True, verbosity=0)
        page = client.get(preview).content.decode()
    return page


def confirm(client, preview):
    version = re.search(r'name="version" value="([0-9a-f]+)"', checked(client, preview))[1]
    return client.post(preview, {"action": "apply", "version": version}, follow=True)


@QUEUED
def test_the_worker_works_out_the_preview_while_the_page_waits_for_it(signed_in, plan_manager):
    client = signed_in(plan_manager)
    preview = start(client)
    waiting = client.get(preview)
    page = words(waiting)
    assert waiting.status_code == 200 and "Being checked" in page and "Nothing has been changed" in page
    assert "Check tracker.xlsx against PIP-PR: waiting to start, asked for by Priya Shah" in page
    assert 'hx-trigger="every 3s"' in waiting.content.decode() and "Apply import" not in page
    client.get(preview)  # asking again while it waits does not queue it twice
    [job] = BackgroundJob.objects.all()
    assert (job.kind, job.status) == ("import_preview", BackgroundJob.Status.QUEUED)

    call_command("worker", once=True, verbosity=0)

    part = client.get(preview, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-job")
    assert part["HX-Redirect"] == preview  # the waiting page reloads itself into the preview
    page = words(client.get(preview))
    assert "Check the import" in page and "Succession planning, reviewed yearly." in page and "Apply import" in page
    assert BackgroundJob.objects.count() == 1  # kept: reloading does not work it out again


@QUEUED
def test_the_request_only_asks_and_the_worker_applies_the_import(signed_in, plan_manager):
    client = signed_in(plan_manager)
    preview = start(client)
    response = confirm(client, preview)
    page = words(response)
    assert response.status_code == 200 and "is being imported" in page and "Being imported" in page
    assert "Import tracker.xlsx into PIP-PR: waiting to start, asked for by Priya Shah" in page
    assert 'hx-trigger="every 3s"' in response.content.decode() and "Check again" in page
    plan = Plan.objects.get(reference="PIP-PR")
    assert action_by_ref(plan, "3.1").text != "Succession planning, reviewed yearly."  # nothing changed yet
    job = BackgroundJob.objects.get(kind="import_apply")
    assert (job.status, job.requested_by) == (BackgroundJob.Status.QUEUED, plan_manager)

    call_command("worker", once=True, verbosity=0)

    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    assert action_by_ref(plan, "3.1").text == "Succession planning, reviewed yearly."
    # The part of the page htmx asks for sends the whole page to the plan; there it says what changed.
    part = client.get(preview, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="import-job")
    assert part["HX-Redirect"] == reverse("plan", args=["PIP-PR"])
    followed = words(client.get(reverse("plan", args=["PIP-PR"])))
    assert "Imported tracker.xlsx into PIP-PR: 1 action updated." in followed
    assert client.get(preview).status_code == 404  # the import is over


@QUEUED
def test_a_plan_manager_whose_role_ends_before_the_worker_applies_it_changes_nothing(
        signed_in, plan_manager, administrator):
    client = signed_in(plan_manager)
    preview = start(client)
    confirm(client, preview)
    plan = Plan.objects.get(reference="PIP-PR")
    before = action_by_ref(plan, "3.1").text
    # Meanwhile an administrator takes the plan manager role away.
    roles.role_revoke(actor=Actor.of(administrator), grant=PlanRole.objects.get(plan=plan, user=plan_manager,
                                                                                role="manager"), today=date.today())
    call_command("worker", once=True, verbosity=0)
    job = BackgroundJob.objects.get(kind="import_apply")
    assert job.status == BackgroundJob.Status.FAILED and "import into it" in job.message
    assert action_by_ref(plan, "3.1").text == before
    assert client.get(preview).status_code == 404  # the plan is no longer theirs to see: not found, as for anyone


@QUEUED
def test_someone_who_does_not_manage_the_plan_is_refused_at_once(signed_in, plan_manager, owner, client):
    manager = signed_in(plan_manager)
    preview = start(manager)
    version = re.search(r'name="version" value="([0-9a-f]+)"', checked(manager, preview))[1]
    client.force_login(owner)  # the owner has the preview's address but not the import in their session
    assert client.post(preview, {"action": "apply", "version": version}).status_code == 404
    assert not BackgroundJob.objects.filter(kind="import_apply").exists()


@QUEUED
def test_a_preview_that_could_not_be_worked_out_says_why_and_try_again_asks_the_worker_again(
        signed_in, plan_manager, monkeypatch):
    client = signed_in(plan_manager)
    preview = start(client)
    client.get(preview)
    real = jobs.run_import

    def unreadable(**kwargs):
        raise ValidationError("The file store could not be read just now.")

    monkeypatch.setattr(jobs, "run_import", unreadable)
    call_command("worker", once=True, verbosity=0)
    failed = client.get(preview)
    page = words(failed)
    assert failed.status_code == 400 and "It could not be done" in page
    assert "The file store could not be read just now." in page and "hx-trigger" not in failed.content.decode()
    assert words(client.get(preview)) == page  # reloading shows the failure; it does not queue again by itself
    assert BackgroundJob.objects.filter(kind="import_preview").count() == 1

    monkeypatch.setattr(jobs, "run_import", real)
    assert "Being checked" in words(client.get(preview + "?again=1"))  # "Try again"
    call_command("worker", once=True, verbosity=0)
    assert "Apply import" in words(client.get(preview))
