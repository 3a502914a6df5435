"""A plan manager's day in Chromium: an owner proposes a new due date and the plan manager accepts it from the
queue; two plan managers edit the same action and the second is shown both versions instead of overwriting
the first. Every page visited passes axe (WCAG 2.2 AA)."""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action, DateProposal, Plan
from actiontrack.plans.selectors import action_by_ref, periods
from actiontrack.plans.services import workflow

from .conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser


def action(ref) -> Action:
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def propose_page():
    """The owner's propose-a-date page, if the owner pages are there yet."""
    try:
        return reverse("owner:propose-date", args=["PIP-PR", "5.1"])
    except NoReverseMatch:
        return None


def test_an_owner_proposes_a_date_and_the_plan_manager_accepts_it_from_the_queue(sign_in, demo_site, tmp_path):
    page = sign_in("cparker")
    assert_accessible(page)
    page.goto(f"{demo_site}/plans/PIP-PR/actions/5.1/")
    assert_accessible(page)
    if propose_page():
        page.goto(f"{demo_site}{propose_page()}")
        assert_accessible(page)
        page.get_by_label("New due date").fill("31/03/2027")
        page.get_by_label("Reason").fill("Consultation on the restructure extended to March")
        page.get_by_role("button", name="Propose date").click()
        page.wait_for_url(f"{demo_site}/plans/PIP-PR/actions/5.1/**")
        assert_accessible(page)
    else:
        workflow.date_propose(actor=Actor.of(get_user_model().objects.get(username="cparker")),
                              action=action("5.1"), due_on=date(2027, 3, 31), due_condition="",
                              reason="Consultation on the restructure extended to March", today=timezone.localdate())
    assert DateProposal.objects.get().status == "pending"
    assert "Accept the proposed date" not in page.content()  # the owner cannot decide

    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/queue/")
    proposal = page.locator(".panel", has_text="Action 5.1: proposed 31/03/2027")
    assert "Consultation on the restructure extended to March" in proposal.inner_text()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "queue.png", full_page=True)
    proposal.get_by_label("Comment on accepting (optional)").fill("Agreed at the programme board")
    proposal.get_by_role("button", name="Accept the proposed date for action 5.1").click()
    page.get_by_role("status").get_by_text("Proposal accepted: action 5.1 is now due 31/03/2027.").wait_for()
    assert "Date proposals waiting for a decision (0)" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Action 5.1").first.click()
    page.get_by_role("heading", name="Action 5.1").wait_for()
    summary = " ".join(page.locator(".summary-list").first.inner_text().split())
    assert "Due date 31/03/2027" in summary
    assert f"31/07/2021 (revised twice, +{(date(2027, 3, 31) - date(2021, 7, 31)).days} days from baseline)" in summary
    assert "Accepted: Agreed at the programme board" in page.content()
    assert_accessible(page)
    assert (action("5.1").due_on, action("5.1").baseline_on) == (date(2027, 3, 31), date(2021, 7, 31))


def signed_in_context(browser, demo_site, username):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_site}/")
    return context, page


def two_tabs_on(browser, demo_site, path):
    """The plan manager signed in twice (two browsers, or two colleagues), both with `path` open."""
    opened = [signed_in_context(browser, demo_site, "pmo") for _ in range(2)]
    for _, page in opened:
        page.goto(f"{demo_site}{path}")
    return opened


def test_a_conflicting_edit_is_refused_and_shows_both_versions(browser, demo_site, tmp_path):
    edit = "/plans/PIP-PR/actions/3.1/edit/"
    (first_context, first), (second_context, second) = two_tabs_on(browser, demo_site, edit)
    assert_accessible(first)

    first.get_by_label("What the action is").fill("Covered by staff succession planning (first save).")
    first.get_by_label("Reason for the change").fill("Clearer wording")
    first.get_by_role("button", name="Save action").click()
    first.wait_for_url(f"{demo_site}/plans/PIP-PR/actions/3.1/")
    assert_accessible(first)

    second.get_by_label("What the action is").fill("Picked up in the annual strategy review (second save).")
    second.get_by_label("Reason for the change").fill("Shorter")
    second.get_by_role("button", name="Save action").click()
    second.get_by_role("heading", name="Someone else saved this while you were editing").wait_for()
    versions = " ".join(second.get_by_role("table").inner_text().split())
    assert "Covered by staff succession planning (first save)." in versions
    assert "Picked up in the annual strategy review (second save)." in versions
    assert second.get_by_label("What the action is").input_value() == (
        "Picked up in the annual strategy review (second save).")
    assert_accessible(second)
    second.screenshot(path=tmp_path / "conflict.png", full_page=True)
    assert action("3.1").text == "Covered by staff succession planning (first save)."

    first_context.close()
    second_context.close()


def test_two_plan_managers_editing_the_plans_details_at_once_see_each_others_changes(browser, demo_site, tmp_path):
    (first_context, first), (second_context, second) = two_tabs_on(browser, demo_site, "/plans/PIP-PR/edit/")
    first.get_by_label("Board").fill("Fire Authority")
    first.get_by_label("Reason for the change").fill("Reports now go to the authority")
    first.get_by_role("button", name="Save plan details").click()
    first.wait_for_url(f"{demo_site}/plans/PIP-PR/")

    second.get_by_label("Title").fill("Protection Improvement Plan")
    second.get_by_label("Reason for the change").fill("Shorter title")
    second.get_by_role("button", name="Save plan details").click()
    second.get_by_role("heading", name="Someone else saved this while you were editing").wait_for()
    assert second.title().startswith("Someone else saved the plan's details")
    rows = [" ".join(row.split()) for row in second.get_by_role("table").get_by_role("row").all_inner_texts()]
    # Only what the second manager changed, three ways: as opened, as stored now, as typed.
    assert rows[1:] == ["Title Protection Improvement Plan – Peer Review Protection Improvement Plan – Peer Review "
                        "Protection Improvement Plan"]
    assert second.get_by_label("Board").input_value() == "Fire Authority"  # the first manager's change is kept
    assert second.get_by_label("Title").input_value() == "Protection Improvement Plan"  # and theirs, to review
    assert_accessible(second)
    second.screenshot(path=tmp_path / "plan_conflict.png", full_page=True)
    second.get_by_role("button", name="Save my version").click()
    second.wait_for_url(f"{demo_site}/plans/PIP-PR/")
    plan = Plan.objects.get(reference="PIP-PR")
    assert (plan.title, plan.board) == ("Protection Improvement Plan", "Fire Authority")
    first_context.close()
    second_context.close()


def test_a_plan_manager_copies_in_a_plan_agreed_earlier_and_sees_it_as_at_then(sign_in, demo_site):
    page = sign_in("pmo")
    page.get_by_role("link", name="Create a plan").click()
    page.get_by_label("Reference").fill("HMI-2025")
    page.get_by_label("Title").fill("HMICFRS Inspection 2025")
    page.get_by_label("Agreed on").fill("01/01/2025")
    page.get_by_role("button", name="Create plan").click()
    page.get_by_role("heading", name="HMICFRS Inspection 2025").wait_for()
    page.get_by_role("link", name="Add a recommendation").click()
    assert page.get_by_label("In the plan since (optional)").input_value() == timezone.localdate().strftime(
        "%d/%m/%Y")
    assert_accessible(page)
    page.get_by_label("In the plan since (optional)").fill("01/12/2024")  # before the plan was agreed
    page.get_by_label("Text").fill("Improve the audit trail.")
    page.get_by_role("button", name="Add recommendation").click()
    assert page.title().startswith("Error: Add a recommendation")
    assert "is before the plan was agreed" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("In the plan since (optional)").fill("01/01/2025")
    page.get_by_role("button", name="Add recommendation").click()
    page.get_by_role("link", name="Add an action to recommendation 1").click()
    page.get_by_label("What the action is").fill("Publish the audit policy.")
    page.get_by_role("group", name="Owner", exact=True).get_by_label("Head of Protection", exact=True).check()
    page.get_by_label("Due date (optional)").fill("30/09/2025")
    page.get_by_label("In the plan since (optional)").fill("01/01/2025")
    assert_accessible(page)
    page.get_by_role("button", name="Add action").click()
    page.get_by_role("heading", name="Action 1.1").wait_for()

    page.goto(f"{demo_site}/plans/HMI-2025/")
    page.get_by_label("Show as at").fill("01/06/2025")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 1 June 2025").wait_for()
    table = page.get_by_role("table", name="Actions for recommendation 1 as at 01/06/2025")
    assert "Publish the audit policy." in table.inner_text() and "Amber" in table.inner_text()
    assert_accessible(page)


def test_a_plan_manager_locks_last_periods_updates_from_the_queue(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/queue/")
    links = page.get_by_role("link", name=re.compile(r"^Lock progress updates for .+ in PIP-PR$"))
    assert links.count() == 2
    last = re.match(r"Lock progress updates for (.+?)\s+in PIP-PR", links.nth(1).inner_text())[1]
    assert_accessible(page)
    links.nth(1).click()
    page.get_by_role("heading", name=f"Lock progress updates for {last}").wait_for()
    assert "has not ended" not in page.inner_text("main")  # last period is over: no confirmation needed
    assert_accessible(page)
    page.get_by_role("button", name=f"Lock progress updates for {last}").click()
    page.get_by_role("status").get_by_text(f"Progress updates for {last} are locked.").wait_for()
    assert page.get_by_role("link", name=re.compile(r"^Lock progress updates for")).count() == 1
    assert_accessible(page)


def test_the_running_period_is_locked_only_when_confirmed_and_can_be_unlocked_with_a_reason(sign_in, demo_site):
    this = periods.current_period(Plan.objects.get(reference="PIP-PR"), timezone.localdate())
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/queue/")
    page.get_by_role("link", name=f"Lock progress updates for {this.label} in PIP-PR").click()
    page.get_by_role("heading", name=re.compile(r"^Open actions with no update for")).wait_for()
    page.get_by_role("button", name=f"Lock progress updates for {this.label}").click()
    assert page.title().startswith("Error: ")
    assert f"Confirm that {this.label} is to be locked before it ends." in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Lock it before the period ends").check()
    page.get_by_role("button", name=f"Lock progress updates for {this.label}").click()
    page.get_by_role("status").get_by_text(f"Progress updates for {this.label} are locked.").wait_for()
    page.get_by_role("link", name=f"Unlock progress updates for {this.label} in PIP-PR").click()
    page.get_by_label("Why the updates are being unlocked").fill("A late correction before the board meets")
    assert_accessible(page)
    page.get_by_role("button", name=f"Unlock progress updates for {this.label}").click()
    page.get_by_role("status").get_by_text(f"Progress updates for {this.label} are unlocked").wait_for()
    assert not periods.is_locked(Plan.objects.get(reference="PIP-PR"), this)


def test_a_plan_manager_reorders_recommendations_from_the_plan_page(sign_in, demo_site):
    """The reorder buttons share one form (one CSRF token) and each posts to its own recommendation; the plan
    page shows the new order straight away, though its tables are kept between requests."""
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    headings = page.locator(".recommendation h3")
    assert headings.first.inner_text() == "Recommendation 1"
    page.get_by_role("button", name="Move down recommendation 1").click()
    page.wait_for_url(f"{demo_site}/plans/PIP-PR/**")
    assert "Recommendation 1 moved down." in page.content()
    assert [headings.nth(n).inner_text() for n in (0, 1)] == ["Recommendation 2", "Recommendation 1"]
    rows = page.locator("#plan-tools tbody th")
    assert [rows.nth(n).inner_text() for n in (0, 1)] == ["Recommendation 2", "Recommendation 1"]
    assert_accessible(page)
