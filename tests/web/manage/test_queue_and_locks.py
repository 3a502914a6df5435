"""The plan managers' queue (proposals, actions awaiting verification, missing updates) and locking a period's
progress updates, this period's and the one before.

Today is the real date: the demo plan's dates are in 2021."""

import pytest

from actiontrack.core.journal import Actor
from actiontrack.domain.periods import previous_period
from actiontrack.plans.models import PeriodLock
from actiontrack.plans.selectors import periods, queues
from actiontrack.plans.services import workflow
from tests.web.manage.helpers import REF, action, journal_size, plan, today, url

pytestmark = pytest.mark.django_db


# The plan managers' queue ---------------------------------------------------------------------------------

def test_the_queue_shows_proposals_actions_awaiting_verification_and_missing_updates(signed_in, plan_manager,
                                                                                   proposal):
    page = signed_in(plan_manager).get(url("plan_queue", REF)).text
    assert "Date proposals waiting for a decision (1)" in page
    assert "Action 5.1: proposed 31/03/2027" in page and "Consultation extended" in page
    assert "Accept the proposed date" in page and url("proposal_decide", proposal.pk) in page
    verification = page.split("Awaiting verification")[1].split("No progress update")[0]
    for ref in ("2.1", "2.2", "4.1", "6.1", "6.2", "7.1", "8.1"):
        assert f'"Action {ref}">{ref}</a>' in verification
    missing = page.split("No progress update for")[1]
    for ref in ("1.1", "3.1", "5.1"):
        assert f'"Action {ref}">{ref}</a>' in missing
    assert "Head of Prevention and Protection (AM Chris Parker)" in missing
    assert "Lock progress updates for" in page


def test_an_update_written_this_period_takes_the_action_off_the_missing_list(signed_in, plan_manager, owner):
    workflow.update_save(actor=Actor.of(owner), action=action("3.1"), text="On track", today=today())
    missing = signed_in(plan_manager).get(url("plan_queue", REF)).text.split("No progress update for")[1]
    assert '"Action 3.1">3.1</a>' not in missing and '"Action 1.1">1.1</a>' in missing


def test_the_queue_of_all_plans_shows_each_plan_the_person_manages(signed_in, plan_manager, proposal):
    page = signed_in(plan_manager).get(url("queue")).text
    assert "Protection Improvement Plan – Peer Review" in page and "Action 5.1: proposed 31/03/2027" in page


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member", "outsider"])
def test_someone_who_manages_no_plan_has_no_queue(request, signed_in, demo, who):
    response = signed_in(request.getfixturevalue(who)).get(url("queue"))
    assert response.status_code == 403 and "not a plan manager of any plan" in response.text


def test_a_plan_manager_is_shown_the_missing_updates_before_locking(signed_in, plan_manager):
    this = periods.current_period(plan(), today())
    page = signed_in(plan_manager).get(url("period_lock", REF) + f"?period={this.start.isoformat()}").text
    missing = queues.missing_updates(plan(), this)
    assert missing and f"Open actions with no update for {this.label} ({len(missing)})" in page
    for each in missing:
        assert f'aria-label="Action {each.ref}">{each.ref}</a>' in page
    assert f"{this.label} has not ended" in page and 'name="confirm"' in page
    assert not PeriodLock.objects.exists()


def test_the_current_period_is_locked_only_once_the_plan_manager_confirms(signed_in, plan_manager):
    before = journal_size()
    response = signed_in(plan_manager).post(url("period_lock", REF), {"period_start": today().isoformat()})
    this = periods.current_period(plan(), today())
    assert response.status_code == 400 and f"Confirm that {this.label} is to be locked before it ends." in response.text
    assert not PeriodLock.objects.exists() and journal_size() == before


def test_a_plan_manager_unlocks_a_period_with_a_reason_kept_in_the_history(signed_in, plan_manager):
    this = periods.current_period(plan(), today())
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=plan(), period_start=this.start,
                         today=today())
    client = signed_in(plan_manager)
    queue_page = client.get(url("plan_queue", REF)).text
    assert f"Unlock progress updates for {this.label}<" in queue_page
    no_reason = client.post(url("period_unlock", REF), {"period_start": this.start.isoformat(), "reason": " "})
    assert no_reason.status_code == 400 and "Give a reason for unlocking the updates." in no_reason.text
    assert PeriodLock.objects.exists()
    done = client.post(url("period_unlock", REF), {"period_start": this.start.isoformat(),
                                                   "reason": "Head of Protection's update was held up by leave"})
    assert done.status_code == 302 and not PeriodLock.objects.exists()
    event = plan().journal.filter(field="period_unlocked").get()
    assert event.reason == "Head of Protection's update was held up by leave" and event.actor == plan_manager
    again = client.post(url("period_unlock", REF), {"period_start": this.start.isoformat(), "reason": "Again"})
    assert again.status_code == 400 and "is not locked" in again.text


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_can_unlock_a_period(request, signed_in, plan_manager, who):
    this = periods.current_period(plan(), today())
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=plan(), period_start=this.start,
                         today=today())
    response = signed_in(request.getfixturevalue(who)).post(
        url("period_unlock", REF), {"period_start": this.start.isoformat(), "reason": "Because"})
    assert response.status_code == 403 and PeriodLock.objects.exists()


def test_a_plan_manager_locks_the_current_period(signed_in, plan_manager):
    client = signed_in(plan_manager)
    response = client.post(url("period_lock", REF), {"period_start": today().replace(day=1).isoformat(),
                                                    "confirm": "on"})
    assert response.status_code == 302 and response.url == url("plan_queue", REF)
    assert PeriodLock.objects.get().period_start == today().replace(day=1)
    page = client.get(url("plan_queue", REF)).text
    this = periods.current_period(plan(), today())
    assert ">Locked</strong>" in page and f"Lock progress updates for {this.label}<" not in page


def test_locking_a_period_twice_says_it_is_already_locked(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("period_lock", REF), {"period_start": today().isoformat(), "confirm": "on"})
    response = client.post(url("period_lock", REF), {"period_start": today().isoformat(), "confirm": "on"})
    assert response.status_code == 400 and "is already locked." in response.text
    assert PeriodLock.objects.count() == 1


def test_a_period_before_the_plan_was_agreed_cannot_be_locked(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("period_lock", REF), {"period_start": "0001-01-01"})
    assert response.status_code == 400 and "The plan was agreed on 1 February 2021" in response.text
    assert "before it, to lock" in response.text
    assert not PeriodLock.objects.exists()


def test_a_period_that_has_not_started_cannot_be_locked(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("period_lock", REF), {"period_start": "2099-01-01"})
    assert response.status_code == 400 and "has not started yet" in response.text
    assert not PeriodLock.objects.exists()


# Locking last period as well as this one -------------------------------------------------------------------

def test_the_queue_offers_to_lock_this_period_and_the_one_before(signed_in, plan_manager):
    this = periods.current_period(plan(), today())
    last = previous_period(this)
    client = signed_in(plan_manager)
    page = client.get(url("plan_queue", REF)).text
    assert f"Lock progress updates for {this.label}<" in page and f"Lock progress updates for {last.label}<" in page
    assert f'?period={last.start.isoformat()}"' in page
    response = client.post(url("period_lock", REF), {"period_start": last.start.isoformat()})
    assert response.status_code == 302 and PeriodLock.objects.get().period_start == last.start
    page = client.get(url("plan_queue", REF)).text
    assert f"Lock progress updates for {last.label}<" not in page and f"Lock progress updates for {this.label}<" in page


def test_a_locked_period_is_not_offered_to_lock_again(signed_in, plan_manager):
    this = periods.current_period(plan(), today())
    last = previous_period(this)
    for period in (this, last):
        workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=plan(), period_start=period.start, today=today())
    page = signed_in(plan_manager).get(url("plan_queue", REF)).text
    assert "Lock progress updates for" not in page
