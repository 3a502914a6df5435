"""The API agrees with the web: an owner comments through the API and the plan manager, mentioned, reads it in
their notifications; the comments list shows earlier versions after an edit on the web; a board member cannot
comment; an outsider finds no action."""

from django.urls import reverse

COMMENTS = "/api/plans/PIP-PR/actions/5.1/comments"


def test_a_comment_through_the_api_reaches_the_mentioned_plan_manager(api, owner, plan_manager, signed_in):
    made = api(owner).post(COMMENTS, {"text": "@pmo the paper goes to SLT on 14 January."})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["mentions"] == ["pmo"] and body["version"] == 1 and body["earlier"] == []
    signed_in(owner).post(reverse("comments:edit", args=["PIP-PR", "5.1", body["id"]]),
                          {"text": "@pmo the paper goes to SLT on 21 January.", "version": 1})
    [listed] = api(plan_manager).get(COMMENTS).json()["items"]
    assert listed["text"].endswith("21 January.") and listed["earlier"] == [
        "@pmo the paper goes to SLT on 14 January."]
    told = api(plan_manager).get("/api/notifications", unread=True).json()["items"]
    assert [(n["kind"], n["action"]) for n in told] == [("mentioned", "5.1")]


def test_a_board_member_cannot_comment_and_an_outsider_finds_nothing(api, board_member, outsider, demo):
    refused = api(board_member).post(COMMENTS, {"text": "Only reading."})
    assert refused.status_code == 403
    assert api(outsider).get(COMMENTS).status_code == 404
    assert api(outsider).get("/api/notifications").json()["items"] == []


def test_the_cross_plan_list_agrees_with_find_actions(api, plan_manager, signed_in):
    """The same filters and sort, the same actions in the same order, on the web and through the API."""
    import csv
    import io

    web = signed_in(plan_manager)
    for query in ({"q": "protection"}, {"overdue": "true", "sort": "-due"}, {"awaiting_verification": "true"},
                  {"no_update": "true", "sort": "owner"}, {"revised": "true"}, {"due_within": "400"},
                  {"as_at": "2021-11-30", "rag": "amber", "sort": "rag"}):
        web_query = {name: ("on" if value == "true" else value) for name, value in query.items()}
        listed = [row["Action"] for row in csv.DictReader(io.StringIO(
            web.get("/actions/", {**web_query, "format": "csv"}).content.decode("utf-8-sig")))]
        through_api = [item["ref"] for item in api(plan_manager).get("/api/actions", limit=200, **query).json()[
            "items"]]
        assert through_api == listed, query
