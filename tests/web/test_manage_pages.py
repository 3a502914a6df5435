"""The plan manager's pages, as the people who meet them: the plan manager (Priya Shah) sets up and changes
plans, decides date proposals and works through the queue; an owner, a verifier and a board member can see
the plan but are refused; an outsider is told nothing exists. Bad input says what is wrong and changes
nothing. Today is the real date: the demo plan's dates are in 2021."""

import html
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actiontrack.domain.periods import previous_period
from actiontrack.people.models import PlanRole, Post
from actiontrack.plans import queues, services, workflow
from actiontrack.plans.journal import Actor
from actiontrack.plans.models import Action, DateProposal, JournalEvent, PeriodLock, Plan, Recommendation
from actiontrack.plans.selectors import action_by_ref

pytestmark = pytest.mark.django_db

REF = "PIP-PR"
HPP = "Head of Prevention and Protection"



def url(name, *args):
    return reverse(f"manage:{name}", args=args)


def plan():
    return Plan.objects.get(reference=REF)


def action(ref):
    return action_by_ref(plan(), ref)


def journal_size():
    return JournalEvent.objects.count()


def today():
    return timezone.localdate()


# Every page, its permission rule and who is refused --------------------------------------------------------

PAGES = [
    ("plan_edit", [REF]),
    ("recommendation_new", [REF]),
    ("recommendation_edit", [REF, 3]),
    ("action_new", [REF, 3]),
    ("action_edit", [REF, "3.1"]),
    ("action_cancel", [REF, "3.1"]),
    ("action_pause", [REF, "3.1"]),
    ("action_resume", [REF, "3.1"]),
    ("plan_queue", [REF]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_plan_manager_opens_every_page(signed_in, plan_manager, name, args):
    response = signed_in(plan_manager).get(url(name, *args))
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.text or name == "plan_queue"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_people_who_see_the_plan_but_do_not_manage_it_are_refused(request, signed_in, who, name, args):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url(name, *args)), client.post(url(name, *args), {"reason": "x", "text": "x"})):
        assert response.status_code == 403
        assert "Only a plan manager of PIP-PR can" in response.text


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_an_outsider_is_told_the_plan_does_not_exist(signed_in, outsider, demo, name, args):
    client = signed_in(outsider)
    for response in (client.get(url(name, *args)), client.post(url(name, *args), {"reason": "x"})):
        assert response.status_code == 404
        assert "Protection Improvement" not in response.text


def test_someone_not_signed_in_is_sent_to_sign_in(client, demo):
    response = client.get(url("action_edit", REF, "3.1"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unknown_recommendation_or_action_is_not_found(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert client.get(url("recommendation_edit", REF, 99)).status_code == 404
    assert client.get(url("action_new", REF, 99)).status_code == 404
    assert client.get(url("action_edit", REF, "9.9")).status_code == 404


def posts_refused_to(client):
    """Every POST-only change, with input that a plan manager's request would get through."""
    proposal = workflow.date_propose(actor=Actor.of(get_user_model().objects.get(username="cparker")),
                                     action=action("5.1"), due_on=date(2027, 3, 31), due_condition="",
                                     reason="Consultation extended", today=today())
    return [
        client.post(url("recommendation_move", REF, 2), {"direction": "up"}),
        client.post(url("action_move", REF, "6.2"), {"direction": "up"}),
        client.post(url("period_lock", REF), {"period_start": today().isoformat(), "confirm": "on"}),
        client.post(url("proposal_decide", proposal.pk), {"decision": "accept"}),
    ]


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_changes_posted_by_someone_who_does_not_manage_the_plan_are_refused(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    before = journal_size()
    responses = posts_refused_to(client)
    assert [r.status_code for r in responses] == [403] * 4
    assert journal_size() == before + 1  # only the owner's proposal
    assert not PeriodLock.objects.exists() and DateProposal.objects.get().status == "pending"
    assert [r.ref for r in action("6.2").recommendation.actions.order_by("position")] == ["6.1", "6.2"]


def test_changes_posted_by_an_outsider_are_not_found(signed_in, outsider, demo):
    assert [r.status_code for r in posts_refused_to(signed_in(outsider))] == [404] * 4


def test_the_move_and_lock_buttons_do_nothing_when_opened_as_a_page(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert client.get(url("action_move", REF, "6.2")).status_code == 405
    nothing_named = client.get(url("period_lock", REF))
    assert nothing_named.status_code == 400 and "The period to lock was not given" in nothing_named.text
    asked = client.get(url("period_lock", REF) + f"?period={today().isoformat()}")
    assert asked.status_code == 200 and "Lock progress updates for" in asked.text
    assert not PeriodLock.objects.exists()


# Creating and editing a plan ------------------------------------------------------------------------------

NEW_PLAN = {
    "reference": "HMI-2022", "title": "HMICFRS Inspection 2022", "organisation": "Essex County Fire and Rescue",
    "source_kind": "hmicfrs", "source_body": "HMICFRS", "commissioned_on": "", "reported_on": "27/07/2022",
    "agreed_on": "01/09/2022", "background": "Round 2 inspection.", "documents_reviewed": "Report\n\n  Annex A  ",
    "board": "Performance and Resources Board", "classification": "OFFICIAL", "rag_scheme": "brag",
    "rag_window_days": "21", "reporting_period": "quarterly", "managers_change_dates_directly": "on",
}


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


# Recommendations ------------------------------------------------------------------------------------------

def test_adding_a_recommendation_offers_the_next_free_number(signed_in, plan_manager):
    page = signed_in(plan_manager).get(url("recommendation_new", REF)).text
    assert 'name="number" value="9"' in page


def test_a_plan_manager_adds_a_recommendation(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_new", REF),
                                            {"number": "9", "kind": "afi", "text": "Improve the audit trail."})
    assert response.status_code == 302 and response.url.endswith("#rec-9")
    rec = Recommendation.objects.get(plan__reference=REF, number=9)
    assert (rec.kind, rec.text) == ("afi", "Improve the audit trail.")
    assert JournalEvent.objects.get(entity_type="recommendation", entity_id=rec.pk).effective_on == today()


@pytest.mark.parametrize(("data", "message"), [
    ({"number": "3", "kind": "recommendation", "text": "Again"}, "Recommendation 3 already exists in PIP-PR."),
    ({"number": "9", "kind": "recommendation", "text": " "}, "Enter the recommendation&#x27;s text."),
    ({"number": "", "kind": "recommendation", "text": "New"}, "Enter the recommendation&#x27;s number."),
    ({"number": "9", "kind": "finding", "text": "New"}, "Select a valid choice"),
])
def test_a_bad_recommendation_is_not_added(signed_in, plan_manager, data, message):
    count = Recommendation.objects.count()
    response = signed_in(plan_manager).post(url("recommendation_new", REF), data)
    assert response.status_code == 400 and "There is a problem" in response.text and message in response.text
    assert Recommendation.objects.count() == count


def test_a_plan_manager_rewords_a_recommendation_with_a_reason(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_edit", REF, 2), {
        "text": "Clarify and evidence Out of Hours fire protection cover.", "kind": "cause_of_concern",
        "reason": "Abbreviations spelt out", "version": "1"})
    assert response.status_code == 302
    rec = Recommendation.objects.get(number=2)
    assert rec.text.startswith("Clarify and evidence") and rec.kind == "cause_of_concern"


def test_a_recommendation_edit_without_a_reason_changes_nothing(signed_in, plan_manager):
    before = journal_size()
    response = signed_in(plan_manager).post(url("recommendation_edit", REF, 2),
                                            {"text": "Different", "kind": "recommendation", "reason": "",
                                             "version": "1"})
    assert response.status_code == 400 and "Give a reason for changing the recommendation." in response.text
    assert Recommendation.objects.get(number=2).text.startswith("Clarify &") and journal_size() == before


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


def test_a_stale_recommendation_edit_is_refused_and_can_be_saved_deliberately(signed_in, plan_manager):
    client = signed_in(plan_manager)
    rec = Recommendation.objects.get(plan__reference=REF, number=2)
    assert f'name="version" value="{rec.version}"' in client.get(url("recommendation_edit", REF, 2)).text
    services.recommendation_update(actor=Actor.of(plan_manager), recommendation=rec, text="Theirs, saved first.",
                                   kind=rec.kind, reason="Theirs", effective_on=today(), expected_version=1)
    mine = {"text": "Mine, typed in the old form.", "kind": "afi", "reason": "Mine", "version": "1"}
    response = client.post(url("recommendation_edit", REF, 2), mine)
    assert response.status_code == 409
    assert "Theirs, saved first." in response.text and "Mine, typed in the old form." in response.text
    assert "Area for improvement" in response.text and 'name="version" value="2"' in response.text
    assert Recommendation.objects.get(pk=rec.pk).text == "Theirs, saved first."
    response = client.post(url("recommendation_edit", REF, 2), {**mine, "version": "2"})
    assert response.status_code == 302 and Recommendation.objects.get(pk=rec.pk).text == "Mine, typed in the old form."


def test_a_plan_manager_moves_a_recommendation_without_changing_its_number(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 2), {"direction": "up"})
    assert response.status_code == 302 and response.url.endswith("#plan-tools")
    assert list(plan().recommendations.order_by("position").values_list("number", flat=True)[:3]) == [2, 1, 3]


def test_the_first_recommendation_cannot_move_up(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 1), {"direction": "up"})
    assert response.status_code == 400 and "It is already at the top." in response.text
    response = signed_in(plan_manager).post(url("recommendation_move", REF, 1), {"direction": "sideways"})
    assert response.status_code == 400 and "Move up (-1) or down (+1)." in response.text


# Actions --------------------------------------------------------------------------------------------------

def head_of(name):
    return Post.objects.get(name=name)


def test_a_plan_manager_adds_an_action_with_owners_and_a_conditional_due_date(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_new", REF, 3), {
        "text": "Publish the resourcing plan.", "owner_posts": [head_of(HPP).pk, head_of("Head of Protection").pk],
        "due": "31/03/2027 (On Approval)"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "3.2"])
    new = action("3.2")
    assert (new.due_on, new.due_condition, new.baseline_on) == (date(2027, 3, 31), "On Approval", date(2027, 3, 31))
    assert sorted(new.owner_posts.values_list("name", flat=True)) == ["Head of Prevention and Protection",
                                                                      "Head of Protection"]


def test_something_added_cannot_take_effect_after_today(signed_in, plan_manager):
    """With a later "In the plan since" date it would not show in the plan as it stands today."""
    client = signed_in(plan_manager)
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    before = journal_size()
    response = client.post(url("recommendation_new", REF), {"number": "9", "kind": "afi", "text": "Later.",
                                                           "effective_on": tomorrow})
    assert response.status_code == 400 and "cannot take effect in the plan after" in response.text
    response = client.post(url("action_new", REF, 3), {"text": "Later.", "owner_posts": [head_of(HPP).pk],
                                                       "due": "31/03/2027", "effective_on": tomorrow})
    assert response.status_code == 400 and "The action cannot take effect in the plan after" in response.text
    assert journal_size() == before and not Recommendation.objects.filter(number=9).exists()
    response = client.post(url("recommendation_new", REF), {"number": "9", "kind": "afi", "text": "Today.",
                                                           "effective_on": today().strftime("%d/%m/%Y")})
    assert response.status_code == 302


def test_the_new_action_form_lists_every_post_as_a_checkbox_with_a_label(signed_in, plan_manager):
    page = signed_in(plan_manager).get(url("action_new", REF, 3)).text
    assert '<legend class="fieldset__legend">Owner</legend>' in page
    assert page.count('type="checkbox" name="owner_posts"') == Post.objects.count()
    assert '<label for="id_owner_posts_0">Corporate Communications</label>' in page


@pytest.mark.parametrize(("change", "message"), [
    ({"due": "31/02/2022"}, "February 2022 has 28 days"),
    ({"text": ""}, "Describe the action: its text cannot be empty."),
    ({"owner_posts": []}, "Choose at least one owner post."),
])
def test_a_bad_action_is_not_added(signed_in, plan_manager, change, message):
    count = Action.objects.count()
    data = {"text": "Publish the resourcing plan.", "owner_posts": [head_of(HPP).pk], "due": "31/03/2027", **change}
    response = signed_in(plan_manager).post(url("action_new", REF, 3), data)
    assert response.status_code == 400 and "There is a problem" in response.text and message in response.text
    assert Action.objects.count() == count


def edit_data(act, **change):
    return {"version": act.version, "text": act.text, "owner_posts": [p.pk for p in act.owner_posts.all()],
            "reason": "Clarified", **change}


def test_a_plan_manager_edits_an_action_with_a_reason(signed_in, plan_manager):
    act = action("3.1")
    client = signed_in(plan_manager)
    form = client.get(url("action_edit", REF, "3.1")).text
    assert f'name="version" value="{act.version}"' in form and "succession planning" in form
    response = client.post(url("action_edit", REF, "3.1"), edit_data(act, text="Reviewed in the annual strategy."))
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "3.1"])
    assert action("3.1").text == "Reviewed in the annual strategy."
    assert JournalEvent.objects.filter(entity_id=act.pk, entity_type="action", field="text").last().reason == (
        "Clarified")


@pytest.mark.parametrize(("change", "message"), [
    ({"reason": ""}, "Give a reason for editing the action."),
    ({"text": "  "}, "Describe the action: its text cannot be empty."),
    ({}, "Nothing was changed."),
    ({"owner_posts": []}, "Choose at least one owner post."),
    ({"version": "x"}, "The form was incomplete: open it again."),
])
def test_a_bad_action_edit_changes_nothing(signed_in, plan_manager, change, message):
    act = action("3.1")
    before = journal_size()
    response = signed_in(plan_manager).post(url("action_edit", REF, "3.1"), edit_data(act, **change))
    assert response.status_code == 400 and message in response.text
    assert action("3.1").text == act.text and journal_size() == before


def test_the_due_date_is_read_only_where_dates_change_only_through_proposals(signed_in, plan_manager):
    client = signed_in(plan_manager)
    page = client.get(url("action_edit", REF, "5.1")).text
    assert 'name="due"' not in page and "a due date changes only through an owner's proposal" in page
    act = action("5.1")
    client.post(url("action_edit", REF, "5.1"), edit_data(act, text="Restructure, then embed.", due="31/03/2030"))
    assert (action("5.1").text, action("5.1").due_on) == ("Restructure, then embed.", date(2021, 12, 31))


def test_where_the_plan_allows_it_a_plan_manager_changes_the_due_date_in_the_edit(signed_in, plan_manager):
    Plan.objects.update(managers_change_dates_directly=True)
    client = signed_in(plan_manager)
    assert 'name="due" value="31/12/2021"' in client.get(url("action_edit", REF, "5.1")).text
    response = client.post(url("action_edit", REF, "5.1"), edit_data(action("5.1"), due="30/06/2027"))
    assert response.status_code == 302
    assert (action("5.1").due_on, action("5.1").baseline_on) == (date(2027, 6, 30), date(2021, 7, 31))


def test_a_stale_edit_is_refused_with_both_versions_and_can_be_saved_deliberately(signed_in, plan_manager):
    client = signed_in(plan_manager)
    opened = action("3.1").version
    assert f'name="version" value="{opened}"' in client.get(url("action_edit", REF, "3.1")).text
    act = action("3.1")  # meanwhile, someone else saves
    services.action_edit(actor=Actor.of(plan_manager), action=act, expected_version=opened,
                         text="Their text, saved first.", owner_posts=list(act.owner_posts.all()),
                         reason="Theirs", effective_on=today())
    mine = edit_data(act, version=opened, text="My text, typed in the old form.", reason="Mine")
    response = client.post(url("action_edit", REF, "3.1"), mine)
    assert response.status_code == 409
    assert "Someone else saved this while you were editing" in response.text
    assert "Their text, saved first." in response.text and "My text, typed in the old form." in response.text
    stored = action("3.1")
    assert stored.text == "Their text, saved first."
    assert f'name="version" value="{stored.version}"' in response.text and stored.version != opened
    assert "Mine</textarea>" in response.text  # the reason typed is kept too
    response = client.post(url("action_edit", REF, "3.1"), {**mine, "version": stored.version})
    assert response.status_code == 302 and action("3.1").text == "My text, typed in the old form."


def test_a_plan_manager_moves_an_action_within_its_recommendation(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_move", REF, "6.2"), {"direction": "up"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "6.2"])
    assert [a.ref for a in action("6.2").recommendation.actions.order_by("position")] == ["6.2", "6.1"]


def test_an_action_at_the_bottom_cannot_move_down(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_move", REF, "6.2"), {"direction": "down"})
    assert response.status_code == 400 and "It is already at the bottom." in response.text


@pytest.mark.parametrize(("change", "doing"), [("cancel", "cancelling"), ("pause", "pausing")])
def test_cancelling_or_pausing_needs_a_reason(signed_in, plan_manager, change, doing):
    before = journal_size()
    response = signed_in(plan_manager).post(url(f"action_{change}", REF, "3.1"), {"reason": " "})
    assert response.status_code == 400
    assert f"Give a reason for {doing} the action." in response.text
    assert action("3.1").lifecycle == "in_progress" and journal_size() == before


def test_a_plan_manager_pauses_resumes_and_cancels_an_action(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_pause", REF, "3.1"), {"reason": "Waiting for the restructure"})
    assert (action("3.1").lifecycle, action("3.1").lifecycle_reason) == ("paused", "Waiting for the restructure")
    assert client.post(url("action_resume", REF, "3.1"), {"reason": ""}).status_code == 302
    assert action("3.1").lifecycle == "in_progress"
    client.post(url("action_cancel", REF, "3.1"), {"reason": "Superseded by the HMICFRS plan"})
    assert (action("3.1").lifecycle, action("3.1").lifecycle_reason) == ("cancelled", "Superseded by the HMICFRS plan")


def test_resuming_an_action_that_is_not_paused_says_so(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_resume", REF, "3.1"), {"reason": ""})
    assert response.status_code == 400 and "Action 3.1 is already in progress." in response.text


def test_the_action_page_offers_a_plan_manager_their_tasks_and_nobody_else(signed_in, plan_manager, owner):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "3.1"])).text
    for offered in ("Edit action 3.1", "Pause action 3.1", "Cancel action 3.1", url("action_edit", REF, "3.1")):
        assert offered in page
    assert "Resume action 3.1" not in page
    assert "Move up" not in page and "Move down" not in page  # the only action of recommendation 3
    assert url("action_edit", REF, "3.1") not in signed_in(owner).get(reverse("action", args=[REF, "3.1"])).text


def test_an_action_is_offered_only_the_moves_it_can_make(signed_in, plan_manager):
    client = signed_in(plan_manager)
    first, second = (client.get(reverse("action", args=[REF, ref])).text for ref in ("6.1", "6.2"))
    assert "Move up" not in first and "Move down<span class=\"visually-hidden\"> action 6.1" in first
    assert "Move up<span class=\"visually-hidden\"> action 6.2" in second and "Move down" not in second


def test_a_paused_action_is_offered_resume_instead_of_pause(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_pause", REF, "3.1"), {"reason": "Waiting for the restructure"})
    page = client.get(reverse("action", args=[REF, "3.1"])).text
    assert "Resume action 3.1" in page and "Pause action 3.1" not in page


# Date proposals -------------------------------------------------------------------------------------------

@pytest.fixture
def proposal(owner):
    return workflow.date_propose(actor=Actor.of(owner), action=action("5.1"), due_on=date(2027, 3, 31),
                                 due_condition="", reason="Consultation extended", today=today())


def test_the_action_page_offers_a_plan_manager_accept_and_reject(signed_in, plan_manager, owner, proposal):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "5.1"])).text
    assert "Consultation extended" in page and "Pending decision" in page
    assert "Accept the proposed date" in page and "Reject the proposed date" in page
    assert url("proposal_decide", proposal.pk) in page
    owners_page = signed_in(owner).get(reverse("action", args=[REF, "5.1"])).text
    assert "Pending decision" in owners_page and "Accept the proposed date" not in owners_page


def test_a_plan_manager_accepts_a_proposal_and_the_due_date_changes_but_not_the_baseline(
        signed_in, plan_manager, proposal):
    client = signed_in(plan_manager)
    response = client.post(url("proposal_decide", proposal.pk), {"decision": "accept", "comment": "Agreed",
                                                                 "next": reverse("action", args=[REF, "5.1"])})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "5.1"])
    act = action("5.1")
    assert (act.due_on, act.baseline_on) == (date(2027, 3, 31), date(2021, 7, 31))
    assert DateProposal.objects.get().status == "accepted"
    page = client.get(response.url).text
    slip = (date(2027, 3, 31) - date(2021, 7, 31)).days
    assert "31/03/2027" in page and f"revised twice, +{slip} days from baseline" in page
    assert "Accept the proposed date" not in page


def test_a_plan_manager_rejects_a_proposal_with_a_comment(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk),
                                            {"decision": "reject", "comment": "Hold the date"})
    assert response.status_code == 302
    assert DateProposal.objects.get().status == "rejected" and action("5.1").due_on == date(2021, 12, 31)


def test_rejecting_without_a_comment_says_why_and_changes_nothing(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "reject"})
    assert response.status_code == 400
    assert "There is a problem" in response.text and "Give a reason for rejecting the proposal." in response.text
    assert 'href="#id_comment"' in response.text
    assert DateProposal.objects.get().status == "pending" and action("5.1").due_on == date(2021, 12, 31)


def test_a_decision_needs_accept_or_reject(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "maybe"})
    assert response.status_code == 400 and DateProposal.objects.get().status == "pending"


def test_a_proposal_already_decided_cannot_be_decided_again(signed_in, plan_manager, proposal):
    client = signed_in(plan_manager)
    client.post(url("proposal_decide", proposal.pk), {"decision": "accept"})
    response = client.post(url("proposal_decide", proposal.pk), {"decision": "reject", "comment": "No"})
    assert response.status_code == 400 and "This proposal was already accepted." in response.text
    assert DateProposal.objects.get().status == "accepted"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_may_decide_a_proposal(request, signed_in, proposal, who):
    client = signed_in(request.getfixturevalue(who))
    for response in (client.get(url("proposal_decide", proposal.pk)),
                     client.post(url("proposal_decide", proposal.pk), {"decision": "accept"})):
        assert response.status_code == 403
    assert DateProposal.objects.get().status == "pending" and action("5.1").due_on == date(2021, 12, 31)


def test_an_outsider_cannot_find_a_proposal(signed_in, outsider, proposal):
    assert signed_in(outsider).post(url("proposal_decide", proposal.pk), {"decision": "accept"}).status_code == 404
    assert DateProposal.objects.get().status == "pending"


def test_an_unsafe_return_address_is_ignored(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk),
                                            {"decision": "accept", "next": "https://evil.example.org/"})
    assert response.status_code == 302 and response.url == reverse("action", args=[REF, "5.1"])


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
    this = workflow.current_period(plan(), today())
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
    this = workflow.current_period(plan(), today())
    assert response.status_code == 400 and f"Confirm that {this.label} is to be locked before it ends." in response.text
    assert not PeriodLock.objects.exists() and journal_size() == before


def test_a_plan_manager_unlocks_a_period_with_a_reason_kept_in_the_history(signed_in, plan_manager):
    this = workflow.current_period(plan(), today())
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
    this = workflow.current_period(plan(), today())
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
    this = workflow.current_period(plan(), today())
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


# The plan page's entry points (web/manage/_plan_tools.html, included by the plan page) -----------------------

def plan_tools(response) -> str:
    """The plan manager's section of a plan page (or of its htmx partial), if it is there."""
    page = response.text
    return page.split('<section id="plan-tools"')[1].split("</section>")[0] if 'id="plan-tools"' in page else ""


def test_the_plan_tools_give_a_plan_manager_every_entry_point(signed_in, plan_manager):
    html = plan_tools(signed_in(plan_manager).get(reverse("plan", args=[REF])))
    for link in (url("plan_edit", REF), url("recommendation_new", REF), url("plan_queue", REF),
                 url("recommendation_edit", REF, 3), url("action_new", REF, 3), url("recommendation_move", REF, 3)):
        assert f'href="{link}"' in html or f'action="{link}"' in html
    assert html.count("Move up") == 7 and html.count("Move down") == 7  # not above the first, nor below the last


def test_the_plan_tools_are_in_the_htmx_partial_too(signed_in, plan_manager):
    response = signed_in(plan_manager).get(reverse("plan", args=[REF]), {"as_at": "2021-11-30"},
                                           headers={"HX-Request": "true"})
    assert "<html" not in response.text and url("plan_edit", REF) in plan_tools(response)


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_the_plan_tools_are_not_offered_to_anyone_else(request, signed_in, who):
    response = signed_in(request.getfixturevalue(who)).get(reverse("plan", args=[REF]))
    assert response.status_code == 200 and plan_tools(response) == ""


def test_whether_the_plan_tools_show_is_the_views_decision_not_the_templates(plan_manager, owner):
    def render(user, can_manage):
        request = RequestFactory().get("/")
        request.user = user
        return render_to_string("web/manage/_plan_tools.html", {"plan": plan(), "user": user,
                                                                "can_manage": can_manage}, request=request)

    assert render(plan_manager, can_manage=False).strip() == ""
    assert url("plan_edit", REF) in render(owner, can_manage=True)


def test_no_page_has_inline_script_or_style_that_the_content_security_policy_would_block(signed_in, plan_manager,
                                                                                        proposal):
    client = signed_in(plan_manager)
    for name, args in [*PAGES, ("queue", []), ("proposal_decide", [proposal.pk])]:
        html = client.get(url(name, *args)).text
        assert "style=" not in html and "<style" not in html and "<script>" not in html, name


# Errors linked to their fields (aria-describedby names the one element holding a field's errors) ------------

def described_by_ids_are_all_there(html: str) -> list[str]:
    """Every id an aria-describedby names, that the page does not have: an empty list when all is well."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    named = [name for value in re.findall(r'aria-describedby="([^"]*)"', html) for name in value.split()]
    return [name for name in named if name not in ids]


def test_a_field_error_is_one_element_with_the_id_djangos_aria_describedby_names(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_edit", REF, "3.1"), edit_data(action("3.1"), text=" ",
                                                                                       reason=""))
    assert response.status_code == 400
    html = response.text
    assert html.count('id="id_text_error"') == 1 and html.count('id="id_reason_error"') == 1
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    assert described_by_ids_are_all_there(html) == []


def test_checkboxes_in_a_fieldset_are_described_by_their_error(signed_in, plan_manager):
    response = signed_in(plan_manager).post(url("action_new", REF, 3), {"text": "Something", "due": ""})
    assert response.status_code == 400
    assert 'aria-describedby="id_owner_posts_helptext id_owner_posts_error"' in response.text
    assert 'id="id_owner_posts_error"' in response.text and 'href="#id_owner_posts_0"' in response.text
    assert described_by_ids_are_all_there(response.text) == []


def test_the_decision_comment_is_described_by_its_error(signed_in, plan_manager, proposal):
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "reject"})
    assert 'aria-describedby="id_comment_helptext id_comment_error"' in response.text
    assert 'id="id_comment_error"' in response.text and described_by_ids_are_all_there(response.text) == []
    response = signed_in(plan_manager).post(url("proposal_decide", proposal.pk), {"decision": "maybe"})
    assert 'aria-describedby="id_decision_error"' in response.text and 'id="id_decision_error"' in response.text


def test_a_form_with_errors_says_error_in_the_title_and_a_conflict_or_refusal_does_not(signed_in, plan_manager,
                                                                                       owner):
    client = signed_in(plan_manager)
    bad = client.post(url("recommendation_new", REF), {"number": "", "kind": "recommendation", "text": ""})
    assert bad.status_code == 400 and title_of(bad).startswith("Error: Add a recommendation")
    assert not title_of(client.get(url("recommendation_new", REF))).startswith("Error")
    problem = client.post(url("action_move", REF, "6.2"), {"direction": "down"})
    assert problem.status_code == 400 and title_of(problem).startswith("Error: Nothing was changed")
    opened = action("3.1").version
    act = action("3.1")
    services.action_edit(actor=Actor.of(plan_manager), action=act, expected_version=opened, text="Theirs.",
                         owner_posts=list(act.owner_posts.all()), reason="Theirs", effective_on=today())
    conflict = client.post(url("action_edit", REF, "3.1"), edit_data(act, version=opened, text="Mine.", reason="x"))
    assert conflict.status_code == 409 and not title_of(conflict).startswith("Error")
    refused = signed_in(owner).get(url("plan_edit", REF))
    assert refused.status_code == 403 and title_of(refused).startswith("You cannot do this")


def title_of(response) -> str:
    return response.text.split("<title>")[1].split("</title>")[0]


# One list of reserved references ----------------------------------------------------------------------------

def test_the_form_refuses_every_reference_the_service_reserves(signed_in, plan_manager):
    from actiontrack.web.manage import forms as manage_forms

    assert manage_forms.RESERVED_REFERENCES is services.RESERVED_REFERENCES
    for word in sorted(services.RESERVED_REFERENCES):
        response = signed_in(plan_manager).post(url("plan_new"), {**NEW_PLAN, "reference": word})
        assert response.status_code == 400 and "cannot be a plan&#x27;s reference" in response.text, word


# The plan manager's lifecycle moves, as Lifecycle.manager_may_move_to allows them ------------------------

def test_a_completed_action_is_offered_no_pause_or_cancel(signed_in, plan_manager):
    page = signed_in(plan_manager).get(reverse("action", args=[REF, "2.1"])).text  # completed, awaiting a verifier
    assert "Edit action 2.1" in page
    for move in ("Pause action 2.1", "Cancel action 2.1", "Resume action 2.1", "Reinstate action 2.1"):
        assert move not in page


def test_a_cancelled_action_is_offered_reinstate_and_nothing_else(signed_in, plan_manager):
    client = signed_in(plan_manager)
    client.post(url("action_cancel", REF, "3.1"), {"reason": "Superseded"})
    page = client.get(reverse("action", args=[REF, "3.1"])).text
    assert url("action_reinstate", REF, "3.1") in page and "Reinstate action 3.1" in page
    for move in ("Pause action 3.1", "Cancel action 3.1", "Resume action 3.1"):
        assert move not in page
    assert client.get(url("action_reinstate", REF, "3.1")).status_code == 200
    response = client.post(url("action_reinstate", REF, "3.1"), {"reason": ""})
    assert response.status_code == 302 and action("3.1").lifecycle == "in_progress"


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_only_a_plan_manager_may_reinstate(request, signed_in, plan_manager, who):
    signed_in(plan_manager).post(url("action_cancel", REF, "3.1"), {"reason": "Superseded"})
    client = signed_in(request.getfixturevalue(who))
    response = client.post(url("action_reinstate", REF, "3.1"), {"reason": ""})
    assert response.status_code == 403 and action("3.1").lifecycle == "cancelled"


def test_a_refusal_offers_the_way_back_to_the_action(signed_in, owner):
    response = signed_in(owner).get(url("action_edit", REF, "3.1"))
    assert response.status_code == 403
    assert f'<a href="{reverse("action", args=[REF, "3.1"])}">Back to action 3.1</a>' in response.text


# Locking last period as well as this one -------------------------------------------------------------------

def test_the_queue_offers_to_lock_this_period_and_the_one_before(signed_in, plan_manager):
    this = workflow.current_period(plan(), today())
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
    this = workflow.current_period(plan(), today())
    last = previous_period(this)
    for period in (this, last):
        workflow.period_lock(
        confirmed_current=True, actor=Actor.of(plan_manager), plan=plan(), period_start=period.start, today=today())
    page = signed_in(plan_manager).get(url("plan_queue", REF)).text
    assert "Lock progress updates for" not in page


def test_a_plan_managers_page_under_an_action_ref_written_another_way_redirects(signed_in, plan_manager):
    client = signed_in(plan_manager)
    for name in ("action_edit", "action_cancel", "action_pause"):
        response = client.get(url(name, REF, "03.1"))
        assert response.status_code == 301 and response.url == url(name, REF, "3.1"), name
    response = client.post(url("action_pause", REF, "03.1"), {"reason": "Waiting"})
    assert response.status_code == 404 and action("3.1").lifecycle == "in_progress"


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
