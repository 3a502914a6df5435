"""A new plan's kind of source is read from the title its document gives: an HMICFRS inspection's action plan is an
HMICFRS inspection, not "Other"; so are the Grenfell Tower Inquiry, a peer review and an audit. The plan manager can
still say otherwise, in the preview, on the command line, and later on the plan's details."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from actiontrack.interchange.importing.decisions import SOURCE_KIND
from actiontrack.interchange.importing.titles import source_kind_of
from actiontrack.plans.models import Plan

from .fixtures import docx_bytes
from .helpers import run_import
from .shapes.spec import FILES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("title", "kind"), [
    ("HMICFRS inspection 2023 – action plan", "hmicfrs"),
    ("Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services: Round 3 action plan", "hmicfrs"),
    ("His Majesty's Inspectorate of Constabulary and Fire and Rescue Services inspection report", "hmicfrs"),
    ("HMI inspection improvement plan 2022", "hmicfrs"),
    ("Grenfell Tower Inquiry Phase 1 Recommendations: Service Tracker", "grenfell"),
    ("LGA Fire Peer Challenge – recommendations", "peer_review"),
    ("Operational peer review improvement plan", "peer_review"),
    ("Internal Audit follow-up: agreed actions", "audit"),
    ("Manchester Arena Inquiry Recommendations Tracker", ""),
    ("Northshire FRS improvement plan", ""),
    ("The auditorium refurbishment", ""),
])
def test_the_kind_of_source_a_title_names(title, kind):
    assert source_kind_of(title) == kind


def test_a_new_plan_from_an_hmicfrs_tracker_is_an_hmicfrs_inspection_and_the_preview_says_so(demo):
    tracker = (FILES / "hmicfrs_afi_tracker.xlsx").read_bytes()
    report = run_import(tracker, "hmicfrs_afi_tracker.xlsx", "HMI-23", agreed_on=date(2023, 4, 1), apply=True,
                        today=date(2024, 6, 1),
                        create_posts=True)
    assert report.applied, report.errors
    assert (report.source_kind, report.source_kind_found) == ("hmicfrs", "hmicfrs")
    assert "source HMICFRS inspection" in report.changes[0].details
    assert Plan.objects.get(reference="HMI-23").source_kind == "hmicfrs"


def test_a_word_plan_titled_by_the_inspectorate_is_an_inspection_and_the_plan_manager_may_say_otherwise(demo):
    plan = docx_bytes([[["Area for improvement", "Action", "Owner", "Due date"],
                        ["AFI 1 Target prevention.", "Refresh the model.", "Head of Protection", "31/05/2027"]]],
                      title="Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services – action plan")
    assert run_import(plan, "plan.docx", "HMI-W").source_kind == "hmicfrs"
    report = run_import(plan, "plan.docx", "HMI-W", apply=True, mapping={SOURCE_KIND: "other"})
    assert report.applied and Plan.objects.get(reference="HMI-W").source_kind == "other"


def test_the_command_line_takes_the_kind_of_source(demo, tmp_path):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes((FILES / "hmicfrs_afi_tracker.xlsx").read_bytes())
    out = io.StringIO()
    call_command("import", str(path), "--plan", "HMI-CLI", "--create-posts", "--source", "peer_review", "--apply",
                 stdout=out)
    assert Plan.objects.get(reference="HMI-CLI").source_kind == "peer_review"
    assert "source Peer review" in out.getvalue()
