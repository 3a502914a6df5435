"""`actiontrack remind` against a real SMTP server (tests/servers/smtp.py, the `smtp` fixture):
each owner, plan manager and verifier gets one digest, in plain text and HTML, with links back to the actions; running
again the same day sends nothing; someone who turned reminders off gets nothing.

The day is 20 December 2021: the owner's open actions (1.1, 3.1 and 5.1) are due on 31 December, within the
plan's 14-day window, and none has a progress update for December."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actiontrack.core.journal import Actor
from actiontrack.notify.models import ReminderSent
from actiontrack.notify.services import reminders_set
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans.models import Action, Plan, PlanRole
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services import workflow
from tests.builders import a_person, a_plan, a_post
from tests.servers.smtp import SMTP_SITE, free_port

pytestmark = pytest.mark.django_db
DAY = "2021-12-20"
SITE = SMTP_SITE


def remind(*args, **options):
    out = StringIO()
    call_command("remind", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_each_owner_gets_one_digest_in_text_and_html_with_links_to_the_actions(smtp, demo):
    out = remind(date=DAY)
    [digest] = smtp.to("cparker@example.org")
    assert digest["From"] == "actiontrack <actiontrack@example.org>"
    assert digest["Subject"] == ("actiontrack reminder for 20/12/2021: Your actions: 3 due soon, 3 missing a "
                                 "progress update")
    text, html = parts(digest)
    for ref in ("1.1", "3.1", "5.1"):
        assert f"action {ref}" in text
        assert f"{SITE}/plans/PIP-PR/actions/{ref}/" in text
        assert f'<a href="{SITE}/plans/PIP-PR/actions/{ref}/">' in html
    assert "Due in 11 days, on 31 December 2021." in text and "Due in 11 days, on 31 December 2021." in html
    assert "No progress update for December 2021 yet." in text
    assert "action 4.1" not in text  # completed: nothing to remind
    assert f"{SITE}/account/#reminders" in text and f'href="{SITE}/account/#reminders"' in html
    assert "Sent to Chris Parker <cparker@example.org>" in out


def test_an_owner_with_nothing_open_gets_nothing(smtp, demo):
    remind(date=DAY)
    assert smtp.to("earwicker@example.org") == []  # 2.2 and 6.1 are complete


def test_overdue_actions_come_first_and_say_what_to_do(smtp, demo):
    remind(date="2022-01-10")
    text, _ = parts(smtp.to("cparker@example.org")[0])
    assert "Overdue: it was due 31/12/2021 (On Approval). Complete it with evidence, or propose a new date." in text
    assert smtp.to("cparker@example.org")[0]["Subject"].endswith("Your actions: 3 overdue, 3 missing a progress "
                                                                 "update")


def test_an_update_written_this_period_is_not_asked_for_again(smtp, demo, owner):
    action = action_by_ref(Plan.objects.get(), "5.1")
    workflow.update_save(actor=Actor.of(owner), action=action, text="Consultation closed", today=date(2021, 12, 20))
    remind(date=DAY)
    text, _ = parts(smtp.to("cparker@example.org")[0])
    assert text.count("No progress update for December 2021 yet.") == 2


def test_a_plan_manager_gets_a_digest_of_their_queue(smtp, demo, owner):
    action = action_by_ref(Plan.objects.get(), "5.1")
    workflow.date_propose(actor=Actor.of(owner), action=action, due_on=date(2022, 3, 31), due_condition="",
                          reason="Consultation extended", today=date(2021, 12, 20))
    remind(date=DAY)
    [digest] = smtp.to("pmo@example.org")
    text, html = parts(digest)
    assert "Date proposals waiting for your decision" in text
    assert "Action 5.1: proposed 31/03/2022 by Chris Parker" in text
    assert f'<a href="{SITE}/plans/PIP-PR/actions/5.1/">Action 5.1</a>' in html
    assert "Completed actions awaiting verification" in text
    assert f"{SITE}/plans/PIP-PR/queue/" in text
    assert "1 date proposal, 7 awaiting verification, 3 missing a progress update" in digest["Subject"]


def test_a_plan_manager_who_also_owns_actions_gets_one_email_with_both(smtp, demo, plan_manager, administrator):
    people.post_holder_change(actor=Actor.of(administrator), post=Post.objects.get(name="Corporate Communications"),
                              holder_name="Priya Shah", starts_on=date(2021, 12, 1), user=plan_manager,
                              reason="Covering communications")
    remind(date=DAY)
    [digest] = smtp.to("pmo@example.org")
    text, _ = parts(digest)
    assert "YOUR ACTIONS" in text and "action 1.1" in text and "YOUR QUEUE" in text
    assert digest["Subject"].endswith("Your actions: 1 due soon, 1 missing a progress update; your queue: "
                                      "7 awaiting verification, 3 missing a progress update")


def test_a_verifier_gets_the_completed_actions_waiting_for_them(smtp, demo, verifier):
    remind(date=DAY)
    [digest] = smtp.to(verifier.email)
    assert digest["Subject"] == "actiontrack reminder for 20/12/2021: 7 to verify"
    text, html = parts(digest)
    assert "TO VERIFY: Protection Improvement Plan – Peer Review" in text
    completed = Action.objects.filter(lifecycle="completed")
    assert completed.count() == 7
    for action in completed:
        assert f"{SITE}/plans/PIP-PR/actions/{action.ref}/" in text
        assert f'<a href="{SITE}/plans/PIP-PR/actions/{action.ref}/">Action {action.ref}</a>' in html


def test_a_verifier_is_not_asked_to_verify_an_action_they_own(smtp, demo, verifier, administrator):
    owned = Action.objects.filter(lifecycle="completed").order_by("pk").first()
    post = owned.owner_posts.first()
    people.post_holder_change(actor=Actor.of(administrator), post=post, holder_name="Sam Okafor",
                              starts_on=date(2021, 12, 1), user=verifier, reason="Acting up")
    remind(date=DAY)
    [digest] = smtp.to(verifier.email)
    text, _ = parts(digest)
    assert f"/actions/{owned.ref}/" not in text.split("TO VERIFY")[1]
    assert Action.objects.filter(lifecycle="completed").exclude(owner_posts=post).count() > 0


def test_a_plan_manager_who_also_verifies_sees_them_once_in_their_queue(smtp, demo, plan_manager):
    PlanRole.objects.create(user=plan_manager, plan=Plan.objects.get(), role="verifier")
    remind(date=DAY)
    [digest] = smtp.to("pmo@example.org")
    text, _ = parts(digest)
    assert "Completed actions awaiting verification" in text and "TO VERIFY" not in text
    assert "to verify" not in digest["Subject"]


def test_no_update_is_asked_for_a_period_before_the_plan_is_agreed(smtp, demo):
    """A plan agreed on 10 January 2022 has no December update to write, so nobody is reminded of one."""
    Plan.objects.update(agreed_on=date(2022, 1, 10))
    remind(date=DAY)
    [owner_digest] = smtp.to("cparker@example.org")
    [manager_digest] = smtp.to("pmo@example.org")
    for digest in (owner_digest, manager_digest):
        text, html = parts(digest)
        assert "progress update" not in digest["Subject"] and "No progress update" not in text + html
    assert "3 due soon" in owner_digest["Subject"]


def test_running_twice_the_same_day_sends_nothing_new(smtp, demo):
    remind(date=DAY)
    first = len(smtp.messages)
    assert first == 3  # the owner, the plan manager and the verifier
    out = remind(date=DAY)
    assert len(smtp.messages) == first
    assert "0 sent, 3 already sent today" in out
    assert ReminderSent.objects.filter(sent_on=date(2021, 12, 20)).count() == 3
    remind(date="2021-12-21")  # the next day is a new day
    assert len(smtp.messages) == first + 3


def test_someone_who_turned_reminders_off_gets_nothing(smtp, demo, owner):
    reminders_set(user=owner, enabled=False)
    out = remind(date=DAY)
    assert smtp.to("cparker@example.org") == []
    assert len(smtp.to("pmo@example.org")) == 1
    assert "1 turned off" in out


def test_someone_without_an_email_address_is_skipped(smtp, demo, owner):
    owner.email = ""
    owner.save()
    assert "1 without an email address" in remind(date=DAY)
    assert smtp.to("cparker@example.org") == []


def test_a_dry_run_prints_what_would_be_sent_and_sends_and_records_nothing(smtp, demo):
    out = remind(date=DAY, dry_run=True)
    assert "--- Would send to cparker@example.org" in out and "--- Would send to pmo@example.org" in out
    assert f"{SITE}/plans/PIP-PR/actions/1.1/" in out
    assert "--- Would send to verifier@example.org" in out and "3 would be sent" in out
    assert smtp.messages == [] and not ReminderSent.objects.exists()


def test_a_digest_that_cannot_be_sent_is_tried_again_on_the_next_run(smtp, demo, settings):
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    with pytest.raises(CommandError, match="3 reminder"):
        remind(date=DAY)
    assert not ReminderSent.objects.exists()
    settings.EMAIL_PORT = working
    remind(date=DAY)
    assert len(smtp.messages) == 3 and ReminderSent.objects.count() == 3


def test_without_a_date_it_reminds_about_today(smtp, demo):
    out = remind()
    assert len(smtp.to("cparker@example.org")) == 1 and "overdue" in smtp.to("cparker@example.org")[0]["Subject"]
    assert "Reminders for" in out


def test_a_bad_date_is_refused_with_a_clear_message(db):
    with pytest.raises(CommandError, match="--date: '31/13/2021' is not a date: there is no month 13"):
        remind(date="31/13/2021")


def test_due_soon_follows_the_plans_reminder_window_not_its_rag_window(smtp):
    """On 20/12/2021 the owner's three actions are due in 11 days (31/12/2021)."""
    a_plan(actions=3, due=date(2021, 12, 31))
    a_person("cparker", owns=a_post())
    Plan.objects.update(reminder_window_days=7, rag_window_days=30)
    remind(date=DAY)
    text, _ = parts(smtp.to("cparker@example.org")[0])
    assert "Due in 11 days" not in text and "No progress update for December 2021 yet." in text

    ReminderSent.objects.all().delete()
    Plan.objects.update(reminder_window_days=11, rag_window_days=1)
    remind(date=DAY)
    text, _ = parts(smtp.to("cparker@example.org")[-1])
    assert text.count("Due in 11 days, on 31 December 2021.") == 3
