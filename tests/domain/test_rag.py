"""RAG ratings: computed from an action's facts, an as-at date and the plan's scheme, never typed in."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.deadlines import DUE_SOON_DAYS, is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.rag import (
    DEFAULT,
    ActionFacts,
    Band,
    Condition,
    RagScheme,
    Rating,
    Rule,
    band_of,
    brag,
    count_by_band,
    due_cutoffs,
    due_interval,
    rate,
    scheme_for,
)
from actiontrack.domain.ukdates import format_short

AS_AT = date(2021, 11, 30)
BRAG = brag(14)
LABELS = {
    "red": "Red – Overdue",
    "amber": "Amber – On track but to be completed",
    "green": "Green – Complete",
    "undated": "Grey – No date set",
    "cancelled": "Grey – Cancelled",
}
BRAG_LABELS = {
    "red": "Red – Overdue",
    "amber": "Amber – At risk – due within 14 days",
    "green": "Green – On track",
    "blue": "Blue – Closed",
    "undated": "Grey – No date set",
    "cancelled": "Grey – Cancelled",
}
L = Lifecycle


def facts(lifecycle, days_ahead, completed_on=None, condition="", closed_by=""):
    due = None if days_ahead is None else AS_AT + timedelta(days=days_ahead)
    return ActionFacts(lifecycle=lifecycle, due_on=due, due_condition=condition, completed_on=completed_on,
                       closed_by=closed_by)


@pytest.mark.parametrize(
    ("lifecycle", "days_ahead", "band"),
    [
        (L.NOT_STARTED, None, "undated"),  # nothing to rate it against: never "on track"
        (L.IN_PROGRESS, None, "undated"),
        (L.IN_PROGRESS, 0, "amber"),  # due today is not overdue
        (L.IN_PROGRESS, -1, "red"),  # due yesterday is
        (L.NOT_STARTED, -1, "red"),
        (L.IN_PROGRESS, 1, "amber"),
        (L.IN_PROGRESS, 400, "amber"),
        (L.PAUSED, -1, "red"),  # pausing does not stop the clock
        (L.PAUSED, 10, "amber"),
        (L.COMPLETED, -30, "green"),
        (L.COMPLETED, None, "green"),
        (L.CLOSED, -30, "green"),
        (L.CLOSED, 30, "green"),
        (L.CANCELLED, -30, "cancelled"),
        (L.CANCELLED, None, "cancelled"),
    ],
)
def test_the_default_scheme_rates_as_the_source_report_does(lifecycle, days_ahead, band):
    rating = rate(facts(lifecycle, days_ahead), AS_AT)
    assert rating.band.key == band
    assert rating.label == LABELS[band]
    assert rating.colour == {"cancelled": "grey", "undated": "grey"}.get(band, band)
    assert rating.reason


@pytest.mark.parametrize(
    ("lifecycle", "days_ahead", "band"),
    [
        (L.CLOSED, -30, "blue"),
        (L.CLOSED, None, "blue"),
        (L.COMPLETED, -30, "green"),  # completed, awaiting verification
        (L.IN_PROGRESS, 15, "green"),
        (L.IN_PROGRESS, 14, "amber"),  # the window is inclusive
        (L.IN_PROGRESS, 1, "amber"),
        (L.IN_PROGRESS, 0, "amber"),  # due today: at risk, not overdue
        (L.IN_PROGRESS, -1, "red"),
        (L.NOT_STARTED, None, "undated"),
        (L.PAUSED, -1, "red"),
        (L.PAUSED, 30, "green"),
        (L.CANCELLED, -1, "cancelled"),
    ],
)
def test_brag_rates_closed_blue_on_track_green_at_risk_amber_and_overdue_red(lifecycle, days_ahead, band):
    rating = rate(facts(lifecycle, days_ahead), AS_AT, BRAG)
    assert rating.band.key == band
    assert rating.label == BRAG_LABELS[band]
    assert rating.reason


def test_an_overdue_action_says_when_it_was_due_and_when_it_was_not_complete():
    rating = rate(ActionFacts(L.IN_PROGRESS, due_on=date(2021, 5, 31)), AS_AT)
    assert rating.label == "Red – Overdue"
    assert rating.reason == "due 31/05/2021, not complete on 30/11/2021"


def test_an_overdue_paused_action_says_it_is_paused():
    rating = rate(ActionFacts(L.PAUSED, due_on=date(2021, 5, 31)), AS_AT)
    assert rating.reason == "due 31/05/2021, not complete on 30/11/2021; paused"


def test_a_reason_shows_the_condition_of_the_due_date():
    rating = rate(facts(L.IN_PROGRESS, 31, condition="On Approval"), AS_AT)
    assert "31/12/2021 (On Approval)" in rating.reason


@pytest.mark.parametrize(("days_ahead", "words"), [(0, "today"), (1, "1 day left"), (14, "14 days left")])
def test_an_action_not_yet_due_says_how_long_is_left(days_ahead, words):
    rating = rate(facts(L.IN_PROGRESS, days_ahead), AS_AT, BRAG)
    assert words in rating.reason
    assert "30/11/2021" in rating.reason


def test_an_action_with_no_due_date_says_so():
    assert rate(facts(L.NOT_STARTED, None), AS_AT).reason == "no due date set, not complete on 30/11/2021"


def test_a_completed_action_gives_its_completion_date_and_whether_it_is_verified():
    done = date(2021, 10, 1)
    assert rate(facts(L.COMPLETED, -30, completed_on=done), AS_AT, BRAG).reason == (
        "completed on 01/10/2021; awaiting verification")
    assert rate(facts(L.CLOSED, -30, completed_on=done), AS_AT, BRAG).reason == "completed on 01/10/2021 and verified"
    assert rate(facts(L.CLOSED, -30, completed_on=done, closed_by="HMICFRS"), AS_AT, BRAG).reason == (
        "completed on 01/10/2021; closed by HMICFRS")  # on the body's letter, not by a verifier


lifecycles = st.sampled_from(list(Lifecycle))
due_dates = st.none() | st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
as_at_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
schemes = st.just(DEFAULT) | st.integers(min_value=1, max_value=400).map(brag)
action_facts = st.builds(
    ActionFacts, lifecycle=lifecycles, due_on=due_dates,
    due_condition=st.sampled_from(["", "On Approval"]), completed_on=st.none() | as_at_dates,
)


@given(st.sampled_from([L.COMPLETED, L.CLOSED]), due_dates, as_at_dates, schemes)
def test_a_completed_or_closed_action_is_never_red(lifecycle, due_on, as_at, scheme):
    assert rate(ActionFacts(lifecycle, due_on), as_at, scheme).colour != "red"


@given(action_facts, as_at_dates, schemes)
def test_rate_is_pure_and_always_gives_one_of_the_schemes_bands_with_a_reason(fact, as_at, scheme):
    first = rate(fact, as_at, scheme)
    assert first == rate(fact, as_at, scheme)
    assert isinstance(first, Rating)
    assert first.band in scheme.bands
    assert first.reason
    assert first.label == f"{first.band.label} – {first.band.meaning}"


@given(action_facts, as_at_dates)
def test_an_action_is_red_exactly_when_it_is_open_and_its_due_date_has_passed(fact, as_at):
    overdue = (not fact.lifecycle.is_complete and fact.lifecycle is not L.CANCELLED
               and fact.due_on is not None and fact.due_on < as_at)
    rating = rate(fact, as_at)
    assert (rating.band.key == "red") == overdue
    if overdue:
        assert rating.reason.startswith(f"due {fact.due_on:%d/%m/%Y}")
        assert f"not complete on {as_at:%d/%m/%Y}" in rating.reason


@given(action_facts, as_at_dates, schemes)
def test_the_reason_for_an_open_action_with_a_due_date_names_that_date(fact, as_at, scheme):
    if fact.lifecycle.is_complete or fact.lifecycle is L.CANCELLED or fact.due_on is None:
        return
    assert f"{fact.due_on:%d/%m/%Y}" in rate(fact, as_at, scheme).reason


RED = Band("red", "red", "Red", "Overdue")
GREEN = Band("green", "green", "Green", "Fine")


def test_a_scheme_is_data_and_may_be_built_from_bands_and_rules():
    scheme = RagScheme("two", "Two", (RED, GREEN), (Rule(Condition.OVERDUE, "red"), Rule(Condition.OTHERWISE, "green")))
    assert rate(facts(L.IN_PROGRESS, -1), AS_AT, scheme).band == RED
    assert rate(facts(L.CANCELLED, 5), AS_AT, scheme).band == GREEN


def test_a_scheme_whose_rule_names_an_unknown_band_is_refused():
    with pytest.raises(ValueError, match="purple"):
        RagScheme("bad", "Bad", (RED, GREEN), (Rule(Condition.OVERDUE, "purple"), Rule(Condition.OTHERWISE, "green")))


@pytest.mark.parametrize(
    "rules",
    [(), (Rule(Condition.OVERDUE, "red"),), (Rule(Condition.OTHERWISE, "green"), Rule(Condition.OVERDUE, "red"))],
)
def test_a_scheme_without_a_final_otherwise_rule_is_refused(rules):
    with pytest.raises(ValueError, match="otherwise"):
        RagScheme("bad", "Bad", (RED, GREEN), rules)


@pytest.mark.parametrize("days", [0, -1])
def test_a_brag_scheme_needs_an_at_risk_window_of_at_least_one_day(days):
    with pytest.raises(ValueError):
        brag(days)


def test_schemes_are_found_by_key_and_an_unknown_key_is_refused():
    assert scheme_for("rag") is DEFAULT
    assert scheme_for("brag", 7) == brag(7)
    assert scheme_for("brag").rules[-2].days == 14
    with pytest.raises(KeyError, match="nope"):
        scheme_for("nope")


def test_asking_a_scheme_for_an_unknown_band_is_refused():
    with pytest.raises(KeyError):
        DEFAULT.band("blue")


def test_counts_by_band_are_in_the_schemes_band_order_with_zeros_included():
    ratings = [rate(facts(L.IN_PROGRESS, -1), AS_AT), rate(facts(L.IN_PROGRESS, -2), AS_AT),
               rate(facts(L.CLOSED, 5), AS_AT)]
    counts = count_by_band(ratings, DEFAULT)
    assert list(counts.items()) == [("red", 2), ("amber", 0), ("green", 1), ("undated", 0), ("cancelled", 0)]
    assert list(count_by_band([], BRAG).items()) == [("red", 0), ("amber", 0), ("green", 0), ("blue", 0),
                                                     ("undated", 0), ("cancelled", 0)]


def test_an_action_with_no_due_date_is_not_rated_on_track_but_says_no_date_is_set():
    rating = rate(facts(L.IN_PROGRESS, None), AS_AT)
    assert rating.label == "Grey – No date set"
    assert rating.reason == f"no due date set, not complete on {format_short(AS_AT)}"
    assert rate(facts(L.IN_PROGRESS, None), AS_AT, BRAG).label == "Grey – No date set"
    assert not DEFAULT.band("undated").in_key  # listed in counts only where there are some


def test_an_action_completed_after_its_due_date_keeps_its_rating_but_says_how_late():
    late = ActionFacts(lifecycle=L.CLOSED, due_on=date(2021, 12, 31), completed_on=date(2026, 12, 1))
    rating = rate(late, date(2026, 12, 3))
    assert rating.label == "Green – Complete"
    assert rating.reason == "completed on 01/12/2026, 1,796 days after its due date and verified"
    one_day = ActionFacts(lifecycle=L.COMPLETED, due_on=date(2021, 12, 31), completed_on=date(2022, 1, 1))
    assert rate(one_day, date(2022, 1, 2)).reason == ("completed on 01/01/2022, 1 day after its due date; "
                                                      "awaiting verification")
    on_time = ActionFacts(lifecycle=L.CLOSED, due_on=date(2021, 12, 31), completed_on=date(2021, 12, 31))
    assert rate(on_time, date(2022, 1, 2)).reason == "completed on 31/12/2021 and verified"


def test_a_closure_without_evidence_says_so_in_the_reason():
    closed = ActionFacts(lifecycle=L.CLOSED, due_on=date(2021, 12, 31), completed_on=date(2021, 12, 1),
                         closed_without_evidence=True)
    assert rate(closed, date(2022, 1, 2)).reason == "completed on 01/12/2021; closed without evidence"
    assert rate(closed, date(2022, 1, 2), BRAG).label == "Blue – Closed"


# Counts grouped by due-date interval (the dashboard's query) rate each interval by one date standing for it:
# every due date must rate as the date standing for its interval, on every scheme.
@given(due=st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2026, 12, 31))),
       as_at=st.dates(date(2020, 1, 1), date(2025, 12, 31)), life=st.sampled_from(list(Lifecycle)),
       window=st.integers(1, 60), scheme_key=st.sampled_from(["rag", "brag"]))
def test_every_due_date_rates_as_the_date_standing_for_its_interval(due, as_at, life, window, scheme_key):
    scheme = scheme_for(scheme_key, window)
    cutoffs = due_cutoffs(scheme, as_at, (DUE_SOON_DAYS,))
    standing = due_interval(due, cutoffs)
    assert band_of(ActionFacts(life, due), as_at, scheme) == band_of(ActionFacts(life, standing), as_at, scheme)
    assert is_overdue(life, due, as_at) == is_overdue(life, standing, as_at)
    assert is_due_within(life, due, as_at, DUE_SOON_DAYS) == is_due_within(life, standing, as_at, DUE_SOON_DAYS)
