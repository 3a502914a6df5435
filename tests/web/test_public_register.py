"""The public progress register: a plan manager publishes a plan and anyone, signed in or not, reads its latest
issued report's progress at /public/ — and nothing else. An anonymous visitor crawls every public page and finds
no draft, no history, no evidence, no exempt section and no person's name; a plan not published does not exist
for them; withdrawing removes it at once. Only plan managers publish; a plan with no issued report cannot be."""

import csv
import io
import json
import re
from datetime import date, timedelta
from io import StringIO
from urllib.parse import urljoin

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans.models import Action, Plan
from actiontrack.plans.services import evidence
from actiontrack.reports import services as reports
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.open_data import CSV_COLUMNS
from actiontrack.reports.publication import plan_publish

NOVEMBER = date(2021, 11, 30)
NAMES = ("Chris Parker", "Parker", "Earwicker", "Palmer", "Eaglestone", "Priya")
DRAFT_WORDS = "A draft paragraph the board has not yet seen"
EXEMPT_WORDS = "Commercially sensitive risk about a named contractor"
EVIDENCE_TITLE = "Signed communications plan, v3"


def issue(plan_manager, report, today=NOVEMBER, **changes):
    if changes:
        report = reports.report_update(actor=Actor.of(plan_manager), report=report, expected_version=report.version,
                                       changes=changes, today=today)
    return reports.report_issue(actor=Actor.of(plan_manager), report=report, today=today)


def crawl(client, start="/public/") -> dict[str, object]:
    """Every page reachable from /public/ by following its links within /public/, as an anonymous visitor."""
    seen, queue = {}, [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response
        if response["Content-Type"].startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)', response.content.decode()):
                target = urljoin(path, href)
                if target.startswith("/public/") and target not in seen:
                    queue.append(target)
    return seen


@pytest.fixture
def published(demo, plan_manager):
    """PIP-PR published with its November 2021 report issued; an exempt section, a later draft, some evidence
    and a second plan that is not published are there too, for the crawl to not find."""
    report, _ = load_demo_report()
    sections = {**report.sections, "risks_and_mitigations": EXEMPT_WORDS}
    issue(plan_manager, report, sections=sections, exemption="Exempt under paragraph 3 of Schedule 12A.",
          exempt_sections=["risks_and_mitigations"], show_holder_names=True)
    draft = reports.report_create(actor=Actor.of(plan_manager), plan=report.plan, meeting_date=date(2022, 1, 31),
                                  today=NOVEMBER + timedelta(days=1), meeting="Performance and Resources Board",
                                  subject="Protection Improvement Plan")
    reports.report_update(actor=Actor.of(plan_manager), report=draft, expected_version=draft.version,
                          changes={"sections": {**draft.sections, "executive_summary": DRAFT_WORDS}},
                          today=NOVEMBER + timedelta(days=1))
    evidence.evidence_add_link(actor=Actor.of(plan_manager), action=Action.objects.get(ref="1.1"),
                               title=EVIDENCE_TITLE, url="https://intranet.example.org/comms", today=NOVEMBER)
    Plan.objects.create(reference="SECRET-PLAN", title="A plan nobody published", agreed_on=NOVEMBER)
    plan_publish(actor=Actor.of(plan_manager), plan=report.plan, holder_names=False, effective_on=NOVEMBER)
    return report.plan


def test_an_anonymous_visitor_finds_the_issued_progress_and_nothing_else(published):
    pages = crawl(Client())
    assert {"/public/", "/public/PIP-PR/", "/public/accessibility/", "/public/PIP-PR/register.csv",
            "/public/PIP-PR/register.json"} <= set(pages)
    plan_page = pages["/public/PIP-PR/"].content.decode()
    assert "Recommendation 1" in plan_page and "Develop a communications plan to share with customers." in plan_page
    assert "Amber – On track but to be completed" in plan_page and "The communications plan is drafted" in plan_page
    journal_reasons = set(JournalEvent.objects.exclude(reason="").values_list("reason", flat=True))
    for path, response in pages.items():
        assert response.status_code == 200, path
        assert response["Cache-Control"] == "public, max-age=60", path  # these pages, and only these
        assert "Set-Cookie" not in response and "Cookie" not in response.get("Vary", ""), path
        text = response.content.decode("utf-8-sig")
        for secret in (DRAFT_WORDS, EXEMPT_WORDS, EVIDENCE_TITLE, "A plan nobody published", *NAMES):
            assert secret not in text, f"{secret!r} on {path}"
        assert not [reason for reason in journal_reasons if len(reason) > 25 and reason in text], path
        assert "/plans/" not in text and "/accounts/" not in text, path  # no way in to the app from here
    assert Client().get("/public/SECRET-PLAN/").status_code == 404
    assert Client().get("/public/SECRET-PLAN/register.csv").status_code == 404


def test_withdrawing_removes_every_public_page_of_the_plan_at_once(published):
    call_command("publish", "PIP-PR", "--unpublish", stdout=StringIO(), stderr=StringIO())
    visitor = Client()
    for path in ("/public/PIP-PR/", "/public/PIP-PR/register.csv", "/public/PIP-PR/register.json"):
        response = visitor.get(path)
        assert response.status_code == 404 and "private" in response["Cache-Control"], path
    assert "Protection Improvement Plan" not in visitor.get("/public/").content.decode()
    assert list(JournalEvent.objects.filter(field="published").values_list("new", flat=True)) == [
        {"published": True, "holder_names": False}, {"published": False, "holder_names": False}]


def test_post_holders_are_named_only_when_the_plan_chooses_and_the_report_named_them(published, plan_manager):
    assert "Chris Parker" not in Client().get("/public/PIP-PR/").content.decode()
    out = StringIO()
    call_command("publish", "PIP-PR", "--names", stdout=out, stderr=StringIO())
    assert "naming the post holders" in out.getvalue()
    assert "Head of Prevention and Protection (AM Chris Parker)" in Client().get("/public/PIP-PR/").content.decode()


def test_the_open_data_is_the_page_in_csv_and_json(published):
    rows = list(csv.DictReader(io.StringIO(Client().get("/public/PIP-PR/register.csv").content.decode("utf-8-sig"))))
    assert list(rows[0]) == CSV_COLUMNS
    assert [row["action_ref"] for row in rows] == list(
        Action.objects.filter(plan__reference="PIP-PR").order_by("recommendation__position", "position")
        .values_list("ref", flat=True))
    first = rows[0]
    assert (first["status"], first["status_colour"], first["progress_period"]) == (
        "Amber – On track but to be completed", "amber", "November 2021")
    data = json.loads(Client().get("/public/PIP-PR/register.json").content)
    assert data["schema"] == "actiontrack-public-register/1" and data["report"]["meeting_date"] == "2021-11-30"
    assert sum(count["count"] for count in data["status_counts"]) == len(rows) == 10
    assert data["recommendations"][0]["actions"][0]["ref"] == "1.1"
    assert data["recommendations"][0]["status_history"][0]["counts"] == [
        {"status": "Amber – On track but to be completed", "colour": "amber", "count": 1}]
    # The demo's invented audits measure, as the issued report worded it, on the page and in the data.
    [measure] = data["measures"]
    assert "(recommendation 4)" in measure and measure in Client().get("/public/PIP-PR/").content.decode()


def test_each_recommendation_shows_its_status_in_every_issued_report(published, plan_manager, owner):
    from actiontrack.plans.services import workflow
    from actiontrack.reports.models import BoardReport

    action = Action.objects.get(plan__reference="PIP-PR", ref="1.1")
    evidence.evidence_add_link(actor=Actor.of(owner), action=action, title="Plan", today=date(2021, 12, 20),
                               url="https://intranet.example.org/plan")
    workflow.action_complete(actor=Actor.of(owner), action=action, completed_on=date(2021, 12, 20),
                             today=date(2021, 12, 20))
    january = BoardReport.objects.get(plan=published, meeting_date=date(2022, 1, 31))  # the fixture's draft
    issue(plan_manager, january, today=date(2022, 1, 31))
    page = Client().get("/public/PIP-PR/").content.decode()
    history = re.search(r"Status in each report issued: recommendation 1</caption>.*?</table>", page, re.S).group(0)
    assert re.search(r"30/11/2021.*Amber – On track but to be completed.*31/01/2022.*Green – Complete", history,
                     re.S)
    assert Action.objects.get(pk=action.pk).lifecycle == Lifecycle.COMPLETED


def test_a_report_whose_action_table_is_exempt_publishes_no_actions(demo, plan_manager):
    report, _ = load_demo_report()
    issue(plan_manager, report, exemption="Exempt under paragraph 3 of Schedule 12A.",
          exempt_sections=["options_and_analysis"])
    call_command("publish", "PIP-PR", stdout=StringIO(), stderr=StringIO())
    page = Client().get("/public/PIP-PR/").content.decode()
    assert "exempt from publication" in page and "Develop a communications plan" not in page
    assert Client().get("/public/PIP-PR/register.csv").content.decode("utf-8-sig").strip() == ",".join(CSV_COLUMNS)


def test_only_a_plan_manager_publishes_and_only_a_plan_with_an_issued_report(demo, signed_in, plan_manager, owner,
                                                                           outsider):
    page = "/plans/PIP-PR/publish/"
    assert signed_in(outsider).get(page).status_code == 404
    assert signed_in(owner).post(page, {}).status_code == 403
    refused = signed_in(plan_manager).post(page, {})
    assert refused.status_code == 400 and "Issue a board report for PIP-PR first" in refused.content.decode()
    assert Plan.objects.get(reference="PIP-PR").published_at is None
    with pytest.raises(CommandError, match="Issue a board report for PIP-PR first"):
        call_command("publish", "PIP-PR", stdout=StringIO(), stderr=StringIO())
    report, _ = load_demo_report()
    issue(plan_manager, report)
    client = signed_in(plan_manager)
    assert client.post(page, {}).status_code == 302
    shown = client.get(page).content.decode()
    assert "Published" in shown and 'href="/public/PIP-PR/"' in shown
    assert client.post(page, {"withdraw": "1"}).status_code == 302
    assert Plan.objects.get(reference="PIP-PR").published_at is None


def test_an_inspection_plan_says_each_finding_as_its_source_does_and_marks_supporting_owners(db):
    from actiontrack.plans import services as plan_services
    from tests.builders import AGREED, SET_UP, a_grouped_plan, a_post, an_action

    plan = a_grouped_plan()
    action = an_action(plan, "E1b")
    plan_services.action_change_owners(actor=SET_UP, action=action, owner_posts=list(action.owner_posts.all()),
                                       supporting_posts=[a_post("Station Manager Community Safety")],
                                       reason="Operational lead named.", effective_on=AGREED)
    day = AGREED + timedelta(days=60)
    report = reports.report_create(actor=SET_UP, plan=plan, meeting_date=day, today=day, meeting="Fire Authority",
                                   subject="HMICFRS action plan")
    reports.report_issue(actor=SET_UP, report=report, today=day)
    plan_publish(actor=SET_UP, plan=plan, holder_names=False, effective_on=day)
    page = Client().get(f"/public/{plan.reference}/").content.decode()
    assert "Area for improvement AFI 3" in page and "Recommendation AFI 3" not in page
    assert "Head of Delivery / Station Manager Community Safety, supporting" in page
    data = json.loads(Client().get(f"/public/{plan.reference}/register.json").content)
    assert {rec["ref"]: rec["kind"] for rec in data["recommendations"]}["AFI 3"] == "Area for improvement"
