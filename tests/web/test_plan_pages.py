"""The plan and action pages, as the people who use them: a plan manager, an owner, a board member, and an
outsider who must be refused without learning the plan exists."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.domain.ukdates import format_long
from actiontrack.people.models import Post
from actiontrack.plans import readcache, services
from actiontrack.plans.models import Action, Recommendation
from actiontrack.plans.services import workflow
from actiontrack.plans.services.comments import comment_add
from actiontrack.plans.services.evidence import evidence_add_link
from tests.demo_rows import new_updates

pytestmark = pytest.mark.django_db

PLAN = reverse("plan", args=["PIP-PR"])


def action_url(ref):
    return reverse("action", args=["PIP-PR", ref])


def test_someone_not_signed_in_is_sent_to_sign_in(client, demo):
    response = client.get(PLAN)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_signing_in_with_a_wrong_password_says_so(client, demo):
    response = client.post(reverse("login"), {"username": "pmo", "password": "not the password"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_a_plan_manager_signs_in_and_sees_their_plans(client, plan_manager):
    plan_manager.set_password("correct horse battery staple")
    plan_manager.save()
    response = client.post(reverse("login"), {"username": "pmo", "password": "correct horse battery staple"},
                           follow=True)
    assert "Protection Improvement Plan – Peer Review" in response.text
    assert PLAN in response.text


def test_the_plan_as_at_the_board_meeting_shows_every_status_as_text(signed_in, plan_manager):
    page = signed_in(plan_manager).get(PLAN, {"as_at": "2021-11-30"}).text
    assert "Status as at 30 November 2021" in page
    assert page.count("Green – Complete</strong>") == 7 + 1  # seven actions, plus the summary row
    assert page.count("Amber – On track but to be completed</strong>") == 3 + 1
    assert "31/12/2021 (On Approval)" in page and "was 31/05/2021" in page
    assert "revised once, +214 days" in page
    assert "Head of Prevention and Protection" in page and "AM Chris Parker" in page
    assert "Peer review by Hertfordshire Fire and Rescue Service" in page
    assert "Grenfell Gap Analysis" in page  # documents reviewed, in the background


def test_the_plan_as_at_the_day_it_was_agreed_names_the_officers(signed_in, plan_manager):
    page = signed_in(plan_manager).get(PLAN, {"as_at": "01/02/2021"}).text
    assert "AM Palmer" in page and "GM Eaglestone" in page and "GM Earwicker" in page
    assert "AM Chris Parker" not in page
    assert "Investment in the Essex Chamber of commerce." in page
    assert "Green – Complete</strong>" in page  # the key's row, with a zero
    assert "was 31/05/2021" not in page


def test_an_owner_sees_the_plan_through_the_post_they_hold(signed_in, owner):
    response = signed_in(owner).get(PLAN)
    assert response.status_code == 200 and "Recommendation 8" in response.text


def test_a_board_member_sees_the_plan(signed_in, board_member):
    assert signed_in(board_member).get(action_url("2.1")).status_code == 200


def test_an_outsider_is_refused_as_if_the_plan_did_not_exist(signed_in, outsider, demo):
    client = signed_in(outsider)
    assert "Protection Improvement Plan" not in client.get(reverse("home")).text
    for url in (PLAN, action_url("2.1"), reverse("plan", args=["NO-SUCH-PLAN"])):
        response = client.get(url)
        assert response.status_code == 404
        assert "Protection Improvement" not in response.text


def test_an_unreadable_as_at_date_says_what_was_wrong(signed_in, plan_manager):
    response = signed_in(plan_manager).get(PLAN, {"as_at": "31/02/2021"})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "&#x27;31/02/2021&#x27; is not a date: February 2021 has 28 days" in response.text
    assert 'href="#as_at"' in response.text


def test_an_as_at_date_before_the_plan_existed_says_when_it_was_agreed(signed_in, plan_manager):
    response = signed_in(plan_manager).get(PLAN, {"as_at": "2020-12-25"})
    assert response.status_code == 400
    assert "was agreed on 1 February 2021; there is nothing to show as at 25 December 2020" in response.text
    assert "Recommendations and actions" not in response.text


def test_an_htmx_request_gets_only_the_plan_body(signed_in, plan_manager):
    response = signed_in(plan_manager).get(PLAN, {"as_at": "2021-06-15"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    title, body = response.text.lstrip().split("\n", 1)
    assert title == "<title>Protection Improvement Plan – Peer Review – actiontrack</title>"  # htmx sets it
    assert body.startswith('<div id="plan-body">')
    assert "<html" not in response.text and "Status as at 15 June 2021" in response.text


def test_the_action_page_shows_its_whole_history(signed_in, plan_manager):
    page = signed_in(plan_manager).get(action_url("1.1"), {"as_at": "2021-11-30"}).text
    assert "Action 1.1" in page and "31/12/2021 (On Approval)" in page
    assert "<td>Due date</td>" in page and "<td class=\"prewrap\">31/12/2021 (On Approval)</td>" in page
    assert "The communications plan is awaiting approval" in page  # the revision's reason
    assert "25/05/2021" in page and "Demo loader" in page  # effective date and who
    assert "revised once, +214 days from baseline" in page


def test_the_action_page_shows_the_text_as_it_was(signed_in, plan_manager):
    url = action_url("8.1")
    before = signed_in(plan_manager).get(url, {"as_at": "2021-04-01"}).text
    after = signed_in(plan_manager).get(url, {"as_at": "2021-11-30"}).text
    assert "Investment in the Essex Chamber of commerce." in before.split("History")[0]
    assert "business engagement managers role" in after.split("History")[0]


def test_an_unknown_action_is_not_found(signed_in, plan_manager):
    assert signed_in(plan_manager).get(action_url("9.9")).status_code == 404
    assert signed_in(plan_manager).get(action_url("nonsense")).status_code == 404


@pytest.mark.django_db(transaction=True)  # committed, so the pieces are kept and the second view reads them
def test_the_kept_table_goes_into_the_page_once_whole_and_only_where_it_belongs(signed_in, plan_manager, board_member):
    """The plan page's kept pieces (its table; the plan manager's rows) are put into the rendered page as bytes."""
    for person, headers in ((plan_manager, {}), (plan_manager, {"HX-Request": "true"}), (board_member, {})):
        client = signed_in(person)
        pages = [client.get(PLAN, {"as_at": "2021-11-30"}, headers=headers) for _ in range(2)]  # built, then kept
        for response in pages:
            text = response.content.decode()
            assert int(response["Content-Length"]) == len(response.content)
            assert text.count('<h2 class="heading-m">Recommendations and actions</h2>') == 1
            assert text.count("Red – Overdue") + text.count("Amber – On track") > 0  # not ASCII: kept as UTF-8
            assert "<!--kept-" not in text and text.rstrip().endswith("</html>") != bool(headers)
            managing = "Recommendations in the plan's order" in text
            assert managing == (person == plan_manager)
        table = [response.content.split(b"Recommendations and actions</h2>")[1] for response in pages]
        assert table[0] == table[1]  # the page's own forms carry a new CSRF token each time


RECORDS = {"plans_progressupdate": "update", "plans_dateproposal": "proposal", "plans_evidence": "evidence",
           "plans_comment": "comment"}


def records_read(queries) -> list[str]:
    """The action's records the page read, by kind, from the SQL of its queries."""
    return [kind for q in queries for table, kind in RECORDS.items() if f'FROM "{table}"' in q["sql"]]


def test_the_action_page_reads_only_the_kinds_of_record_an_action_has_and_shows_each_once_written(signed_in, owner):
    """Updates, date proposals, evidence and comments are each journalled with their action as they are written,
    so the page reads a kind only when the action's journal (read anyway, for its history) has one. Each kind
    the owner adds through the pages' own services is then read, and shown."""
    today = timezone.localdate()
    post = Post.objects.get(holdings__user=owner, holdings__ends_on=None)
    action = services.action_create(actor=Actor.system("Import", "import"), recommendation=Recommendation.objects.get(
        ref="3"), text="Publish the new protection policy", owner_posts=[post], due_on=today + timedelta(days=90),
        effective_on=today)
    client, url = signed_in(owner), action_url(action.slug)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).text
    assert records_read(queries) == []
    assert "No comments yet." in page

    acting = Actor.of(owner, "web")
    steps = [  # one kind at a time, so a kind read on another's event would show
        ("update", "Policy drafted and out for consultation", lambda text: workflow.update_save(
            actor=acting, action=action, text=text, today=today)),
        ("comment", "Union feedback due on Friday", lambda text: comment_add(
            actor=acting, action=action, text=text, today=today)),
        ("proposal", "Consultation extended by the union", lambda text: workflow.date_propose(
            actor=acting, action=action, due_on=today + timedelta(days=120), due_condition="", reason=text,
            today=today)),
        ("evidence", "Draft policy", lambda text: evidence_add_link(
            actor=acting, action=action, url="https://intranet.example/policy-draft", title=text, today=today)),
    ]
    for n, (_, text, write) in enumerate(steps, start=1):
        assert text not in page
        write(text)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).text
        assert sorted(records_read(queries)) == sorted(k for k, _, _ in steps[:n])
        assert text in page[:page.index('id="history"')]  # in its own section, not only in the History
    # Their default order is by action id, not the actions' display order, which joined the action, its
    # recommendation and the plan twice into every read of one action's records.
    assert not [q for q in queries if any(f'FROM "{table}"' in q["sql"] for table in RECORDS)
                and ("plans_plan" in q["sql"] or "plans_recommendation" in q["sql"])]


@pytest.mark.django_db(transaction=True)  # committed, as requests are: nothing is kept from inside a transaction
@pytest.mark.parametrize("as_at", ["", "2021-06-15"])  # read from the rows (today) and replayed (the past)
def test_the_plan_page_uses_the_same_number_of_queries_as_the_plan_grows(signed_in, plan_manager, as_at):
    client = signed_in(plan_manager)
    client.get(PLAN, {"as_at": as_at})
    readcache.clear()  # count the queries of a page built afresh, not one kept from the request before
    with CaptureQueriesContext(connection) as small:
        client.get(PLAN, {"as_at": as_at})
    actor, rec, post = Actor.system("Import", "import"), Recommendation.objects.get(ref="3"), Post.objects.first()
    for n in range(40):
        act = services.action_create(actor=actor, recommendation=rec, text=f"Extra {n}", owner_posts=[post],
                                     due_on=date(2022, 1, 1), effective_on=date(2021, 3, 1))
        services.action_change_due_date(actor=actor, action=act, due_on=date(2022, 2, 1), reason="Slipped",
                                        effective_on=date(2021, 10, 1))
    readcache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(PLAN, {"as_at": as_at})
    assert "Extra 39" in response.text
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as again:
        kept = client.get(PLAN, {"as_at": as_at}).text
    section = "Recommendations and actions"
    assert kept[kept.index(section):] == response.text[response.text.index(section):]
    assert len(again) < len(large)  # the second reading of an unchanged plan is kept, not rebuilt


# A plan agreed in the future, and a plan copied in after it was agreed ------------------------------------

def title_of(response) -> str:
    return response.text.split("<title>")[1].split("</title>")[0]


def new_plan(client, agreed_on: str, reference="NEW-1"):
    response = client.post(reverse("manage:plan_new"), {
        "reference": reference, "title": "Inspection plan", "source_kind": "hmicfrs", "agreed_on": agreed_on,
        "classification": "OFFICIAL", "rag_scheme": "rag", "rag_window_days": "14", "reporting_period": "monthly"})
    assert response.status_code == 302, response.text
    return reference


def test_a_plan_agreed_in_the_future_is_shown_as_at_the_day_it_is_agreed(signed_in, plan_manager):
    client = signed_in(plan_manager)
    agreed = timezone.localdate() + timedelta(days=60)
    reference = new_plan(client, agreed.strftime("%d/%m/%Y"))
    response = client.get(reverse("plan", args=[reference]))
    assert response.status_code == 200
    assert f"Status as at {format_long(agreed)}" in response.text
    form = client.get(reverse("manage:recommendation_new", args=[reference])).text
    assert f'name="effective_on" value="{agreed:%d/%m/%Y}"' in form  # "In the plan since" the day it is agreed
    response = client.post(reverse("manage:recommendation_new", args=[reference]),
                           {"ref": "1", "kind": "recommendation", "text": "Improve.", "effective_on": ""})
    assert response.status_code == 302  # left empty: from the day it is agreed, not today (before it existed)
    rec = Recommendation.objects.get(plan__reference=reference)
    assert JournalEvent.objects.get(entity_type="recommendation", entity_id=rec.pk).effective_on == agreed


def test_a_plan_copied_in_with_its_agreed_date_shows_its_actions_as_at_a_past_date(signed_in, plan_manager):
    client = signed_in(plan_manager)
    reference = new_plan(client, "01/01/2025")
    assert f'name="effective_on" value="{timezone.localdate():%d/%m/%Y}"' in client.get(
        reverse("manage:recommendation_new", args=[reference])).text  # new things take effect today by default
    client.post(reverse("manage:recommendation_new", args=[reference]),
                {"ref": "1", "kind": "recommendation", "text": "Improve the audit trail.",
                 "effective_on": "01/01/2025"})
    response = client.post(reverse("manage:action_new", args=[reference, 1]), {
        "text": "Publish the audit policy.", "owner_posts": [Post.objects.get(name="Head of Protection").pk],
        "due": "30/09/2025", "effective_on": "01/01/2025"})
    assert response.status_code == 302
    page = client.get(reverse("plan", args=[reference]), {"as_at": "01/06/2025"}).text
    assert "Status as at 1 June 2025" in page and "Publish the audit policy." in page
    assert "Amber – On track but to be completed</strong>" in page


def test_in_the_plan_since_cannot_be_before_the_plan_was_agreed(signed_in, plan_manager):
    client = signed_in(plan_manager)
    reference = new_plan(client, "01/01/2025")
    response = client.post(reverse("manage:recommendation_new", args=[reference]),
                           {"ref": "1", "kind": "recommendation", "text": "Improve.", "effective_on": "31/12/2024"})
    assert response.status_code == 400
    assert 'href="#id_effective_on"' in response.text and "is before the plan was agreed" in response.text
    assert not Recommendation.objects.filter(plan__reference=reference).exists()


def test_an_action_cannot_be_in_the_plan_before_its_recommendation(signed_in, plan_manager):
    client = signed_in(plan_manager)
    reference = new_plan(client, "01/01/2025")
    client.post(reverse("manage:recommendation_new", args=[reference]),
                {"ref": "1", "kind": "recommendation", "text": "Improve.", "effective_on": "01/03/2025"})
    response = client.post(reverse("manage:action_new", args=[reference, 1]), {
        "text": "Do it.", "owner_posts": [Post.objects.first().pk], "due": "", "effective_on": "01/02/2025"})
    assert response.status_code == 400 and "before recommendation 1 was added" in response.text
    assert 'id="id_effective_on_error"' in response.text


# "Error: " in the title when the as-at date is wrong --------------------------------------------------------

@pytest.mark.parametrize("address", [PLAN, action_url("1.1"), reverse("home")])
def test_a_wrong_as_at_date_puts_error_in_the_title(signed_in, plan_manager, address):
    client = signed_in(plan_manager)
    assert not title_of(client.get(address)).startswith("Error: ")
    for bad in ("31/02/2021", "2020-12-25"):
        response = client.get(address, {"as_at": bad})
        if address == reverse("home") and bad == "2020-12-25":
            continue  # the home page shows plans agreed by then: none, and that is not an error
        assert response.status_code == 400 and title_of(response).startswith("Error: "), (address, bad)


def test_the_htmx_partial_carries_the_error_title_too(signed_in, plan_manager):
    response = signed_in(plan_manager).get(PLAN, {"as_at": "31/02/2021"}, headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert title_of(response) == "Error: Protection Improvement Plan – Peer Review – actiontrack"


def test_the_status_heading_can_take_the_focus_after_an_htmx_swap(signed_in, plan_manager):
    page = signed_in(plan_manager).get(PLAN, headers={"HX-Request": "true"}).text
    assert 'id="summary" tabindex="-1" data-focus-after-swap>Status as at' in page


def test_every_page_loads_the_focus_script_as_a_file(signed_in, plan_manager):
    page = signed_in(plan_manager).get(PLAN).text
    assert '<script src="/static/web/focus.js" defer></script>' in page


# An action's ref written another way ---------------------------------------------------------------------

@pytest.mark.parametrize("written", ["01.1", "1.01", "001.001"])
def test_an_action_ref_written_another_way_redirects_permanently_to_the_canonical_one(signed_in, plan_manager,
                                                                                       written):
    response = signed_in(plan_manager).get(action_url(written), {"as_at": "30/11/2021"})
    assert response.status_code == 301
    assert response.url == action_url("1.1") + "?as_at=30%2F11%2F2021"


def test_the_pages_under_an_action_redirect_too_but_a_post_is_not_found(signed_in, owner):
    client = signed_in(owner)
    response = client.get(reverse("owner:update", args=["PIP-PR", "05.1"]))
    assert response.status_code == 301 and response.url == reverse("owner:update", args=["PIP-PR", "5.1"])
    response = client.post(reverse("owner:update", args=["PIP-PR", "05.1"]), {"text": "x", "version": "0"})
    assert response.status_code == 404 and not new_updates().exists()


def test_an_outsider_gets_a_404_for_an_action_ref_written_another_way(signed_in, outsider, demo):
    response = signed_in(outsider).get(action_url("01.1"))
    assert response.status_code == 404


# The one way a due date is shown ---------------------------------------------------------------------------

def test_the_due_filter_shows_a_date_with_its_condition(demo):
    from actiontrack.web.templatetags.uk import due

    action = Action.objects.get(ref="1.1")
    assert due(action) == "31/12/2021 (On Approval)"
    assert due(date(2022, 3, 31), "On Approval") == "31/03/2022 (On Approval)"
    assert due(date(2022, 3, 31), "") == "31/03/2022"
    assert due(None, "") == "No date set"
