"""The portfolio dashboard (home page): plans as at a date, with RAG counts as text, a chart with the same
numbers, overdue and due-soon actions, revisions this period, and filters."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def text(html: str) -> str:
    """The page's words as read: tags gone, and no space where a tag ended just before punctuation."""
    return re.sub(r" ([:;,.])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html).split()))


def test_a_board_member_sees_the_plan_as_at_the_board_meeting(signed_in, board_member):
    response = signed_in(board_member).get(HOME, {"as_at": "30/11/2021"})
    page = text(response.text)
    assert response.status_code == 200
    assert "All plans as at 30 November 2021" in page
    assert "Red – Overdue 0 Amber – On track but to be completed 3 Green – Complete 7 Total 10" in page
    # The chart says the same in words, for those who cannot see it.
    assert "<desc id=\"PIP-PR-d\">0 Red – Overdue, 3 Amber – On track but to be completed, 7 Green – Complete" \
        in response.text
    assert "Overdue 0" in page and "Due in the next 30 days 0" in page  # 31/12/2021 is 31 days on


def test_actions_due_within_30_days_are_listed(signed_in, board_member):
    page = text(signed_in(board_member).get(HOME, {"as_at": "06/12/2021"}).text)
    assert "Due in the next 30 days 3: 1.1 due 31/12/2021 (On Approval); 3.1 due 31/12/2021; 5.1 due 31/12/2021" in page


def test_overdue_actions_are_listed_with_links(signed_in, plan_manager):
    response = signed_in(plan_manager).get(HOME, {"as_at": "2022-01-15"})
    assert "Overdue 3: 1.1 due 31/12/2021 (On Approval); 3.1 due 31/12/2021; 5.1 due 31/12/2021" in text(response.text)
    assert reverse("action", args=["PIP-PR", "5.1"]) in response.text


def test_a_long_list_names_the_first_few_and_counts_the_rest_with_a_link_to_the_plan(signed_in, plan_manager,
                                                                                        monkeypatch):
    from actiontrack.plans.selectors import portfolio

    monkeypatch.setattr(portfolio, "LISTED", 1)  # as a plan with hundreds overdue, beyond the first ten
    response = signed_in(plan_manager).get(HOME, {"as_at": "2022-01-15"})
    assert "Overdue 3: 1.1 due 31/12/2021 (On Approval); and 2 more" in text(response.text)
    assert f'and <a href="{reverse("plan", args=["PIP-PR"])}">2 more</a>' in response.text


def test_date_revisions_this_period_are_counted(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"as_at": "31/05/2021"}).text)
    assert "Date revisions in May 2021 3" in page  # 2.1 and 6.2 on 20/05, 1.1 on 25/05


def test_filtering_by_owner_post_counts_only_that_posts_actions(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"as_at": "30/11/2021", "post": "Head of Protection"}).text)
    assert "Green – Complete 2 Total 2" in page


def test_a_filter_that_matches_nothing_says_so(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"source": "grenfell"}).text)
    assert "No plan you can see matches these filters." in page


def test_a_plan_agreed_after_the_as_at_date_is_named_not_counted(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"as_at": "01/01/2021"}).text)
    assert "Not shown, because they were agreed after 1 January 2021: Protection Improvement Plan – Peer Review" \
        in page


def test_an_unreadable_date_is_reported(signed_in, plan_manager):
    response = signed_in(plan_manager).get(HOME, {"as_at": "31/02/2021"})
    assert response.status_code == 400 and "February 2021 has 28 days" in response.text


def test_an_outsider_sees_no_plans(signed_in, outsider, demo):
    page = text(signed_in(outsider).get(HOME).text)
    assert "You have no plans yet" in page and "Protection Improvement" not in page


def test_the_most_slipped_and_most_revised_actions_are_listed(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"as_at": "30/11/2021"}).text)
    slipped = page.split("Most days later than agreed", 1)[1].split("Most revised", 1)[0]
    assert slipped.startswith(" Plan Action Agreed date Due now Days later Revisions PIP-PR 1.1 31/05/2021 "
                              "31/12/2021 (On Approval) 214 1")
    assert "Find every action whose due date was revised" in page
    # As at a day before any revision, nothing has slipped; nor has anything the Head of Protection owns.
    assert "Slippage against" not in text(signed_in(plan_manager).get(HOME, {"as_at": "01/03/2021"}).text)
    assert "Slippage against" not in text(signed_in(plan_manager).get(
        HOME, {"as_at": "30/11/2021", "post": "Head of Protection"}).text)


def test_each_plan_says_how_sure_the_record_makes_us_beside_its_rag_counts(signed_in, plan_manager):
    page = text(signed_in(plan_manager).get(HOME, {"as_at": "30/11/2021"}).text)
    # Seven completed on the owners' word (none verified yet), three still open.
    assert "Assurance Limited assurance 7; No assurance 3" in page


def test_the_menu_offers_the_queue_to_plan_managers_only(signed_in, plan_manager, owner, board_member):
    """Whether someone manages any plan is read with the plans the dashboard shows (every plan a person manages is
    one they can see), not asked again for the menu."""
    queue = f'<a href="{reverse("manage:queue")}">Queue</a>'
    assert queue in signed_in(plan_manager).get(HOME).text
    assert queue not in signed_in(owner).get(HOME).text
    assert queue not in signed_in(board_member).get(HOME).text
