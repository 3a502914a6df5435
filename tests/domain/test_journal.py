"""Journal replay: the state of an action as at any past date is its journal replayed to that date."""

import random
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.journal import CREATED, Change, state_as_at, states_as_at

ACTION = ("action", 12)
OTHER = ("action", 13)
FIELDS_AT_CREATION = {"title": "Review hydrants", "due_on": date(2021, 5, 31), "lifecycle": "not_started"}
CREATION = Change(ACTION, CREATED, FIELDS_AT_CREATION, effective_on=date(2021, 1, 4), sequence=1)
STARTED = Change(ACTION, "lifecycle", "in_progress", effective_on=date(2021, 2, 1), sequence=2)
REVISED = Change(ACTION, "due_on", date(2021, 12, 31), effective_on=date(2021, 6, 1), sequence=3)
HISTORY = [CREATION, STARTED, REVISED]


def test_an_action_as_at_its_creation_has_the_fields_it_was_created_with():
    assert state_as_at(HISTORY, date(2021, 1, 4)) == CREATION.new


def test_field_changes_apply_from_their_effective_date():
    assert state_as_at(HISTORY, date(2021, 3, 1)) == {**CREATION.new, "lifecycle": "in_progress"}
    assert state_as_at(HISTORY, date(2021, 6, 1)) == {**CREATION.new, "lifecycle": "in_progress",
                                                      "due_on": date(2021, 12, 31)}


def test_an_action_did_not_exist_before_its_creation_took_effect():
    assert state_as_at(HISTORY, date(2021, 1, 3)) is None
    assert state_as_at([], date(2021, 1, 3)) is None


def test_a_change_effective_after_the_as_at_date_is_ignored():
    assert state_as_at(HISTORY, date(2021, 5, 31))["due_on"] == date(2021, 5, 31)


def test_a_correction_recorded_later_for_the_same_day_wins_whatever_order_the_events_arrive_in():
    first = Change(ACTION, "lifecycle", "paused", effective_on=date(2021, 3, 1), sequence=10)
    correction = Change(ACTION, "lifecycle", "in_progress", effective_on=date(2021, 3, 1), sequence=11)
    for events in ([CREATION, first, correction], [correction, first, CREATION], [first, CREATION, correction]):
        assert state_as_at(events, date(2021, 3, 1))["lifecycle"] == "in_progress"


def test_an_earlier_effective_date_applies_first_even_when_recorded_later():
    backdated = Change(ACTION, "lifecycle", "paused", effective_on=date(2021, 1, 20), sequence=99)
    assert state_as_at([*HISTORY, backdated], date(2021, 3, 1))["lifecycle"] == "in_progress"
    assert state_as_at([*HISTORY, backdated], date(2021, 1, 25))["lifecycle"] == "paused"


def test_field_changes_before_creation_are_ignored():
    too_early = Change(ACTION, "owner", "Head of Protection", effective_on=date(2021, 1, 1), sequence=0)
    same_day_before = Change(ACTION, "title", "Earlier title", effective_on=date(2021, 1, 4), sequence=0)
    assert state_as_at([too_early, same_day_before, CREATION], date(2021, 1, 4)) == CREATION.new
    assert state_as_at([too_early], date(2021, 1, 4)) is None


def test_replay_does_not_alter_the_journal():
    state = state_as_at(HISTORY, date(2021, 12, 31))
    state["title"] = "Scribbled on"
    assert CREATION.new["title"] == "Review hydrants"


def test_states_as_at_gives_every_entity_that_existed_then():
    other = Change(OTHER, CREATED, {"title": "Train crews"}, effective_on=date(2021, 4, 1), sequence=4)
    events = [REVISED, other, STARTED, CREATION]
    assert states_as_at(events, date(2021, 3, 1)) == {ACTION: {**CREATION.new, "lifecycle": "in_progress"}}
    assert states_as_at(events, date(2021, 4, 1))[OTHER] == {"title": "Train crews"}
    assert states_as_at(events, date(2020, 12, 31)) == {}


DAY0 = date(2021, 1, 1)
FIELDS = ("title", "due_on", "lifecycle")


@st.composite
def journals(draw):
    """Events for two entities with unique sequences, creations and changes on random days."""
    count = draw(st.integers(min_value=0, max_value=25))
    sequences = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=count, max_size=count, unique=True))
    events = []
    for sequence in sequences:
        entity = draw(st.sampled_from([ACTION, OTHER]))
        effective_on = DAY0 + timedelta(days=draw(st.integers(min_value=0, max_value=20)))
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            new = {name: draw(st.integers(0, 3)) for name in FIELDS}
            events.append(Change(entity, CREATED, new, effective_on, sequence))
        else:
            field, value = draw(st.sampled_from(FIELDS)), draw(st.integers(0, 3))
            events.append(Change(entity, field, value, effective_on, sequence))
    return events


as_at_days = st.integers(min_value=-1, max_value=22).map(lambda n: DAY0 + timedelta(days=n))


@given(journals(), as_at_days)
def test_replay_to_a_date_only_depends_on_events_effective_by_then(events, as_at):
    effective = [event for event in events if event.effective_on <= as_at]
    assert states_as_at(events, as_at) == states_as_at(effective, as_at)
    single = [event for event in events if event.entity == ACTION]
    assert state_as_at(single, as_at) == state_as_at([e for e in single if e.effective_on <= as_at], as_at)


@given(journals(), as_at_days, st.randoms(use_true_random=False))
def test_the_order_events_arrive_in_never_changes_the_result(events, as_at, rnd: random.Random):
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert states_as_at(shuffled, as_at) == states_as_at(events, as_at)


@given(journals(), as_at_days)
def test_replay_matches_applying_events_one_by_one_in_effective_then_recorded_order(events, as_at):
    single = sorted((e for e in events if e.entity == ACTION), key=lambda e: (e.effective_on, e.sequence))
    expected = None
    for event in single:
        if event.effective_on > as_at:
            continue
        if event.field == CREATED:
            expected = dict(event.new)
        elif expected is not None:
            expected[event.field] = event.new
    assert state_as_at(single, as_at) == expected


@given(journals())
def test_an_entity_never_exists_before_its_first_creation(events):
    creations = [e.effective_on for e in events if e.entity == ACTION and e.field == CREATED]
    first = min(creations, default=None)
    before = (first or DAY0 + timedelta(days=30)) - timedelta(days=1)
    assert ACTION not in states_as_at(events, before)
