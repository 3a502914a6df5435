"""Restoring a plan from a JSON export takes in only what the forms would: evidence links checked by the same
check as the evidence form's, text normalised, and no one credited but the person restoring (an account
here with a username the file names may be someone else)."""

import json

import pytest

from actiontrack.core.models import JournalEvent
from actiontrack.interchange.exporting import export_json
from actiontrack.people.models import PostHolding
from actiontrack.plans.models import DateProposal, Evidence, Plan, PlanRole, ProgressUpdate

from .helpers import run_import, web_actor
from .test_export import busy_plan

pytestmark = pytest.mark.django_db


def exported(demo) -> dict:
    busy_plan(demo)
    return json.loads(export_json.render(demo.plan))


@pytest.mark.parametrize("link", ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
                                  "ftp://files.example.org/paper.pdf"])
def test_an_evidence_link_the_evidence_form_would_refuse_stops_the_restore_naming_it(demo, link):
    document = exported(demo)
    document["evidence"][0]["url"] = link
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    [error] = report.errors
    assert error.location.column == "evidence[0].url" and error.text == link[:80]
    assert error.message == (f"evidence link 1 in the file is refused: {link!r} is not a web address starting "
                             "http:// or https://.")
    assert not report.applied and not Plan.objects.filter(reference="PIP-COPY").exists()
    assert not Evidence.objects.filter(url=link).exists()


def test_a_plan_manager_restoring_is_the_only_person_credited_and_the_others_are_kept_as_recorded_names(
        demo, plan_manager, owner):
    document = exported(demo)
    assert {"cparker", "pmo"} <= {e["actor"] for e in document["journal"]}  # the file names local usernames
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", actor=web_actor(plan_manager),
                        apply=True)
    assert report.applied
    copy = Plan.objects.get(reference="PIP-COPY")
    credited = JournalEvent.objects.filter(plan=copy, actor__isnull=False)
    assert set(credited.values_list("actor__username", "field")) == {("pmo", "role_granted"), ("pmo", "imported")}
    restored_names = set(JournalEvent.objects.filter(plan=copy, actor__isnull=True).values_list("actor_name",
                                                                                                  flat=True))
    assert owner.get_full_name() in restored_names  # as the file's journal recorded them
    assert not ProgressUpdate.objects.filter(action__plan=copy, author__isnull=False).exists()
    # ... but the pages still say who wrote, proposed and added what, as the file recorded it.
    assert {u.author_shown for u in ProgressUpdate.objects.filter(action__plan=copy)} == {owner.get_full_name()}
    assert {p.proposed_by_shown for p in DateProposal.objects.filter(action__plan=copy)} == {owner.get_full_name()}
    assert all(e.added_by_shown for e in Evidence.objects.filter(action__plan=copy))
    assert not DateProposal.objects.filter(action__plan=copy).exclude(proposed_by=None, decided_by=None).exists()
    assert not Evidence.objects.filter(action__plan=copy, added_by__isnull=False).exists()
    assert list(PlanRole.objects.filter(plan=copy).values_list("user__username", "role")) == [("pmo", "manager")]
    imported = JournalEvent.objects.get(plan=copy, field="imported")
    assert imported.new["recorded_as"]["cparker"] == owner.get_full_name()
    assert any("none of them is linked to an account here" in note for note in report.notes)


def test_the_command_line_restore_links_no_post_holder_or_role_to_an_account_found_by_username(demo):
    document = exported(demo)
    for post in document["posts"]:
        post["name"], post["aliases"] = post["name"] + " (elsewhere)", []
    assert any(h["user"] for p in document["posts"] for h in p["holdings"]) and document["roles"]
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert report.applied
    copy = Plan.objects.get(reference="PIP-COPY")
    holdings = PostHolding.objects.filter(post__name__endswith="(elsewhere)")
    assert holdings.exists() and not holdings.filter(user__isnull=False).exists()
    assert not copy.roles.exists()
    assert any("roles on the plan in the file are not restored" in p.message for p in report.warnings)
    assert not JournalEvent.objects.filter(plan=copy, actor__isnull=False).exists()


def test_restored_text_is_normalised_as_the_forms_normalise_it(demo):
    document = exported(demo)
    document["recommendations"][0]["text"] = "Provide evidence\x0bof the review\x1b."
    document["plan"]["background"] = "Agreed\x0cin January\x00."
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert report.applied
    copy = Plan.objects.get(reference="PIP-COPY")
    assert copy.recommendations.order_by("position").first().text == "Provide evidence\nof the review."
    assert copy.background == "Agreed\nin January."


def test_names_longer_than_their_columns_are_refused_before_anything_is_stored(demo):
    """SQLite stores them regardless; PostgreSQL refused them with a server error."""
    original = exported(demo)
    document = json.loads(json.dumps(original))
    document["posts"][0]["name"] = "P" * 250
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert not report.applied and any("250 characters long; keep it to 200" in e.message for e in report.errors)
    document = json.loads(json.dumps(original))
    document["journal"][0]["actor_name"] = "A" * 250
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY2", apply=True)
    assert not report.applied and any("names its author in more than 200 characters" in e.message
                                      for e in report.errors)
    assert not Plan.objects.filter(reference__in=["PIP-COPY", "PIP-COPY2"]).exists()


def test_an_off_track_notice_with_a_status_no_notice_has_stops_the_restore_naming_it(demo):
    document = exported(demo)
    notice = document["off_track_notices"][0]
    notice["status"] = "lost in the post"
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    [error] = report.errors
    assert error.message.startswith(f"off-track notice {notice['id']} cannot be restored: ")
    assert "'lost in the post' is not a valid choice" in error.message
    assert not report.applied and not Plan.objects.filter(reference="PIP-COPY").exists()


def test_a_file_from_before_off_track_notices_restores_without_them_and_keeps_their_journal(demo):
    document = exported(demo)
    del document["off_track_notices"]
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert report.applied
    copy = Plan.objects.get(reference="PIP-COPY")
    [sent] = JournalEvent.objects.filter(plan=copy, field="off_track_notice", new__status="sent")
    assert sent.new["notice"] is None and sent.new["sent_to"] == "HMICFRS"  # what was sent is still recorded
