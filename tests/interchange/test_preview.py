"""The import preview writes nothing, so other people save while a large tracker is previewed; and a preview
is worked out once for what it depends on (the file, the mapping, the plan as it stands), not on every reload."""

import io
import re
from datetime import date

import pytest
from django.db import DatabaseError, connection, connections
from django.test.utils import CaptureQueriesContext

from actiontrack.core.choices import ChangeSource
from actiontrack.core.journal import Actor
from actiontrack.core.models import JournalEvent
from actiontrack.interchange import jobs
from actiontrack.interchange.importing.service import import_apply
from actiontrack.interchange.registry import parse_file
from actiontrack.plans import services
from actiontrack.plans.models import Plan

from .fixtures import csv_bytes
from .helpers import TODAY, run_import, web_actor
from .test_pages import start

HEADER = ["Ref", "Recommendation", "Action", "Owner", "Target date", "Revised date", "Status", "Commentary"]
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|SAVEPOINT)\b|\bFOR UPDATE\b", re.I)


def tracker(rows: int, text: str = "Deliver item") -> bytes:
    return csv_bytes([HEADER, *[[f"{n // 10 + 1}.{n % 10 + 1}", f"Recommendation {n // 10 + 1}." if n % 10 == 0
                                 else "", f"{text} {n + 1}.", "Head of Protection", "31/05/2022",
                                 "30/06/2022" if n % 5 == 0 else "", "In progress", f"Work on item {n + 1}."]
                                for n in range(rows)]])


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["PIP-PR", "NEW-PLAN"])
def test_a_preview_sends_no_write_to_the_database(demo, plan_manager, plan):
    with CaptureQueriesContext(connection) as queries:
        report = run_import(tracker(30), "big.csv", plan, actor=web_actor(plan_manager))
    assert report.counts["actions created"] + report.counts["actions updated"] >= 20
    assert [q["sql"] for q in queries.captured_queries if WRITES.search(q["sql"])] == []
    assert len(queries.captured_queries) < 40  # the plan read once, not row by row


class SavesMidway:
    """Parsed rows that, half-way through being previewed, have another connection save a change to the plan
    being previewed, as someone else's edit would: the result says whether it was saved."""

    def __init__(self, rows, reference: str):
        self.rows, self.reference, self.result = rows, reference, "not tried"

    def __len__(self):
        return len(self.rows)

    def __iter__(self):
        for n, row in enumerate(self.rows):
            if n == len(self.rows) // 2:
                self.result = self.save_elsewhere()
            yield row

    def save_elsewhere(self) -> str:
        other = connections.create_connection("default")
        try:
            other.ensure_connection()
            with other.cursor() as cursor:
                if other.vendor == "sqlite":
                    cursor.execute("PRAGMA busy_timeout = 2000")
                else:
                    cursor.execute("SET lock_timeout = '2s'")
            other.set_autocommit(False)
            with other.cursor() as cursor:
                cursor.execute("UPDATE plans_plan SET board = %s WHERE reference = %s",
                               ["Performance and Resources Board", self.reference])
            other.commit()
            return "saved"
        except DatabaseError as exc:
            return f"refused: {exc}"
        finally:
            other.close()


@pytest.mark.django_db(transaction=True)
def test_while_a_large_preview_is_worked_out_someone_else_can_save_to_the_same_plan():
    system = Actor.system("Import of big.csv", ChangeSource.IMPORT)
    assert run_import(tracker(60), "big.csv", "BIG", create_posts=True, apply=True, today=TODAY,
                      agreed_on=date(2021, 1, 4)).applied
    parsed = parse_file(io.BytesIO(tracker(60, text="Deliver the revised item")), "big.csv")
    parsed.rows = SavesMidway(parsed.rows, "BIG")
    report = import_apply(actor=system, plan_ref="BIG", parsed=parsed, apply=False, filename="big.csv", today=TODAY)
    assert parsed.rows.result == "saved"
    assert report.counts["actions updated"] == 60 and not report.errors
    assert Plan.objects.get(reference="BIG").board == "Performance and Resources Board"


@pytest.mark.django_db
def test_the_preview_foresees_what_applying_does(demo, plan_manager):
    content = tracker(30)
    preview = run_import(content, "big.csv", "PIP-PR", actor=web_actor(plan_manager))
    applied = run_import(content, "big.csv", "PIP-PR", actor=web_actor(plan_manager), apply=True)
    assert applied.applied and preview.summary == applied.summary
    assert [str(p) for p in preview.problems] == [str(p) for p in applied.problems]
    assert preview.changes == applied.changes


@pytest.fixture
def counted(monkeypatch):
    """How many times the preview page works a preview out (the real work, counted as it passes)."""
    calls = []
    real = jobs.run_import

    def run(**kwargs):
        calls.append(kwargs["apply"])
        return real(**kwargs)

    monkeypatch.setattr(jobs, "run_import", run)
    return calls


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_reloading_the_preview_shows_the_preview_already_worked_out(signed_in, plan_manager, counted):
    client = signed_in(plan_manager)
    preview = start(client, tracker(30), "big.csv")
    first, again = client.get(preview), client.get(preview)
    assert first.status_code == again.status_code == 200
    assert counted == [False]
    assert "Action 1.1" in again.text and first.text.count("Deliver item") == again.text.count("Deliver item")


@pytest.mark.django_db
def test_the_preview_is_worked_out_again_when_the_plan_or_the_mapping_changes(signed_in, plan_manager, demo,
                                                                             counted):
    client = signed_in(plan_manager)
    preview = start(client, tracker(3), "big.csv")
    client.get(preview)
    plan = Plan.objects.get(reference="PIP-PR")
    services.plan_update(actor=Actor.of(plan_manager), plan=plan, changes={"board": "Another board"},
                         effective_on=TODAY, reason="Renamed", expected_version=plan.details_version)
    client.get(preview)
    assert counted == [False, False]
    response = client.post(preview, {"action": "preview", "column-0": "ref", "column-1": "recommendation",
                                     "column-2": "action", "column-3": "owner", "column-4": "due", "column-5": "",
                                     "column-6": "status", "column-7": ""})
    assert response.status_code == 302
    page = client.get(preview)
    assert counted == [False, False, False] and "your choice" in page.text
    assert JournalEvent.objects.filter(plan=plan, source="import").count() == 0  # nothing written by any of it


@pytest.mark.django_db
def test_a_restore_preview_checks_everything_in_memory_and_foresees_the_restore(demo, plan_manager):
    from actiontrack.interchange.exporting import export_json

    from .test_export import busy_plan

    busy_plan(demo)
    content = export_json.render(demo.plan)
    with CaptureQueriesContext(connection) as queries:
        preview = run_import(content, "pip.json", "PIP-COPY", actor=web_actor(plan_manager))
    assert preview.restore and not preview.errors and not Plan.objects.filter(reference="PIP-COPY").exists()
    assert [q["sql"] for q in queries.captured_queries if WRITES.search(q["sql"])] == []
    applied = run_import(content, "pip.json", "PIP-COPY", actor=web_actor(plan_manager), apply=True)
    assert applied.applied
    assert (preview.summary, preview.changes, preview.notes) == (applied.summary, applied.changes, applied.notes)
    assert [str(p) for p in preview.problems] == [str(p) for p in applied.problems]


@pytest.mark.django_db
def test_a_restore_preview_finds_a_journal_edited_by_hand(demo):
    import json

    from actiontrack.interchange.exporting import export_json

    document = json.loads(export_json.render(demo.plan))
    document["actions"][0]["due_on"] = "2030-01-01"
    report = run_import(json.dumps(document).encode(), "pip.json", "PIP-COPY")
    assert "the file may have been edited" in report.errors[0].message


def edited_export(demo) -> bytes:
    """The demo plan's CSV export with a month of edits, of every kind an import makes or is refused."""
    import csv

    from actiontrack.interchange.exporting import export_csv

    rows = list(csv.reader(io.StringIO(export_csv.render(demo.plan, TODAY).decode("utf-8-sig"))))
    column = {name.split(" as at ")[0]: n for n, name in enumerate(rows[0])}
    edits = [("Action", "Reworded action."), ("Due date", "31/03/2023"), ("Status", "Complete"),
             ("Status", "Paused"), ("Status reason", "Waiting for the budget."),
             ("Latest progress update", "Work is under way."), ("Evidence", "https://intranet.example.org/paper"),
             ("Evidence", "javascript:alert(1)"), ("Owner", "Head of Protection"), ("Status", "Closed")]
    for n, (name, value) in enumerate(edits, start=1):
        rows[n % (len(rows) - 1) + 1][column[name]] = value
    rows.append(["9.1", "", "A new recommendation.", "A new action.", "Head of Protection", "", "31/05/2022",
                 "31/07/2022", "", "", "Complete", "", "01/12/2021", "", "", "Started.", "", ""])
    return csv_bytes(rows)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "reference"), [("plan manager", "PIP-PR"), ("command line", "PIP-PR"),
                                                ("plan manager", "NEW-PLAN"), ("command line", "NEW-PLAN")])
def test_the_preview_says_what_applying_does_whoever_imports_into_whichever_plan(demo, plan_manager, who,
                                                                                 reference):
    content = edited_export(demo)
    actor = web_actor(plan_manager) if who == "plan manager" else None
    preview = run_import(content, "edited.csv", reference, actor=actor, create_posts=True)
    applied = run_import(content, "edited.csv", reference, actor=actor, create_posts=True, apply=True)
    assert (preview.summary, preview.notes, preview.untouched) == (applied.summary, applied.notes, applied.untouched)
    assert [str(p) for p in preview.problems] == [str(p) for p in applied.problems]
    assert preview.changes == applied.changes
    assert applied.applied == (not applied.errors)


@pytest.mark.django_db
def test_a_kept_preview_reads_back_as_the_preview_it_was(demo, plan_manager):
    from actiontrack.interchange.importing.report import report_from_json, report_to_json

    report = run_import(edited_export(demo), "edited.csv", "PIP-PR", actor=web_actor(plan_manager))
    assert report.owners and report.problems and report.changes and report.columns
    assert report_from_json(report_to_json(report)) == report
