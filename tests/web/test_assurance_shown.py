"""Assurance beside RAG wherever status is shown: the plan page (each action, and each recommendation as its least
assured action), the action page and the board report (each action's status cell, and the counts), with its
reason, changing as the record does: verified evidence raises it from Limited to Reasonable."""

import html
from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action
from actiontrack.plans.services import evidence, workflow
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.selectors import report_data
from tests.web.test_dashboard import text

pytestmark = pytest.mark.django_db


def test_the_plan_and_action_pages_say_it_with_its_reason(signed_in, board_member):
    page = html.unescape(text(signed_in(board_member).get(reverse("plan", args=["PIP-PR"])).content.decode()))
    assert "RAG status Assurance" in page
    assert "Limited assurance completed on the owner's word; evidence not yet verified" in page
    assert "Assurance: No assurance as its least assured action" in page  # recommendation 1: 1.1 still open
    shown = signed_in(board_member).get(reverse("action", args=["PIP-PR", "2.1"])).content.decode()
    action = html.unescape(text(shown))
    assert "Assurance Limited assurance completed on the owner's word" in action


def test_verifying_the_evidence_raises_it_and_the_report_says_so(demo, verifier, plan_manager):
    november_report, _ = load_demo_report()
    action = Action.objects.get(plan__reference="PIP-PR", ref="2.1")
    evidence.evidence_add_link(actor=Actor.of(plan_manager), action=action, title="Rota", today=date(2021, 11, 1),
                               url="https://intranet.example.org/rota")
    workflow.action_verify(actor=Actor.of(verifier), action=action, today=date(2021, 11, 2), comment="Seen.")
    data = report_data(november_report)
    [row] = [r for t in data.blocks("action_table") for r in t.rows if r.ref == "2.1"]
    assert (row.assurance, row.assurance_reason) == ("Reasonable assurance",
                                                     "evidence verified independently of the owner")
    counts = [p.text for p in data.blocks("paragraph") if p.text.startswith("Assurance that the actions worked")]
    assert counts == ["Assurance that the actions worked, from what the record holds: Reasonable assurance: 1; "
                      "Limited assurance: 6; No assurance: 3."]
