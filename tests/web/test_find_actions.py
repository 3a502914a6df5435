"""/actions/: a plan manager, an owner and a board member find actions across the plans they can see; an
outsider finds none; the filters live in the address; the list downloads as CSV and XLSX with the filters
applied; mistakes in the address are said, not ignored."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.people.models import Post
from actiontrack.plans.models import Action, Plan

URL = "/actions/"
OPEN = [life for life in Lifecycle if life.is_open]


def refs(response) -> list[str]:
    """The action references listed, in order (from the CSV download of the same address: every match)."""
    return [row["Action"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))]


def listed(client, **query) -> list[str]:
    response = client.get(URL, {**query, "format": "csv"})
    assert response.status_code == 200, response.content[:500]
    return refs(response)


def demo_actions(**conditions) -> list[Action]:
    return list(Action.objects.filter(plan__reference="PIP-PR", **conditions))


def test_someone_signed_out_is_sent_to_sign_in_and_an_outsider_finds_nothing(client, signed_in, outsider, demo):
    assert client.get(URL).status_code == 302
    response = signed_in(outsider).get(URL, {"q": "fire"})
    assert response.status_code == 200 and "No actions match" in response.content.decode()
    assert listed(signed_in(outsider)) == []


def test_a_plan_manager_sees_every_action_of_their_plans_a_page_at_a_time(signed_in, plan_manager):
    client = signed_in(plan_manager)
    everything = listed(client)
    assert sorted(everything) == sorted(a.ref for a in demo_actions())
    page = client.get(URL).content.decode()
    total = len(everything)
    assert f"{total} actions, as at" in page
    assert f"Actions 1 to {min(total, 50)} of {total}" in page
    assert 'href="/plans/PIP-PR/actions/' in page


def test_an_owner_who_holds_no_role_finds_the_actions_of_the_plans_they_own_in(signed_in, other_owner):
    """Gary Earwicker owns actions of the demo plan through his post: he can see the plan, so all its actions."""
    found = listed(signed_in(other_owner))
    assert sorted(found) == sorted(a.ref for a in demo_actions())
    mine = Post.objects.get(name="Head of Protection")
    assert sorted(listed(signed_in(other_owner), owner=f"post-{mine.pk}")) == sorted(
        a.ref for a in demo_actions(owner_posts=mine))
    assert listed(signed_in(other_owner), owner=f"person-{other_owner.pk}") == listed(
        signed_in(other_owner), owner=f"post-{mine.pk}")


def test_search_finds_words_of_the_action_its_recommendation_and_its_reference(signed_in, board_member):
    client = signed_in(board_member)
    action = demo_actions()[3]
    word = max(action.text.split(), key=len)
    found = listed(client, q=word.upper())
    assert action.ref in found
    assert all(word.casefold() in (a.text + a.recommendation.text + a.ref + a.recommendation.ref).casefold()
               or a.updates.filter(text__icontains=word).exists() for a in demo_actions(ref__in=found))
    rec = action.recommendation
    rec_word = max(rec.text.split(), key=len)
    assert {a.ref for a in rec.actions.all()} <= set(listed(client, q=rec_word))
    assert listed(client, q="no action says this, anywhere") == []


def test_filters_by_lifecycle_revision_verification_and_due_window(signed_in, plan_manager):
    client = signed_in(plan_manager)
    for life in Lifecycle:
        assert sorted(listed(client, lifecycle=life.value)) == sorted(a.ref for a in demo_actions(lifecycle=life))
    assert sorted(listed(client, awaiting_verification="on")) == sorted(
        a.ref for a in demo_actions(lifecycle=Lifecycle.COMPLETED))
    assert sorted(listed(client, revised="on")) == sorted(a.ref for a in demo_actions(revisions__gt=0))
    today = timezone.localdate()
    overdue = sorted(a.ref for a in demo_actions(lifecycle__in=OPEN, due_on__lt=today))
    assert sorted(listed(client, overdue="on")) == overdue
    assert listed(client, due_within="0") == [a.ref for a in demo_actions(lifecycle__in=OPEN, due_on=today)]


def test_an_as_at_date_replays_the_plan_and_the_address_keeps_every_choice(signed_in, plan_manager):
    client = signed_in(plan_manager)
    then = listed(client, as_at="30/11/2021", rag="amber", sort="-due")
    page = client.get(URL, {"as_at": "30/11/2021", "rag": "amber", "sort": "-due"}).content.decode()
    assert then and f"{len(then)} action{'s' if len(then) > 1 else ''}, as at 30 November 2021" in page
    # The download links and the column links carry the same filters.
    assert "as_at=30%2F11%2F2021" in page and "rag=amber" in page and "format=csv" in page
    assert 'aria-sort="descending"' in page


def test_sorting_by_due_date_both_ways(signed_in, plan_manager):
    client = signed_in(plan_manager)
    by_ref = {a.ref: a for a in demo_actions()}
    rising = [by_ref[ref].due_on for ref in listed(client, sort="due") if by_ref[ref].due_on]
    falling = [by_ref[ref].due_on for ref in listed(client, sort="-due") if by_ref[ref].due_on]
    assert rising == sorted(rising) and falling == sorted(falling, reverse=True) and rising


def test_the_download_is_the_list_with_status_as_text(signed_in, plan_manager):
    client = signed_in(plan_manager)
    query = {"lifecycle": "in_progress", "sort": "rag"}
    wanted = listed(client, **query)
    xlsx = client.get(URL, {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["Actions"]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:5] == ("Plan", "Plan title", "Group", "Recommendation", "Action")
    assert [row[4] for row in rows] == wanted
    status = header.index("RAG status")
    assert rows and all(row[status].split(" – ")[0] in {"Red", "Amber", "Green", "Blue", "Grey"} for row in rows)
    assert all(row[header.index("Progress")] == "In progress" for row in rows)
    due = header.index("Due date")
    assert all(row[due] is None or isinstance(row[due], date) for row in rows)


@pytest.mark.parametrize(("query", "message"), [
    ({"as_at": "31/02/2021"}, "The as-at date could not be read"),
    ({"due_within": "-3"}, "Due within (days): Ensure this value is greater than or equal to 0."),
    ({"lifecycle": "finished"}, "Progress: Select a valid choice."),
    ({"plan": "NOT-A-PLAN"}, "Plan: Select a valid choice."),
    ({"format": "pdf"}, "Downloads come as format=csv or format=xlsx, not &#x27;pdf&#x27;."),
])
def test_a_mistake_in_the_address_is_said(signed_in, plan_manager, query, message):
    response = signed_in(plan_manager).get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_plan_someone_cannot_see_cannot_be_asked_for(signed_in, other_owner, plan_manager, demo):
    """A second plan the owner has nothing to do with: naming it in the address is refused like any unknown plan."""
    Plan.objects.filter(reference="PIP-PR").update()  # the demo plan stays; make another the owner cannot see
    other = Plan.objects.create(reference="OTHER", title="Another plan", agreed_on=date(2021, 1, 1))
    response = signed_in(other_owner).get(URL, {"plan": other.reference})
    assert response.status_code == 400 and "Plan: Select a valid choice." in response.content.decode()


def test_the_queue_opens_each_of_its_lists_in_find_actions_with_the_same_actions(signed_in, plan_manager):
    client = signed_in(plan_manager)
    queue = client.get(reverse("manage:queue")).content.decode()
    links = re.findall(r'<a href="(/actions/\?[^"]+)">Open these (\d+) in Find actions', queue)
    assert {"awaiting_verification=on", "no_update=on"} <= {href.rsplit("&amp;", 1)[1] for href, _ in links}
    for href, count in links:
        response = client.get(href.replace("&amp;", "&") + "&format=csv")
        assert len(refs(response)) == int(count), href


@pytest.mark.parametrize("dashboard", ["/", "/?as_at=30/11/2021", "/?post=Head+of+Protection"])
def test_every_count_on_the_dashboard_opens_the_actions_it_counted(signed_in, board_member, dashboard):
    client = signed_in(board_member)
    page = client.get(dashboard).content.decode()
    links = re.findall(r'<a href="(/actions/\?[^"]+)" aria-label="(?:All )?(\d+)[^"]*: find these actions">', page)
    assert len(links) >= 6, "the dashboard's counts are not links"
    for href, count in links:
        assert len(refs(client.get(href.replace("&amp;", "&") + "&format=csv"))) == int(count), href


def test_the_queries_are_the_same_in_number_whatever_the_number_of_plans(db, signed_in):
    """Three plans of twenty actions or one: Find actions asks the database the same number of questions (its
    filtering, counting and paging happen there)."""
    from actiontrack.plans.models import PlanRole
    from tests.builders import a_person, a_plan

    first = a_plan(actions=20, reference="ONE", owners=None)
    reader = a_person("reader", plan=first, role="viewer")
    client = signed_in(reader)
    query = {"q": "1", "overdue": "on", "sort": "-rag", "no_update": "on"}
    client.get(URL, query)  # warm: sessions, content types

    def asked() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as seen:
            assert client.get(URL, query).status_code == 200
        return len(seen.captured_queries)

    one = asked()
    for reference in ("TWO", "THREE"):
        a_plan(actions=20, reference=reference, owners=None)
        PlanRole.objects.create(user=reader, plan=Plan.objects.get(reference=reference), role="viewer")
    assert asked() == one
    assert "60 actions" in client.get(URL).content.decode()


def test_a_page_far_beyond_the_end_is_said_not_a_server_error(signed_in, plan_manager):
    client = signed_in(plan_manager)
    assert "Actions 1 to 10 of 10" in client.get(URL, {"page": "99999"}).content.decode()  # the last page
    assert client.get(URL, {"page": "9" * 30}).status_code == 400


def test_in_a_plan_whose_groups_restart_their_numbers_each_action_says_its_group(db, signed_in):
    """HMICFRS-style themes both have an R1: the list says which theme each R1 action is in, to the eye and to
    the checkbox's label, and the group filter keeps one."""
    from tests.builders import a_grouped_plan, a_person

    plan = a_grouped_plan()
    client = signed_in(a_person("manager", plan=plan, role="manager"))
    page = client.get(URL).content.decode()
    for theme in ("Prevention", "Protection"):
        assert re.search(rf'</a><span class="hint">{theme}</span></th>', page)
        assert re.search(rf"Select action [^<]+ \({theme}\) of HMI-2023", page)
    assert listed(client, group="Protection") == [Action.objects.get(plan=plan,
                                                                     recommendation__group__name="Protection").ref]
