"""The dashboard and the API's action list show every change at once, through the read cache.

The tests commit, as requests do (nothing is kept from inside a transaction), so each starts from a fresh
database; see helpers.py."""

from datetime import date

import pytest

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.plans import readcache, services
from actiontrack.plans.services import workflow
from actiontrack.reports import renderers as report_renderers
from actiontrack.reports import services as reports
from actiontrack.reports.demo import load_demo_report
from tests.plans.readcache.helpers import (
    API_ACTIONS,
    BOARD_MEETING,
    HOME,
    HP,
    HPP,
    STORED,
    action,
    as_,
    browser_for,
    pip,
    post,
    read_twice,
    today,
    warm,
    with_evidence,
    words,
)

pytestmark = pytest.mark.django_db(transaction=True)

# 2. The dashboard ---------------------------------------------------------------------------------------------

def dashboard(client, **params) -> str:
    return words(read_twice(client, HOME, **params))


def test_completing_an_action_changes_the_dashboards_rag_counts(board_member, owner):
    client = browser_for(board_member)
    before = words(warm(client, HOME, "plan_summary", "plan_summary_html"))
    assert "Red – Overdue 3 Amber – On track but to be completed 0 Green – Complete 7 Total 10" in before
    with_evidence(owner, "5.1")
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=today(), today=today())
    after = dashboard(client)
    assert "Red – Overdue 2 Amber – On track but to be completed 0 Green – Complete 8 Total 10" in after
    assert "Overdue 2: 1.1 due 31/12/2021 (On Approval); 3.1 due 31/12/2021" in after


def test_issuing_a_board_report_adds_a_point_to_the_dashboards_trend(monkeypatch, board_member, plan_manager):
    # The trend comes from the issued reports' snapshots (reports.trend, registered by the reports app).
    monkeypatch.setattr(report_renderers, "render", lambda fmt, data, **_: fmt.encode())  # the files are not the point
    report, _ = load_demo_report()
    client = browser_for(board_member)
    assert "No board report has been issued for this plan yet." in words(warm(client, HOME, "plan_summary"))
    reports.report_issue(actor=as_(plan_manager), report=report, today=BOARD_MEETING)
    after = dashboard(client)
    assert "No board report has been issued" not in after
    assert "Report as at Red – Overdue Amber – On track but to be completed Green – Complete 30/11/2021 0 3 7" in after


def test_the_dashboard_filtered_by_post_is_kept_apart_from_the_unfiltered_one(board_member, plan_manager):
    client = browser_for(board_member)
    assert "Green – Complete 7 Total 10" in words(warm(client, HOME, "plan_summary"))
    filtered = words(warm(client, HOME, "plan_summary", post=HP))
    assert "Red – Overdue 0 Amber – On track but to be completed 0 Green – Complete 2 Total 2" in filtered
    services.action_change_owners(actor=as_(plan_manager), action=action("3.1"), owner_posts=[post(HP)],
                                  reason="Moved to Protection", effective_on=today())
    assert "Red – Overdue 1 Amber – On track but to be completed 0 Green – Complete 2 Total 3" in dashboard(
        client, post=HP)
    assert "Red – Overdue 3 Amber – On track but to be completed 0 Green – Complete 7 Total 10" in dashboard(client)
    hpp = words(read_twice(client, HOME, post=HPP))
    assert "Red – Overdue 2 Amber – On track but to be completed 0 Green – Complete 4 Total 6" in hpp


def test_the_dashboard_as_at_a_past_date_is_kept_apart_from_today(board_member, plan_manager):
    client = browser_for(board_member)
    assert "Red – Overdue 3 Amber – On track but to be completed 0 Green – Complete 7 Total 10" in words(
        warm(client, HOME, "plan_summary"))
    november = words(warm(client, HOME, "plan_summary", as_at="30/11/2021"))
    assert "Red – Overdue 0 Amber – On track but to be completed 3 Green – Complete 7 Total 10" in november
    march = words(read_twice(client, HOME, as_at="01/03/2021"))  # another past date, read after November's
    assert "Red – Overdue 0 Amber – On track but to be completed 8 Green – Complete 2 Total 10" in march
    services.action_change_lifecycle(actor=as_(plan_manager), action=action("3.1"), lifecycle=Lifecycle.CANCELLED,
                                     effective_on=date(2021, 11, 1), reason="Superseded")
    november = dashboard(client, as_at="30/11/2021")
    assert "Red – Overdue 0 Amber – On track but to be completed 2 Green – Complete 7 Grey – Cancelled 1" in november
    assert "Red – Overdue 2 Amber – On track but to be completed 0 Green – Complete 7 Grey – Cancelled 1" in dashboard(
        client)


def test_a_new_title_shows_on_the_dashboard(board_member, plan_manager):
    client = browser_for(board_member)
    assert "Protection Improvement Plan – Peer Review" in warm(client, HOME, "plan_summary_html")
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"title": "Protection Plan 2021"},
                         effective_on=today(), reason="Shorter title")
    page = dashboard(client)
    assert "Protection Plan 2021" in page and "Protection Improvement Plan – Peer Review" not in page


# 3. The API's action list -------------------------------------------------------------------------------------

def api_get(client, url=API_ACTIONS, **params) -> dict:
    response = client.get(url, **params)
    assert response.status_code == 200, response.content
    return response.json()


def api_twice(client, url=API_ACTIONS, **params) -> dict:
    cached = api_get(client, url, **params)
    readcache.clear()
    assert api_get(client, url, **params) == cached, f"the cached page {params} differs from one built afresh"
    return cached


def alone(client, queries) -> list[dict]:
    """Each page built with nothing else in the cache."""
    pages = []
    for query in queries:
        readcache.clear()
        pages.append(api_get(client, **query))
    return pages


def refs(body) -> list[str]:
    return [item["ref"] for item in body["items"]]


def test_the_api_action_list_shows_a_change_made_after_it_was_read(api, board_member, plan_manager):
    client = api(board_member)
    before = api_get(client)
    assert set(before) == {"items", "count"} and before["count"] == 10
    assert "api_plan_actions" in STORED
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Succession plan agreed.",
                                reason="Clearer", effective_on=today())
    after = api_twice(client)
    assert set(after) == {"items", "count"} and after["count"] == 10
    assert {item["ref"]: item["text"] for item in after["items"]}["3.1"] == "Succession plan agreed."
    assert after != before


def test_api_pages_with_different_filters_offsets_and_limits_are_not_mixed_up(api, board_member, owner):
    client = api(board_member)
    queries = [{}, {"rag": "red"}, {"offset": 5, "limit": 5}, {"limit": 5}, {"rag": "green", "offset": 5},
               {"as_at": "2021-11-30"}, {"as_at": "2021-11-30", "rag": "amber"}, {"owner_post": post(HP).pk}]
    for query in queries:  # fill the cache with every page
        api_get(client, **query)
    pages = [api_get(client, **query) for query in queries]  # served from it
    assert pages == alone(client, queries)
    everything, red, second_five, first_five, green_after_five, november, november_amber, protection = pages
    assert everything["count"] == 10 and len(everything["items"]) == 10
    assert refs(red) == ["1.1", "3.1", "5.1"] and red["count"] == 3
    assert refs(second_five) == refs(everything)[5:] and second_five["count"] == 10
    assert refs(first_five) == refs(everything)[:5]
    assert green_after_five["count"] == 7 and refs(green_after_five) == ["7.1", "8.1"]
    assert refs(november_amber) == ["1.1", "3.1", "5.1"] and november["count"] == 10
    assert {item["as_at"] for item in november["items"]} == {"2021-11-30"}
    assert [item["rating"]["colour"] for item in november["items"]].count("amber") == 3
    assert refs(protection) == ["2.2", "6.1"]
    assert all(set(page) == {"items", "count"} for page in pages)
    # After a completion, every page is rebuilt, each still its own.
    with_evidence(owner, "5.1")
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=today(), today=today())
    pages = [api_get(client, **query) for query in queries]
    assert pages == alone(client, queries)
    assert refs(pages[1]) == ["1.1", "3.1"] and pages[1]["count"] == 2
    assert pages[4]["count"] == 8
    assert refs(pages[6]) == ["1.1", "3.1", "5.1"]  # on 30/11/2021 it was still to be completed




def test_the_api_action_list_shows_a_progress_update_made_after_it_was_read(api, board_member, owner):
    client = api(board_member)
    api_get(client)
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    after = api_twice(client)
    assert {item["ref"]: item["progress"]["text"] for item in after["items"] if item["progress"]}["5.1"] == (
        "Consultation closes on Friday.")


def test_a_renamed_person_is_named_by_their_new_name_on_the_api_page(api, board_member, owner, administrator):
    from actiontrack.people import services as people

    client = api(board_member)
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation opens.", today=today())
    assert {item["ref"]: item["progress"] for item in api_get(client)["items"]}["5.1"]["author"] == "Chris Parker"
    people.user_update(actor=as_(administrator), user=owner, first_name="Christine", last_name="Parker-Jones",
                       email=owner.email, today=today())
    after = api_twice(client)
    assert {item["ref"]: item["progress"] for item in after["items"]}["5.1"]["author"] == "Christine Parker-Jones"


def test_an_edited_progress_update_shows_on_the_api_page_that_lists_its_action(api, board_member, owner):
    client = api(board_member)
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation opens.", today=today())
    api_get(client, limit=3, offset=0)
    listed = api_get(client, limit=3, offset=3)  # the page with 5.1 on it, kept
    assert "5.1" in [item["ref"] for item in listed["items"]]
    saved = action("5.1").updates.get(period_start__lte=today(), text="Consultation opens.")
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation open until Friday.",
                         today=today(), expected_version=saved.version)
    after = api_twice(client, limit=3, offset=3)
    assert {item["ref"]: (item["progress"] or {}).get("text") for item in after["items"]}["5.1"] == (
        "Consultation open until Friday.")


def test_a_progress_update_leaves_the_api_pages_without_its_action_as_kept(api, board_member, owner,
                                                                           django_assert_max_num_queries):
    """A progress update is one action's: the other pages' actions are not rated again (one small read names
    the page by its own actions' updates, and finds it kept)."""
    client = api(board_member)
    first = api_get(client, limit=3, offset=0)
    assert "5.1" not in [item["ref"] for item in first["items"]]
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    with django_assert_max_num_queries(5):  # the token, the plan, its roles, the progress stamp; nothing rebuilt
        again = api_get(client, limit=3, offset=0)
    assert again == first == api_twice(client, limit=3, offset=0)


# 4. The cross-plan list (GET /api/actions, Find actions) ------------------------------------------------------

ACROSS_PLANS = "/api/actions"


def test_the_cross_plan_list_shows_a_change_made_after_it_was_read(api, board_member, plan_manager, owner):
    client = api(board_member)
    before, red = api_get(client, ACROSS_PLANS), api_get(client, ACROSS_PLANS, rag="red")
    assert "found" in STORED and before["count"] == 10 and red["count"] == 3
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Succession plan agreed.",
                                reason="Clearer", effective_on=today())
    with_evidence(owner, "5.1")
    workflow.action_complete(actor=as_(owner), action=action("5.1"), completed_on=today(), today=today())
    after = api_twice(client, ACROSS_PLANS)
    assert {item["ref"]: item["text"] for item in after["items"]}["3.1"] == "Succession plan agreed."
    assert [item["ref"] for item in api_twice(client, ACROSS_PLANS, rag="red")["items"]] == ["1.1", "3.1"]


def test_words_of_a_progress_update_made_after_the_list_was_read_find_its_action(api, board_member, owner):
    client = api(board_member)
    assert api_get(client, ACROSS_PLANS, q="consultation closes")["count"] == 0
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    after = api_twice(client, ACROSS_PLANS, q="consultation closes")
    assert [item["ref"] for item in after["items"]] == ["5.1"] and after["count"] == 1
    assert after["items"][0]["progress"]["text"] == "Consultation closes on Friday."


def test_a_persons_actions_are_found_afresh_each_time(board_member, owner):
    """Which account holds a post is part of no plan's version, so a search for a person's actions is never kept."""
    response = browser_for(board_member).get("/actions/", {"owner": f"person-{owner.pk}"})
    assert response.status_code == 200 and "5.1" in response.text, "the person's actions were not listed"
    assert "found" not in STORED
    browser_for(board_member).get("/actions/")
    assert "found" in STORED
