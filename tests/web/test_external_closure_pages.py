"""The plan manager records closure by an outside body on the web: submits a completed action to HMICFRS, then
records their letter (uploaded as evidence); the action page, the plan page and the board report say so. An
owner is refused and an outsider told nothing; a mistake is said beside its field."""



import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action
from actiontrack.plans.services import evidence, workflow
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.selectors import report_data

URL = reverse("external:action", args=["PIP-PR", "5.1"])


@pytest.fixture
def completed(demo, owner):
    today = timezone.localdate()
    action = Action.objects.get(plan__reference="PIP-PR", ref="5.1")
    evidence.evidence_add_link(actor=Actor.of(owner), action=action, title="Paper", today=today,
                               url="https://intranet.example.org/paper")
    workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=today, today=today)


def test_a_plan_manager_submits_and_records_the_letter(completed, signed_in, plan_manager):
    client = signed_in(plan_manager)
    today = timezone.localdate().strftime("%d/%m/%Y")
    mistaken = client.post(URL, {"step": "submit", "body": "", "submitted_on": today})
    assert mistaken.status_code == 400 and "Submitted to: This field is required." in mistaken.content.decode()
    assert client.post(URL, {"step": "submit", "body": "HMICFRS", "reference": "CoC-7",
                             "submitted_on": today}).status_code == 302
    assert "Waiting for HMICFRS" in client.get(reverse("action", args=["PIP-PR", "5.1"])).content.decode()
    letter = SimpleUploadedFile("letter.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    assert client.post(URL, {"step": "closed", "letter": "HMI/22/31", "closed_on": today,
                             "letter_file": letter}).status_code == 302
    action = Action.objects.get(plan__reference="PIP-PR", ref="5.1")
    assert action.lifecycle == "closed" and action.evidence.filter(title="HMICFRS letter HMI/22/31").exists()
    shown = f"Closed by HMICFRS on {timezone.localdate():%d/%m/%Y} (letter HMI/22/31)"
    assert shown in client.get(reverse("action", args=["PIP-PR", "5.1"])).content.decode()
    assert shown in client.get(reverse("plan", args=["PIP-PR"])).content.decode()
    report, _ = load_demo_report()
    report.as_at = report.meeting_date = timezone.localdate()
    [row] = [r for t in report_data(report).blocks("action_table") for r in t.rows if r.ref == "5.1"]
    assert row.reason.endswith(shown)


@pytest.mark.parametrize("who, status", [("owner", 403), ("outsider", 404)])
def test_anyone_but_a_plan_manager_is_refused(completed, signed_in, request, who, status):
    client = signed_in(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.post(URL, {"step": "submit", "body": "HMICFRS", "submitted_on": "01/01/2022"}).status_code == status
    assert Action.objects.get(plan__reference="PIP-PR", ref="5.1").external_closure is None
