"""The import pages and export downloads, as the people who meet them: the plan manager (Priya Shah)
uploads, checks the preview, changes a column, applies; an owner, a verifier and a board member can see
the plan but are refused the import; an outsider is told the plan does not exist; anyone who can see the
plan can download it."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref

from ..builders import a_person
from .fixtures import xlsx_bytes

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPDATED = xlsx_bytes({"Tracker": [
    ["Ref", "Action", "Lead officer", "Notes"],
    ["3.1", "Succession planning, reviewed yearly.", "Head of Prevention and Protection", "Head of Protection"]]})
NEW_PLAN = xlsx_bytes({"Tracker": [
    ["Recommendation", "Action", "Owner", "Target date"],
    ["Improve audit.", "Set audit targets.", "Head of Protection", "31/05/2027"]]}, title="Audit improvement plan")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test keeps its uploads in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(content=UPDATED, name="tracker.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def imports_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def stored() -> list[str]:
    return sorted(p.name for p in imports_folder().glob("*")) if imports_folder().exists() else []


def start(client, content=UPDATED, name="tracker.xlsx", url=None):
    response = client.post(url or reverse("interchange:plan_import", args=["PIP-PR"]), {"file": upload(content, name)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


# Who may do what --------------------------------------------------------------------------------------------

def test_a_plan_manager_opens_the_import_page(signed_in, plan_manager):
    response = signed_in(plan_manager).get(reverse("interchange:plan_import", args=["PIP-PR"]))
    assert response.status_code == 200
    assert 'type="file"' in response.text and 'enctype="multipart/form-data"' in response.text


@pytest.mark.parametrize("who", ["owner", "verifier", "board_member"])
def test_people_who_see_the_plan_but_do_not_manage_it_are_refused_the_import(request, signed_in, who):
    client = signed_in(request.getfixturevalue(who))
    url = reverse("interchange:plan_import", args=["PIP-PR"])
    for response in (client.get(url), client.post(url, {"file": upload()})):
        assert response.status_code == 403
        assert "Only a plan manager of PIP-PR can import into it." in response.text
    assert stored() == []


def test_an_outsider_is_told_the_plan_does_not_exist(signed_in, outsider, demo):
    client = signed_in(outsider)
    for url in (reverse("interchange:plan_import", args=["PIP-PR"]),
                reverse("interchange:export", args=["PIP-PR", "xlsx"])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("interchange:plan_import", args=["PIP-PR"]), {"file": upload()}).status_code == 404


def test_someone_who_cannot_create_plans_is_refused_the_new_plan_import(signed_in, owner):
    response = signed_in(owner).get(reverse("interchange:new"))
    assert response.status_code == 403 and "Only an administrator or a plan manager can create a plan" in response.text


def test_the_preview_is_the_uploaders_from_any_of_their_sessions_and_no_one_elses(signed_in, plan_manager, outsider,
                                                                                   demo):
    """Priya uploads in one browser and follows the preview's address in another (or after her session is
    renewed): it is hers, choices and all. An outsider, and another plan manager of the same plan, are told there
    is no such import."""
    first = signed_in(plan_manager)
    preview = start(first)
    first.post(preview, {"action": "preview", "column-0": "ref", "column-1": "action", "column-2": "",
                         "column-3": "owner"})

    elsewhere = Client()
    elsewhere.force_login(plan_manager)  # another browser: a session of its own
    page = elsewhere.get(preview)
    assert page.status_code == 200 and "Check the import" in page.text
    assert "owner Head of Prevention and Protection → Head of Protection" in page.text  # the choices made earlier
    first.logout()  # the first session ends: the import does not end with it
    assert elsewhere.get(preview).status_code == 200

    colleague = a_person("kim", plan=demo.plan, role="manager")
    for someone in (outsider, colleague):
        stranger = Client()
        stranger.force_login(someone)
        assert stranger.get(preview).status_code == 404
        assert stranger.post(preview, {"action": "cancel"}).status_code == 404
        assert stranger.get(preview + "?download=choices").status_code == 404
    assert elsewhere.get(preview).status_code == 200  # what they tried changed nothing
    assert elsewhere.get("/import/..%2F..%2Fsecret_key/").status_code == 404
    assert elsewhere.get("/import/not-a-token/").status_code == 404


# Upload, preview, mapping, apply -------------------------------------------------------------------------------

def test_the_plan_manager_uploads_checks_changes_a_column_and_applies(signed_in, plan_manager):
    client = signed_in(plan_manager)
    preview = start(client)
    token = preview.rstrip("/").rsplit("/", 1)[-1]
    assert stored() == [token, f"{token}.state"] and re.fullmatch(r"[0-9a-f]{32}", token)  # the file, and whose

    page = client.get(preview)
    assert page.status_code == 200
    text = page.text
    assert "Check the import" in text and "Nothing has been changed yet" in text
    assert "How each column of the file is read" in text
    assert re.search(r'<option value="owner" selected>Owner</option>', text)
    assert "Succession planning, reviewed yearly." in text and "Apply import" in text
    fields = {m[0]: m[1] for m in re.findall(r'<label for="id_(column-\d+)">([^<]+)</label>', text)}
    assert list(fields.values()) == ["Ref", "Action", "Lead officer", "Notes"]

    # Read "Notes" as the owner instead of "Lead officer".
    response = client.post(preview, {"action": "preview", "column-0": "ref", "column-1": "action",
                                     "column-2": "", "column-3": "owner"})
    assert response.status_code == 302 and response["Location"] == preview
    page = client.get(preview)
    assert "your choice" in page.text
    assert "owner Head of Prevention and Protection → Head of Protection" in page.text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page.text)[1]

    before = JournalEvent.objects.count()
    response = client.post(preview, {"action": "apply", "version": version})
    assert response.status_code == 302 and response["Location"] == reverse("plan", args=["PIP-PR"])
    action = action_by_ref(Plan.objects.get(reference="PIP-PR"), "3.1")
    assert action.text == "Succession planning, reviewed yearly."
    assert [p.name for p in action.owner_posts.all()] == ["Head of Protection"]
    events = JournalEvent.objects.order_by("id")[before:]
    assert [(e.field, e.source, e.actor_id, e.actor_name) for e in events] == [
        ("text", "import", plan_manager.pk, "Priya Shah"), ("owner_posts", "import", plan_manager.pk, "Priya Shah")]
    assert stored() == []  # the uploaded file is deleted once applied
    followed = client.get(response["Location"])
    assert "Imported tracker.xlsx into PIP-PR: 1 action updated." in followed.text
    assert client.get(preview).status_code == 404


def test_applying_a_preview_changed_in_another_window_is_refused(signed_in, plan_manager):
    client = signed_in(plan_manager)
    preview = start(client)
    before = JournalEvent.objects.count()
    response = client.post(preview, {"action": "apply", "version": "stale"})
    assert response.status_code == 302 and JournalEvent.objects.count() == before
    assert "changed in another window" in client.get(preview).text


def test_cancelling_deletes_the_file_and_changes_nothing(signed_in, plan_manager):
    client = signed_in(plan_manager)
    preview = start(client)
    before = JournalEvent.objects.count()
    response = client.post(preview, {"action": "cancel"})
    assert response.status_code == 302 and stored() == [] and JournalEvent.objects.count() == before


def test_a_file_that_is_not_what_its_name_says_is_refused_and_not_kept(signed_in, plan_manager):
    response = signed_in(plan_manager).post(reverse("interchange:plan_import", args=["PIP-PR"]),
                                            {"file": upload(b"%PDF-1.7\n%%EOF\n", "tracker.xlsx")})
    assert response.status_code == 400
    assert "its content is a PDF document" in response.text and "There is a problem" in response.text
    assert stored() == []


def test_without_a_file_the_upload_says_so(signed_in, plan_manager):
    response = signed_in(plan_manager).post(reverse("interchange:plan_import", args=["PIP-PR"]), {})
    assert response.status_code == 400 and "Choose the file to import." in response.text


def test_a_preview_with_errors_offers_no_apply_and_applying_is_refused(signed_in, plan_manager):
    content = xlsx_bytes({"T": [["Ref", "Action", "Owner", "Due date"], ["3.1", "X.", "Head of Protection",
                                                                          "31/02/2022"]]})
    client = signed_in(plan_manager)
    preview = start(client, content)
    page = client.get(preview)
    assert "1 error must be put right before this import can be applied" in page.text
    assert "Apply import" not in page.text and "February 2022 has 28 days" in page.text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page.text)[1]
    before = JournalEvent.objects.count()
    response = client.post(preview, {"action": "apply", "version": version})
    assert response.status_code == 400 and JournalEvent.objects.count() == before


def test_a_plan_manager_imports_a_new_plan(signed_in, plan_manager):
    client = signed_in(plan_manager)
    page = client.get(reverse("interchange:new"))
    assert page.status_code == 200 and "Reference for the new plan" in page.text
    response = client.post(reverse("interchange:new"), {"reference": "AUDIT-1", "agreed_on": "01/04/2026",
                                                        "file": upload(NEW_PLAN)})
    preview = response["Location"]
    page = client.get(preview)
    assert "A new plan, AUDIT-1: “Audit improvement plan”" in page.text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page.text)[1]
    response = client.post(preview, {"action": "apply", "version": version})
    assert response["Location"] == reverse("plan", args=["AUDIT-1"])
    plan = Plan.objects.get(reference="AUDIT-1")
    assert plan.title == "Audit improvement plan" and plan.roles.filter(user=plan_manager, role="manager").exists()


def test_a_new_plan_cannot_take_an_existing_reference(signed_in, plan_manager):
    response = signed_in(plan_manager).post(reverse("interchange:new"), {"reference": "pip-pr", "file": upload()})
    assert response.status_code == 400 and "A plan with reference &#x27;pip-pr&#x27; exists already" in response.text


def test_only_an_administrator_is_offered_to_create_posts(signed_in, plan_manager, administrator, demo):
    content = xlsx_bytes({"T": [["Recommendation", "Action", "Owner"], ["R.", "A.", "Head of Climate Resilience"]]})
    manager = signed_in(plan_manager)
    page = manager.get(start(manager, content))
    assert 'name="create_posts"' not in page.text
    assert "Only an administrator can create posts" in page.text
    demo.plan.roles.create(user=administrator, role="manager")
    admin = signed_in(administrator)
    preview = start(admin, content)
    assert 'name="create_posts"' in admin.get(preview).text
    admin.post(preview, {"action": "preview", "column-0": "recommendation", "column-1": "action",
                         "column-2": "owner", "create_posts": "on"})
    page = admin.get(preview)
    assert "1 post created" in page.text and "Apply import" in page.text


# Downloads -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "content_type", "filename"), [
    ("xlsx", XLSX, "PIP-PR-as-at-2021-11-30.xlsx"), ("csv", "text/csv; charset=utf-8", "PIP-PR-as-at-2021-11-30.csv"),
    ("json", "application/json", "PIP-PR.json"),
])
def test_a_board_member_downloads_the_plan(signed_in, board_member, fmt, content_type, filename):
    response = signed_in(board_member).get(reverse("interchange:export", args=["PIP-PR", fmt]) + "?as_at=30/11/2021")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_the_plan_page_links_to_downloads_for_everyone_and_to_import_for_its_managers(signed_in, board_member,
                                                                                    plan_manager):
    page = signed_in(board_member).get(reverse("plan", args=["PIP-PR"]) + "?as_at=30/11/2021").text
    assert "Excel tracker as at 30 November 2021" in page and "/plans/PIP-PR/export/xlsx/?as_at=2021-11-30" in page
    assert "Import an updated tracker" not in page
    page = signed_in(plan_manager).get(reverse("plan", args=["PIP-PR"])).text
    assert "Import an updated tracker into this plan" in page


@pytest.mark.parametrize(("query", "status", "says"), [
    ("?as_at=31/02/2021", 400, "February 2021 has 28 days"), ("?as_at=01/01/2020", 400, "was agreed on"),
])
def test_a_bad_as_at_date_is_explained(signed_in, board_member, query, status, says):
    response = signed_in(board_member).get(reverse("interchange:export", args=["PIP-PR", "csv"]) + query)
    assert response.status_code == status and says in response.text


def test_an_unknown_format_is_not_found(signed_in, board_member):
    assert signed_in(board_member).get(reverse("interchange:export", args=["PIP-PR", "pdf"])).status_code == 404


def test_the_plan_manager_gives_the_plans_own_status_words_their_meaning_in_the_preview(signed_in, plan_manager):
    content = xlsx_bytes({"Tracker": [["Action", "Owner", "Due date", "Status"],
                                      ["Rebalance the rota.", "Head of Protection", "31/05/2022", "Parked"],
                                      ["Train the officers.", "Head of Protection", "30/06/2022", "Done"]]})
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:new"), {"reference": "PARKED", "agreed_on": "01/04/2022",
                                                        "file": upload(content)})
    preview = response["Location"]
    page = client.get(preview).text
    assert "What each status in the file means" in page
    labels = dict(re.findall(r'<label for="id_(status-\d+)">([^<]+)</label>', page))
    assert labels == {"status-0": "Parked", "status-1": "Done"}
    assert re.search(r'<select name="status-0"[^>]*>.*?<option value="in_progress" selected>', page, re.S)
    assert "&#x27;Parked&#x27; is not a status I know: read as in progress" in page

    response = client.post(preview, {"action": "preview", "column-0": "action", "column-1": "owner",
                                      "column-2": "due", "column-3": "status", "status-0": "paused",
                                      "status-1": "completed"})
    assert response.status_code == 302
    page = client.get(preview).text
    assert "not a status I know" not in page
    assert re.search(r'<select name="status-0"[^>]*>.*?<option value="paused" selected>', page, re.S)


def choices_on(page_text: str) -> dict[str, str]:
    """The preview's choices as the page shows them: each column's selected field, each status's meaning."""
    chosen = {}
    for name, body in re.findall(r'<select name="((?:column|status)-\d+)"[^>]*>(.*?)</select>', page_text, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', body)
        chosen[name] = selected[1] if selected else ""
    return chosen


def test_the_preview_offers_how_to_read_afi_1_1_and_the_plan_managers_choice_is_used(signed_in, plan_manager):
    """An HMICFRS tracker numbers its areas for improvement AFI 1.1, AFI 1.2 and their actions in an "Action no."
    column: each is read whole, and the preview offers the other reading (action 1 of AFI 1)."""
    tracker = (Path(__file__).parent / "shapes" / "files" / "hmicfrs_afi_tracker.xlsx").read_bytes()
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:new"), {"reference": "HMI-23", "agreed_on": "01/04/2023",
                                                        "file": upload(tracker, "hmicfrs_afi_tracker.xlsx")})
    preview = response["Location"]
    page = client.get(preview).text
    assert "How to read a Ref with a number after a dot" in page
    assert re.search(r'<input type="radio" name="refs" value="whole"[^>]*checked', page)
    assert "AFI 1.1 is action 1 of recommendation AFI 1" in page
    assert "Area for improvement AFI 1.2" in page and "Action AFI 1.2a" in page
    assert "has the same reference as the different recommendation" not in page

    response = client.post(preview, {"action": "preview", "refs": "split", **choices_on(page)})
    assert response.status_code == 302
    page = client.get(preview).text
    assert re.search(r'<input type="radio" name="refs" value="split"[^>]*checked', page)
    assert "has the same reference as the different recommendation" in page
    assert client.get(preview + "?download=choices").json() == {"choice:refs": "split"}


def test_the_preview_shows_the_completion_date_each_completed_action_will_have(signed_in, plan_manager):
    """As it shows each due date: the date in the tracker's completion date column, or the date the document is
    as at for an action it gives as complete without one, said to be an assumption."""
    tracker = xlsx_bytes({"Action plan": [
        ["HMICFRS inspection 2023 – action plan"], ["As at 31 March 2024"], [],
        ["AFI no.", "Area for improvement", "Action", "Lead officer", "Target date", "Status", "Completion date"],
        ["AFI 1", "Target prevention.", "Refresh the risk model.", "Head of Protection", "30/09/2023", "Complete",
         "14/08/2023"],
        ["AFI 2", "Plan the workforce.", "Publish a workforce plan.", "Head of Protection", "31/12/2023", "Complete",
         ""],
        ["AFI 3", "Train inspectors.", "Recruit inspectors.", "Head of Protection", "30/06/2024", "In progress", ""]]})
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:new"), {"reference": "HMI-24", "agreed_on": "01/04/2023",
                                                        "file": upload(tracker, "afi.xlsx")})
    page = client.get(response["Location"]).text
    rows = {m[0]: m[1] for m in re.findall(r'<th scope="row">Action ([^<]+)</th><td>(.*?)</td>', page, re.S)}
    assert "<div>due 30/09/2023</div>" in rows["AFI 1.1"]
    assert "<div>completed on 14/08/2023</div>" in rows["AFI 1.1"]
    assert ("<div>completed on 31/03/2024 (the date the document is as at: an assumption)</div>"
            in rows["AFI 2.1"])
    assert "completed on" not in rows["AFI 3.1"]
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)[1]
    client.post(response["Location"], {"action": "apply", "version": version})
    plan = Plan.objects.get(reference="HMI-24")
    assert {a.ref: a.completed_on for a in plan.actions.all()} == {
        "AFI 1.1": date(2023, 8, 14), "AFI 2.1": date(2024, 3, 31), "AFI 3.1": None}


def test_the_preview_of_a_new_plan_offers_its_kind_of_source_read_from_its_title(signed_in, plan_manager):
    tracker = xlsx_bytes({"Action plan": [
        ["HMICFRS inspection 2023 – action plan"], [],
        ["AFI no.", "Area for improvement", "Action", "Lead officer", "Target date"],
        ["AFI 1", "Target prevention.", "Refresh the risk model.", "Head of Protection", "30/09/2027"]]})
    client = signed_in(plan_manager)
    response = client.post(reverse("interchange:new"), {"reference": "HMI-25", "file": upload(tracker, "afi.xlsx")})
    preview = response["Location"]
    page = client.get(preview).text
    assert re.search(r'<select name="source_kind"[^>]*>.*<option value="hmicfrs" selected>HMICFRS inspection',
                     page, re.S)
    assert "<div>source HMICFRS inspection</div>" in page
    client.post(preview, {"action": "preview", "source_kind": "audit", **choices_on(page)})
    page = client.get(preview).text
    assert "<div>source Audit</div>" in page
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)[1]
    client.post(preview, {"action": "apply", "version": version})
    assert Plan.objects.get(reference="HMI-25").source_kind == "audit"
    assert "Kind of source" not in client.get(start(client)).text  # an import into a plan that exists: not offered
