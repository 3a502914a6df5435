"""Progress updates: Chris Parker (owner of 5.1) writes this period's update, and last period's until the plan
manager locks it; stale, empty, too long or locked updates are refused, saying why."""

from datetime import timedelta

import pytest

from actiontrack.core.journal import Actor
from actiontrack.domain.periods import previous_period
from actiontrack.plans import services
from actiontrack.plans.models import Plan, ProgressUpdate
from actiontrack.plans.selectors import periods
from actiontrack.plans.services import workflow
from tests.demo_rows import new_updates
from tests.web.owner.helpers import action, action_url, messages_of, period_label, today, url

pytestmark = pytest.mark.django_db


# Progress updates ---------------------------------------------------------------------------------------

def test_an_owner_writes_this_periods_update_and_then_edits_it(signed_in, owner):
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f"Progress update for {period_label()}" in page and 'name="version" value="0"' in page
    response = client.post(url("update"), {"text": "Consultation on the restructure is open", "version": "0"})
    assert response.status_code == 302 and response.url == action_url()
    assert messages_of(response) == [f"Your progress update for {period_label()} on action 5.1 is saved."]
    saved = new_updates().get(action=action("5.1"))
    assert saved.text == "Consultation on the restructure is open" and saved.author == owner

    page = client.get(url("update")).text
    assert "Consultation on the restructure is open</textarea>" in page and 'name="version" value="1"' in page
    client.post(url("update"), {"text": "Consultation closed; new structure agreed", "version": "1"})
    saved.refresh_from_db()
    assert (saved.text, saved.version) == ("Consultation closed; new structure agreed", 2)
    page = client.get(action_url()).text
    assert "Consultation closed; new structure agreed" in page
    assert f"Edit your progress update for {period_label()}" in page


def test_an_update_that_is_too_long_is_refused_saying_how_long_it_is(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": "x" * 10_050, "version": "0"})
    assert response.status_code == 400
    assert "The update is 10,050 characters long; keep it to 10,000 or fewer (remove 50)." in response.text
    assert not new_updates().exists()


def test_an_empty_update_is_refused_with_a_message(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": "   ", "version": "0"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Write the progress update: it cannot be empty." in response.text
    assert not new_updates().exists()


@pytest.mark.parametrize("who", ["other_owner", "plan_manager", "verifier"])
def test_only_an_owner_of_the_action_may_open_or_post_its_update(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url("update")), client.post(url("update"), {"text": "Not mine", "version": "0"})):
        assert response.status_code == 403
        assert "Only an owner of action 5.1 can write its progress update." in response.text
    assert not new_updates().exists()


def test_the_action_page_offers_the_owner_tasks_only_to_an_owner(signed_in, owner, other_owner):
    assert "Write your progress update" in signed_in(owner).get(action_url()).text
    page = signed_in(other_owner).get(action_url()).text
    assert "Your tasks as an owner" not in page and url("update") not in page


def test_a_stale_edit_is_refused_with_both_versions(signed_in, owner):
    first = workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="First words", today=today())
    workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="Saved in another tab", today=today(),
                         expected_version=first.version)
    response = signed_in(owner).post(url("update"), {"text": "What I typed here", "version": str(first.version)})
    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this while you were editing" in page
    assert "Saved in another tab" in page and "What I typed here" in page
    assert 'name="version" value="2"' in page  # saving again replaces the stored text, knowingly
    assert new_updates().get().text == "Saved in another tab"


def test_an_update_written_elsewhere_after_the_form_was_opened_is_not_overwritten(signed_in, owner):
    workflow.update_save(actor=Actor.of(owner), action=action("5.1"), text="From another tab", today=today())
    response = signed_in(owner).post(url("update"), {"text": "From this tab", "version": "0"})
    assert response.status_code == 409 and "From another tab" in response.text


def test_a_locked_period_shows_a_message_and_no_form(signed_in, owner, plan_manager):
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=today(),
        today=today())
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f"Updates for {period_label()} are locked" in page and "<textarea" not in page
    response = client.post(url("update"), {"text": "Too late", "version": "0"})
    assert response.status_code == 400 and "are locked; ask the plan manager" in response.text
    assert not new_updates().exists()
    assert f"Progress updates for {period_label()} are locked" in client.get(action_url()).text


# Last period's update, until the plan manager locks it ------------------------------------------------------

def this_and_last():
    this = periods.current_period(action("5.1").plan, today())
    return this, previous_period(this)


def test_the_update_page_offers_this_period_and_the_last_with_this_one_chosen(signed_in, owner):
    this, last = this_and_last()
    page = signed_in(owner).get(url("update")).text
    assert f"Progress update for {this.label}</h1>" in page
    assert f'href="?period={last.start.isoformat()}">Write or change the update for {last.label} (last period) ' \
           "instead</a>" in page
    assert f"?period={this.start.isoformat()}" not in page  # the page is this period's: no link to itself
    assert f'name="period_start" value="{this.start.isoformat()}"' in page


def test_before_the_plan_is_agreed_the_update_page_says_so_and_offers_no_form(signed_in, owner):
    """A plan agreed next month or later: there is no progress update to write for this month."""
    this, _ = this_and_last()
    agreed = this.end + timedelta(days=10)
    Plan.objects.filter(reference="PIP-PR").update(agreed_on=agreed)
    page = signed_in(owner).get(url("update")).text
    assert f"No update for {this.label}" in page and "progress updates start with the reporting period" in page
    assert 'name="text"' not in page


def test_an_owner_writes_last_periods_update(signed_in, owner):
    this, last = this_and_last()
    client = signed_in(owner)
    page = client.get(url("update"), {"period": last.start.isoformat()}).text
    assert f"Progress update for {last.label}</h1>" in page and 'name="version" value="0"' in page
    assert f"Write or change the update for {this.label} (this period) instead" in page
    assert f'name="period_start" value="{last.start.isoformat()}"' in page
    response = client.post(url("update"), {"text": "Written a few days late", "version": "0",
                                           "period_start": last.start.isoformat()})
    assert response.status_code == 302
    assert messages_of(response) == [f"Your progress update for {last.label} on action 5.1 is saved."]
    saved = new_updates().get()
    assert (saved.period_start, saved.text) == (last.start, "Written a few days late")
    page = client.get(action_url()).text
    assert f"Edit your progress update for {last.label}" in page and f"Write your progress update for {this.label}" \
        in page
    assert f"?period={last.start.isoformat()}" in page
    # Editing it needs the version it was opened at, like this period's.
    edit = client.get(url("update"), {"period": last.start.isoformat()}).text
    assert "Written a few days late</textarea>" in edit and 'name="version" value="1"' in edit
    client.post(url("update"), {"text": "Corrected", "version": "1", "period_start": last.start.isoformat()})
    assert new_updates().get().text == "Corrected"


def test_last_period_once_locked_is_no_longer_offered_or_accepted(signed_in, owner, plan_manager):
    this, last = this_and_last()
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=last.start,
                         today=today())
    client = signed_in(owner)
    page = client.get(url("update")).text
    assert f'value="{last.start.isoformat()}"' not in page and f"?period={last.start.isoformat()}" not in page
    assert f"for {last.label}" not in client.get(action_url()).text.split("Your tasks as an owner")[1].split("</ul>")[0]
    response = client.post(url("update"), {"text": "Too late", "version": "0",
                                           "period_start": last.start.isoformat()})
    assert response.status_code == 400 and f"Updates for {last.label} are locked" in response.text
    assert not new_updates().exists()


def test_an_update_for_an_older_period_is_refused(signed_in, owner):
    _, last = this_and_last()
    older = previous_period(last)
    response = signed_in(owner).post(url("update"), {"text": "Long ago", "version": "0",
                                                     "period_start": older.start.isoformat()})
    assert response.status_code == 400 and f"not for {older.label}" in response.text
    assert not new_updates().exists()


def test_a_period_asked_for_in_the_address_that_cannot_be_written_shows_this_period(signed_in, owner):
    this, last = this_and_last()
    for wanted in (previous_period(last).start.isoformat(), "not a date"):
        page = signed_in(owner).get(url("update"), {"period": wanted}).text
        assert f"Progress update for {this.label}</h1>" in page


def test_with_this_period_locked_the_owner_is_pointed_to_last_periods_update(signed_in, owner, plan_manager):
    this, last = this_and_last()
    workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=action("5.1").plan, period_start=this.start,
                         today=today())
    page = signed_in(owner).get(url("update")).text
    assert f"Updates for {this.label} are locked" in page
    assert f'<a href="?period={last.start.isoformat()}">write or change the update for {last.label}</a>' in page


def test_the_updates_table_names_each_period_by_its_label(signed_in, owner, plan_manager):
    plan = action("5.1").plan
    services.plan_update(actor=Actor.of(plan_manager), plan=plan, changes={"reporting_period": "quarterly"},
                         effective_on=today(), reason="Quarterly reporting")
    quarter = periods.current_period(Plan.objects.get(pk=plan.pk), today())
    earlier = previous_period(previous_period(quarter, "quarterly"), "quarterly")
    ProgressUpdate.objects.create(action=action("5.1"), period_start=earlier.start, text="An old update",
                                  author=owner)
    page = signed_in(owner).get(action_url()).text
    assert f"<th scope=\"row\">{earlier.label}</th>" in page and "Quarter from" not in page


def test_an_owner_page_with_errors_says_error_in_its_title(signed_in, owner):
    response = signed_in(owner).post(url("update"), {"text": " ", "version": "0"})
    assert response.text.split("<title>")[1].startswith("Error: Progress update for")
    assert signed_in(owner).get(url("update")).text.split("<title>")[1].startswith("Progress update for")
