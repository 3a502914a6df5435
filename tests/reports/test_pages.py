"""The board report pages with named personas. Anyone who can see the plan reads and downloads its reports; only
a plan manager creates, edits and issues (others get a 403); an outsider gets a 404 on every page, so the plan's
existence does not leak. Bad input gets a clear message, status 400, and changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.reports import services
from actiontrack.reports.choices import ReportStatus
from actiontrack.reports.forms import ReportEditForm
from actiontrack.reports.models import BoardReport, IssuedFile

from .conftest import LOADER, NOVEMBER

pytestmark = pytest.mark.django_db

FORMATS = {"pdf": ("application/pdf", b"%PDF-"), "docx": (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    "html": ("text/html; charset=utf-8", b"<!DOCTYPE html>")}


def url(name, report=None, *extra):
    args = ["PIP-PR"] + ([report.pk] if report is not None else []) + list(extra)
    return reverse(f"reports:{name}", args=args)


def every_url(report):
    return [url("list"), url("new"), url("detail", report), url("edit", report), url("issue", report),
            *[url("download", report, fmt) for fmt in FORMATS]]


def edit_data(report, **overrides) -> dict:
    """The edit form as the page sends it, with `overrides`."""
    data = {}
    for name, value in ReportEditForm.initial_for(report).items():
        if isinstance(value, date):
            value = value.strftime("%d/%m/%Y")
        if value is True:
            value = "on"
        if value in (False, None):
            continue
        data[name] = value
    data.update(overrides)
    return data


def issue(report, manager, today=NOVEMBER):
    return services.report_issue(actor=Actor.of(manager), report=report, today=today)


def shared(report):
    """The draft, shared with the board by its plan manager (an unshared draft is theirs only)."""
    return services.report_share(actor=LOADER, report=report, shared=True, today=NOVEMBER)


# Reading -------------------------------------------------------------------------------------------------

def test_a_board_member_reads_the_list_and_the_preview_and_downloads_every_format(november_report, board_member,
                                                                                   signed_in):
    shared(november_report)
    client = signed_in(board_member)
    listing = client.get(url("list"))
    assert listing.status_code == 200
    assert "Performance and Resources Board, 30 November 2021" in listing.content.decode()
    assert "Create a board report" not in listing.content.decode()
    preview = client.get(url("detail", november_report)).content.decode()
    for text in ("Monthly Update - Protection Improvement Plan Peer Review", "Options and analysis",
                 "Green – Complete", "Amber – On track but to be completed", "Changes since the last issued report"):
        assert text in preview
    assert "Edit the draft" not in preview and "Issue the report" not in preview
    for fmt, (media_type, start) in FORMATS.items():
        response = client.get(url("download", november_report, fmt))
        assert response.status_code == 200
        assert response["Content-Type"] == media_type
        assert response["Content-Disposition"] == f'attachment; filename="PIP-PR-board-report-2021-11-30-draft.{fmt}"'
        assert response.content.startswith(start)


def test_the_preview_obeys_the_content_security_policy_no_inline_styles_or_scripts(november_report, board_member,
                                                                                    signed_in):
    shared(november_report)
    html = signed_in(board_member).get(url("detail", november_report)).content.decode()
    assert "style=" not in html and "<style" not in html
    assert "<script>" not in html and "onclick" not in html
    assert 'src="data:image/png;base64,' in html and 'alt="Bar chart of the number of actions' in html
    assert '<th scope="col">Status</th>' in html and "<caption" in html


@pytest.mark.parametrize("persona", ["board_member", "owner"])
def test_a_draft_is_the_plan_managers_until_they_share_it_with_the_board(november_report, persona, request,
                                                                        plan_manager, signed_in):
    person = request.getfixturevalue(persona)
    reader = signed_in(person)
    assert "30 November 2021" not in reader.get(url("list")).content.decode()
    for address in (url("detail", november_report), url("download", november_report, "pdf")):
        assert reader.get(address).status_code == 404, address
    manager = signed_in(plan_manager)
    assert "Only the plan's managers can see this draft" in manager.get(url("detail", november_report)).text
    response = manager.post(url("share", november_report), {"shared": "yes"})
    assert response.status_code == 302
    reader = signed_in(person)
    assert reader.get(url("detail", november_report)).status_code == 200
    assert "Shared with the board" in reader.get(url("list")).content.decode()
    signed_in(plan_manager).post(url("share", november_report), {"shared": "no"})
    assert signed_in(person).get(url("detail", november_report)).status_code == 404


def test_a_second_report_for_the_same_meeting_is_warned_of_with_a_link_and_made_only_on_purpose(
        november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    form = {"meeting_date": "30/11/2021", "meeting": "Performance and Resources Board"}
    response = client.post(url("new"), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "This meeting already has a report" in page and url("detail", november_report) in page
    assert BoardReport.objects.count() == 1
    response = client.post(url("new"), {**form, "second_for_meeting": "on"})
    assert response.status_code == 302 and BoardReport.objects.count() == 2


def test_a_plan_manager_discards_a_draft_but_never_an_issued_report(november_report, plan_manager, signed_in):
    from actiontrack.core.models import JournalEvent

    client = signed_in(plan_manager)
    assert "Discard the draft report for" in client.get(url("discard", november_report)).text
    response = client.post(url("discard", november_report))
    assert response.status_code == 302 and response["Location"] == url("list")
    assert not BoardReport.objects.exists()
    assert JournalEvent.objects.filter(field="report_discarded", actor=plan_manager).exists()
    report = BoardReport.objects.create(plan=november_report.plan, meeting="Board", subject="S",
                                        meeting_date=NOVEMBER, as_at=NOVEMBER)
    issue(report, plan_manager)
    assert client.post(url("discard", report)).status_code == 409
    assert BoardReport.objects.filter(pk=report.pk).exists()


def test_the_plan_page_links_to_its_board_reports(demo, board_member, signed_in):
    page = signed_in(board_member).get(reverse("plan", args=["PIP-PR"])).content.decode()
    assert url("list") in page


def test_an_outsider_gets_a_404_on_every_report_page(november_report, outsider, signed_in):
    client = signed_in(outsider)
    for address in every_url(november_report):
        assert client.get(address).status_code == 404, address
    for address in (url("new"), url("edit", november_report), url("issue", november_report)):
        assert client.post(address, {"meeting_date": "31/01/2022", "version": 2}).status_code == 404, address
    assert BoardReport.objects.count() == 1 and november_report.status == ReportStatus.DRAFT


def test_a_signed_out_visitor_is_sent_to_sign_in(november_report, client):
    response = client.get(url("detail", november_report))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_unknown_report_or_format_is_a_404(november_report, board_member, signed_in):
    client = signed_in(board_member)
    assert client.get(reverse("reports:detail", args=["PIP-PR", 999])).status_code == 404
    assert client.get(url("download", november_report, "rtf")).status_code == 404


# Refused: people who can see the plan but do not manage it -----------------------------------------------

@pytest.mark.parametrize("persona", ["owner", "other_owner", "verifier", "board_member"])
def test_people_who_do_not_manage_the_plan_are_refused_to_create_edit_or_issue(november_report, persona, request,
                                                                                 signed_in):
    shared(november_report)  # so they can read it: they still cannot change it
    client = signed_in(request.getfixturevalue(persona))
    for address in (url("new"), url("edit", november_report), url("issue", november_report),
                    url("discard", november_report)):
        response = client.get(address)
        assert response.status_code == 403, address
        assert "Only a plan manager of PIP-PR can" in response.content.decode()
    assert client.post(url("new"), {"meeting_date": "31/01/2022", "meeting": "Board"}).status_code == 403
    assert client.post(url("edit", november_report), edit_data(november_report, agenda_item="9")).status_code == 403
    assert client.post(url("issue", november_report), {"version": 2}).status_code == 403
    assert client.post(url("discard", november_report)).status_code == 403
    assert client.post(url("share", november_report), {"shared": "no"}).status_code == 403
    november_report.refresh_from_db()
    assert november_report.shared
    assert (BoardReport.objects.count(), november_report.agenda_item, november_report.status) == (
        1, "7", ReportStatus.DRAFT)


# A plan manager -----------------------------------------------------------------------------------------

def test_a_plan_manager_creates_a_report_and_is_taken_to_edit_it(november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    form = client.get(url("new")).content.decode()
    assert "starts from the text of the report for Performance and Resources Board, 30 November 2021" in form
    response = client.post(url("new"), {"meeting_date": "31/01/2022", "as_at": "", "meeting":
                                        "Performance and Resources Board", "agenda_item": "5"})
    january = BoardReport.objects.get(meeting_date=date(2022, 1, 31))
    assert response.status_code == 302 and response["Location"] == url("edit", january)
    assert (january.as_at, january.agenda_item) == (date(2022, 1, 31), "5")
    assert january.sections == november_report.sections
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Draft board report for Performance and Resources Board, 31 January 2022 created, starting "
                        "from the report of 30 November 2021. Check each section."]


@pytest.mark.parametrize(("data", "message"), [
    ({"meeting_date": "31/13/2021", "meeting": "Board"}, "there is no month 13"),
    ({"meeting_date": "", "meeting": "Board"}, "This field is required"),
    ({"meeting_date": "30/11/2021", "as_at": "01/01/2020", "meeting": "Board"}, "was agreed on 1 February 2021"),
    ({"meeting_date": "30/11/2021", "as_at": "31/12/2021", "meeting": "Board"}, "after the meeting"),
])
def test_bad_input_to_create_a_report_is_shown_with_status_400_and_nothing_is_created(demo, plan_manager, signed_in,
                                                                                       data, message):
    response = signed_in(plan_manager).post(url("new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    assert not BoardReport.objects.exists()


def test_the_edit_page_shows_what_changed_in_the_data_and_the_generated_sentence(november_report, plan_manager,
                                                                                 signed_in):
    page = signed_in(plan_manager).get(url("edit", november_report)).content.decode()
    assert "What changed in the data since the previous report" in page
    assert "No report on this plan has been issued before" in page
    assert "2.1 Rebalance the flexi duty rota" in page and "31/05/2021 → 31/07/2021" in page
    assert "“All objectives are currently on track for completion.”" in page
    assert 'name="section_future_plans"' in page and "The improvements from this action plan will fall into BAU" in page
    assert page.count('<label class="visually-hidden"') == 18  # impact and notes for each of the nine


def test_a_plan_manager_edits_a_section_and_sees_it_in_the_preview(november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    response = client.post(url("edit", november_report), edit_data(
        november_report, section_future_plans="The improvements will fall into business as usual.",
        impact_age="positive", note_age="Better information for older business owners."))
    assert response.status_code == 302 and response["Location"] == url("detail", november_report)
    november_report.refresh_from_db()
    assert november_report.authored("future_plans") == "The improvements will fall into business as usual."
    assert november_report.impact("age") == ("positive", "Better information for older business owners.")
    assert november_report.agenda_item == "7"  # untouched fields stay
    preview = client.get(url("detail", november_report)).content.decode()
    assert "The improvements will fall into business as usual." in preview
    assert "Positive impact" in preview and "Better information for older business owners." in preview


def test_bad_input_to_edit_a_report_is_shown_with_status_400_and_nothing_changes(november_report, plan_manager,
                                                                                  signed_in):
    client = signed_in(plan_manager)
    for data, message in ((edit_data(november_report, subject=""), "This field is required"),
                          (edit_data(november_report, as_at="32/11/2021"), "is not a date"),
                          (edit_data(november_report, for_publication="no"), "needs the exemption paragraph")):
        response = client.post(url("edit", november_report), data)
        assert response.status_code == 400
        assert "There is a problem" in response.content.decode() and message in response.content.decode()
    november_report.refresh_from_db()
    assert november_report.version == 2


def test_two_plan_managers_editing_at_once_the_second_sees_both_versions(november_report, plan_manager, signed_in):
    stale = edit_data(november_report, agenda_item="9")
    services.report_update(actor=Actor.of(plan_manager), report=november_report, expected_version=2,
                           changes={"agenda_item": "8"}, today=NOVEMBER)
    response = signed_in(plan_manager).post(url("edit", november_report), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this while you were editing" in page
    assert "<th scope=\"row\">Agenda item no.</th><td class=\"prewrap\">8</td><td class=\"prewrap\">9</td>" in page
    assert 'name="version" value="3"' in page
    november_report.refresh_from_db()
    assert november_report.agenda_item == "8"


def test_a_plan_manager_confirms_and_issues_the_report_and_downloads_the_stored_file(november_report, plan_manager,
                                                                                     signed_in):
    client = signed_in(plan_manager)
    confirm = client.get(url("issue", november_report)).content.decode()
    assert "Issuing freezes the report" in confirm and "Green – Complete</strong> 7" in confirm
    response = client.post(url("issue", november_report), {"version": november_report.version})
    assert response.status_code == 302 and response["Location"] == url("detail", november_report)
    november_report.refresh_from_db()
    assert november_report.status == ReportStatus.ISSUED
    stored = IssuedFile.objects.get(report=november_report, format="pdf")
    download = client.get(url("download", november_report, "pdf"))
    assert download.content == file_store.read_bytes(stored.store_name)
    assert download["ETag"] == f'"{stored.sha256}"'
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"] == 'attachment; filename="PIP-PR-board-report-2021-11-30.pdf"'
    page = client.get(url("detail", november_report)).content.decode()
    assert stored.sha256 in page and "Issued on" in page and "Edit the draft" not in page


def test_an_issued_report_cannot_be_edited_or_issued_again_from_the_pages(november_report, plan_manager, signed_in):
    issue(november_report, plan_manager)
    client = signed_in(plan_manager)
    assert client.get(url("edit", november_report)).status_code == 409
    response = client.post(url("edit", november_report), edit_data(november_report, agenda_item="9"))
    assert response.status_code == 409 and "cannot be changed" in response.content.decode()
    assert client.post(url("issue", november_report), {"version": 3}).status_code == 302
    november_report.refresh_from_db()
    assert november_report.agenda_item == "7" and IssuedFile.objects.count() == 3


def test_a_report_for_a_future_meeting_cannot_be_issued_yet(demo, plan_manager, signed_in):
    report = services.report_create(actor=Actor.of(plan_manager), plan=demo.plan, meeting_date=date(2099, 1, 31),
                                    today=NOVEMBER)
    client = signed_in(plan_manager)
    page = client.get(url("issue", report)).content.decode()
    assert "it can be issued from that day" in page and "Issue the report</button>" not in page
    assert url("edit", report) in page  # where to change the as-at date
    response = client.post(url("issue", report), {"version": report.version})  # posted anyway: refused
    assert response.status_code == 400
    assert "it can be issued from that day" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not IssuedFile.objects.exists()


def test_a_stale_issue_confirmation_is_refused_with_a_clear_message(november_report, plan_manager, signed_in):
    response = signed_in(plan_manager).post(url("issue", november_report), {"version": 1})
    assert response.status_code == 409
    assert "Someone changed the report since you opened this page" in response.content.decode()
    november_report.refresh_from_db()
    assert november_report.status == ReportStatus.DRAFT
