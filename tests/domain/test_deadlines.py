"""Overdue and due soon are decided once (domain/deadlines.py); the RAG schemes agree with them whatever the
action, its date and the day."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.deadlines import is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.rag import DEFAULT, ActionFacts, brag, rate

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(lifecycle=st.sampled_from(list(Lifecycle)), due_on=st.none() | DAYS, as_at=DAYS,
       window=st.integers(min_value=1, max_value=366))
def test_red_is_overdue_and_brags_amber_is_due_within_its_window(lifecycle, due_on, as_at, window):
    facts = ActionFacts(lifecycle=lifecycle, due_on=due_on, completed_on=as_at if lifecycle.is_complete else None)
    assert (rate(facts, as_at, DEFAULT).band.key == "red") == is_overdue(lifecycle, due_on, as_at)
    assert (rate(facts, as_at, brag(window)).band.key == "amber") == is_due_within(lifecycle, due_on, as_at, window)


def test_due_today_is_due_not_overdue_and_cancelled_or_complete_is_neither():
    today = date(2021, 11, 30)
    assert not is_overdue(Lifecycle.IN_PROGRESS, today, today) and is_due_within(Lifecycle.PAUSED, today, today, 1)
    assert is_overdue(Lifecycle.NOT_STARTED, today - timedelta(days=1), today)
    for done in (Lifecycle.COMPLETED, Lifecycle.CLOSED, Lifecycle.CANCELLED):
        assert not is_overdue(done, today - timedelta(days=1), today)
        assert not is_due_within(done, today, today, 14)
    assert not is_overdue(Lifecycle.IN_PROGRESS, None, today)
