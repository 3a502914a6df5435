"""Reading through the API: only what the token's user can see, every action rated as at a date with its text
label and reason, filters, pagination, and errors that say what was wrong and name the field."""

from datetime import date

import pytest
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.people.models import Post
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services.evidence import evidence_add_file, evidence_add_link
from actiontrack.plans.services.workflow import update_save

pytestmark = pytest.mark.django_db
PLAN = "/api/plans/PIP-PR"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ALL_REFS = ["1.1", "2.1", "2.2", "3.1", "4.1", "5.1", "6.1", "6.2", "7.1", "8.1"]


def refs(response):
    assert response.status_code == 200, response.content
    return [item["ref"] for item in response.json()["items"]]


def action(ref):
    return action_by_ref(Plan.objects.get(reference="PIP-PR"), ref)


# Who sees what ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "roles"), [("plan_manager", ["manager"]), ("owner", ["owner"]),
                                            ("verifier", ["verifier"]), ("board_member", ["viewer"])])
def test_each_persona_sees_the_plan_with_their_roles_on_it(request, api, who, roles):
    response = api(request.getfixturevalue(who)).get("/api/plans")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    plan = response.json()["items"][0]
    assert plan["reference"] == "PIP-PR" and plan["your_roles"] == roles and plan["web_url"] == "/plans/PIP-PR/"


def test_an_outsider_sees_no_plans_and_is_told_the_plan_does_not_exist(api, outsider):
    assert api(outsider).get("/api/plans").json() == {"items": [], "count": 0}
    for path in ("", "/actions", "/actions/5.1", "/recommendations", "/journal", "/updates", "/actions/5.1/evidence"):
        response = api(outsider).get(PLAN + path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "There is no plan with reference 'PIP-PR' that you can see.",
                                   "field": None}
    assert api(outsider).get("/api/actions").json()["count"] == 0
    assert api(outsider).get("/api/posts").json()["count"] == 0


# Actions as at a date -----------------------------------------------------------------------------------------

def test_the_plan_as_at_the_board_meeting_counts_its_actions_by_rag_band(api, board_member):
    body = api(board_member).get(PLAN, as_at="2021-11-30").json()
    assert body["as_at"] == "2021-11-30" and body["actions"] == 10
    counts = {band["label"]: band["count"] for band in body["counts"]}
    assert counts == {"Red – Overdue": 0, "Amber – On track but to be completed": 3, "Green – Complete": 7}


def test_each_action_has_its_rating_as_text_colour_and_reason_as_at_the_date(api, board_member):
    then = api(board_member).get(PLAN + "/actions/1.1", as_at="2021-11-30").json()
    assert then["rating"] == {"colour": "amber", "band": "amber", "label": "Amber – On track but to be completed",
                              "reason": "due 31/12/2021 (On Approval), 31 days left on 30/11/2021"}
    assert then["due_text"] == "31/12/2021 (On Approval)" and then["baseline_on"] == "2021-05-31"
    assert then["revisions"] == 1 and then["slip_days"] == 214
    assert then["owners_text"] == "Head of Prevention and Protection (AM Chris Parker) / Corporate Communications"
    summer = api(board_member).get(PLAN + "/actions/1.1", as_at="2021-06-01").json()
    assert summer["owners"][0]["holder"] == "AM Palmer"  # who held the post then
    later = api(board_member).get(PLAN + "/actions/1.1", as_at="2022-01-10").json()
    assert later["rating"]["label"] == "Red – Overdue"
    assert later["rating"]["reason"] == "due 31/12/2021 (On Approval), not complete on 10/01/2022"
    assert later["owners"][0] == {"post_id": Post.objects.get(name="Head of Prevention and Protection").pk,
                                  "post": "Head of Prevention and Protection", "holder": "AM Chris Parker",
                                  "supporting": False}


def test_without_a_date_actions_are_rated_as_at_today(api, board_member):
    body = api(board_member).get(PLAN + "/actions/5.1").json()
    assert body["as_at"] == timezone.localdate().isoformat()


def test_an_action_not_yet_in_the_plan_on_the_date_is_not_found(api, plan_manager):
    response = api(plan_manager).get(PLAN + "/actions/9.9")
    assert response.status_code == 404 and response.json()["detail"] == "There is no action 9.9 in PIP-PR."


@pytest.mark.parametrize(("params", "expected"), [
    ({}, ALL_REFS),
    ({"as_at": "2021-11-30", "rag": "amber"}, ["1.1", "3.1", "5.1"]),
    ({"as_at": "2021-11-30", "rag": "green"}, ["2.1", "2.2", "4.1", "6.1", "6.2", "7.1", "8.1"]),
    ({"as_at": "2021-11-30", "overdue": "true"}, []),
    ({"as_at": "2022-01-10", "overdue": "true"}, ["1.1", "3.1", "5.1"]),
    ({"as_at": "2022-01-10", "overdue": "false"}, ["2.1", "2.2", "4.1", "6.1", "6.2", "7.1", "8.1"]),
    ({"as_at": "2021-11-30", "lifecycle": "completed"}, ["2.1", "2.2", "4.1", "6.1", "6.2", "7.1", "8.1"]),
    ({"as_at": "2021-02-01", "lifecycle": "not_started"}, ALL_REFS),
    ({"due_before": "2021-04-01"}, ["2.2", "6.1", "7.1"]),
    ({"due_after": "2021-12-30"}, ["1.1", "3.1", "5.1"]),
    ({"due_after": "2021-05-31", "due_before": "2021-12-31"}, ["2.1", "6.2"]),
])
def test_filters_pick_the_actions_as_at_the_date(api, board_member, params, expected):
    assert refs(api(board_member).get(PLAN + "/actions", **params)) == expected


def test_the_owner_post_filter_uses_the_posts_ids(api, board_member):
    head_of_protection = api(board_member).get("/api/posts").json()["items"]
    post_id = next(post["id"] for post in head_of_protection if post["name"] == "Head of Protection")
    assert refs(api(board_member).get(PLAN + "/actions", owner_post=post_id)) == ["2.2", "6.1"]
    assert refs(api(board_member).get(PLAN + "/actions", owner_post=999_999)) == []


def test_lists_are_paginated_fifty_at_a_time_with_the_total_count(api, board_member):
    body = api(board_member).get(PLAN + "/actions").json()
    assert body["count"] == 10 and len(body["items"]) == 10  # fewer than a page of 50
    page = api(board_member).get(PLAN + "/actions", limit=3, offset=3).json()
    assert page["count"] == 10 and [item["ref"] for item in page["items"]] == ["3.1", "4.1", "5.1"]
    assert api(board_member).get(PLAN + "/actions", limit=201).status_code == 422


def test_actions_across_every_plan_can_be_narrowed_to_one(api, owner):
    assert refs(api(owner).get("/api/actions", as_at="2021-11-30", rag="amber")) == ["1.1", "3.1", "5.1"]
    assert refs(api(owner).get("/api/actions", plan="PIP-PR", limit=2)) == ["1.1", "2.1"]
    assert api(owner).get("/api/actions", plan="NOPE").status_code == 404
    # Before the plan was agreed it had no actions; across plans that is simply none, not an error.
    assert api(owner).get("/api/actions", as_at="2020-01-01").json() == {"items": [], "count": 0}


def test_recommendations_as_at_a_date_list_their_actions(api, board_member):
    body = api(board_member).get(PLAN + "/recommendations", as_at="2021-11-30").json()
    assert body["count"] == 8
    assert body["items"][1]["ref"] == "2" and body["items"][1]["actions"] == ["2.1", "2.2"]
    assert body["items"][0]["headline"].startswith("Provide further evidence")


# Errors -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "status", "field", "words"), [
    ({"as_at": "2020-01-01"}, 400, "as_at", "was agreed on 1 February 2021"),
    ({"as_at": "30/11/2021"}, 422, "as_at", "Give the date as YYYY-MM-DD"),
    ({"as_at": "0"}, 422, "as_at", "Give the date as YYYY-MM-DD"),
    ({"as_at": "9999-12-31"}, 400, "as_at", "on or before 31/12/9899"),
    ({"rag": "purple"}, 422, "rag", "Input should be"),
    ({"lifecycle": "finished"}, 422, "lifecycle", "Input should be"),
    ({"limit": "0"}, 422, "limit", "greater than or equal to 1"),
    ({"offset": "-1"}, 422, "offset", "greater than or equal to 0"),
])
def test_bad_parameters_get_a_clear_message_naming_the_field(api, board_member, params, status, field, words):
    response = api(board_member).get(PLAN + "/actions", **params)
    assert response.status_code == status
    assert response.json()["field"] == field and words in response.json()["detail"]


def test_a_bad_reference_is_refused_before_anything_is_looked_up(api, board_member):
    response = api(board_member).get("/api/plans/PIP PR")
    assert response.status_code == 422 and response.json()["field"] == "reference"


def test_an_address_that_is_not_in_the_api_is_a_json_404(api, board_member):
    response = api(board_member).get("/api/nothing/here")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


# Posts, journal, updates, proposals, evidence -----------------------------------------------------------------

def test_posts_list_their_holders_over_time(api, board_member, administrator):
    posts = {post["name"]: post for post in api(board_member).get("/api/posts").json()["items"]}
    assert posts["Head of Prevention and Protection"]["holders"] == [
        {"holder": "AM Palmer", "starts_on": "2021-01-01", "ends_on": "2021-09-30"},
        {"holder": "AM Chris Parker", "starts_on": "2021-10-01", "ends_on": None}]
    assert posts["Head of Prevention and Protection"]["aliases"] == ["Head of Protection and Prevention"]
    Post.objects.create(name="Head of Fleet")  # owns nothing in a plan the board member can see
    assert "Head of Fleet" not in {p["name"] for p in api(board_member).get("/api/posts").json()["items"]}
    assert "Head of Fleet" in {p["name"] for p in api(administrator).get("/api/posts").json()["items"]}


def test_the_journal_lists_every_change_with_who_when_and_why(api, board_member):
    body = api(board_member).get(PLAN + "/journal", action="1.1").json()
    due = [event for event in body["items"] if event["field"] == "due"]
    assert len(due) == 1
    assert due[0]["old"] == {"on": "2021-05-31", "condition": ""}
    assert due[0]["new"] == {"on": "2021-12-31", "condition": "On Approval"}
    assert due[0]["effective_on"] == "2021-05-25" and due[0]["actor"] == "Demo loader"
    assert due[0]["reason"].startswith("The communications plan is awaiting approval")
    window = api(board_member).get(PLAN + "/journal", effective_after="2021-05-24", effective_before="2021-05-26")
    assert {event["effective_on"] for event in window.json()["items"]} == {"2021-05-25"}


def test_progress_updates_are_listed_for_the_plan_and_the_action(api, owner, board_member):
    today = timezone.localdate()
    update_save(actor=Actor.of(owner), action=action("5.1"), text="Consultation closed", today=today)
    for path, params in ((PLAN + "/updates", {}), (PLAN + "/updates", {"action": "5.1", "period": today.isoformat()}),
                         (PLAN + "/actions/5.1/updates", {})):
        items = api(board_member).get(path, **params).json()["items"]
        # Newest period first: the demo's own November 2021 update on 5.1 comes after it, where not filtered out.
        assert (items[0]["action"], items[0]["text"], items[0]["author"]) == ("5.1", "Consultation closed",
                                                                              "Chris Parker")
        assert len(items) == (1 if "period" in params else len(items))
    assert api(board_member).get(PLAN + "/updates", period="2021-01-15").json()["count"] == 0


def test_date_proposals_are_listed_with_their_status(api, owner, board_member):
    api(owner).post(PLAN + "/actions/5.1/proposals", {"due_on": "2030-03-31", "reason": "Extended"})
    items = api(board_member).get(PLAN + "/actions/5.1/proposals").json()["items"]
    assert [(p["due_text"], p["status_label"], p["proposed_by"]) for p in items] == [
        ("31/03/2030", "Pending decision", "Chris Parker")]


def test_evidence_is_listed_with_its_sha256_and_files_download_for_anyone_who_can_see_the_plan(
        api, owner, board_member, outsider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    item = evidence_add_file(actor=Actor.of(owner), action=action("5.1"), today=today, title="Paper",
                             upload=SimpleUploadedFile("paper.pdf", PDF, content_type="application/pdf"))
    evidence_add_link(actor=Actor.of(owner), action=action("5.1"), url="https://intranet.example.org/x",
                      title="Intranet page", today=today)
    listed = api(board_member).get(PLAN + "/actions/5.1/evidence").json()["items"]
    assert [(e["kind"], e["title"], e["download_url"] is not None) for e in listed] == [
        ("file", "Paper", True), ("link", "Intranet page", False)]
    assert listed[0]["sha256"] == item.sha256 and listed[0]["size"] == len(PDF)
    download = api(board_member).get(listed[0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="paper.pdf"' in download["Content-Disposition"]
    refused = api(outsider).get(listed[0]["download_url"])
    assert refused.status_code == 404 and "that you can see" in refused.json()["detail"]
    assert api(board_member).get(f"/api/evidence/{listed[1]['id']}/download").status_code == 404  # a link


def test_a_file_restored_from_json_without_its_contents_is_listed_as_not_held_and_its_download_says_why(
        api, owner, board_member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actiontrack.plans.models import Evidence

    item = evidence_add_file(actor=Actor.of(owner), action=action("5.1"), today=timezone.localdate(), title="Paper",
                             upload=SimpleUploadedFile("paper.pdf", PDF, content_type="application/pdf"))
    Evidence.objects.filter(pk=item.pk).update(stored_name="")  # as a JSON restore lists it: name and SHA-256 only
    [listed] = api(board_member).get(PLAN + "/actions/5.1/evidence").json()["items"]
    assert (listed["held"], listed["download_url"], listed["sha256"]) == (False, None, item.sha256)
    refused = api(board_member).get(f"/api/evidence/{item.pk}/download")
    assert refused.status_code == 404 and "restored from a JSON export" in refused.json()["detail"]


def test_dates_in_the_answers_are_iso_and_a_plan_has_its_details(api, board_member):
    body = api(board_member).get(PLAN).json()
    assert body["agreed_on"] == date(2021, 2, 1).isoformat()
    assert body["board"] == "Performance and Resources Board" and body["source_kind_label"] == "Peer review"
    assert "Enforcement Policy" in body["documents_reviewed"]


def test_each_action_carries_its_latest_progress_update_with_its_period(api, board_member):
    items = api(board_member).get(PLAN + "/actions", as_at="2021-11-30").json()["items"]
    progress = {item["ref"]: item["progress"] for item in items}
    assert progress["1.1"]["period"] == "November 2021" and progress["1.1"]["author"] == "Chris Parker"
    assert progress["1.1"]["for_as_at_period"] is True and progress["1.1"]["text"].startswith("The communications")
    assert progress["2.1"] is None  # never written
    december = api(board_member).get(PLAN + "/actions/1.1", as_at="2021-12-31").json()["progress"]
    assert (december["period"], december["for_as_at_period"]) == ("November 2021", False)
    assert api(board_member).get(PLAN + "/actions/1.1", as_at="2021-10-31").json()["progress"] is None
