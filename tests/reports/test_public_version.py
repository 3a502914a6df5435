"""A report with exempt material has a public version: the exempt sections' content removed and the exemption
paragraph in its place, in every format, for a draft and for an issued report (whose full files stay the ones
stored). Marking a section exempt without the paragraph it relies on is refused."""

import io

import docx
import pytest
from django.urls import reverse

from actiontrack.core import files as file_store
from actiontrack.core.journal import Actor
from actiontrack.reports import services
from actiontrack.reports.data import public_version
from actiontrack.reports.models import IssuedFile
from actiontrack.reports.selectors import report_data

from .conftest import NOVEMBER
from .readback import pdf_text
from .test_pages import edit_data

pytestmark = pytest.mark.django_db
EXEMPTION = ("Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972: information about the "
             "financial or business affairs of a particular person.")
RISK = "Not meeting the deadline of improvement recommendations."


def url(name, report, *extra):
    return reverse(f"reports:{name}", args=["PIP-PR", report.pk, *extra])


def exempt_risks(client, report):
    return client.post(url("edit", report), {**edit_data(report, exemption=EXEMPTION),
                                             "exempt_sections": ["risks_and_mitigations"]})


def test_a_plan_manager_leaves_a_section_out_of_the_public_version(november_report, plan_manager, signed_in,
                                                                  tmp_path):
    client = signed_in(plan_manager)
    assert exempt_risks(client, november_report).status_code == 302
    november_report.refresh_from_db()
    page = client.get(url("detail", november_report)).content.decode()
    assert "Show the public version" in page and RISK in page
    public_page = client.get(url("detail", november_report) + "?version=public").content.decode()
    assert RISK not in public_page and "This section is exempt from publication." in public_page

    response = client.get(url("download", november_report, "pdf") + "?version=public")
    assert response["Content-Disposition"].endswith('-draft-public.pdf"')
    path = tmp_path / "public.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert RISK not in text and f"This section is exempt from publication. {EXEMPTION}" in text
    assert "Public version: exempt material removed" in text
    assert "Monthly Update - Protection Improvement Plan Peer Review" in text  # the rest is all there
    word = docx.Document(io.BytesIO(client.get(url("download", november_report, "docx") + "?version=public")
                                    .content))
    assert not any(RISK in p.text for p in word.paragraphs)

    services.report_issue(actor=Actor.of(plan_manager), report=november_report, today=NOVEMBER)
    full = client.get(url("download", november_report, "pdf"))
    stored = IssuedFile.objects.get(report=november_report, format="pdf")
    assert full.content == file_store.read_bytes(stored.store_name)
    public = client.get(url("download", november_report, "html") + "?version=public").content.decode()
    assert RISK not in public and EXEMPTION in public


def test_a_report_not_for_publication_that_names_no_section_has_every_section_left_out(november_report):
    data = report_data(november_report)
    data = public_version(type(data)(**{**data.__dict__, "for_publication": False, "exemption": EXEMPTION}))
    assert all(section.blocks[0].text.startswith("This section is exempt") for section in data.sections)
    assert all(len(section.blocks) == 1 for section in data.sections)


def test_a_section_cannot_be_exempt_without_the_paragraph_it_relies_on(november_report, plan_manager, signed_in):
    client = signed_in(plan_manager)
    response = client.post(url("edit", november_report), {**edit_data(november_report, exemption=""),
                                                          "exempt_sections": ["risks_and_mitigations"]})
    assert response.status_code == 400
    assert "need the exemption paragraph they rely on" in response.content.decode()
    november_report.refresh_from_db()
    assert november_report.exempt_sections == []
    assert not report_data(november_report).has_public_version
