"""Notifications emailed at once, for the kinds a person chose so (a real SMTP server): sent once the change is
committed, one email however many actions the change touched, never again in the daily digest; when the mail
server is down the save still stands and the digest carries them instead. Kinds left at the default wait for
the digest, as before."""

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.notify.choices import EmailWhen
from actiontrack.notify.services import notification_emails_set
from actiontrack.people.models import Post
from actiontrack.plans.choices import NotificationKind
from actiontrack.plans.models import Action, Notification
from actiontrack.plans.services.bulk import bulk_reassign
from actiontrack.plans.services.comments import comment_add
from tests.servers.smtp import free_port

pytestmark = pytest.mark.django_db(transaction=True)  # emails go once the change is committed
DAY = "2021-12-20"


def mention(author, text, ref="5.1"):
    comment_add(actor=Actor.of(author), action=Action.objects.get(plan__reference="PIP-PR", ref=ref), text=text,
                today=timezone.localdate())


def remind():
    call_command("remind", date=DAY, stdout=StringIO(), stderr=StringIO())


def body(message):
    return message.get_body(("plain",)).get_content()


def test_a_mention_wanted_at_once_arrives_at_once_and_not_again_in_the_digest(smtp, demo, owner, board_member):
    notification_emails_set(user=board_member, choices={NotificationKind.MENTIONED: EmailWhen.AT_ONCE})
    mention(owner, "@board the restructure paper is on the agenda.")
    [email] = smtp.to(board_member.email)  # before any daily run
    assert "the restructure paper is on the agenda" in email["Subject"]
    assert "You were mentioned in a comment" in body(email) and "/plans/PIP-PR/actions/5.1/" in body(email)
    assert "#notification-emails" in body(email)
    assert Notification.objects.get(user=board_member).emailed_at is not None
    remind()
    assert len(smtp.to(board_member.email)) == 1  # nothing else to say, so no digest repeating it


def test_a_kind_left_at_the_default_waits_for_the_digest(smtp, demo, owner, board_member):
    notification_emails_set(user=board_member, choices={NotificationKind.RETURNED: EmailWhen.AT_ONCE})
    mention(owner, "@board for the next meeting.")
    assert smtp.to(board_member.email) == []
    remind()
    [digest] = smtp.to(board_member.email)
    assert "for the next meeting" in body(digest) and "SINCE YOUR LAST EMAIL" in body(digest)


def test_one_change_across_many_actions_sends_one_email(smtp, demo, plan_manager, other_owner):
    notification_emails_set(user=other_owner, choices={NotificationKind.ASSIGNED: EmailWhen.AT_ONCE})
    old, new = Post.objects.get(name="Head of Prevention and Protection"), Post.objects.get(name="Head of Protection")
    actions = list(Action.objects.filter(owner_posts=old, plan__reference="PIP-PR").order_by("position"))
    assert len(actions) >= 3
    bulk_reassign(actor=Actor.of(plan_manager), actions=actions, from_post=old, to_post=new,
                  reason="Protection restructure", effective_on=timezone.localdate())
    [email] = smtp.to(other_owner.email)
    assert email["Subject"] == f"actiontrack: {len(actions)} notifications"
    assert all(f"/plans/PIP-PR/actions/{action.slug}/" in body(email) for action in actions)


def test_when_the_mail_server_is_down_the_save_stands_and_the_digest_carries_it(smtp, settings, demo, owner,
                                                                               board_member):
    notification_emails_set(user=board_member, choices={NotificationKind.MENTIONED: EmailWhen.AT_ONCE})
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    mention(owner, "@board sent while the mail server was down.")
    assert Notification.objects.get(user=board_member).emailed_at is None
    settings.EMAIL_PORT = working
    remind()
    [digest] = smtp.to(board_member.email)
    assert "sent while the mail server was down" in body(digest)


def test_read_already_or_turned_off_is_not_emailed(smtp, demo, owner, board_member, plan_manager):
    notification_emails_set(user=board_member, choices={NotificationKind.MENTIONED: EmailWhen.AT_ONCE})
    call_command("remind", stdout=StringIO(), stderr=StringIO())  # nothing for the board member to be reminded of
    board_member.reminder_preference.enabled = False
    board_member.reminder_preference.save()
    mention(owner, "@board while reminders are off.")
    assert smtp.to(board_member.email) == []
    assert Notification.objects.filter(user=board_member, emailed_at=None).count() == 1


def test_only_the_person_chooses_and_only_from_what_is_offered(demo, board_member):
    with pytest.raises(PermissionDenied):
        notification_emails_set(user=AnonymousUser(), choices={NotificationKind.MENTIONED: EmailWhen.AT_ONCE})
    with pytest.raises(ValidationError, match="Choose how to email “You were mentioned in a comment”"):
        notification_emails_set(user=board_member, choices={NotificationKind.MENTIONED: "hourly"})
    with pytest.raises(ValidationError, match="Unknown kind of notification: weather"):
        notification_emails_set(user=board_member, choices={"weather": EmailWhen.AT_ONCE})
    preference = notification_emails_set(user=board_member, choices={NotificationKind.ESCALATED: EmailWhen.OFF})
    assert (preference.kinds_off, preference.kinds_at_once) == (["escalated"], [])
