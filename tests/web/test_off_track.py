"""Off-track notices: the daily run drafts one for each open action due later than first agreed or past its due
date, once per due date, from the plan's record; a plan manager words it and records it as sent (or as not needed,
saying why), which is journalled and cannot change afterwards; the queue lists the drafts; owners are refused and
outsiders told nothing."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Action, OffTrackNotice
from actiontrack.plans.services.off_track import TO_COMPLETE, off_track_drafts

DAY = date(2022, 1, 15)  # 1.1, 3.1 and 5.1 are open and past 31/12/2021; 1.1 and 5.1 were revised too


def drafted_refs() -> list[str]:
    return sorted(OffTrackNotice.objects.values_list("action__ref", flat=True))


def test_the_daily_run_drafts_one_notice_per_action_and_due_date(demo):
    assert [n.action.ref for n in off_track_drafts(today=date(2021, 11, 30))] == ["1.1", "5.1"]  # slipped
    assert off_track_drafts(today=date(2021, 12, 1)) == []  # once for a due date
    assert [n.action.ref for n in off_track_drafts(today=DAY)] == ["3.1"]  # now overdue too
    text = OffTrackNotice.objects.get(action__ref="1.1").text
    assert "To: Hertfordshire Fire and Rescue Service" in text and "Date agreed: 31 May 2021." in text
    assert "Now due: 31/12/2021 (On Approval), 214 days later than agreed." in text
    assert "Why the date moved:" in text and text.endswith(TO_COMPLETE)
    # A new due date that is missed again gets a new notice; a completed action none.
    Action.objects.filter(ref="1.1").update(due_on=date(2022, 1, 10))
    Action.objects.filter(ref="5.1").update(due_on=date(2022, 1, 10), lifecycle="completed")
    assert [n.action.ref for n in off_track_drafts(today=DAY)] == ["1.1"]


def test_remind_drafts_them_and_the_queue_lists_them(demo, signed_in, plan_manager):
    call_command("remind", date=DAY.isoformat(), stdout=StringIO(), stderr=StringIO())
    assert drafted_refs() == ["1.1", "3.1", "5.1"]
    page = signed_in(plan_manager).get(reverse("manage:plan_queue", args=["PIP-PR"])).content.decode()
    assert "Off-track notices to send (3)" in page and "the notice for action 3.1" in page


def test_a_plan_manager_words_it_and_records_it_as_sent(demo, signed_in, plan_manager):
    off_track_drafts(today=DAY)
    notice = OffTrackNotice.objects.get(action__ref="3.1")
    url = reverse("off-track:notice", args=["PIP-PR", notice.pk])
    client = signed_in(plan_manager)
    worded = notice.text.replace(TO_COMPLETE, "The strategy's annual review now reports in March 2022.")
    assert client.post(url, {"text": worded, "sent_to": "HMICFRS", "save": "1"}).status_code == 302
    refused = client.post(url, {"text": worded, "sent_to": "HMICFRS", "sent_on": "20/01/2099", "sent": "1"})
    assert refused.status_code == 400 and "is in the future" in refused.content.decode()
    assert client.post(url, {"text": worded, "sent_to": "HMICFRS", "sent_on": "17/01/2022", "sent": "1"}
                       ).status_code == 302
    notice.refresh_from_db()
    assert (notice.status, notice.decided_on, notice.sent_to) == ("sent", date(2022, 1, 17), "HMICFRS")
    event = JournalEvent.objects.get(field="off_track_notice")
    assert event.new["text"] == worded and event.reason.startswith("Off-track notice for action 3.1 sent to HMICFRS")
    # Sent, it no longer changes.
    client.post(url, {"text": "Something else", "sent_to": "HMICFRS", "save": "1"})
    notice.refresh_from_db()
    assert notice.text == worded
    assert "As sent to HMICFRS" in client.get(url).content.decode()


def test_a_notice_with_its_line_to_complete_or_sent_before_it_was_drafted_is_refused(demo, signed_in, plan_manager):
    off_track_drafts(today=DAY)
    notice = OffTrackNotice.objects.get(action__ref="3.1")
    url = reverse("off-track:notice", args=["PIP-PR", notice.pk])
    client = signed_in(plan_manager)
    unfinished = client.post(url, {"text": notice.text, "sent_to": "HMICFRS", "sent_on": "17/01/2022", "sent": "1"})
    assert unfinished.status_code == 400 and "still has the line to complete" in unfinished.content.decode()
    worded = notice.text.replace(TO_COMPLETE, "Reported in March.")
    early = client.post(url, {"text": worded, "sent_to": "HMICFRS", "sent_on": "01/01/2022", "sent": "1"})
    assert early.status_code == 400 and "before the notice was drafted" in early.content.decode()
    notice.refresh_from_db()
    assert notice.status == "draft" and not JournalEvent.objects.filter(field="off_track_notice").exists()


def test_none_needed_must_say_why(demo, signed_in, plan_manager):
    off_track_drafts(today=DAY)
    notice = OffTrackNotice.objects.get(action__ref="5.1")
    url = reverse("off-track:notice", args=["PIP-PR", notice.pk])
    client = signed_in(plan_manager)
    refused = client.post(url, {"text": notice.text, "not_needed": "1"})
    assert refused.status_code == 400 and "Say why no notice is needed" in refused.content.decode()
    client.post(url, {"text": notice.text, "note": "Agreed with the peer reviewers on 10/01/2022", "not_needed": "1"})
    notice.refresh_from_db()
    assert notice.status == "not_needed" and notice.note.startswith("Agreed with the peer reviewers")


@pytest.mark.parametrize("who, status", [("owner", 403), ("outsider", 404)])
def test_anyone_but_a_plan_manager_is_refused(demo, signed_in, request, who, status):
    off_track_drafts(today=DAY)
    notice = OffTrackNotice.objects.get(action__ref="3.1")
    client = signed_in(request.getfixturevalue(who))
    for url in (reverse("off-track:index", args=["PIP-PR"]), reverse("off-track:notice", args=["PIP-PR", notice.pk])):
        assert client.get(url).status_code == status
    assert client.post(reverse("off-track:notice", args=["PIP-PR", notice.pk]),
                       {"text": "x", "sent_to": "y", "sent": "1"}).status_code == status
    notice.refresh_from_db()
    assert notice.status == "draft" and notice.text != "x"


def test_the_notice_and_the_queue_name_the_lead_first_and_a_supporting_owner_as_supporting(demo, signed_in,
                                                                                          plan_manager):
    from actiontrack.people.models import Post
    from actiontrack.plans import services
    from tests.builders import SET_UP, a_post

    supporting = Post.objects.get(name="Head of Protection")  # made before the lead, so first by id
    lead = a_post("Director of Prevention", holder="Sam Jones")
    action = Action.objects.get(ref="3.1")
    services.action_change_owners(actor=SET_UP, action=action, owner_posts=[lead], supporting_posts=[supporting],
                                  reason="Restructure", effective_on=date(2021, 6, 1))
    off_track_drafts(today=DAY)
    text = OffTrackNotice.objects.get(action__ref="3.1").text
    assert "Owner: Director of Prevention / Head of Protection, supporting\n" in text
    page = signed_in(plan_manager).get(reverse("manage:plan_queue", args=["PIP-PR"])).content.decode()
    assert re.search(r"<div>Director of Prevention \(Sam Jones\)</div><div>Head of Protection \([^)]+\), "
                     r"supporting</div>", page)
