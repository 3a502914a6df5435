"""What a plan manager decides in the preview besides the columns: an owner for rows that name none, the date
the document is as at, rows left out with a reason. The same choices work from the web preview, from the
command line, and from the file the preview downloads (`import --mapping FILE.json`)."""

import io
import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actiontrack.core.models import JournalEvent
from actiontrack.interchange.importing.decisions import AS_AT, DEFAULT_OWNER, exclude_key
from actiontrack.plans.models import Plan

from .fixtures import csv_bytes
from .helpers import run_import

pytestmark = pytest.mark.django_db
# A committee appendix kept as a CSV: one row per recommendation, owners seldom filled in, a status and no dates
# of completion; row 4 names its owner by an e-mail address nobody here has.
APPENDIX = csv_bytes([
    ["No.", "Recommendation", "Lead", "Target date", "Status"],
    ["1", "Review the risk-based inspection programme.", "", "31/03/2022", "Complete"],
    ["2", "Publish the protection strategy.", "", "30/06/2022", "In progress"],
    ["3", "Train every station manager in fire safety audits.", "j.bloggs@example.org", "31/12/2022", ""],
])
ROW_4 = "CSV file, row 4"


def test_without_choices_the_appendix_cannot_be_applied_and_the_preview_says_why(demo):
    report = run_import(APPENDIX, "appendix.csv", "APPX", agreed_on=date(2021, 2, 1))
    messages = " ".join(p.message for p in report.errors)
    assert "action 1.1 names no owner" in messages and "'j.bloggs@example.org' is an e-mail address" in messages
    with_owner = run_import(APPENDIX, "appendix.csv", "APPX", agreed_on=date(2021, 2, 1),
                            mapping={DEFAULT_OWNER: "Head of Protection"})
    assert "action 1.1 is complete (Complete) but the file gives no completion date" in " ".join(
        p.message for p in with_owner.errors)


def test_with_a_default_owner_an_as_at_date_and_the_duplicate_left_out_it_is_brought_in(demo):
    choices = {DEFAULT_OWNER: "Head of Protection", AS_AT: "2021-11-30", exclude_key(ROW_4): "Not ours to deliver"}
    report = run_import(APPENDIX, "appendix.csv", "APPX", agreed_on=date(2021, 2, 1), mapping=choices, apply=True)
    assert report.applied, report.errors
    plan = Plan.objects.get(reference="APPX")
    actions = {a.ref: a for a in plan.actions.prefetch_related("owner_posts")}
    assert sorted(actions) == ["1.1", "2.1"]
    assert {a.ref: [p.name for p in a.owner_posts.all()] for a in actions.values()} == {
        "1.1": ["Head of Protection"], "2.1": ["Head of Protection"]}
    assert actions["1.1"].completed_on == date(2021, 11, 30)
    left_out = JournalEvent.objects.get(plan=plan, field="import_rows_left_out")
    assert left_out.new == {"file": "appendix.csv", "rows": [{"row": ROW_4, "reason": "Not ours to deliver"}]}
    assert "leaving out 1 row(s): CSV file, row 4 (Not ours to deliver)" in left_out.reason


def test_the_as_at_line_under_a_trackers_title_is_the_date_complete_actions_are_taken_as_completed(demo):
    """"Position as at 30 November 2021" under the title: the choice is filled in from it, and the preview says so."""
    dated = csv_bytes([["Protection improvement plan"], ["Position as at 30 November 2021"], [],
                       ["No.", "Recommendation", "Lead", "Target date", "Status"],
                       ["1", "Review the inspection programme.", "Head of Protection", "31/03/2022", "Complete"]])
    report = run_import(dated, "dated.csv", "DATED", agreed_on=date(2021, 2, 1), apply=True)
    assert report.applied, report.errors
    assert report.mapping[AS_AT] == "2021-11-30"
    assert any("as at 30/11/2021" in note for note in report.notes)
    action = Plan.objects.get(reference="DATED").actions.get()
    assert action.completed_on == date(2021, 11, 30)
    run_import(dated, "dated.csv", "DATED-2", agreed_on=date(2021, 2, 1), apply=True,
               mapping={AS_AT: "2021-11-15"})  # what the person chose wins over the document
    assert Plan.objects.get(reference="DATED-2").actions.get().completed_on == date(2021, 11, 15)


def test_a_default_owner_that_is_not_a_post_is_an_error_naming_the_known_posts(demo):
    report = run_import(APPENDIX, "appendix.csv", "APPX", mapping={DEFAULT_OWNER: "Chief Fire Officer"})
    assert any("The default owner 'Chief Fire Officer' is not a post here" in p.message
               and "Known posts:" in p.message for p in report.errors)


def test_the_command_line_takes_the_same_choices_as_options(demo, tmp_path):
    path = tmp_path / "appendix.csv"
    path.write_bytes(APPENDIX)
    out = io.StringIO()
    call_command("import", str(path), plan="APPX", agreed_on="01/02/2021", owner="Head of Protection",
                 as_at="30/11/2021", exclude=[f"{ROW_4}=Not ours to deliver"], apply=True, stdout=out)
    assert "2 recommendations created, 2 actions created" in out.getvalue()
    assert "- Action 3.1 [CSV file, row 4]" in out.getvalue()
    with pytest.raises(CommandError, match="--exclude 'row 4': write it as"):
        call_command("import", str(path), plan="APPY", exclude=["row 4"], stdout=io.StringIO())
    with pytest.raises(CommandError, match="--as-at"):
        call_command("import", str(path), plan="APPY", as_at="31/02/2021", stdout=io.StringIO())


def test_a_plan_manager_makes_the_choices_in_the_web_preview_downloads_them_and_the_command_line_reuses_them(
        signed_in, plan_manager, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:new"), {
        "file": SimpleUploadedFile("appendix.csv", APPENDIX, content_type="text/csv"), "reference": "APPX",
        "agreed_on": "01/02/2021"})
    preview = response["Location"]
    page = client.get(preview).text
    assert f'value="{ROW_4}"' in page and "Owner of rows that name none" in page

    # Leaving a row out needs a reason: the page says so and nothing is kept.
    refused = client.post(preview, {"action": "preview", "leave_out": [ROW_4], "leave_out_reason": ""})
    assert refused.status_code == 400 and "Say why these rows are left out" in refused.text

    columns = {f"column-{n}": value for n, value in enumerate(re.findall(
        r'<option value="([a-z_]*)" selected>', page))}
    response = client.post(preview, {"action": "preview", **columns, "default_owner": "Head of Protection",
                                     "as_at": "30/11/2021", "leave_out": [ROW_4],
                                     "leave_out_reason": "Not ours to deliver"})
    assert response.status_code == 302
    page = client.get(preview).text
    assert "There is a problem" not in page and "Leave out" in page and "left out: Not ours to deliver" in page

    download = client.get(preview + "?download=choices")
    assert download["Content-Disposition"] == 'attachment; filename="appendix-choices.json"'
    choices = json.loads(download.content)
    assert choices[DEFAULT_OWNER] == "Head of Protection" and choices[AS_AT] == "2021-11-30"
    assert choices[exclude_key(ROW_4)] == "Not ours to deliver"

    (tmp_path / "choices.json").write_bytes(download.content)
    (tmp_path / "appendix.csv").write_bytes(APPENDIX)
    out = io.StringIO()
    call_command("import", str(tmp_path / "appendix.csv"), plan="APPZ", agreed_on="01/02/2021",
                 mapping=str(tmp_path / "choices.json"), stdout=out)
    assert "Dry run" in out.getvalue() and "error" not in out.getvalue().lower().split("dry run")[0][-200:]


def test_someone_else_cannot_download_the_choices_of_a_preview(signed_in, plan_manager, administrator, tmp_path,
                                                               settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    response = signed_in(plan_manager).post(reverse("interchange:new"), {
        "file": SimpleUploadedFile("appendix.csv", APPENDIX, content_type="text/csv"), "reference": "APPX"})
    preview = response["Location"]
    assert signed_in(administrator).get(preview + "?download=choices").status_code == 404


def test_a_mapping_file_that_is_not_one_is_refused_with_what_was_expected(demo, tmp_path):
    (tmp_path / "appendix.csv").write_bytes(APPENDIX)
    (tmp_path / "bad.json").write_text('["Head of Protection"]')
    with pytest.raises(CommandError, match="expected an object of texts"):
        call_command("import", str(tmp_path / "appendix.csv"), plan="APPX", mapping=str(tmp_path / "bad.json"),
                     stdout=io.StringIO())


def test_a_plan_imported_reading_2_1_as_an_action_is_updated_the_same_way_next_time(tmp_path, signed_in, plan_manager,
                                                                                   settings):
    """Imported once with "2.1" read as action 1 of recommendation 2 (--refs split, as every import read it before
    trackers with an action-number column were read whole), the same tracker imported again without saying is
    read as the plan already holds it: nothing is added beside what is there."""
    from actiontrack.plans.models import Plan
    from tests.interchange.fixtures import xlsx_bytes

    path = tmp_path / "tracker.xlsx"
    path.write_bytes(xlsx_bytes({"Plan": [
        ["Ref", "Recommendation", "Action no.", "Action", "Owner", "Due"],
        ["1.1", "Review the rota.", 1, "Consult crews.", "Head of Response", "31/03/2024"],
        ["1.2", "Review the rota.", 2, "Agree the new rota.", "Head of Response", "30/06/2024"],
        ["2.1", "Train managers.", 1, "Write the course.", "Head of Training", "31/03/2024"]]}))
    call_command("import", str(path), plan="ROTA", agreed_on="01/04/2023", refs="split", create_posts=True,
                 apply=True, stdout=io.StringIO())
    plan = Plan.objects.get(reference="ROTA")
    assert sorted(plan.recommendations.values_list("ref", flat=True)) == ["1", "2"]
    out = io.StringIO()
    call_command("import", str(path), plan="ROTA", create_posts=True, apply=True, stdout=out)
    assert sorted(plan.recommendations.values_list("ref", flat=True)) == ["1", "2"]
    assert plan.actions.count() == 3 and "created" not in out.getvalue()
    # The web preview of the same file starts at the plan's own reading too.
    from actiontrack.plans.models import PlanRole

    settings.MEDIA_ROOT = tmp_path / "media"
    PlanRole.objects.create(user=plan_manager, plan=plan, role="manager")
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:plan_import", args=["ROTA"]), {
        "file": SimpleUploadedFile("tracker.xlsx", path.read_bytes())})
    page = client.get(response["Location"]).text
    assert re.search(r'<input type="radio" name="refs" value="split"[^>]*checked', page)
    assert "recommendations created" not in page and "actions created" not in page
