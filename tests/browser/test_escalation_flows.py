"""In Chromium: a plan manager sets the plan's escalation rule (a senior point that is not after the managers' is
said beside its field), the daily run raises the overdue actions and the queue lists them; an owner chooses which
notifications their daily email lists. Every page passes axe (WCAG 2.2 AA)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from actiontrack.notify.models import ReminderPreference
from actiontrack.plans.models import Escalation, Plan
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_sets_an_escalation_rule_and_the_queue_lists_what_it_raised(sign_in, demo_site):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/edit/")
    page.get_by_role("heading", name="Escalation").wait_for()
    page.get_by_label("Escalate to the plan managers after (days overdue)").fill("30")
    page.get_by_label("Escalate to a senior post after (days overdue)").fill("20")
    page.get_by_label("Senior post (optional)").select_option(label="Head of Ops Policy")
    page.get_by_role("button", name=re.compile(r"^Save")).click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "The senior post is told after the plan managers: more than 30 days" in page.content()
    assert_accessible(page)
    page.get_by_label("Escalate to a senior post after (days overdue)").fill("90")
    page.get_by_label("Reason for the change").fill("Board asked for overdue actions to be raised")
    page.get_by_role("button", name=re.compile(r"^Save")).click()
    page.wait_for_url(re.compile(r"/plans/PIP-PR/$"))
    plan = Plan.objects.get(reference="PIP-PR")
    assert (plan.escalate_after_days, plan.escalate_senior_after_days) == (30, 90)

    call_command("remind", stdout=StringIO(), stderr=StringIO())
    raised = Escalation.objects.filter(action__plan=plan, level=1).count()
    assert raised > 0  # the demo plan's long-overdue actions
    page.goto(f"{demo_site}/plans/PIP-PR/queue/")
    page.get_by_role("heading", name=f"Escalated ({raised})").wait_for()
    assert_accessible(page)


def test_an_owner_chooses_what_the_daily_email_lists(sign_in, demo_site):
    page = sign_in("cparker")
    page.get_by_role("link", name="Your account").click()
    mentioned = page.get_by_role("group", name="You were mentioned in a comment")
    mentioned.wait_for()
    assert_accessible(page)
    mentioned.get_by_label("Not by email").check()
    page.get_by_role("group", name="Your action was returned by the verifier").get_by_label("By email at once").check()
    page.get_by_role("button", name="Save these choices").click()
    page.get_by_text(re.compile(r"Saved\. Of the \d+ kinds of notification")).wait_for()
    preference = ReminderPreference.objects.get(user__username="cparker")
    assert (preference.kinds_off, preference.kinds_at_once) == (["mentioned"], ["returned"])
    assert page.get_by_role("group", name="You were mentioned in a comment").get_by_label("Not by email").is_checked()
    assert_accessible(page)
