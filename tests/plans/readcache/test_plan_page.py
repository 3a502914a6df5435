"""The plan page shows every kind of change at once, through the read cache.

The tests commit, as requests do (nothing is kept from inside a transaction), so each starts from a fresh
database; see helpers.py."""

from datetime import date, timedelta

import pytest

from actiontrack.domain.ukdates import format_short
from actiontrack.people import services as people
from actiontrack.people.models import PostHolding
from actiontrack.plans import services
from actiontrack.plans.models import Recommendation
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_link
from actiontrack.web import plan_table
from tests.plans.readcache.helpers import (
    API_ACTIONS,
    HOPS,
    HP,
    HPP,
    PLAN_URL,
    READERS,
    REF,
    STORED,
    action,
    action_order,
    as_,
    browser_for,
    edit_form,
    get_page,
    manage_url,
    manager_rows_order,
    pip,
    post,
    read_twice,
    recommendation_order,
    row,
    today,
    warm_plan_page,
    with_evidence,
)

pytestmark = pytest.mark.django_db(transaction=True)

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
        "reason": "Abbreviations spelt out", "version": str(Recommendation.objects.get(plan__reference=REF,
                                                                                       ref="2").version)})
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
def test_a_renamed_person_is_named_by_their_new_name_as_the_author_of_an_update(request, reader, owner,
                                                                              administrator):
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    client = browser_for(request.getfixturevalue(reader))
    assert "by Chris Parker" in row(warm_plan_page(client), "5.1")
    people.user_update(actor=as_(administrator), user=owner, first_name="Christine", last_name="Parker-Jones",
                       email=owner.email, today=today())
    after = row(read_twice(client, PLAN_URL), "5.1")
    assert "by Christine Parker-Jones" in after and "by Chris Parker" not in after


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
    assert "plan_sections" in STORED
    services.action_change_text(actor=as_(plan_manager), action=action("3.1"), text="Succession plan agreed.",
                                reason="Clearer", effective_on=today())
    partial_page = client.get(PLAN_URL, HTTP_HX_REQUEST="true").content.decode()
    assert "Succession plan agreed." in row(partial_page, "3.1")




@pytest.mark.parametrize("reader", READERS)
def test_a_progress_update_renders_again_only_its_recommendation_stores_only_its_part(
        request, reader, owner, monkeypatch):
    from actiontrack.plans import readcache

    monkeypatch.setattr(plan_table, "PART_ACTIONS", 3)  # the demo's ten actions kept in four parts
    client = browser_for(request.getfixturevalue(reader))
    warm_plan_page(client)
    before = pip()
    STORED.clear()
    rendered, read = [], []
    render = plan_table.recommendation_html
    monkeypatch.setattr(plan_table, "recommendation_html",
                        lambda rec, **kw: rendered.append(rec.ref) or render(rec, **kw))
    kept = readcache.get_or_build
    monkeypatch.setattr(readcache, "get_or_build", lambda key, build: read.append(key[0]) or kept(key, build))
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    after = pip()
    assert after.read_version == before.read_version and after.progress_version == before.progress_version + 1
    page = get_page(client, PLAN_URL)
    assert "Consultation closes on Friday." in row(page, "5.1")
    # The layout and every other recommendation's section were read from the cache; which recommendations'
    # progress changed was read again, recommendation 5 alone was read and rendered (not the whole plan), and
    # only the part holding it was stored (beside, once per version, the posts and held measures it needs).
    assert [kind for kind in STORED if kind not in ("posts_with_holdings", "held_actions")] == [
        "progress_stamps", "plan_sections"]
    assert rendered == ["5"] and "plan_as_at" not in read
    assert page == read_twice(client, PLAN_URL)
    readcache.clear()
    assert get_page(client, PLAN_URL) == page  # the same as built afresh


@pytest.mark.parametrize("change_to_come", [False, True])
def test_a_progress_update_in_a_grouped_plan_renders_its_recommendation_under_its_theme(plan_manager, change_to_come,
                                                                                       monkeypatch):
    """Read alone after an update, a recommendation of a plan grouped by theme keeps its heading level (below the
    theme's) and its place: the page is the one built afresh. Also when a change takes effect next month, so today's
    state is replayed from the journal rather than read from the rows."""
    from actiontrack.plans import readcache
    from tests.builders import SET_UP, a_grouped_plan, a_person, an_action

    plan = a_grouped_plan()
    if change_to_come:
        services.action_change_due_date(actor=SET_UP, action=an_action(plan, "E1b"), due_on=date(2031, 3, 31),
                                        reason="Agreed at the board", effective_on=today() + timedelta(days=30))
    owner_of_all = a_person("gowner", owns=an_action(plan, "E1b").owner_posts.get())
    services.role_grant(actor=SET_UP, user=plan_manager, plan=plan, role="manager", today=today())
    client, url = browser_for(plan_manager), f"/plans/{plan.reference}/"
    get_page(client, url)
    workflow.update_save(actor=as_(owner_of_all), action=an_action(plan, "E1b"), text="Visits now target the most "
                         "at risk.", today=today())
    read, kept = [], readcache.get_or_build
    monkeypatch.setattr(readcache, "get_or_build", lambda key, build: read.append(key[0]) or kept(key, build))
    page = get_page(client, url)
    assert "plan_as_at" not in read  # recommendation R1 read alone, not the whole plan
    assert "Visits now target the most at risk." in row(page, "E1b")
    assert '<h4 class="heading-s" id="rec-R1">Recommendation R1' in page  # below its theme's heading
    readcache.clear()
    assert get_page(client, url) == page  # the same as built afresh


@pytest.mark.parametrize("reader", READERS)
def test_which_recommendations_progress_changed_is_read_only_after_a_progress_update(request, reader, owner):
    """The grouped read of every action's updates grows with the plan's history: a view with nothing new
    finds its answer kept, and one after an update reads it again once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser_for(request.getfixturevalue(reader))
    warm_plan_page(client)

    def progress_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            get_page(client, PLAN_URL)
        return sum("plans_progressupdate" in query["sql"] for query in queries.captured_queries)

    assert progress_reads() == 0
    workflow.update_save(actor=as_(owner), action=action("5.1"), text="Consultation closes on Friday.", today=today())
    assert progress_reads() == 3  # which recommendations changed; recommendation 5's latest periods, its updates
    assert progress_reads() == 0


def test_a_date_proposal_or_evidence_moves_neither_version(owner):
    before = pip()
    workflow.date_propose(actor=as_(owner), action=action("5.1"), due_on=today() + timedelta(days=90),
                          due_condition="", reason="Consultation extended", today=today())
    with_evidence(owner, "5.1")
    after = pip()
    assert (after.read_version, after.progress_version) == (before.read_version, before.progress_version)
