"""Writing through the API: the same services as the web, so the right person succeeds, and the wrong person
is refused the same way, with the same words — 403 for someone who can see the plan, 404 for an outsider."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.people import services as people
from actiontrack.people.models import Post
from actiontrack.plans.models import DateProposal, Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services.evidence import evidence_add_link
from tests.demo_rows import new_updates

pytestmark = pytest.mark.django_db
ACTION = "/api/plans/PIP-PR/actions/{ref}/"


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


def today():
    return timezone.localdate()


def with_evidence(owner, ref="5.1"):
    evidence_add_link(actor=Actor.of(owner), action=action(ref), url="https://intranet.example.org/restructure",
                      title="Restructure paper", today=today())


# Each write: the API path and body, and the web page and form that do the same.
WRITES = {
    "update": ("updates", {"text": "Consultation closed"}, "owner:update", {"text": "Consultation closed",
                                                                           "version": "0"}),
    "propose": ("proposals", {"due_on": "2030-03-31", "reason": "Consultation extended"}, "owner:propose-date",
                {"due_on": "31/03/2030", "reason": "Consultation extended"}),
    "complete": ("complete", {"note": "Done"}, "owner:complete", {"completed_on": "TODAY", "note": "Done"}),
    "verify": ("verify", {"comment": "Checked"}, "owner:verify", {"verify-comment": "Checked"}),
    "return": ("return", {"comment": "The evidence is a draft"}, "owner:return",
               {"return-comment": "The evidence is a draft"}),
}


def web_post(client, user, write, ref):
    _, _, url_name, form = WRITES[write]
    form = {key: today().strftime("%d/%m/%Y") if value == "TODAY" else value for key, value in form.items()}
    client.force_login(user)
    return client.post(reverse(url_name, args=["PIP-PR", ref]), form)


def api_post(api, user, write, ref):
    path, body, _, _ = WRITES[write]
    return api(user).post(ACTION.format(ref=ref) + path, body)


def refusal_on_page(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# The right person ---------------------------------------------------------------------------------------------

def test_an_owner_writes_this_periods_progress_update(api, owner):
    response = api(owner).post(ACTION.format(ref="5.1") + "updates", {"text": "Consultation closed"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Consultation closed" and body["version"] == 1 and body["author"] == "Chris Parker"
    update = new_updates().get(action=action("5.1"))
    event = JournalEvent.objects.get(entity_type="update", entity_id=update.pk)
    assert event.source == ChangeSource.API and event.actor == owner  # journalled like any change, "through the API"


def test_editing_an_update_needs_the_version_and_a_stale_one_is_a_409_with_what_is_stored(api, owner):
    client = api(owner)
    first = client.post(ACTION.format(ref="5.1") + "updates", {"text": "Mine"}).json()
    client.post(ACTION.format(ref="5.1") + "updates", {"text": "Theirs", "expected_version": first["version"]})
    stale = client.post(ACTION.format(ref="5.1") + "updates", {"text": "Mine again",
                                                                "expected_version": first["version"]})
    assert stale.status_code == 409
    assert stale.json()["current"] == {"text": "Theirs"} and stale.json()["current_version"] == 2
    assert stale.json()["field"] == "expected_version"
    assert new_updates().get().text == "Theirs"
    replaced = client.post(ACTION.format(ref="5.1") + "updates", {"text": "Mine again", "expected_version": 2})
    assert replaced.status_code == 200 and replaced.json()["version"] == 3


def test_an_owner_proposes_a_date_and_nothing_changes_until_a_plan_manager_accepts(api, owner):
    response = api(owner).post(ACTION.format(ref="5.1") + "proposals",
                               {"due_on": "2030-03-31", "due_condition": "On Approval", "reason": "Extended"})
    assert response.status_code == 201
    assert response.json()["due_text"] == "31/03/2030 (On Approval)" and response.json()["status"] == "pending"
    assert DateProposal.objects.get().reason == "Extended"
    assert action("5.1").due_on == date(2021, 12, 31)


def test_an_owner_completes_an_action_with_evidence_and_a_verifier_closes_it(api, owner, verifier):
    with_evidence(owner)
    completed = api(owner).post(ACTION.format(ref="5.1") + "complete", {"note": "Restructure done"})
    assert completed.status_code == 200
    assert completed.json()["lifecycle"] == "completed"
    assert completed.json()["rating"]["label"] == "Green – Complete"
    closed = api(verifier).post(ACTION.format(ref="5.1") + "verify", {})
    assert closed.status_code == 200 and closed.json()["lifecycle"] == "closed"


def test_an_action_without_evidence_is_closed_through_the_api_only_as_closed_without_evidence(api, verifier):
    refused = api(verifier).post(ACTION.format(ref="2.2") + "verify", {"comment": "Fine"})
    assert refused.status_code == 400 and "has no evidence to verify" in str(refused.json())
    closed = api(verifier).post(ACTION.format(ref="2.2") + "verify",
                                {"without_evidence": True, "comment": "Rota seen at the station"})
    assert closed.status_code == 200 and closed.json()["lifecycle"] == "closed"
    assert closed.json()["lifecycle_reason"] == "Closed without evidence: Rota seen at the station"
    assert closed.json()["rating"]["reason"].endswith("closed without evidence")


def test_a_verifier_returns_a_completed_action_to_its_owner_saying_why(api, verifier):
    response = api(verifier).post(ACTION.format(ref="2.1") + "return", {"comment": "The rota is a draft"})
    assert response.status_code == 200 and response.json()["lifecycle"] == "in_progress"
    assert JournalEvent.objects.filter(entity_type="action", entity_id=action("2.1").pk, source=ChangeSource.API,
                                       reason="Returned by the verifier: The rota is a draft").exists()


# The wrong person, refused the same way as on the web -------------------------------------------------------------

@pytest.mark.parametrize(("write", "ref", "who", "message"), [
    ("update", "5.1", "other_owner", "Only an owner of action 5.1 can write its progress update."),
    ("update", "5.1", "plan_manager", "Only an owner of action 5.1 can write its progress update."),
    ("update", "5.1", "verifier", "Only an owner of action 5.1 can write its progress update."),
    ("update", "5.1", "board_member", "Only an owner of action 5.1 can write its progress update."),
    ("propose", "5.1", "other_owner", "Only an owner of action 5.1 can propose a new due date."),
    ("propose", "5.1", "plan_manager", "Only an owner of action 5.1 can propose a new due date."),
    ("propose", "5.1", "board_member", "Only an owner of action 5.1 can propose a new due date."),
    ("complete", "5.1", "other_owner", "Only an owner of action 5.1 can mark it complete."),
    ("complete", "5.1", "plan_manager", "Only an owner of action 5.1 can mark it complete."),
    ("complete", "5.1", "verifier", "Only an owner of action 5.1 can mark it complete."),
    ("verify", "2.1", "owner", "Only a verifier of PIP-PR can verify and close it."),
    ("verify", "2.1", "plan_manager", "Only a verifier of PIP-PR can verify and close it."),
    ("verify", "2.1", "board_member", "Only a verifier of PIP-PR can verify and close it."),
    ("return", "2.1", "other_owner", "Only a verifier of PIP-PR can return it to the owner."),
    ("return", "2.1", "plan_manager", "Only a verifier of PIP-PR can return it to the owner."),
])
def test_the_wrong_person_is_refused_with_the_same_words_as_on_the_web(request, api, client, owner, write, ref, who,
                                                                       message):
    with_evidence(owner)
    user = request.getfixturevalue(who)
    through_api = api_post(api, user, write, ref)
    assert through_api.status_code == 403
    assert through_api.json() == {"detail": message, "field": None}
    on_the_web = web_post(client, user, write, ref)
    assert on_the_web.status_code == 403
    assert message in refusal_on_page(on_the_web)
    assert not JournalEvent.objects.filter(source=ChangeSource.API).exists()
    assert not new_updates().exists() and not DateProposal.objects.exists()


def test_a_verifier_who_owns_the_action_may_not_close_it_through_either_route(api, client, verifier, administrator):
    people.post_holder_change(actor=Actor.of(administrator), post=Post.objects.get(name="Head of Protection"),
                              holder_name="Sam Okafor", starts_on=date(2022, 1, 1), user=verifier,
                              reason="Acting up")
    message = "You own action 2.2, so you cannot verify and close it: someone else must verify it."
    assert api_post(api, verifier, "verify", "2.2").json()["detail"] == message
    on_the_web = web_post(client, verifier, "verify", "2.2")
    assert on_the_web.status_code == 403 and message in refusal_on_page(on_the_web)


@pytest.mark.parametrize("write", list(WRITES))
def test_an_outsider_is_told_the_plan_does_not_exist_on_both_routes(api, client, outsider, write):
    ref = "2.1" if write in ("verify", "return") else "5.1"
    through_api = api_post(api, outsider, write, ref)
    assert through_api.status_code == 404
    assert through_api.json()["detail"] == "There is no plan with reference 'PIP-PR' that you can see."
    no_such_plan = api(outsider).post("/api/plans/NO-SUCH/actions/5.1/" + WRITES[write][0], WRITES[write][1])
    assert no_such_plan.json()["detail"] == "There is no plan with reference 'NO-SUCH' that you can see."
    assert web_post(client, outsider, write, ref).status_code == 404


# Bad input: a clear message naming the field, and nothing changed ---------------------------------------------------

@pytest.mark.parametrize(("path", "body", "status", "field", "words"), [
    ("updates", {"text": "   "}, 400, "text", "Write the progress update: it cannot be empty."),
    ("updates", {}, 422, "text", "Body field 'text': Field required."),
    ("updates", {"text": "x\x00y"}, 422, "text", "Null characters are not allowed."),
    ("updates", {"text": "Fine", "period": "2020-01-01"}, 400, "text", "not for January 2020"),
    ("proposals", {"due_on": "31/03/2030", "reason": "Extended"}, 422, "due_on", "Give the date as YYYY-MM-DD"),
    ("proposals", {"due_on": "2030-03-31", "reason": " "}, 400, "reason", "Give a reason for proposing"),
    ("proposals", {"due_on": "2020-03-31", "reason": "Late"}, 400, "due_on", "has already passed"),
    ("complete", {}, 400, "evidence", "Add at least one piece of evidence"),
    ("complete", {"completed_on": "2999-01-01"}, 400, "completed_on", "is in the future"),
])
def test_bad_input_is_refused_with_a_message_naming_the_field(api, owner, path, body, status, field, words):
    if path == "complete" and "completed_on" in body:
        with_evidence(owner)
    before = JournalEvent.objects.count()
    response = api(owner).post(ACTION.format(ref="5.1") + path, body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert words in response.json()["detail"]
    assert JournalEvent.objects.count() == before


def test_a_body_that_is_not_json_is_a_400_naming_the_body(api, owner):
    response = api(owner).client.post(ACTION.format(ref="5.1") + "updates", "not json",
                                      content_type="application/json",
                                      HTTP_AUTHORIZATION=f"Bearer {api(owner).token}")
    assert response.status_code == 400 and response.json()["field"] == "body"
