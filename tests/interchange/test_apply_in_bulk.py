"""New actions are added many at once (plans.services.actions_add): the import writes exactly what adding
them one at a time through action_create and the single changes writes - the same rows, owners, progress
updates, journal (event for event: field, old, new, effective date, reason, who) and report - on every plan
of the shapes corpus, on the source plan, and from the web into an existing plan whose rules refuse some of
what the file says."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from actiontrack.core.models import JournalEvent
from actiontrack.interchange.importing import apply as apply_module
from actiontrack.interchange.importing.decisions import AS_AT, DEFAULT_OWNER
from actiontrack.people.models import Post
from actiontrack.plans.models import Plan, ProgressUpdate

from .fixtures import source_plan_docx, xlsx_bytes
from .helpers import run_import, web_actor
from .shapes.build import FIXTURES
from .shapes.spec import FILES

pytestmark = pytest.mark.django_db
OWNER = {DEFAULT_OWNER: "Head of Protection"}  # for the plans with no owner column
LATER = date(2026, 6, 30)  # after every date the corpus gives
OWNERS_BY_EMAIL = {"police_peel_afi", "audit_followup_tracker", "sharepoint_list_export"}


def one_at_a_time(self, row, rec):
    """The importer as it was before actions_add: each new action through the single services."""
    posts, supporting = self._posts(row)
    if not posts:
        self.report.action_without_owner(row)
    else:
        self._create_one(row, rec, posts, supporting)


def written(reference: str) -> dict:
    """Everything the import wrote to the plan, with database ids replaced by what they name."""
    plan = Plan.objects.get(reference=reference)
    actions = {a.pk: a for a in plan.actions.select_related("recommendation__group")}
    key = {pk: (a.recommendation.group.name if a.recommendation.group else "", a.recommendation.ref, a.ref)
           for pk, a in actions.items()}
    recs = {r.pk: r.ref for r in plan.recommendations.all()}
    groups = dict(plan.groups.values_list("pk", "name"))
    posts = dict(Post.objects.values_list("pk", "name"))
    updates = {u.pk: u for u in ProgressUpdate.objects.filter(action__plan=plan)}

    def named(value):
        if isinstance(value, dict):
            return {k: (recs[v] if k == "recommendation" else key.get(v) if k == "action"
                        else groups.get(v) if k == "group"
                        else sorted(posts[p] for p in v) if k in ("owner_posts", "supporting_posts") else named(v))
                    for k, v in value.items()}
        return value

    def entity(event):
        if event.entity_type == "action":
            return ("action", key[event.entity_id])
        if event.entity_type == "update":
            return ("update", key[updates[event.entity_id].action_id], updates[event.entity_id].period_start)
        if event.entity_type == "plan":
            return ("plan",)  # its id differs between the two ways on PostgreSQL, whose sequences never roll back
        return (event.entity_type, recs[event.entity_id])

    events = {}
    for event in JournalEvent.objects.filter(plan=plan).order_by("id"):
        old = named({event.field: event.old})[event.field]
        new = named({event.field: event.new})[event.field] if event.field != "created" else named(event.new)
        events.setdefault(entity(event), []).append(
            (event.field, old, new, event.effective_on, event.reason, event.actor_id, event.actor_name, event.source))
    rows = {key[pk]: (a.number, a.slug, a.text, a.baseline_on, a.due_on, a.due_condition, a.revisions, a.lifecycle,
                      a.lifecycle_reason, a.completed_on, a.version, a.position,
                      sorted(p.name for p in a.owner_posts.all()), sorted(p.name for p in a.supporting_posts.all()))
            for pk, a in actions.items()}
    progress = sorted((key[u.action_id], u.period_start, u.text, u.author_id, u.version) for u in updates.values())
    return {"events": events, "rows": rows, "progress": progress}


def both_ways(monkeypatch, content: bytes, name: str, reference: str, **options):
    """(report, what was written) importing in bulk, then the same undone and imported one at a time."""
    results = []
    for bulk in (True, False):
        with monkeypatch.context() as patch:
            if not bulk:
                patch.setattr(apply_module._Importer, "_create", one_at_a_time)
            savepoint = transaction.savepoint()
            report = run_import(content, name, reference, apply=True, **options)
            results.append((report, written(reference) if report.applied else None))
            transaction.savepoint_rollback(savepoint)
    (bulk_report, bulk_written), (single_report, single_written) = results
    assert bulk_written == single_written
    assert (bulk_report.changes, bulk_report.problems, bulk_report.counts) == (
        single_report.changes, single_report.problems, single_report.counts)
    return bulk_report, bulk_written


@pytest.mark.parametrize("name", list(FIXTURES))
def test_each_plan_of_the_shapes_corpus_is_written_alike_in_bulk_and_one_at_a_time(demo, monkeypatch, name):
    path = next(FILES.glob(f"{name}.*[!n]"))  # the fixture, not its expected.json
    report, done = both_ways(monkeypatch, path.read_bytes(), path.name, "SHAPE", create_posts=True,
                             agreed_on=date(2017, 1, 1), today=LATER, mapping={AS_AT: LATER.isoformat(), **OWNER})
    if name in OWNERS_BY_EMAIL:  # refused until those people have accounts: the same report either way
        assert not report.applied and "is an e-mail address" in report.errors[0].message
    else:
        assert report.applied and report.counts["actions created"] == len(done["rows"]) > 0


def test_the_source_plan_with_its_revised_dates_is_written_alike(demo, monkeypatch):
    report, done = both_ways(monkeypatch, source_plan_docx(revised=True), "plan.docx", "SOURCE")
    assert any(row[6] for row in done["rows"].values())  # some revised dates, counted as revisions


def test_from_the_web_into_an_existing_plan_what_its_rules_refuse_is_refused_alike(demo, monkeypatch, plan_manager):
    """PIP-PR changes dates only by proposal, and completion is the owner's: a plan manager's import of new
    actions with revised dates, statuses and progress keeps to that whichever way it is written."""
    header = ["Ref", "Recommendation", "Action", "Owner", "Due date", "Revised date", "Status", "Progress"]
    rows = [["9.1", "A new recommendation.", "First new action.", "Head of Protection", "31/05/2022", "30/06/2022",
             "In progress", "Started in May."],
            ["9.2", "", "Second new action.", "Head of Prevention and Protection", "31/05/2022", "", "Complete", ""],
            ["9.3", "", "Third new action, paused.", "Head of Protection", "", "31/07/2022", "Paused", "On hold."],
            ["3.1", "", "This is included in the staff succession planning currently and will be picked up in the "
             "annual review of the Protection strategy.", "Head of Prevention and Protection", "31/03/2022", "",
             "Complete", ""]]
    report, done = both_ways(monkeypatch, xlsx_bytes({"Tracker": [header, *rows]}), "t.xlsx", "PIP-PR",
                             actor=web_actor(plan_manager))
    messages = " ".join(p.message for p in report.warnings)
    assert "action 9.1: due date left at 31/05/2022, not 30/06/2022" in messages
    assert "9.2 (Complete)" in messages and "3.1 (Complete)" in messages
    assert report.counts["actions created"] == 3


def test_from_the_web_a_new_plan_records_its_starting_state_alike(demo, monkeypatch, plan_manager):
    """A plan brought in whole records each action as it stood - completed, closed, revised - as the plan
    manager who brought it in; their progress text is refused alike (only an owner writes an update)."""
    header = ["Ref", "Recommendation", "Action", "Owner", "Due date", "Revised date", "Status", "Progress"]
    rows = [["1.1", "Recommendation one.", "Done already.", "Head of Protection", "31/05/2021", "30/09/2021",
             "Complete", "Finished in September."],
            ["1.2", "", "Closed already.", "Head of Prevention and Protection", "31/05/2021", "", "Closed", ""],
            ["2.1", "Recommendation two.", "Under way.", "Head of Protection", "31/12/2021", "31/03/2022",
             "In progress", "Half done."]]
    report, done = both_ways(monkeypatch, xlsx_bytes({"Tracker": [header, *rows]}), "t.xlsx", "WEB-NEW",
                             actor=web_actor(plan_manager), agreed_on=date(2021, 2, 1),
                             mapping={AS_AT: "2021-10-31"})
    assert report.applied
    assert {ref: (row[7], row[6]) for (_, _, ref), row in done["rows"].items()} == {
        "1.1": ("completed", 1), "1.2": ("closed", 0), "2.1": ("in_progress", 1)}
    reasons = [e[4] for key, events in done["events"].items() if key[0] == "action" and key[1][2] == "1.1"
               for e in events if e[0] == "lifecycle"]
    assert "Recorded as the plan stood when it was brought in" in reasons[0]
