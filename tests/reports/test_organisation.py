"""An administrator sets the organisation's name, logo and committee-paper template once; every board report
then carries the name and logo, and its Word version is built on the template — the template's styles, header
and footer kept, page numbers added. A plan manager is refused the page; bad files are refused saying why."""

import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from actiontrack.core.models import JournalEvent
from actiontrack.reports import renderers
from actiontrack.reports.models import Organisation
from actiontrack.reports.selectors import report_data, report_file

from .readback import pdf_text

pytestmark = pytest.mark.django_db
URL = reverse("administration:organisation")
NAME = "Essex County Fire and Rescue Service"
ALT = "Essex County Fire and Rescue Service logo"


def png(width=1200, height=300) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def committee_template() -> bytes:
    """A committee-paper template as an organisation keeps one: its own body font, a header naming the paper
    and a footer with its protective marking, and example wording in the body."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    document.styles["Normal"].font.size = Pt(12)
    document.sections[0].header.paragraphs[0].text = "ECFRS Committee Paper"
    document.sections[0].footer.paragraphs[0].text = "OFFICIAL – Essex County Fire and Rescue Service"
    document.add_paragraph("Replace this example wording with the report.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def upload(client, **fields):
    data = {"name": NAME, "logo_alt": ALT, **fields}
    return client.post(URL, data)


def test_an_administrator_sets_name_logo_and_template_and_the_report_carries_them(
        november_report, administrator, signed_in, tmp_path):
    client = signed_in(administrator)
    assert client.get(URL).status_code == 200
    response = upload(client, logo=SimpleUploadedFile("crest.png", png(), "image/png"),
                      template=SimpleUploadedFile("committee-paper.docx", committee_template()))
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get()
    with Image.open(io.BytesIO(bytes(org.logo))) as stored:
        assert (stored.format, stored.size) == ("PNG", (800, 200))  # re-encoded, no larger than it needs
    assert JournalEvent.objects.filter(entity_type="organisation", actor=administrator).exists()

    data = report_data(november_report)
    assert data.organisation == NAME and data.logo.startswith("data:image/png;base64,") and data.logo_alt == ALT
    html = renderers.render("html", data).decode()
    assert f'alt="{ALT}"' in html and NAME in html

    pdf = tmp_path / "november.pdf"
    pdf.write_bytes(renderers.render("pdf", data))
    assert NAME in pdf_text(pdf)
    checked = subprocess.run([str(Path(sys.executable).parent / "pdfua"), "check", str(pdf)], capture_output=True,
                             text=True)
    assert "errors=0 warnings=0" in checked.stdout, checked.stdout  # the logo has its alt text

    word = docx.Document(io.BytesIO(report_file(november_report, "docx").content))
    assert word.styles["Normal"].font.name == "Georgia"  # the template's styles, not ours
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "ECFRS Committee Paper"
    assert section.footer.paragraphs[0].text == "OFFICIAL – Essex County Fire and Rescue Service"
    fields = [f.get(qn("w:instr")) for f in section.footer._element.iter(qn("w:fldSimple"))]
    assert fields == ["PAGE", "NUMPAGES"]  # "Page 3 of 7" added to the template's footer
    text = [p.text for p in word.paragraphs]
    assert "Replace this example wording with the report." not in text
    assert NAME in text and "Monthly Update - Protection Improvement Plan Peer Review" in text
    assert any(t.rows[0].cells[0].text == "Ref" for t in word.tables)  # the action table, in full


def test_without_a_template_the_word_report_uses_our_layout_with_the_logo_and_its_alt_text(
        november_report, administrator, signed_in):
    upload(signed_in(administrator), logo=SimpleUploadedFile("crest.jpg", _jpeg(), "image/jpeg"))
    word = docx.Document(io.BytesIO(report_file(november_report, "docx").content))
    pictures = [pr.get("descr") for pr in word.element.body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert pictures[0] == ALT  # the logo first, then the chart
    assert word.styles["Normal"].font.name == "Arial"


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 120), (0, 60, 120)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(("fields", "message"), [
    ({"logo": lambda: SimpleUploadedFile("crest.png", b"not an image", "image/png")},
     "The logo could not be read as an image: upload a PNG or JPEG."),
    ({"logo": lambda: SimpleUploadedFile("crest.gif", _gif(), "image/gif")}, "The logo is a GIF image"),
    ({"logo": lambda: SimpleUploadedFile("crest.png", png(), "image/png"), "logo_alt": ""},
     "Say what the logo shows, for people who cannot see it"),
    ({"template": lambda: SimpleUploadedFile("paper.docx", b"%PDF-1.7 not a Word document")},
     "is a damaged archive (File is not a zip file). Open the template in Word and save it as a Word Document"),
    ({"template": lambda: SimpleUploadedFile("paper.docx", _zip_not_word())}, "could not be opened as a Word "
                                                                                 "document"),
    ({"template": lambda: SimpleUploadedFile("paper.dotx", committee_template())}, "is not a Word document (.docx)"),
])
def test_bad_files_are_refused_saying_why_and_nothing_is_saved(db, administrator, signed_in, fields, message):
    client = signed_in(administrator)
    response = upload(client, **{key: value() if callable(value) else value for key, value in fields.items()})
    assert response.status_code == 400
    assert message in response.content.decode()
    org = Organisation.objects.filter(pk=1).first()
    assert org is None or (not org.logo and not org.docx_template and org.name == "")


def _zip_not_word() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "A zip file, but not a Word document.")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (40, 40)).save(out, format="GIF")
    return out.getvalue()


def test_a_plan_manager_is_refused_the_organisation_page(db, plan_manager, signed_in):
    client = signed_in(plan_manager)
    assert client.get(URL).status_code == 403
    assert upload(client, logo=SimpleUploadedFile("crest.png", png(), "image/png")).status_code == 403
    assert not Organisation.objects.exists()
