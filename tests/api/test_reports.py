"""Board reports through the API: listed for anyone who can see the plan; an issued report's files download
byte for byte as issued; a draft's do not (they change with the plan)."""

import hashlib
from datetime import date

import pytest

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.reports.demo import load_demo_report
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.services import report_issue

pytestmark = pytest.mark.django_db
REPORTS = "/api/plans/PIP-PR/reports"


def test_a_draft_is_listed_without_files_and_cannot_be_downloaded(api, board_member):
    report, _ = load_demo_report()
    body = api(board_member).get(REPORTS).json()
    assert body["count"] == 1
    listed = body["items"][0]
    assert listed["status"] == "draft" and listed["files"] == [] and listed["meeting_date"] == "2021-11-30"
    assert listed["web_url"] == f"/plans/PIP-PR/reports/{report.pk}/"
    response = api(board_member).get(f"{REPORTS}/{report.pk}/files/pdf")
    assert response.status_code == 404 and "is a draft" in response.json()["detail"]


def test_an_issued_reports_files_download_byte_for_byte_with_their_sha256(api, plan_manager, board_member, outsider):
    report, _ = load_demo_report()
    report_issue(actor=Actor.of(plan_manager), report=report, today=date(2021, 12, 1))
    listed = api(board_member).get(REPORTS).json()["items"][0]
    assert listed["status"] == "issued" and listed["issued_on"] == "2021-12-01"
    assert listed["issued_by"] == "Priya Shah"
    assert [f["format"] for f in listed["files"]] == ["docx", "html", "pdf"]
    pdf = next(f for f in listed["files"] if f["format"] == "pdf")
    response = api(board_member).get(pdf["download_url"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == pdf["sha256"] == response["ETag"].strip('"')
    assert response.content == file_store.read_bytes(IssuedFile.objects.get(report=report, format="pdf").store_name)
    assert 'filename="PIP-PR-board-report-2021-11-30.pdf"' in response["Content-Disposition"]
    assert api(outsider).get(pdf["download_url"]).status_code == 404
    assert api(outsider).get(REPORTS).status_code == 404
    assert api(board_member).get(f"{REPORTS}/{report.pk}/files/xlsx").status_code == 422
    assert api(board_member).get(f"{REPORTS}/999/files/pdf").status_code == 404
