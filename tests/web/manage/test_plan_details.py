"""A plan manager creates a plan and edits its details with a reason; bad input says what is wrong and changes
nothing, and an edit made meanwhile by someone else is shown beside theirs, not overwritten.

Today is the real date: the demo plan's dates are in 2021."""

import html
import re
from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.plans import services
from actiontrack.plans.models import Plan, PlanRole
from tests.web.manage.helpers import NEW_PLAN, REF, journal_size, plan, today, url

pytestmark = pytest.mark.django_db


# Creating and editing a plan ------------------------------------------------------------------------------

def test_a_plan_manager_creates_a_plan_and_manages_it(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("plan_new"), NEW_PLAN)
    assert response.status_code == 302 and response.url == reverse("plan", args=["HMI-2022"])
    new = Plan.objects.get(reference="HMI-2022")
    assert (new.agreed_on, new.reported_on, new.commissioned_on) == (date(2022, 9, 1), date(2022, 7, 27), None)
    assert (new.source_kind, new.rag_scheme, new.rag_window_days, new.reporting_period) == (
        "hmicfrs", "brag", 21, "quarterly")
    assert new.managers_change_dates_directly and new.documents_reviewed_list == ["Report", "Annex A"]
    assert PlanRole.objects.filter(plan=new, user=plan_manager, role="manager").exists()


def test_an_administrator_without_a_plan_may_create_one(signed_in, administrator, demo):
    client = signed_in(administrator)
    assert client.get(url("plan_new")).status_code == 200
    assert client.post(url("plan_new"), NEW_PLAN).status_code == 302
    assert PlanRole.objects.filter(plan__reference="HMI-2022", user=administrator, role="manager").exists()


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member", "outsider"])
def test_someone_who_is_neither_a_plan_manager_nor_an_administrator_may_not_create_a_plan(request, signed_in,
                                                                                          demo, who):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url("plan_new")), client.post(url("plan_new"), NEW_PLAN)):
        assert response.status_code == 403
        assert "Only an administrator or a plan manager can create a plan" in response.text
    assert not Plan.objects.filter(reference="HMI-2022").exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reference", "PIP-PR", "A plan with reference &#x27;PIP-PR&#x27; already exists."),
    ("reference", "new", "cannot be a plan&#x27;s reference"),
    ("reference", "HMI 2022!", "Use only letters, numbers, hyphens and underscores"),
    ("title", "  ", "Enter the plan&#x27;s title."),
    ("agreed_on", "31/02/2022", "February 2022 has 28 days"),
    ("agreed_on", "", "Enter the date the plan was agreed."),
    ("reported_on", "31/12/2022 (On Approval)", "Enter the date without anything in brackets."),
    ("rag_window_days", "-1", "greater than or equal to 0"),
])
def test_a_plan_with_bad_details_is_not_created_and_the_page_says_why(signed_in, plan_manager, field, value, message):
    plans = Plan.objects.count()
    response = signed_in(plan_manager).post(url("plan_new"), {**NEW_PLAN, field: value})
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text
    assert Plan.objects.count() == plans


def test_the_site_sends_plans_new_to_the_create_page(signed_in, plan_manager):
    assert signed_in(plan_manager).get("/plans/new/").status_code == 200


def test_a_plan_manager_edits_the_plans_details_with_a_reason(signed_in, plan_manager):
    client = signed_in(plan_manager)
    form = client.get(url("plan_edit", REF)).text
    assert 'value="Protection Improvement Plan – Peer Review"' in form and "Grenfell Gap Analysis" in form
    assert f'name="version" value="{plan().details_version}"' in form
    data = {**NEW_PLAN, "title": "Protection Improvement Plan", "reason": "Shorter title for the board",
            "version": plan().details_version}
    response = client.post(url("plan_edit", REF), data)
    assert response.status_code == 302 and response.url == reverse("plan", args=[REF])
    edited = plan()
    assert edited.title == "Protection Improvement Plan" and edited.reference == REF
    assert edited.agreed_on == date(2021, 2, 1)  # neither the reference nor the agreement date changes here
    assert edited.details_version == data["version"] + 1
    event = JournalEvent.objects.get(entity_type="plan", field="title")
    assert (event.reason, event.effective_on, event.actor_name) == ("Shorter title for the board", today(),
                                                                    "Priya Shah")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("reason", "", "Give a reason for changing the plan&#x27;s details."),
    ("title", "", "Enter the plan&#x27;s title."),
    ("reported_on", "31/02/2022", "February 2022 has 28 days"),
    ("commissioned_on", "01/03/2023", "The source reported on 27 July 2022, before it was commissioned "
                                      "(1 March 2023): check both dates."),
])
def test_a_bad_plan_edit_changes_nothing(signed_in, plan_manager, field, value, message):
    before = journal_size()
    data = {**NEW_PLAN, "title": "Changed", "reason": "Because", "version": plan().details_version, field: value}
    response = signed_in(plan_manager).post(url("plan_edit", REF), data)
    assert response.status_code == 400 and message in response.text
    assert plan().title == "Protection Improvement Plan – Peer Review" and journal_size() == before


def test_a_stale_plan_details_edit_is_refused_with_the_fields_that_differ(signed_in, plan_manager, board_member):
    """Two plan managers edit the plan's details at once: the second to save sees what the first saved beside
    what they typed, and nothing of theirs is saved until they choose to."""
    client = signed_in(plan_manager)
    opened = plan().details_version
    assert f'name="version" value="{opened}"' in client.get(url("plan_edit", REF)).text
    PlanRole.objects.create(user=board_member, plan=plan(), role="manager")  # a second plan manager, meanwhile
    services.plan_update(actor=Actor.of(board_member), plan=plan(), changes={"board": "Fire Authority"},
                         effective_on=today(), reason="Moved to the authority", expected_version=opened)
    mine = {**NEW_PLAN, "title": "My title", "reason": "Mine", "version": opened}
    response = client.post(url("plan_edit", REF), mine)
    assert response.status_code == 409 and "Someone else saved this while you were editing" in response.text
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="prewrap">(.*?)</td><td class="prewrap">(.*?)</td>'
                      r'<td class="prewrap">(.*?)</td>', response.text)
    # Posted without what the form was opened on (a form from before that was kept): every field counts as typed.
    assert ("Title", "Not known", "Protection Improvement Plan – Peer Review", "My title") in rows
    assert ("Board", "Not known", "Fire Authority", NEW_PLAN["board"]) in rows
    assert plan().title == "Protection Improvement Plan – Peer Review" and plan().board == "Fire Authority"
    stored = plan().details_version
    assert stored == opened + 1 and f'name="version" value="{stored}"' in response.text
    response = client.post(url("plan_edit", REF), {**mine, "version": stored})
    assert response.status_code == 302 and plan().title == "My title"


def opened_plan_form(client) -> dict:
    return plan_form_values(client.get(url("plan_edit", REF)).text)


def test_a_stale_plan_edit_shows_and_saves_only_what_the_second_person_changed(signed_in, plan_manager,
                                                                               board_member):
    """Two plan managers edit the details at once. The second changed only the title: the conflict shows the
    title three ways, and saving keeps the first person's new board and background."""
    services.plan_update(actor=Actor.of(plan_manager), plan=plan(), effective_on=today(), reason="Imported",
                         changes={"documents_reviewed": "  Peer review report\n\n  Annex A  "})
    client = signed_in(plan_manager)
    # As a browser sends a form: a textarea's lines end with CR LF.
    opened = {name: value.replace("\n", "\r\n") if name in ("background", "documents_reviewed") else value
              for name, value in opened_plan_form(client).items()}
    PlanRole.objects.create(user=board_member, plan=plan(), role="manager")
    services.plan_update(actor=Actor.of(board_member), plan=plan(), reason="Moved to the authority",
                         changes={"board": "Fire Authority", "background": "New background.\nSecond line."},
                         effective_on=today())
    mine = {**opened, "title": "My title", "reason": "Shorter"}
    response = client.post(url("plan_edit", REF), mine)
    assert response.status_code == 409
    rows = re.findall(r'<tr><th scope="row">(.*?)</th><td class="prewrap">(.*?)</td><td class="prewrap">(.*?)</td>'
                      r'<td class="prewrap">(.*?)</td>', response.text)
    old_title = "Protection Improvement Plan – Peer Review"
    assert rows == [("Title", old_title, old_title, "My title")]
    assert 'value="Fire Authority"' in response.text  # the form now holds what is stored, plus the new title
    again = plan_form_values(response.text)
    assert again["board"] == "Fire Authority" and again["title"] == "My title"
    saved = client.post(url("plan_edit", REF), {**again, "reason": "Shorter"})
    assert saved.status_code == 302
    assert (plan().title, plan().board) == ("My title", "Fire Authority")
    assert plan().background == "New background.\nSecond line."
    assert set(JournalEvent.objects.filter(entity_type="plan", reason="Shorter").values_list("field", flat=True)) == {
        "title"}


def plan_form_values(page: str) -> dict:
    """The plan details form as a browser would submit it: every field's value, hidden ones too."""
    data = {name: html.unescape(value) for name, value in re.findall(r'<input[^>]*name="(\w+)" value="([^"]*)"', page)
            if name != "csrfmiddlewaretoken"}
    for name in ("source_kind", "rag_scheme", "reporting_period"):
        data[name] = re.search(rf'<select name="{name}".*?<option value="([^"]*)"[^>]*selected', page, re.S).group(1)
    for name in ("background", "documents_reviewed"):
        data[name] = html.unescape(re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S).group(1))
    if re.search(r'<input[^>]*name="managers_change_dates_directly"[^>]*checked', page):
        data["managers_change_dates_directly"] = "on"
    return data


# One list of reserved references ----------------------------------------------------------------------------

def test_the_form_refuses_every_reference_the_service_reserves(signed_in, plan_manager):
    from actiontrack.web.manage import forms as manage_forms

    assert manage_forms.RESERVED_REFERENCES is services.RESERVED_REFERENCES
    for word in sorted(services.RESERVED_REFERENCES):
        response = signed_in(plan_manager).post(url("plan_new"), {**NEW_PLAN, "reference": word})
        assert response.status_code == 400 and "cannot be a plan&#x27;s reference" in response.text, word


def test_a_plan_manager_sets_the_reminder_window_and_a_bad_one_is_refused(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert 'name="reminder_window_days"' in client.get(url("plan_edit", REF)).text
    response = client.post(url("plan_edit", REF), {**NEW_PLAN, "title": plan().title, "reminder_window_days": "30",
                                                   "reason": "Owners asked for more notice",
                                                   "version": plan().details_version})
    assert response.status_code == 302 and plan().reminder_window_days == 30
    event = JournalEvent.objects.get(entity_type="plan", field="reminder_window_days")
    assert (event.old, event.new) == (14, 30)
    response = client.post(url("plan_edit", REF), {**NEW_PLAN, "reminder_window_days": "400", "reason": "Typo",
                                                   "version": plan().details_version})
    assert response.status_code == 400 and "less than or equal to 366" in response.text
    assert plan().reminder_window_days == 30


def test_a_plan_manager_names_the_sources_groups_and_the_new_recommendation_form_uses_the_name(signed_in,
                                                                                               plan_manager):
    client = signed_in(plan_manager)
    data = {**NEW_PLAN, "title": plan().title, "group_label": "Directorate", "reason": "The plan is grouped",
            "version": plan().details_version}
    assert client.post(url("plan_edit", REF), data).status_code == 302
    assert plan().group_label == "Directorate"
    assert JournalEvent.objects.get(entity_type="plan", field="group_label").new == "Directorate"
    form = client.get(url("recommendation_new", REF)).text
    assert ">Directorate (optional)<" in form
