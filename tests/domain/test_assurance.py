"""Assurance beside RAG: each level from what the record holds, with its reason; the first rule that holds decides;
a recommendation is as sure as its least sure action. No database."""

from datetime import date

from actiontrack.domain import external
from actiontrack.domain.assurance import (
    LIMITED,
    NO_ASSURANCE,
    NOT_ASSESSED,
    REASONABLE,
    SUBSTANTIAL,
    AssuranceFacts,
    assure,
    least,
)
from actiontrack.domain.lifecycle import Lifecycle

SUBMITTED = external.submitted("HMICFRS", "CoC-7", date(2022, 3, 1))
CLOSED_BY_HMI = external.decided(SUBMITTED, external.CLOSED, date(2022, 5, 12), letter="HMI/22/31")


def level(**facts):
    return assure(AssuranceFacts(**facts))


def test_each_level_from_what_the_record_holds_with_its_reason():
    assert level(lifecycle=Lifecycle.IN_PROGRESS).text == "No assurance: not yet complete"
    assert level(lifecycle=Lifecycle.COMPLETED).text == (
        "Limited assurance: completed on the owner's word; evidence not yet verified")
    assert level(lifecycle=Lifecycle.CLOSED, closed_without_evidence=True).level == LIMITED
    assert level(lifecycle=Lifecycle.CLOSED).text == (
        "Reasonable assurance: evidence verified independently of the owner")
    closed = level(lifecycle=Lifecycle.CLOSED, external=CLOSED_BY_HMI)
    assert closed.level == SUBSTANTIAL and closed.reason == "Closed by HMICFRS on 12/05/2022 (letter HMI/22/31)"
    assert level(lifecycle=Lifecycle.CLOSED, measure_held=True).level == SUBSTANTIAL
    assert level(lifecycle=Lifecycle.CANCELLED).level == NOT_ASSESSED


def test_waiting_for_or_refused_by_the_body_or_reopened_is_not_substantial():
    assert level(lifecycle=Lifecycle.CLOSED, external=SUBMITTED).level == REASONABLE
    refused = external.decided(SUBMITTED, external.REFUSED, date(2022, 5, 12), reasons="Not embedded.")
    assert level(lifecycle=Lifecycle.IN_PROGRESS, external=refused).level == NO_ASSURANCE
    assert level(lifecycle=Lifecycle.IN_PROGRESS, external=CLOSED_BY_HMI).level == NO_ASSURANCE  # reopened since
    assert level(lifecycle=Lifecycle.IN_PROGRESS, measure_held=True).level == NO_ASSURANCE


def test_a_recommendation_is_as_sure_as_its_least_sure_assessed_action():
    actions = [level(lifecycle=Lifecycle.CLOSED), level(lifecycle=Lifecycle.COMPLETED),
               level(lifecycle=Lifecycle.CANCELLED)]
    assert least(actions).level == LIMITED
    assert least([level(lifecycle=Lifecycle.CANCELLED)]) is None
