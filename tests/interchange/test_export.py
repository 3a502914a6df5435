"""Exports, opened and read back: the Excel tracker's fills, date formats, frozen header, filters and RAG
key; the CSV's byte-order mark and neutralised formulas; and the round trips (Excel export -> import; JSON
export -> import into an empty installation, compared field by field, journal included)."""

import csv
import io
import json
import threading
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import connection, connections
from openpyxl import load_workbook

from actiontrack.core.models import JournalEvent
from actiontrack.interchange.exporting import export_csv, export_json, export_xlsx
from actiontrack.interchange.exporting.export_xlsx import FILLS
from actiontrack.interchange.exporting.tracker import headers
from actiontrack.people.models import PostHolding
from actiontrack.plans import services
from actiontrack.plans.models import OffTrackNotice, Plan
from actiontrack.plans.selectors import action_by_ref, plan_as_at
from actiontrack.plans.services import off_track, workflow
from actiontrack.plans.services.comments import comment_add
from actiontrack.plans.services.evidence import evidence_add_link

from ..builders import AGREED, DUE, SET_UP, a_grouped_plan, a_post, an_action
from .helpers import TODAY, run_import, web_actor

pytestmark = pytest.mark.django_db
BOARD = date(2021, 11, 30)


def workbook(plan, as_at):
    return load_workbook(io.BytesIO(export_xlsx.render(plan, as_at)))


def test_the_excel_tracker_has_one_row_per_action_with_real_dates_fills_a_frozen_filtered_header(demo):
    book = workbook(demo.plan, BOARD)
    assert book.sheetnames == ["Actions", "RAG key", "About"]
    assert book.properties.title == "Protection Improvement Plan – Peer Review"
    sheet = book["Actions"]
    assert [c.value for c in sheet[1]] == headers(BOARD)
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == "A1:W11"
    column = {c.value: c.column for c in sheet[1]}
    rows = {sheet.cell(row=r, column=3).value: r for r in range(2, sheet.max_row + 1)}
    assert list(rows) == ["1.1", "2.1", "2.2", "3.1", "4.1", "5.1", "6.1", "6.2", "7.1", "8.1"]
    due = sheet.cell(row=rows["1.1"], column=column["Due date"])
    assert due.value == datetime(2021, 12, 31) and due.number_format == "dd/mm/yyyy" and due.is_date
    assert sheet.cell(row=rows["1.1"], column=column["Due date condition"]).value == "On Approval"
    assert sheet.cell(row=rows["1.1"], column=column["Baseline date"]).value == datetime(2021, 5, 31)
    rag = column["RAG status as at 30/11/2021"]
    for ref, text, colour in (("1.1", "Amber – On track but to be completed", "amber"),
                              ("2.1", "Green – Complete", "green")):
        cell = sheet.cell(row=rows[ref], column=rag)
        assert cell.value == text
        assert (cell.fill.fgColor.rgb[-6:], cell.font.color.rgb[-6:]) == FILLS[colour]
    assert sheet.cell(row=rows["2.1"], column=column["Status"]).value == "Completed – awaiting verification"
    assert sheet.cell(row=rows["2.1"], column=column["Completed on"]).value == datetime(2021, 7, 30)


def test_the_rag_key_sheet_lists_each_status_with_its_colour_and_count(demo):
    key = workbook(demo.plan, BOARD)["RAG key"]
    found = [(r[0].value, r[2].value, r[0].fill.fgColor.rgb[-6:]) for r in key.iter_rows(min_row=2, max_row=4)]
    assert found == [("Red – Overdue", 0, FILLS["red"][0]),
                     ("Amber – On track but to be completed", 3, FILLS["amber"][0]),
                     ("Green – Complete", 7, FILLS["green"][0])]
    assert "never typed in" in key.cell(row=7, column=1).value


def test_as_at_the_day_the_plan_was_agreed_the_tracker_shows_the_agreed_plan(demo):
    sheet = workbook(demo.plan, date(2021, 2, 1))["Actions"]
    column = {c.value: c.column for c in sheet[1]}
    values = [sheet.cell(row=r, column=column["RAG status as at 01/02/2021"]).value for r in range(2, 12)]
    assert values == ["Amber – On track but to be completed"] * 10
    assert sheet.cell(row=2, column=column["Due date"]).value == datetime(2021, 5, 31)
    assert sheet.cell(row=2, column=column["Post holder as at 01/02/2021"]).value == "AM Palmer / —"


def test_text_that_looks_like_a_formula_stays_text_in_excel_and_is_neutralised_in_csv(demo):
    action = action_by_ref(demo.plan, "3.1")
    services.action_change_text(actor=web_actor(demo.plan.roles.get(role="manager").user), action=action,
                                text='=HYPERLINK("http://evil.example","click")', reason="test", effective_on=TODAY)
    sheet = workbook(demo.plan, TODAY)["Actions"]
    cell = sheet.cell(row=5, column=6)
    assert cell.value == '=HYPERLINK("http://evil.example","click")' and cell.data_type == "s"
    text = export_csv.render(demo.plan, TODAY).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[4]
    assert row[5] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+44 1234", "'+44 1234"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("Safe = fine", "Safe = fine"), ("", ""),
])
def test_csv_cells_starting_with_a_formula_character_are_neutralised(value, expected):
    assert export_csv.neutralise(value) == expected


def test_the_csv_has_the_same_columns_a_byte_order_mark_and_uk_dates(demo):
    content = export_csv.render(demo.plan, BOARD)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == headers(BOARD) and len(rows) == 11
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Action ref"], first["Due date"], first["Baseline date"], first["Due date condition"]) == (
        "1.1", "31/12/2021", "31/05/2021", "On Approval")
    assert first["RAG status as at 30/11/2021"] == "Amber – On track but to be completed"
    assert first["Owner"] == "Head of Prevention and Protection / Corporate Communications"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_tracker_imported_as_a_new_plan_gives_the_same_actions(demo, fmt):
    render = {"xlsx": export_xlsx, "csv": export_csv}[fmt].render
    report = run_import(render(demo.plan, BOARD), f"tracker.{fmt}", "PIP-COPY", apply=True,
                        agreed_on=demo.plan.agreed_on)
    assert report.applied, report.problems
    # The copy's revisions and statuses take effect on the day of the import: compare the two after it.
    original, copy = plan_as_at(demo.plan, TODAY), plan_as_at(Plan.objects.get(reference="PIP-COPY"), TODAY)
    assert [(r.ref, r.group, r.kind, r.text) for r in copy.recommendations] == [
        (r.ref, r.group, r.kind, r.text) for r in original.recommendations]

    def facts(view):
        return [(a.ref, a.text, [o.post for o in a.owners], a.baseline_on, a.due_on, a.due_condition, a.lifecycle,
                 a.completed_on, a.rating.label) for a in view.actions]
    assert facts(copy) == facts(original)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_grouped_plan_numbered_as_its_source_comes_back_with_its_references_groups_and_owners(db, fmt):
    """Two themes that both restart at R1, "AFI 3", "33.22c", an action's own reference (E1b) and a supporting
    owner: exported and imported as a new plan, each keeps its place and name."""
    plan = a_grouped_plan()
    action = an_action(plan, "E1b")
    services.action_change_owners(actor=SET_UP, action=action, owner_posts=list(action.owner_posts.all()),
                                  supporting_posts=[a_post("Station Manager Community Safety")],
                                  reason="Operational lead named.", effective_on=AGREED)
    render = {"xlsx": export_xlsx, "csv": export_csv}[fmt].render
    report = run_import(render(plan, TODAY), f"grouped.{fmt}", "HMI-COPY", apply=True, agreed_on=plan.agreed_on)
    assert report.applied, report.problems
    original, copy = plan_as_at(plan, TODAY), plan_as_at(Plan.objects.get(reference="HMI-COPY"), TODAY)
    assert [(r.ref, r.group, r.kind, r.text) for r in copy.recommendations] == [
        (r.ref, r.group, r.kind, r.text) for r in original.recommendations if r.actions]  # a row per action
    assert [(r.group, r.ref) for r in copy.recommendations] == [
        ("", "AFI 3"), ("", "33.22c"), ("Prevention", "R1"), ("Protection", "R1")]

    def facts(view):
        return [(a.rec_ref, a.group, a.ref, a.text, [(o.post, o.supporting) for o in a.owners], a.due_on)
                for a in view.actions]
    assert facts(copy) == facts(original)
    assert ("R1", "Prevention", "E1b", "Do it.",
            [("Head of Delivery", False), ("Station Manager Community Safety", True)], DUE) in facts(copy)


def test_a_grouped_plans_json_export_previews_cleanly_then_restores_its_groups(db):
    """The preview checks every row without writing: a recommendation's group is a placeholder there."""
    plan = a_grouped_plan()
    document = export_json.render(plan)
    preview = run_import(document, "grouped.json", "HMI-COPY", agreed_on=plan.agreed_on)
    assert not preview.errors, preview.problems
    report = run_import(document, "grouped.json", "HMI-COPY", apply=True, agreed_on=plan.agreed_on)
    assert report.applied, report.problems
    copy = Plan.objects.get(reference="HMI-COPY")
    assert sorted(copy.groups.values_list("name", flat=True)) == sorted(plan.groups.values_list("name", flat=True))
    assert [(r.group, r.ref) for r in plan_as_at(copy, TODAY).recommendations] == [
        (r.group, r.ref) for r in plan_as_at(plan, TODAY).recommendations]


def test_an_exported_tracker_imported_into_its_own_plan_changes_nothing(demo):
    for name, fmt in (("tracker.xlsx", export_xlsx), ("tracker.csv", export_csv)):
        report = run_import(fmt.render(demo.plan, TODAY), name, "PIP-PR")
        assert report.summary == "10 actions unchanged" and not report.problems


def natural(document: dict) -> dict:
    """The export with its database ids replaced by what they identify, so two installations compare."""
    posts = {p["id"]: p["name"] for p in document["posts"]}
    recs = {r["id"]: r["ref"] for r in document["recommendations"]}
    actions = {a["id"]: a["ref"] for a in document["actions"]}
    updates = {u["id"]: (actions[u["action"]], u["period_start"]) for u in document["updates"]}
    proposals = {p["id"]: (actions[p["action"]], p["proposed_at"]) for p in document["proposals"]}
    evidence = {e["id"]: (actions[e["action"]], e["sha256"] or e["url"]) for e in document["evidence"]}
    measures = {m["id"]: m["name"] for m in document["measures"]}
    notices = {n["id"]: (actions[n["action"]], n["due_on"]) for n in document["off_track_notices"]}
    entity = {"plan": {document["plan"]["id"]: document["plan"]["reference"]}, "recommendation": recs,
              "action": actions, "post": posts, "update": updates, "proposal": proposals, "evidence": evidence,
              "measure": measures}

    def value(kind, field, v):
        if v is None:
            return None
        if kind == "action" and field == "created":
            return {**v, "recommendation": recs[v["recommendation"]],
                    "owner_posts": sorted(posts[p] for p in v["owner_posts"])}
        if kind == "action" and field == "owner_posts":
            return sorted(posts[p] for p in v)
        if kind == "measure" and field == "created":
            return {**v, "recommendation": recs[v["recommendation"]], "action": actions.get(v["action"])}
        if kind == "plan" and field == "off_track_notice":
            return {**v, "notice": notices[v["notice"]]}
        if isinstance(v, dict) and "action" in v:
            return {**v, "action": actions[v["action"]]}
        return v

    def events(items):
        return [(e["entity_type"], entity[e["entity_type"]][e["entity_id"]], e["field"],
                 value(e["entity_type"], e["field"], e["old"]), value(e["entity_type"], e["field"], e["new"]),
                 e["reason"], e["effective_on"], e["actor_name"], e["source"], e["recorded_at"]) for e in items]

    def rows(items, *drop):
        return [{k: v for k, v in item.items() if k not in ("id", *drop)} for item in items]

    return {
        "plan": {k: v for k, v in document["plan"].items() if k != "id"},
        "posts": sorted((p["name"], p["aliases"], p["description"],
                         [(h["holder_name"], h["starts_on"], h["ends_on"]) for h in p["holdings"]])
                        for p in document["posts"]),
        "recommendations": rows(document["recommendations"]),
        "actions": [{**a, "recommendation": recs[a["recommendation"]],
                     "owner_posts": sorted(posts[p] for p in a["owner_posts"])} for a in rows(document["actions"])],
        "updates": [{**u, "action": actions[u["action"]]} for u in rows(document["updates"], "author")],
        "proposals": [{**p, "action": actions[p["action"]]}
                      for p in rows(document["proposals"], "proposed_by", "decided_by")],
        "evidence": [{**e, "action": actions[e["action"]]} for e in rows(document["evidence"], "added_by")],
        "period_locks": rows(document["period_locks"], "locked_by"),
        "measures": [{**m, "recommendation": recs[m["recommendation"]], "action": actions.get(m["action"])}
                     for m in rows(document["measures"])],
        "off_track_notices": [{**n, "action": actions[n["action"]]} for n in rows(document["off_track_notices"])],
        "journal": events(document["journal"]),
        "post_journal": events(document["post_journal"]),
    }


def busy_plan(demo):
    """The demo plan with a month of owners' work on top: updates, a proposal decided, evidence, a lock."""
    from actiontrack.core.journal import Actor
    from actiontrack.plans.services.evidence import evidence_add_link

    owner = web_actor(PostHolding.objects.get(holder_name="AM Chris Parker").user)
    manager = Actor.of(demo.plan.roles.get(role="manager").user)
    action = action_by_ref(demo.plan, "5.1")
    workflow.update_save(actor=owner, action=action, text="Consultation open", today=TODAY)
    evidence_add_link(actor=owner, action=action, url="https://intranet.example.org/consultation", title="Paper",
                      today=TODAY)
    proposal = workflow.date_propose(actor=owner, action=action, due_on=date(2022, 3, 31), due_condition="",
                                     reason="Consultation runs to March", today=TODAY)
    workflow.date_decide(actor=manager, proposal=proposal, accept=True, comment="Agreed", today=TODAY)
    workflow.period_lock(
        confirmed_current=True, actor=manager, plan=demo.plan, period_start=date(2021, 11, 1), today=TODAY)
    off_track.off_track_drafts(today=TODAY)  # 5.1 is due later than first agreed
    drafted = list(OffTrackNotice.objects.filter(action__plan=demo.plan).order_by("pk"))
    worded = drafted[0].text.replace(off_track.TO_COMPLETE, "Recovery: by March.")
    off_track.off_track_sent(actor=manager, notice=drafted[0], text=worded, sent_to="HMICFRS", sent_on=TODAY,
                             today=TODAY)
    if len(drafted) > 1:
        off_track.off_track_not_needed(actor=manager, notice=drafted[1], note="Agreed at the meeting", today=TODAY)


def test_the_json_export_imported_into_an_empty_installation_recreates_the_plan_exactly(demo, tmp_path):
    busy_plan(demo)
    path = tmp_path / "pip.json"
    call_command("export", "PIP-PR", fmt="json", output=str(path), stdout=io.StringIO())
    original = json.loads(path.read_text())
    _empty_installation()
    assert Plan.objects.count() == 0 and JournalEvent.objects.count() == 0

    call_command("import", str(path), plan="PIP-PR", apply=True, stdout=io.StringIO())
    plan = Plan.objects.get(reference="PIP-PR")
    restored = export_json.document(plan)
    imported = restored["journal"].pop()  # the one event the restore adds of its own
    assert (imported["field"], imported["source"], imported["actor_name"]) == ("imported", "import",
                                                                                "Import of pip.json")
    assert "Imported from JSON export pip.json" in imported["reason"]
    assert natural(restored) == natural(original)
    assert len(original["journal"]) > 40 and original["updates"] and original["proposals"] and original["evidence"]
    assert {n["status"] for n in original["off_track_notices"]} >= {"sent"}
    board = plan_as_at(plan, BOARD)
    assert {band.label: count for band, count in board.counts} == {"Red": 0, "Amber": 3, "Green": 7}


def _empty_installation():
    """Remove everything, as if this were a new installation (the journal refuses deletes through the ORM)."""
    from django.db import connection

    tables = ["plans_journalevent", "plans_notification", "plans_escalation", "plans_offtracknotice",
              "plans_measurevalue", "plans_measure", "plans_comment_mentions",
              "plans_comment", "plans_evidence", "plans_dateproposal", "plans_progressupdate",
              "plans_periodlock", "plans_action_owner_posts", "plans_action_supporting_posts", "plans_action",
              "plans_recommendation", "plans_group",
              "people_planrole", "people_postholding", "plans_plan", "people_post"]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        cursor.execute("DELETE FROM auth_user")


def test_the_json_export_imported_into_its_own_plan_changes_nothing(demo):
    report = run_import(export_json.render(demo.plan), "pip.json", "PIP-PR")
    assert not report.restore and report.summary == "10 actions unchanged"


def test_a_plan_manager_restoring_from_the_web_manages_the_copy_and_grants_no_roles(demo, plan_manager):
    report = run_import(export_json.render(demo.plan), "pip.json", "PIP-COPY", actor=web_actor(plan_manager),
                        apply=True)
    assert report.applied and report.restore
    copy = Plan.objects.get(reference="PIP-COPY")
    assert list(copy.roles.values_list("user__username", "role")) == [("pmo", "manager")]
    assert any("roles on the plan in the file are not restored" in p.message for p in report.warnings)
    granted = JournalEvent.objects.get(plan=copy, field="role_granted", actor=plan_manager)
    assert granted.source == "import" and granted.new == {"user": "pmo", "role": "manager"}


def test_restoring_posts_that_do_not_exist_needs_an_administrator(demo, plan_manager):
    document = json.loads(export_json.render(demo.plan))
    for post in document["posts"]:
        post["name"], post["aliases"] = post["name"] + " (elsewhere)", []
    content = json.dumps(document).encode()
    refused = run_import(content, "pip.json", "PIP-COPY", actor=web_actor(plan_manager), apply=True)
    assert not refused.applied and "Only an administrator can create posts" in refused.errors[0].message
    assert run_import(content, "pip.json", "PIP-COPY", apply=True).applied  # the command line may


def test_a_json_export_edited_so_its_journal_no_longer_matches_is_refused(demo):
    document = json.loads(export_json.render(demo.plan))
    document["actions"][0]["due_on"] = "2030-01-01"
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=True)
    assert not report.applied and "the file may have been edited" in report.errors[0].message
    assert not Plan.objects.filter(reference="PIP-COPY").exists()


@pytest.mark.parametrize("records", ["updates", "proposals", "evidence", "comments"])
def test_a_json_export_holding_a_record_its_journal_does_not_is_refused(demo, owner, records):
    """The action page lists an action's updates, proposals, evidence and comments only when its journal has one
    of that kind, as the services always write: a file with one its journal lacks was edited, and restoring it
    would hide that record."""
    action, today = action_by_ref(demo.plan, "1.1"), date(2021, 12, 1)
    actor = web_actor(owner)
    if records == "proposals":
        workflow.date_propose(actor=actor, action=action, due_on=date(2022, 3, 31), due_condition="",
                              reason="SLT meets in February", today=today)
    elif records == "evidence":
        evidence_add_link(actor=actor, action=action, url="https://intranet.example.org/comms-plan",
                          title="Communications plan", today=today)
    elif records == "comments":
        comment_add(actor=actor, action=action, text="Waiting for sign-off", today=today)
    document = json.loads(export_json.render(demo.plan))
    assert run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY").errors == []  # as exported: restorable
    record = document[records][-1]
    ref = next(data["ref"] for data in document["actions"] if data["id"] == record["action"])
    kind = {"updates": "update", "proposals": "proposal", "evidence": "evidence", "comments": "comment"}[records]
    document["journal"] = [event for event in document["journal"]
                           if (event["entity_type"], event["entity_id"]) != (kind, record["id"])]
    for apply in (False, True):
        report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY", apply=apply)
        assert not report.applied
        assert "is not in the file's journal; the file may have been edited" in report.errors[0].message
        assert f"{kind.replace('update', 'progress update')} {record['id']} of action {ref}" \
            in report.errors[0].message
    assert not Plan.objects.filter(reference="PIP-COPY").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: the PostgreSQL run")
@pytest.mark.django_db(transaction=True)  # committed, as a download's reads and an owner's write are
def test_a_comment_saved_while_a_plan_is_exported_is_in_both_its_records_and_its_journal_or_in_neither(
        demo, owner, monkeypatch):
    """The export reads the journal, then the records; an owner saving a comment in between (on another
    connection, as another request would) must not give a file whose records and journal disagree."""
    action = action_by_ref(demo.plan, "1.1")
    between = export_json._post_ids

    def comment_meanwhile(plan, journal):
        def write():
            try:
                comment_add(actor=web_actor(owner), action=action, text="Saved during the export", today=TODAY)
            finally:
                connections.close_all()  # this thread's own connection
        thread = threading.Thread(target=write)
        thread.start()
        thread.join()
        return between(plan, journal)

    monkeypatch.setattr(export_json, "_post_ids", comment_meanwhile)
    document = json.loads(export_json.render(demo.plan))
    monkeypatch.undo()
    assert "Saved during the export" not in json.dumps(document)  # as the plan stood when the export began
    assert run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY").errors == []
    assert "Saved during the export" in json.dumps(json.loads(export_json.render(demo.plan)))  # it was saved


def test_a_json_file_that_is_not_an_actiontrack_export_is_refused(db):
    report = run_import(b'{"plans": []}', "other.json", "X")
    assert "is not an actiontrack plan export" in report.errors[0].message
    report = run_import(b'{"format": "actiontrack-plan", "version": 1, "plan": {}}', "bad.json", "X")
    assert "plan.id is missing" in report.errors[0].message and report.errors[0].location.column == "plan.id"


def test_a_json_export_from_before_the_reminder_window_restores_with_the_default(demo):
    Plan.objects.filter(pk=demo.plan.pk).update(reminder_window_days=5)
    document = json.loads(export_json.render(Plan.objects.get(pk=demo.plan.pk)))
    assert document["plan"]["reminder_window_days"] == 5
    del document["plan"]["reminder_window_days"]
    report = run_import(json.dumps(document).encode(), "old.json", "PIP-COPY", apply=True)
    assert report.applied and Plan.objects.get(reference="PIP-COPY").reminder_window_days == 14
