"""A tracker with two owner columns (an executive lead and an operational lead, as fire service directorate
plans keep them): the lead is the owner, the operational lead a supporting owner; both own the action. A
re-import that moves the supporting role is an owner change, previewed as it is applied."""

import pytest

from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref

from .fixtures import csv_bytes, xlsx_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db

HEADER = ["Ref", "Recommendation", "Action", "Executive lead", "Operational lead", "Target date"]


def tracker(*rows) -> bytes:
    return xlsx_bytes({"Prevention": [HEADER, *rows]})


ROWS = (
    ["P1", "Target home fire safety visits at those most at risk.", "Agree the risk model.",
     "Director of Prevention", "Station Manager Community Safety", "31/03/2023"],
    ["P1", "", "Train crews in the new referral route.", "Director of Prevention", "", "30/06/2023"],
)


def owners_of(plan, ref):
    action = action_by_ref(plan, ref)
    supporting = {p.name for p in action.supporting_posts.all()}
    return {p.name: p.name in supporting for p in action.owner_posts.all()}


def test_the_operational_lead_is_a_supporting_owner_beside_the_executive_lead(demo):
    preview = run_import(tracker(*ROWS), "prevention.xlsx", "PREV", create_posts=True)
    applied = run_import(tracker(*ROWS), "prevention.xlsx", "PREV", apply=True, create_posts=True)
    assert applied.applied and preview.changes == applied.changes
    plan = Plan.objects.get(reference="PREV")
    assert owners_of(plan, "P1.1") == {"Director of Prevention": False, "Station Manager Community Safety": True}
    assert owners_of(plan, "P1.2") == {"Director of Prevention": False}
    created = " ".join(str(c) for c in applied.changes)
    assert "owner Director of Prevention / Station Manager Community Safety (supporting)" in created


def test_moving_the_supporting_role_on_re_import_is_an_owner_change(demo):
    run_import(tracker(*ROWS), "prevention.xlsx", "PREV", apply=True, create_posts=True)
    moved = [list(ROWS[0]), list(ROWS[1])]
    moved[0][4] = ""
    moved[1][4] = "Station Manager Community Safety"
    preview = run_import(tracker(*moved), "prevention.xlsx", "PREV")
    applied = run_import(tracker(*moved), "prevention.xlsx", "PREV", apply=True)
    assert applied.applied and preview.changes == applied.changes
    plan = Plan.objects.get(reference="PREV")
    assert owners_of(plan, "P1.1") == {"Director of Prevention": False}
    assert owners_of(plan, "P1.2") == {"Director of Prevention": False, "Station Manager Community Safety": True}
    changed = " ".join(str(c) for c in applied.changes)
    assert ("owner Director of Prevention / Station Manager Community Safety (supporting) → Director of Prevention"
            in changed)


def test_a_supporting_owner_alone_leads(demo):
    content = csv_bytes([["Recommendation", "Action", "Supported by", "Due date"],
                         ["Improve the audit trail.", "Log every change.", "Head of ICT", "31/01/2023"]])
    applied = run_import(content, "audit.csv", "AUD", apply=True, create_posts=True)
    assert applied.applied
    assert owners_of(Plan.objects.get(reference="AUD"), "1.1") == {"Head of ICT": False}
