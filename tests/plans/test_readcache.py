"""Reads kept between requests (plans/readcache.py) are never served after the plan changes.

Each test reads once (filling the cache), makes one change the way people make it (a service, a web form, an
API call), reads again the same way and checks the change shows — and that the read served through the cache
equals one built afresh (the cache emptied first). The plan page, the dashboard and the API's action list are
each covered, then the version rules, transactions rolled back, the bound on entries, and a random sequence
of changes checked against the uncached builder after every step.

The tests commit, as requests do (nothing is kept from inside a transaction, and a test case's own would be
one), so each starts from a fresh database."""

import random
import re
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actiontrack.api.tokens import token_create
from actiontrack.core.choices import EntityType
from actiontrack.core.journal import Actor, record
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.ukdates import format_short
from actiontrack.people import services as people
from actiontrack.people.models import Post, PostHolding
from actiontrack.plans import readcache, selectors, services
from actiontrack.plans.models import Plan, Recommendation
from actiontrack.plans.selectors import action_by_ref, build_as_at, periods, plan_as_at
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_link
from actiontrack.reports import renderers as report_renderers
from actiontrack.reports import services as reports
from actiontrack.reports.demo import load_demo_report

pytestmark = pytest.mark.django_db(transaction=True)

REF = "PIP-PR"
PLAN_URL = reverse("plan", args=[REF])
HOME = reverse("home")
API_ACTIONS = f"/api/plans/{REF}/actions"
BOARD_MEETING = date(2021, 11, 30)
HPP, HP, HOPS = "Head of Prevention and Protection", "Head of Protection", "Head of Ops Policy"
READERS = ["plan_manager", "board_member"]


# Helpers ------------------------------------------------------------------------------------------------------

STORED: list[str] = []  # the kinds of value stored in the read cache during the test, in order


@pytest.fixture(autouse=True)
def stored(monkeypatch):
    """Records what the read cache is asked to store (the cache itself cannot list what it holds)."""
    STORED.clear()
    cache = caches[readcache.ALIAS]
    store = cache.set

    def recording(key, value, *args, **kwargs):
        STORED.append(key.split(":", 1)[0])
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    return STORED


def today() -> date:
    return timezone.localdate()


def pip() -> Plan:
    """The demo plan, loaded afresh (as each request loads it)."""
    return Plan.objects.get(reference=REF)


def action(ref):
    return action_by_ref(pip(), ref)


def post(name) -> Post:
    return Post.objects.get(name=name)


def as_(user) -> Actor:
    return Actor.of(user)


def browser_for(user) -> Client:
    """A browser of its own, signed in: the reader and the person making the change each have one."""
    client = Client()
    client.force_login(user)
    return client


class ApiClient:
    """The API as a user's program calls it: with a token of the user's own."""

    def __init__(self, user):
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='Tests')[1]}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.auth)

    def post(self, path, body):
        return self.client.post(path, body, content_type="application/json", **self.auth)


@pytest.fixture
def api(db):
    return ApiClient


def stable(html: str) -> str:
    """The page without what differs on every response (CSRF tokens, nonces)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html)
    return re.sub(r'nonce="[^"]*"', "nonce", html)


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def get_page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return stable(response.content.decode())


def read_twice(client, url, **params) -> str:
    """The page served through the cache, checked against the same page built with an empty cache."""
    cached = get_page(client, url, **params)
    readcache.clear()
    assert get_page(client, url, **params) == cached, "the cached page differs from one built afresh"
    return cached


def warm(client, url, *kinds, **params) -> str:
    """Read the page, and check the read was kept (so the next read could be served stale)."""
    page = get_page(client, url, **params)
    kept = set(STORED)
    assert set(kinds) <= kept, f"expected {kinds} in the cache, found {kept}"
    return page


def warm_plan_page(client, **params) -> str:
    return warm(client, PLAN_URL, "plan_as_at", "plan_actions_html", **params)


def row(page: str, ref: str) -> str:
    """One action's row of the plan page, as words."""
    found = re.search(r'<span class="visually-hidden">Action </span>' + re.escape(ref) + r"</a>(.*?)</tr>", page,
                      re.S)
    assert found, f"no row for action {ref}"
    return words(found.group(1))


def action_order(page: str) -> list[str]:
    return re.findall(r'<span class="visually-hidden">Action </span>([0-9]+\.[0-9]+)</a>', page)


def recommendation_order(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<section class="recommendation" aria-labelledby="rec-([0-9]+)"',
                                                 page)]


def manager_rows_order(page: str) -> list[int]:
    return [int(number) for number in re.findall(r'<th scope="row" class="nowrap">[^<]*? ([0-9]+)</th>', page)]


def manage_url(name, *args):
    return reverse(f"manage:{name}", args=args)


def shown(view) -> tuple:
    """Everything a plan as at a date shows, to compare a cached view with one built afresh."""
    return (view.as_at, view.scheme.key, tuple((band.key, count) for band, count in view.counts), tuple(
        (rec.id, rec.number, rec.kind, rec.text, tuple(
            (a.ref, a.text, tuple((o.post, o.holder) for o in a.owners), a.due_on, a.due_condition, a.baseline_on,
             a.lifecycle, a.lifecycle_reason, a.completed_on, a.rating.colour, a.rating.label, a.rating.reason,
             a.revisions)
            for a in rec.actions))
        for rec in view.recommendations))


def texts(view) -> dict[str, str]:
    return {a.ref: a.text for a in view.actions}


def with_evidence(owner, ref):
    evidence_add_link(actor=as_(owner), action=action(ref), url="https://intranet.example.org/evidence",
                      title="Evidence", today=today())


def edit_form(act, **change) -> dict:
    return {"version": act.version, "text": act.text, "owner_posts": [p.pk for p in act.owner_posts.all()],
            "reason": "Clarified", **change}


# 1. The plan page ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reader", READERS)
def test_an_action_edited_on_the_web_shows_its_new_text_on_the_plan_page(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "succession planning" in row(warm_plan_page(client), "3.1")
    response = browser_for(plan_manager).post(manage_url("action_edit", REF, "3.1"),
                                              edit_form(action("3.1"), text="Reviewed in the annual strategy."))
    assert response.status_code == 302
    page = read_twice(client, PLAN_URL)
    assert "Reviewed in the annual strategy." in row(page, "3.1") and "succession planning" not in page


@pytest.mark.parametrize("reader", READERS)
def test_an_accepted_date_proposal_shows_the_new_due_date_and_rating(request, reader, owner, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    before = row(warm_plan_page(client), "5.1")
    assert "31/12/2021" in before and "Red – Overdue" in before and "revised once" in before
    new_due = today() + timedelta(days=200)
    proposal = workflow.date_propose(actor=as_(owner), action=action("5.1"), due_on=new_due, due_condition="",
                                     reason="Consultation extended", today=today())
    workflow.date_decide(actor=as_(plan_manager), proposal=proposal, accept=True, comment="", today=today())
    after = row(read_twice(client, PLAN_URL), "5.1")
    assert format_short(new_due) in after and "revised twice" in after
    assert "Amber – On track but to be completed" in after and "Red – Overdue" not in after


@pytest.mark.parametrize("reader", READERS)
def test_an_action_completed_through_the_api_shows_complete_and_green(request, reader, api, owner):
    client = browser_for(request.getfixturevalue(reader))
    assert "Red – Overdue" in row(warm_plan_page(client), "5.1")
    with_evidence(owner, "5.1")
    warm_plan_page(client)  # adding evidence is journalled too: read again after it
    assert api(owner).post(f"{API_ACTIONS}/5.1/complete", {"note": "Restructure done"}).status_code == 200
    after = row(read_twice(client, PLAN_URL), "5.1")
    assert "Completed" in after and "Green – Complete" in after and "Red – Overdue" not in after


@pytest.mark.parametrize("reader", READERS)
def test_an_action_paused_on_the_web_shows_paused(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "In progress" in row(warm_plan_page(client), "3.1")
    response = browser_for(plan_manager).post(manage_url("action_pause", REF, "3.1"),
                                              {"reason": "Waiting for the review"})
    assert response.status_code == 302
    after = row(read_twice(client, PLAN_URL), "3.1")
    assert "Paused" in after and "In progress" not in after


@pytest.mark.parametrize("reader", READERS)
def test_an_action_given_to_another_post_shows_its_new_owner(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert f"{HPP} AM Chris Parker" in row(warm_plan_page(client), "3.1")
    response = browser_for(plan_manager).post(manage_url("action_edit", REF, "3.1"),
                                              edit_form(action("3.1"), owner_posts=[post(HOPS).pk]))
    assert response.status_code == 302
    after = row(read_twice(client, PLAN_URL), "3.1")
    assert f"{HOPS} GM Eaglestone" in after and HPP not in after


@pytest.mark.parametrize("reader", READERS)
def test_a_reworded_recommendation_shows_on_the_page_and_in_the_managers_rows(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "Clarify &amp; evidence provision" in warm_plan_page(client)
    response = browser_for(plan_manager).post(manage_url("recommendation_edit", REF, 2), {
        "text": "Evidence the Out of Hours fire protection cover.", "kind": "recommendation",
        "reason": "Abbreviations spelt out", "version": "1"})
    assert response.status_code == 302
    page = read_twice(client, PLAN_URL)
    assert "Evidence the Out of Hours fire protection cover." in page and "Clarify &amp; evidence" not in page
    if reader == "plan_manager":  # the manager's rows hold the first words of each recommendation
        assert "<td>Evidence the Out of Hours fire protection cover.</td>" in page


@pytest.mark.parametrize("reader", READERS)
def test_a_recommendation_moved_up_shows_in_its_new_place(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    before = warm_plan_page(client)
    assert recommendation_order(before) == [1, 2, 3, 4, 5, 6, 7, 8]
    if reader == "plan_manager":
        assert "plan_tools_rows" in STORED
        assert manager_rows_order(before) == [1, 2, 3, 4, 5, 6, 7, 8]
    response = browser_for(plan_manager).post(manage_url("recommendation_move", REF, 2), {"direction": "up"})
    assert response.status_code == 302
    after = read_twice(client, PLAN_URL)
    assert recommendation_order(after) == [2, 1, 3, 4, 5, 6, 7, 8]
    assert action_order(after)[:3] == ["2.1", "2.2", "1.1"]
    if reader == "plan_manager":
        assert manager_rows_order(after) == [2, 1, 3, 4, 5, 6, 7, 8]


@pytest.mark.parametrize("reader", READERS)
def test_an_action_moved_up_shows_in_its_new_place(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    order = action_order(warm_plan_page(client))
    assert order.index("6.1") + 1 == order.index("6.2")
    response = browser_for(plan_manager).post(manage_url("action_move", REF, "6.2"), {"direction": "up"})
    assert response.status_code == 302
    order = action_order(read_twice(client, PLAN_URL))
    assert order.index("6.2") < order.index("6.1")


@pytest.mark.parametrize("reader", READERS)
def test_a_new_action_shows_on_the_plan_page(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "3.2" not in action_order(warm_plan_page(client))
    response = browser_for(plan_manager).post(manage_url("action_new", REF, 3), {
        "text": "Publish the resourcing plan.", "owner_posts": [post(HP).pk], "due": "31/03/2099"})
    assert response.status_code == 302
    page = read_twice(client, PLAN_URL)
    assert action_order(page)[:5] == ["1.1", "2.1", "2.2", "3.1", "3.2"]
    assert "Publish the resourcing plan." in row(page, "3.2") and "31/03/2099" in row(page, "3.2")


@pytest.mark.parametrize("reader", READERS)
def test_a_new_plan_title_shows_on_the_plan_page(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "Protection Improvement Plan – Peer Review" in warm_plan_page(client)
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"title": "Protection Plan 2021"},
                         effective_on=today(), reason="Shorter title")
    page = read_twice(client, PLAN_URL)
    assert "Protection Plan 2021" in page and "Protection Improvement Plan – Peer Review" not in page


@pytest.mark.parametrize("reader", READERS)
def test_changing_the_rag_scheme_to_brag_changes_the_ratings_shown(request, reader, plan_manager, verifier):
    client = browser_for(request.getfixturevalue(reader))
    evidence_add_link(actor=as_(plan_manager), action=action("2.2"), url="https://intranet.example.org/ooh-rota",
                      title="Out of hours rota", today=today())
    workflow.action_verify(actor=as_(verifier), action=action("2.2"), today=today())  # one closed action
    before = warm_plan_page(client)
    assert "Green – Complete" in row(before, "2.2") and "Blue" not in before
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"rag_scheme": "brag"}, effective_on=today(),
                         reason="The board asked for BRAG")
    after = read_twice(client, PLAN_URL)
    assert "Blue – Closed" in row(after, "2.2") and "Green – Complete" not in after
    assert "Red – Overdue" in row(after, "5.1")


@pytest.mark.parametrize("reader", READERS)
def test_a_renamed_post_shows_its_new_name_as_owner(request, reader, administrator):
    client = browser_for(request.getfixturevalue(reader))
    assert f"{HPP} AM Chris Parker" in row(warm_plan_page(client), "3.1")
    past = warm_plan_page(client, as_at="2021-11-30")
    assert HPP in row(past, "3.1")
    hpp = post(HPP)
    people.post_update(actor=as_(administrator), post=hpp, name="Head of Fire Protection and Prevention",
                       aliases=hpp.alias_list, today=today())
    after = row(read_twice(client, PLAN_URL), "3.1")
    assert "Head of Fire Protection and Prevention AM Chris Parker" in after and HPP not in after
    past = row(read_twice(client, PLAN_URL, as_at="2021-11-30"), "3.1")
    assert "Head of Fire Protection and Prevention" in past  # names are the post's, at every date


@pytest.mark.parametrize("reader", READERS)
def test_a_new_post_holder_is_named_from_the_day_they_start(request, reader, administrator):
    client = browser_for(request.getfixturevalue(reader))
    assert "AM Chris Parker" in row(warm_plan_page(client), "3.1")
    assert "AM Chris Parker" in row(warm_plan_page(client, as_at="2021-11-30"), "3.1")
    people.post_holder_change(actor=as_(administrator), post=post(HPP), holder_name="AM Dana Price",
                              starts_on=today(), reason="Promoted")
    after = row(read_twice(client, PLAN_URL), "3.1")
    assert "AM Dana Price" in after and "AM Chris Parker" not in after
    assert "AM Chris Parker" in row(read_twice(client, PLAN_URL, as_at="2021-11-30"), "3.1")


@pytest.mark.parametrize("reader", READERS)
def test_a_holding_ended_leaves_the_post_named_without_a_holder(request, reader, administrator):
    client = browser_for(request.getfixturevalue(reader))
    assert f"{HPP} AM Chris Parker" in row(warm_plan_page(client), "3.1")
    holding = PostHolding.objects.get(post__name=HPP, holder_name="AM Chris Parker")
    people.holding_end(actor=as_(administrator), holding=holding, vacant_from=today(), reason="Retired")
    after = row(read_twice(client, PLAN_URL), "3.1")
    assert HPP in after and "AM Chris Parker" not in after


@pytest.mark.parametrize("reader", READERS)
def test_a_back_dated_change_shows_on_the_plan_as_at_a_past_date(request, reader, plan_manager):
    client = browser_for(request.getfixturevalue(reader))
    assert "succession planning" in row(warm_plan_page(client, as_at="2021-11-30"), "3.1")
    assert "succession planning" in row(warm_plan_page(client, as_at="2021-05-01"), "3.1")
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Succession plan agreed.",
                                reason="Recorded late", effective_on=date(2021, 6, 1))
    november = row(read_twice(client, PLAN_URL, as_at="2021-11-30"), "3.1")
    assert "Succession plan agreed." in november and "succession planning" not in november
    may = row(read_twice(client, PLAN_URL, as_at="2021-05-01"), "3.1")
    assert "succession planning" in may and "Succession plan agreed." not in may


def test_the_htmx_partial_of_the_plan_page_is_not_served_stale_either(plan_manager):
    client = browser_for(plan_manager)
    partial_page = client.get(PLAN_URL, HTTP_HX_REQUEST="true").content.decode()
    assert "succession planning" in row(partial_page, "3.1")
    assert "plan_actions_html" in STORED
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Succession plan agreed.",
                                reason="Clearer", effective_on=today())
    partial_page = client.get(PLAN_URL, HTTP_HX_REQUEST="true").content.decode()
    assert "Succession plan agreed." in row(partial_page, "3.1")


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
    monkeypatch.setattr(report_renderers, "render", lambda fmt, data: fmt.encode())  # the files are not the point
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

def api_get(client, **params) -> dict:
    response = client.get(API_ACTIONS, **params)
    assert response.status_code == 200, response.content
    return response.json()


def api_twice(client, **params) -> dict:
    cached = api_get(client, **params)
    readcache.clear()
    assert api_get(client, **params) == cached, f"the cached page {params} differs from one built afresh"
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


# 4. The version rules -----------------------------------------------------------------------------------------

def versions() -> dict[str, int]:
    return dict(Plan.objects.values_list("reference", "read_version"))


@pytest.fixture
def two_plans(plan_manager):
    """The demo plan and a second, empty plan."""
    services.plan_create(actor=as_(plan_manager), reference="HMI-2022", title="HMICFRS Inspection 2022",
                         agreed_on=date(2022, 9, 1))
    return pip(), Plan.objects.get(reference="HMI-2022")


def test_a_journal_event_about_a_plan_moves_only_that_plans_version_on_by_one(two_plans, plan_manager):
    demo_plan, other = two_plans
    before = versions()
    record(actor=as_(plan_manager), plan=demo_plan, entity_type=EntityType.PLAN, entity_id=demo_plan.pk,
           field="note", old=None, new="x", effective_on=today())
    assert versions() == {REF: before[REF] + 1, "HMI-2022": before["HMI-2022"]}
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="New words.", reason="Clearer",
                                effective_on=today())
    assert versions() == {REF: before[REF] + 2, "HMI-2022": before["HMI-2022"]}
    assert readcache.plan_version(demo_plan) == (demo_plan.pk, demo_plan.created_at, before[REF] + 2)
    assert readcache.loaded_version(pip()) == readcache.plan_version(demo_plan)


def test_renaming_a_post_moves_every_plans_version_on(two_plans, administrator):
    before = versions()
    people.post_update(actor=as_(administrator), post=post(HOPS), name="Head of Operational Policy and Planning",
                       aliases=[], today=today())  # the name and the aliases change: two events
    assert versions() == {reference: version + 2 for reference, version in before.items()}


def test_a_new_holder_or_a_holding_ended_moves_every_plans_version_on(two_plans, administrator):
    before = versions()
    people.post_holder_change(actor=as_(administrator), post=post(HOPS), holder_name="GM Patel", starts_on=today())
    assert versions() == {reference: version + 1 for reference, version in before.items()}
    people.holding_end(actor=as_(administrator), holding=PostHolding.objects.get(holder_name="GM Patel"),
                       vacant_from=today() + timedelta(days=1))
    assert versions() == {reference: version + 2 for reference, version in before.items()}


def test_creating_a_post_or_linking_a_holder_to_an_account_moves_no_plans_version(two_plans, administrator,
                                                                                  board_member):
    before = versions()
    people.post_create(actor=as_(administrator), name="Head of Estates", effective_on=today())
    holding = PostHolding.objects.get(post__name=HOPS)
    people.holding_set_user(actor=as_(administrator), holding=holding, user=board_member, today=today())
    assert versions() == before


# 5. Transactions rolled back ----------------------------------------------------------------------------------

class RolledBack(Exception):
    pass


def test_a_change_rolled_back_is_never_served_and_the_next_committed_change_is(plan_manager, board_member):
    client = browser_for(board_member)
    original = texts(plan_as_at(pip(), today()))
    assert "succession planning" in row(warm_plan_page(client), "3.1")
    version = readcache.plan_version(pip())
    with pytest.raises(RolledBack), transaction.atomic():
        services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Rolled back words.",
                                    reason="Never committed", effective_on=today())
        assert texts(plan_as_at(pip(), today()))["3.1"] == "Rolled back words."  # this transaction sees it
        assert "Rolled back words." in row(get_page(client, PLAN_URL), "3.1")
        assert readcache.plan_version(pip())[2] == version[2] + 1
        raise RolledBack
    assert readcache.plan_version(pip()) == version
    assert texts(plan_as_at(pip(), today())) == original
    assert "succession planning" in row(get_page(client, PLAN_URL), "3.1")  # not emptying the cache
    # A different change, with as many journal events: the same version number the rolled-back one had.
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Committed words.",
                                reason="Committed", effective_on=today())
    assert readcache.plan_version(pip())[2] == version[2] + 1
    assert texts(plan_as_at(pip(), today()))["3.1"] == "Committed words."
    assert shown(plan_as_at(pip(), today())) == shown(build_as_at(pip(), today()))
    page = read_twice(client, PLAN_URL)
    assert "Committed words." in row(page, "3.1") and "Rolled back words." not in page


def test_a_service_that_fails_after_journalling_leaves_the_cache_right(monkeypatch, plan_manager, board_member):
    client = browser_for(board_member)
    assert "Clarify &amp; evidence provision" in warm_plan_page(client)
    version = readcache.plan_version(pip())
    seen_inside = []
    full_clean = Recommendation.full_clean

    def read_then_check(self, *args, **kwargs):  # someone reads the plan while the failing change is under way
        seen_inside.append(readcache.plan_version(pip()))
        plan_as_at(pip(), today())
        get_page(client, PLAN_URL)
        return full_clean(self, *args, **kwargs)

    monkeypatch.setattr(Recommendation, "full_clean", read_then_check)
    rec = Recommendation.objects.get(plan__reference=REF, number=2)
    with pytest.raises(ValidationError):  # the text and the kind are journalled, then the kind is refused
        services.recommendation_update(actor=as_(plan_manager), recommendation=rec, text="Failed words.",
                                       kind="no-such-kind", reason="Typo", effective_on=today())
    assert seen_inside == [(*version[:2], version[2] + 2)]  # read under the version the failure reached
    assert readcache.plan_version(pip()) == version
    page = read_twice(client, PLAN_URL)
    assert "Clarify &amp; evidence provision" in page and "Failed words." not in page
    # The same two events, committed, with different words: the version the failed change reached.
    services.recommendation_update(actor=as_(plan_manager), recommendation=rec, text="Committed words.",
                                   kind="afi", reason="Reworded", effective_on=today())
    assert readcache.plan_version(pip())[2] == version[2] + 2
    page = read_twice(client, PLAN_URL)
    assert "Committed words." in page and "Failed words." not in page and "Area for improvement 2" in page


def test_a_refused_change_leaves_the_cache_right(api, board_member, owner, plan_manager):
    client = browser_for(board_member)
    before = warm_plan_page(client)
    with pytest.raises(PermissionDenied):
        services.action_change_text(actor=as_(board_member), action=action("3.1"), text="Not allowed.",
                                    reason="Trying", effective_on=today())
    refused = api(owner).post(f"{API_ACTIONS}/5.1/complete", {"note": "No evidence yet"})
    assert refused.status_code in (400, 422)
    assert read_twice(client, PLAN_URL) == before
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Allowed.", reason="Clearer",
                                effective_on=today())
    assert "Allowed." in row(read_twice(client, PLAN_URL), "3.1")


# 6. The bound -------------------------------------------------------------------------------------------------

def test_the_cache_keeps_at_most_its_entries_dropping_the_least_recently_used(settings):
    entries = 20
    settings.CACHES = {**settings.CACHES, readcache.ALIAS: {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-the-bound",
        "OPTIONS": {"MAX_ENTRIES": entries, "CULL_FREQUENCY": entries}}}  # as settings.py sets it
    built = []

    def builder(n):
        return lambda: built.append(n) or n

    def kept(n) -> bool:
        """Served without building: asking moves it to the most recently used, as any read does."""
        before = len(built)
        assert readcache.get_or_build(("test", n), builder(n)) == n
        return len(built) == before

    total = entries + 10
    for n in range(total):
        assert readcache.get_or_build(("test", n), builder(n)) == n
    assert built == list(range(total))
    assert kept(total - 1) and kept(10)  # the newest are kept; 10 is now the most recently used
    readcache.get_or_build(("test", total), builder(total))  # one more: 11, the least recently used, goes
    assert not kept(11) and kept(10)
    assert not kept(0) and not kept(9)  # dropped long ago: built again


def test_nothing_is_kept_from_inside_a_transaction():
    with transaction.atomic():
        assert readcache.get_or_build(("test", "inside"), lambda: 1) == 1
        assert readcache.get_or_build(("test", "inside"), lambda: 2) == 2  # nor read
    assert readcache.get_or_build(("test", "inside"), lambda: 3) == 3
    assert readcache.get_or_build(("test", "inside"), lambda: 4) == 3


# 7. Random changes, each checked against the builder ----------------------------------------------------------

class RandomChanges:
    """One random change at a time, made through the services by the person who may make it."""

    def __init__(self, rng: random.Random, manager, verifier, administrator):
        self.rng, self.manager, self.verifier, self.admin = rng, as_(manager), as_(verifier), as_(administrator)
        self.renamed = 0

    def when(self, act) -> date:
        """Today, or a back-dated effective date on or after the action was added."""
        added = periods.added_on(act)
        if self.rng.random() < 0.5 or added >= today():
            return today()
        return added + timedelta(days=self.rng.randrange((today() - added).days + 1))

    def an_action(self):
        return self.rng.choice(list(pip().actions.order_by("pk")))

    def text(self):
        act = self.an_action()
        services.action_change_text(actor=self.manager, action=act, text=f"Words {self.rng.randrange(10**6)}.",
                                    reason="Reworded", effective_on=self.when(act))

    def due(self):
        act = self.an_action()
        services.action_change_due_date(actor=self.manager, action=act,
                                        due_on=date(2021, 3, 1) + timedelta(days=self.rng.randrange(2500)),
                                        due_condition=self.rng.choice(["", "On Approval"]), reason="Replanned",
                                        effective_on=self.when(act))

    def owners(self):
        act = self.an_action()
        posts = list(Post.objects.order_by("pk"))
        services.action_change_owners(actor=self.manager, action=act,
                                      owner_posts=self.rng.sample(posts, self.rng.randint(1, 2)),
                                      reason="Reassigned", effective_on=self.when(act))

    def lifecycle(self):
        act = self.an_action()
        current = Lifecycle(act.lifecycle)
        moves = [to for to in (Lifecycle.IN_PROGRESS, Lifecycle.PAUSED, Lifecycle.CANCELLED)
                 if current.manager_may_move_to(to)]
        if not moves:
            if current is Lifecycle.COMPLETED:
                workflow.action_verify(actor=self.verifier, action=act, today=today())
            return
        services.action_change_lifecycle(actor=self.manager, action=act, lifecycle=self.rng.choice(moves),
                                         effective_on=today(), reason="Decided")

    def recommendation(self):
        rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
        services.recommendation_change_text(actor=self.manager, recommendation=rec,
                                            text=f"Finding {self.rng.randrange(10**6)}.", reason="Reworded",
                                            effective_on=today())

    def move(self):
        direction = self.rng.choice([-1, 1])
        if self.rng.random() < 0.5:
            rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
            services.recommendation_move(actor=self.manager, recommendation=rec, direction=direction,
                                         effective_on=today())
        else:
            services.action_move(actor=self.manager, action=self.an_action(), direction=direction,
                                 effective_on=today())

    def new_action(self):
        rec = self.rng.choice(list(pip().recommendations.order_by("pk")))
        services.action_create(actor=self.manager, recommendation=rec, text=f"New {self.rng.randrange(10**6)}.",
                               owner_posts=[self.rng.choice(list(Post.objects.all()))],
                               due_on=today() + timedelta(days=self.rng.randrange(-60, 60)), effective_on=today())

    def rename(self):
        self.renamed += 1
        chosen = self.rng.choice(list(Post.objects.order_by("pk")))
        people.post_update(actor=self.admin, post=chosen, name=f"Renamed Post {self.renamed}",
                           aliases=chosen.alias_list, today=today())

    def holder(self):
        chosen = self.rng.choice(list(Post.objects.order_by("pk")))
        latest = chosen.holdings.order_by("-starts_on").first()
        earliest = latest.starts_on + timedelta(days=1) if latest else date(2021, 1, 1)
        starts_on = earliest + timedelta(days=self.rng.randrange(max(1, (today() - earliest).days + 30)))
        people.post_holder_change(actor=self.admin, post=chosen, holder_name=f"Holder {self.rng.randrange(10**6)}",
                                  starts_on=starts_on)

    def end_holding(self):
        open_ = list(PostHolding.objects.filter(ends_on__isnull=True).order_by("pk"))
        if not open_:
            return
        holding = self.rng.choice(open_)
        held_for = max(1, (today() - holding.starts_on).days)
        vacant_from = holding.starts_on + timedelta(days=1 + self.rng.randrange(held_for))
        people.holding_end(actor=self.admin, holding=holding, vacant_from=vacant_from)

    def scheme(self):
        plan = pip()
        services.plan_update(actor=self.manager, plan=plan, effective_on=today(), reason="Scheme",
                             changes={"rag_scheme": "rag" if plan.rag_scheme == "brag" else "brag",
                                      "rag_window_days": self.rng.randint(1, 90)})

    KINDS = ("text", "due", "owners", "lifecycle", "recommendation", "move", "new_action", "rename", "holder",
             "end_holding", "scheme")

    def one(self) -> str:
        kind = self.rng.choice(self.KINDS)
        try:
            getattr(self, kind)()
        except ValidationError:  # e.g. moving the first one up: refused, rolled back, and that is a case too
            return kind + " (refused)"
        return kind


@pytest.mark.parametrize("seed", [20211130, 7])
def test_after_each_of_twenty_random_changes_the_cached_plan_equals_a_fresh_build(seed, plan_manager, verifier,
                                                                                 administrator, board_member):
    rng = random.Random(seed)
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"managers_change_dates_directly": True},
                         effective_on=today(), reason="Managers may change dates")
    changes = RandomChanges(rng, plan_manager, verifier, administrator)
    client = browser_for(board_member)
    past = BOARD_MEETING
    done = []
    for _step in range(20):
        for day in (today(), past):  # read (filling the cache) before the change
            plan_as_at(pip(), day)
        done.append(changes.one())
        for day in (today(), past):
            cached = plan_as_at(pip(), day)
            assert shown(cached) == shown(build_as_at(pip(), day)), f"stale after {done}"
            assert shown(plan_as_at(pip(), day)) == shown(cached)
        if _step % 5 == 4:
            read_twice(client, PLAN_URL)
            read_twice(client, PLAN_URL, as_at=past.isoformat())
        past = date(2021, 2, 1) + timedelta(days=rng.randrange((today() - date(2021, 2, 1)).days))
    assert sum(not kind.endswith("(refused)") for kind in done) >= 12, done


# A read under way while another server commits a change --------------------------------------------------------

def test_a_plan_object_held_from_before_a_scheme_change_is_built_with_the_new_scheme(board_member, plan_manager):
    """A caller (the API's /actions across plans, a report, an export) may hold a Plan loaded before another
    server commits a change to it: what it builds, and what is kept for everyone else, must use the plan as it
    is now, not the object's old fields under the new version."""
    held = pip()
    services.plan_update(actor=as_(plan_manager), plan=pip(), changes={"rag_scheme": "brag"},
                         effective_on=today(), reason="The board asked for BRAG")
    view = selectors.plan_as_at(held, today())
    assert view.plan.rag_scheme == "brag" and view.scheme.key == "brag"
    page = get_page(browser_for(board_member), PLAN_URL)
    assert "Green – Complete" not in page and "Blue – Closed" in page or "Green – On track" in page
    readcache.clear()
    assert get_page(browser_for(board_member), PLAN_URL) == page
