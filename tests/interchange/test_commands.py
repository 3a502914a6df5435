"""The command line: `actiontrack import FILE --plan REF` shows what would happen; --apply does it;
`actiontrack export REF --format ... -o FILE` writes a file."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Plan

from .fixtures import source_plan_docx, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "action-plan.docx"
    path.write_bytes(source_plan_docx(revised=True))
    return path


def test_a_dry_run_prints_the_mapping_owners_problems_and_changes_and_writes_nothing(demo, source):
    before = JournalEvent.objects.count()
    out = run("import", str(source), plan="PIP-WORD")
    assert JournalEvent.objects.count() == before and not Plan.objects.filter(reference="PIP-WORD").exists()
    assert "Importing action-plan.docx (Word document) into a new plan PIP-WORD" in out
    assert "Table 1, column 4 'Delivery Date' -> Due date" in out
    assert "Table 1, column 5 'Revised date' -> Revised date" in out
    assert "'GM Eaglestone' -> Head of Ops Policy (GM Eaglestone holds Head of Ops Policy from 01/01/2021)" in out
    assert ("WARNING at Table 1, row 5, column 4 (Delivery Date): '31//12/2021' has a doubled separator '//'; read "
            "as 31/12/2021") in out
    assert "+ Action 1.1 [Table 1, row 2]" in out and "revised to 31/12/2021 (On Approval)" in out
    assert "Summary: 1 plan created, 8 recommendations created, 10 actions created." in out
    assert out.rstrip().endswith("Dry run: nothing was written. Run again with --apply to make these changes.")


def test_apply_writes_with_the_title_given(demo, source):
    out = run("import", str(source), plan="PIP-WORD", apply=True, title="Peer review (Word)",
              agreed_on="01/02/2021")
    assert "Applied: 1 plan created, 8 recommendations created, 10 actions created." in out
    plan = Plan.objects.get(reference="PIP-WORD")
    assert (plan.title, plan.agreed_on, plan.actions.count()) == ("Peer review (Word)", date(2021, 2, 1), 10)


def test_map_changes_how_a_column_is_read(demo, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes({"T": [["Thing to do", "Who", "When", "Notes"],
                                       ["Rebalance the rota.", "Head of Protection", "31/05/2022", "x"]]}))
    with pytest.raises(CommandError, match="1 error"):
        run("import", str(path), plan="NEWONE")
    out = run("import", str(path), plan="NEWONE", map=["Thing to do=action", "who=owner", "When=due date",
                                                       "notes=ignore"])
    assert "Sheet 'T', column A 'Thing to do' -> Action (your mapping)" in out
    assert "+ Action 1.1" in out and "due 31/05/2022" in out


def test_status_gives_the_plans_own_status_words_their_meaning(demo, tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(xlsx_bytes({"T": [["Action", "Owner", "Due date", "Status"],
                                       ["Rebalance the rota.", "Head of Protection", "31/05/2022", "Off track"],
                                       ["Train the officers.", "Head of Protection", "30/06/2022", "Parked"]]}))
    out = run("import", str(path), plan="NEWONE")
    assert "'Parked' is not a status I know: read as in progress" in out
    assert "Status values found, and what each is read as: 'Off track' → In progress; 'Parked' → In progress" in out
    out = run("import", str(path), plan="NEWONE", status=["Parked=paused"], apply=True)
    assert "'Parked' → Paused" in out and "not a status I know" not in out
    assert [a.lifecycle for a in Plan.objects.get(reference="NEWONE").actions.order_by("number")] == [
        "in_progress", "paused"]


@pytest.mark.parametrize(("options", "message"), [
    ({"map": ["Owner=banana"]}, "'banana' is not a field. Fields: ref, action_ref, group, recommendation"),
    ({"map": ["owner"]}, "write it as \"column header=field\""),
    ({"agreed_on": "31/02/2021"}, "--agreed-on: '31/02/2021' is not a date"),
    ({"status": ["Parked"]}, "write it as \"status in the file=meaning\""),
    ({"status": ["Parked=banana"]}, "'banana' is not a meaning. Meanings: not started, in progress"),
])
def test_bad_options_are_refused_with_a_clear_message(demo, source, options, message):
    with pytest.raises(CommandError, match=message):
        run("import", str(source), plan="PIP-WORD", **options)


def test_errors_stop_the_import_and_say_nothing_was_written(db, source):
    with pytest.raises(CommandError, match="1 error\\(s\\): nothing was written"):
        run("import", str(source), plan="PIP-WORD", apply=True)
    assert Plan.objects.count() == 0
    out = run("import", str(source), plan="PIP-WORD", apply=True, create_posts=True)
    assert "NEW POST 'AM Palmer'" in out and "4 posts created" in out


def test_a_missing_file_is_refused(db):
    with pytest.raises(CommandError, match="No file 'nowhere.xlsx'"):
        run("import", "nowhere.xlsx", plan="X")


def test_export_writes_each_format(demo, tmp_path):
    for fmt in ("xlsx", "csv", "json"):
        path = tmp_path / f"pip.{fmt}"
        out = run("export", "pip-pr", fmt=fmt, as_at="30/11/2021", output=str(path))
        assert path.stat().st_size > 1000 and "Wrote PIP-PR" in out
    book = load_workbook(tmp_path / "pip.xlsx")
    assert book["Actions"].cell(row=1, column=17).value == "RAG status as at 30/11/2021"


@pytest.mark.parametrize(("args", "options", "message"), [
    (["NOPE"], {"fmt": "csv"}, "No plan with reference 'NOPE'. Plans: PIP-PR"),
    (["PIP-PR"], {"fmt": "csv", "as_at": "30/13/2021"}, "--as-at: '30/13/2021' is not a date"),
    (["PIP-PR"], {"fmt": "csv", "as_at": "2020-06-01"}, "was agreed on 1 February 2021"),
])
def test_export_refuses_bad_input_clearly(demo, tmp_path, args, options, message):
    with pytest.raises(CommandError, match=message):
        run("export", *args, output=str(tmp_path / "x"), **options)
