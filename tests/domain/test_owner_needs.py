"""What an owner must do is decided once (domain/owner_needs.py), on the same deadlines as the RAG rating:
overdue and due soon never together, evidence asked for only while it is missing, nothing asked of an owner
once the action is complete, closed or cancelled."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from actiontrack.domain.deadlines import Deadline, deadline, is_due_within, is_overdue
from actiontrack.domain.lifecycle import Lifecycle
from actiontrack.domain.owner_needs import OwnerFacts, OwnerNeed, owner_needs

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
FACTS = st.builds(OwnerFacts, lifecycle=st.sampled_from(list(Lifecycle)), due_on=st.none() | DAYS,
                  has_evidence=st.booleans(), update_missing=st.booleans(), proposal_pending=st.booleans(),
                  returned=st.booleans())


@given(facts=FACTS, as_at=DAYS, window=st.integers(min_value=1, max_value=366))
def test_an_owners_needs_follow_the_deadlines_and_the_lifecycle(facts, as_at, window):
    needs = owner_needs(facts, as_at, window)
    life = Lifecycle(facts.lifecycle)
    assert (OwnerNeed.OVERDUE in needs) == is_overdue(life, facts.due_on, as_at)
    assert (OwnerNeed.DUE_SOON in needs) == is_due_within(life, facts.due_on, as_at, window)
    assert not {OwnerNeed.OVERDUE, OwnerNeed.DUE_SOON} <= set(needs)
    assert (OwnerNeed.EVIDENCE_BEFORE_DUE in needs) == (OwnerNeed.DUE_SOON in needs and not facts.has_evidence)
    assert (OwnerNeed.AWAITING_VERIFICATION in needs) == (life is Lifecycle.COMPLETED)
    if not life.is_open:
        assert needs in ([], [OwnerNeed.AWAITING_VERIFICATION])
    else:
        for need, fact in ((OwnerNeed.RETURNED, facts.returned), (OwnerNeed.UPDATE_MISSING, facts.update_missing),
                           (OwnerNeed.PROPOSAL_PENDING, facts.proposal_pending)):
            assert (need in needs) == fact


@given(lifecycle=st.sampled_from(list(Lifecycle)), due_on=st.none() | DAYS, as_at=DAYS,
       window=st.integers(min_value=1, max_value=366))
def test_an_action_is_overdue_or_due_soon_or_neither(lifecycle, due_on, as_at, window):
    found = deadline(lifecycle, due_on, as_at, window)
    assert (found is Deadline.OVERDUE) == is_overdue(lifecycle, due_on, as_at)
    assert (found is Deadline.DUE_SOON) == (is_due_within(lifecycle, due_on, as_at, window)
                                            and not is_overdue(lifecycle, due_on, as_at))


def test_the_page_order_is_returned_update_proposal_then_the_deadline():
    facts = OwnerFacts(lifecycle=Lifecycle.IN_PROGRESS, due_on=date(2021, 12, 10), returned=True,
                       update_missing=True, proposal_pending=True)
    assert owner_needs(facts, date(2021, 12, 6), 30) == [
        OwnerNeed.RETURNED, OwnerNeed.UPDATE_MISSING, OwnerNeed.PROPOSAL_PENDING, OwnerNeed.DUE_SOON,
        OwnerNeed.EVIDENCE_BEFORE_DUE]
