"""Notifications folded into the daily digest (`actiontrack remind`, real SMTP server): one email per person per
day, listing what they were told since their last email, of the kinds they chose; nothing they already read."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.notify.choices import EmailWhen
from actiontrack.notify.services import notification_emails_set
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.models import Action, Notification
from actiontrack.plans.services.comments import comment_add
from actiontrack.plans.services.notifications import notifications_read

pytestmark = pytest.mark.django_db
DAY = "2021-12-20"


def remind():
    call_command("remind", date=DAY, stdout=StringIO(), stderr=StringIO())


def mention(owner, text):
    comment_add(actor=Actor.of(owner), action=Action.objects.get(plan__reference="PIP-PR", ref="5.1"), text=text,
                today=timezone.localdate())


def test_a_mention_reaches_the_digest_once(smtp, demo, owner, board_member):
    mention(owner, "@board the restructure paper is on the agenda.")
    remind()
    [digest] = smtp.to(board_member.email)  # a reader with nothing else to be reminded of
    text = digest.get_body(("plain",)).get_content()
    assert "SINCE YOUR LAST EMAIL" in text and "the restructure paper is on the agenda" in text
    assert "/plans/PIP-PR/actions/5.1/" in text and "1 notification" in digest["Subject"]
    remind()  # the same day again: nothing more
    assert len(smtp.to(board_member.email)) == 1


def test_a_kind_switched_off_or_already_read_is_not_emailed(smtp, demo, owner, plan_manager, board_member):
    notification_emails_set(user=plan_manager, choices={NotificationKind.MENTIONED: EmailWhen.OFF})
    mention(owner, "@pmo @board please read the paper.")
    notifications_read(user=board_member)
    remind()
    assert smtp.to(board_member.email) == []  # read in the app first
    [digest] = smtp.to(plan_manager.email)  # still their queue, without the mention
    assert "please read the paper" not in digest.get_body(("plain",)).get_content()
    assert Notification.objects.filter(user=plan_manager, kind=NotificationKind.MENTIONED).exists()


def test_someone_can_choose_their_kinds_on_their_account_page(signed_in, plan_manager):
    client = signed_in(plan_manager)
    page = client.get("/account/").content.decode()
    assert "Notifications by email" in page
    assert page.count('value="digest" checked') == len(NotificationKind.values)  # the default: all in the digest
    response = client.post("/account/notification-emails/", {
        "email-returned": EmailWhen.AT_ONCE, "email-mentioned": EmailWhen.OFF, "email-assigned": "not-a-choice"})
    assert response.status_code == 302
    page = client.get("/account/").content.decode()
    assert 'id="email-returned-at_once" name="email-returned" value="at_once" checked' in page
    assert 'id="email-mentioned-off" name="email-mentioned" value="off" checked' in page
    assert page.count('value="digest" checked') == len(NotificationKind.values) - 2  # a wrong value changes nothing
    assert "5 will be in your daily email, 1 emailed at once and 1 not emailed" in page
