"""`actiontrack report`: a plan's board report as at a date, or a stored report by its number, written to a file;
bad input is refused with a message saying what was wrong."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.reports import services
from actiontrack.reports.models import BoardReport, IssuedFile

from .conftest import NOVEMBER
from .readback import pdf_text

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out, **options)
    return out.getvalue()


def test_a_plans_report_as_at_the_board_meeting_uses_the_stored_draft(november_report, tmp_path):
    target = tmp_path / "november.pdf"
    out = run("PIP-PR", as_at="2021-11-30", fmt="pdf", output=str(target))
    assert "a draft, rendered now" in out
    text = pdf_text(target)
    assert "Moira Bruin, Director of Operations" in text and "All objectives are currently on track" in text


def test_a_plans_report_without_a_stored_one_is_made_from_the_previous_text_and_saves_nothing(november_report,
                                                                                               tmp_path):
    target = tmp_path / "january.docx"
    out = run("pip-pr", as_at="31/01/2022", fmt="docx", output=str(target))
    assert "as at 31 January 2022, a draft from the previous report's text (nothing saved)" in out
    paragraphs = [p.text for p in Document(str(target)).paragraphs]
    assert any("3 actions are overdue: 1.1, 3.1 and 5.1. Since the plan was agreed" in p for p in paragraphs)
    assert "Moira Bruin, Director of Operations" in [c.text for c in Document(str(target)).tables[0].columns[1].cells]
    assert BoardReport.objects.count() == 1


def test_an_issued_report_by_its_number_gives_the_stored_bytes(november_report, plan_manager, tmp_path):
    services.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    target = tmp_path / "issued.html"
    out = run(report_id=november_report.pk, fmt="html", output=str(target))
    stored = IssuedFile.objects.get(report=november_report, format="html")
    assert target.read_bytes() == file_store.read_bytes(stored.store_name)
    assert stored.sha256 in out and hashlib.sha256(target.read_bytes()).hexdigest() == stored.sha256
    assert "the file stored when it was issued" in out


@pytest.mark.parametrize(("args", "options", "message"), [
    (["NOPE"], {"fmt": "pdf"}, "No plan with reference 'NOPE'. Plans: PIP-PR"),
    (["PIP-PR"], {"fmt": "pdf", "as_at": "30/13/2021"}, "--as-at: '30/13/2021' is not a date: there is no month 13"),
    (["PIP-PR"], {"fmt": "pdf", "as_at": "2020-06-01"}, "was agreed on 1 February 2021"),
    (["PIP-PR"], {"fmt": "rtf"}, "invalid choice: 'rtf'"),
    (["PIP-PR"], {"fmt": "pdf", "output": None}, "the following arguments are required: -o/--output"),
    ([], {"fmt": "pdf"}, "Give either a plan reference or --id N"),
    (["PIP-PR"], {"fmt": "pdf", "report_id": 1}, "Give either a plan reference or --id N"),
    ([], {"fmt": "pdf", "report_id": 99}, "No board report number 99."),
    (["PIP-PR"], {"fmt": "pdf", "output": "/no/such/folder/report.pdf"}, "the folder '/no/such/folder' does not exist"),
])
def test_bad_input_is_refused_with_a_clear_message(november_report, tmp_path, args, options, message):
    options = {"output": str(tmp_path / "out.pdf"), **options}
    if options["output"] is None:
        del options["output"]
    argv = [*args] + [f"--format={options.pop('fmt')}"]
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*argv, **options)
    assert not (tmp_path / "out.pdf").exists()
