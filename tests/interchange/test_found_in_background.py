"""A long list from Find actions downloads through the worker, not in the request (as long as
ACTIONTRACK_EXPORT_IN_BACKGROUND_FROM actions; here the demo's ten count as long): a board member asks for the
red and amber actions as CSV, the real worker (`actiontrack worker --once`) finds them as that person and writes
the file, and the same address then serves it - read back, it is the list the page shows. It is theirs alone:
another person asking for the same list asks again and gets what they may see. A short list still downloads at
once."""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from openpyxl import load_workbook

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.core.models import BackgroundJob
from actiontrack.interchange.exporting.found_jobs import search_from_json, search_to_json
from actiontrack.plans import services
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.selectors.finder import Search

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits and closes its connections
QUEUED = override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
                           EXPORT_IN_BACKGROUND_FROM=10)
URL = "/actions/?as_at=30/11/2021&sort=-due&format="
HTMX = {"HX-Request": "true", "HX-Target": "export-job"}


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_refs(content: bytes) -> list[str]:
    return [row["Action"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]


@QUEUED
def test_a_long_list_is_prepared_by_the_worker_and_then_served_to_the_person_who_asked(
        signed_in, board_member, verifier, demo):
    client = signed_in(board_member)
    page = client.get(URL + "csv")
    assert page.status_code == 200 and "The list has 10 actions" in page.text
    assert "prepared in the background" in page.text and BackgroundJob.objects.count() == 0  # a GET asks nothing

    assert client.post(URL + "csv").status_code == 302
    client.post(URL + "csv")  # asked twice: still one job
    job = BackgroundJob.objects.get(kind="found_actions")
    assert job.status == "queued" and job.requested_by == board_member and job.label.startswith("CSV file of 10")
    assert "Being prepared" in client.get(URL + "csv", headers=HTMX).text

    call_command("worker", once=True, verbosity=0)
    assert "Download the CSV file" in client.get(URL + "csv", headers=HTMX).text
    download = client.get(URL + "csv")
    assert download["Content-Disposition"] == 'attachment; filename="actions-2021-11-30.csv"'
    shown = client.get("/actions/?as_at=30/11/2021&sort=-due").text  # the page lists the same, in that order
    refs = csv_refs(download.content)
    assert len(refs) == 10 and [shown.index(f">{ref}<") for ref in refs] == sorted(
        shown.index(f">{ref}<") for ref in refs)

    # Someone else asking for the same address does not get this person's file: they ask for their own.
    other = signed_in(verifier).get(URL + "csv")
    assert other.status_code == 200 and "Prepare the CSV file" in other.text


@QUEUED
def test_after_a_change_the_prepared_list_is_not_served_and_xlsx_comes_the_same_way(signed_in, board_member, demo):
    client = signed_in(board_member)
    client.post(URL + "xlsx")
    call_command("worker", once=True, verbosity=0)
    served = client.get(URL + "xlsx")
    assert served["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(served.content))["Actions"].max_row == 11  # the header and ten actions
    action = action_by_ref(demo.plan, "3.1")
    services.action_change_text(actor=Actor.system("Test", ChangeSource.CLI), action=action, text="Reworded.",
                                reason="Test.", effective_on=action.plan.agreed_on)
    assert "Prepare the Excel workbook" in client.get(URL + "xlsx").text


@QUEUED
def test_a_short_list_downloads_at_once(signed_in, board_member, demo):
    response = signed_in(board_member).get("/actions/?as_at=30/11/2021&rag=amber&format=csv")
    assert response.status_code == 200 and len(csv_refs(response.content)) == 3
    assert not BackgroundJob.objects.exists()


def test_a_search_survives_the_trip_to_the_worker():
    from datetime import date

    from actiontrack.domain.lifecycle import Lifecycle

    search = Search(q="fire", plans=("PIP-PR", "HMI-23"), lifecycle=Lifecycle.IN_PROGRESS, owner_post=4,
                    due_before=date(2022, 1, 1), overdue=False, revised=True, sort="-due")
    assert search_from_json(search_to_json(search)) == search
    assert search_from_json(search_to_json(Search())) == Search()


@QUEUED
def test_a_change_to_a_plan_they_cannot_see_leaves_their_prepared_list_served(signed_in, board_member, demo):
    from tests.builders import a_plan

    client = signed_in(board_member)
    client.post(URL + "csv")
    call_command("worker", once=True, verbosity=0)
    a_plan(actions=2, reference="ELSEWHERE")  # journalled, in a plan the board member cannot see
    served = client.get(URL + "csv")
    assert served["Content-Type"].startswith("text/csv") and len(csv_refs(served.content)) == 10


@QUEUED
def test_one_list_at_a_time_each_so_nobody_fills_the_workers_queue(signed_in, board_member, demo):
    client = signed_in(board_member)
    assert client.post(URL + "csv").status_code == 302  # queued, not yet prepared
    refused = client.post("/actions/?as_at=01/11/2021&format=csv")
    assert refused.status_code == 400
    assert "CSV file of 10 actions as at 30/11/2021 is still being prepared for you" in refused.text
    assert BackgroundJob.objects.filter(kind="found_actions").count() == 1
    call_command("worker", once=True, verbosity=0)
    assert client.post("/actions/?as_at=01/11/2021&format=csv").status_code == 302  # now it may be asked for
