"""Escalation by a plan's rule: an open action overdue past the plan managers' point is raised with them, past
the senior point with the senior post's holders; once per level and due date (a new due date starts again);
never for a closed action or a plan without a rule; listed in the queue and folded into the digest."""

from datetime import date, timedelta
from io import StringIO

from django.core.management import call_command

from actiontrack.people.models import Post
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.models import Action, Escalation, Notification, Plan
from actiontrack.plans.services.escalations import escalations_raise
from tests.builders import a_person, a_plan, a_post

DUE = date(2022, 1, 31)


def a_plan_with_a_rule(**rule):
    post = a_post("Head of Delivery", holder="Dee Livery")
    plan = a_plan(actions=3, reference="ESC-1", due=[DUE, DUE, DUE + timedelta(days=60)], owners=[post],
                  escalate_after_days=30, **rule)
    manager = a_person("manager", plan=plan, role="manager", email="manager@example.org")
    return plan, manager


def test_an_action_overdue_past_the_managers_point_is_raised_with_them_once(db):
    plan, manager = a_plan_with_a_rule()
    assert escalations_raise(today=DUE + timedelta(days=29)) == []
    raised = escalations_raise(today=DUE + timedelta(days=30))
    assert sorted(e.action.ref for e in raised) == ["1.1", "1.2"] and {e.level for e in raised} == {1}
    notes = Notification.objects.filter(user=manager, kind=NotificationKind.ESCALATED)
    assert notes.count() == 2 and "is 30 days overdue" in notes.first().text
    assert escalations_raise(today=DUE + timedelta(days=31)) == []  # once
    # A new due date starts again; a closed action is never raised.
    Action.objects.filter(plan=plan, ref="1.1").update(due_on=DUE + timedelta(days=10))
    Action.objects.filter(plan=plan, ref="1.2").update(lifecycle="closed")
    assert [e.action.ref for e in escalations_raise(today=DUE + timedelta(days=40))] == ["1.1"]


def test_past_the_senior_point_the_senior_posts_holder_is_told(db):
    senior = a_person("dcfo", first_name="Deputy", last_name="Chief")
    post = a_post("Deputy Chief Fire Officer", user=senior)
    plan, manager = a_plan_with_a_rule(escalate_senior_after_days=60, escalate_senior_post=post)
    escalations_raise(today=DUE + timedelta(days=90))
    assert Notification.objects.filter(user=senior, kind=NotificationKind.ESCALATED).count() == 2  # 1.1, 1.2
    assert Notification.objects.filter(user=manager, kind=NotificationKind.ESCALATED).count() == 3  # 1.3 at 30
    assert set(Escalation.objects.values_list("level", flat=True)) == {1, 2}


def test_a_plan_without_a_rule_is_never_escalated(db):
    a_plan(actions=2, reference="NO-RULE", due=DUE)
    assert escalations_raise(today=DUE + timedelta(days=400)) == []


def test_remind_raises_them_and_the_queue_lists_them(db, signed_in, smtp):
    plan, manager = a_plan_with_a_rule()
    call_command("remind", date=(DUE + timedelta(days=45)).isoformat(), stdout=StringIO(), stderr=StringIO())
    [digest] = smtp.to("manager@example.org")
    text = digest.get_body(("plain",)).get_content()
    assert "An action is overdue past the plan's escalation point" in text and "is 45 days overdue" in text
    page = signed_in(manager).get("/queue/").content.decode()
    assert "Escalated (2)" in page and "The plan managers" in page


def test_the_plan_form_keeps_the_rule_and_says_what_is_missing(db, signed_in):
    plan, manager = a_plan_with_a_rule()
    senior = Post.objects.create(name="Chief Fire Officer")
    client = signed_in(manager)
    form = client.get(f"/plans/{plan.reference}/edit/").content.decode()
    assert "Escalate to the plan managers after (days overdue)" in form
    assert Plan.objects.get(pk=plan.pk).escalate_after_days == 30
    assert senior.pk  # offered as a choice
    assert f'<option value="{senior.pk}">Chief Fire Officer</option>' in form
