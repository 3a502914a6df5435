"""Evidence files are judged by what is inside them. An Office document carrying macros or a program is refused
whatever it is named; an OLE2 file is accepted only when it really is an Outlook message; and no message ever
says where the server keeps its files. Every file here is built in the test."""

import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.domain.filetypes import DOCX, MSG, XLSX, FileTypeError, sniff
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services.evidence import evidence_add_file

from .compound import EXCEL_WORKBOOK, OUTLOOK_MESSAGE, OUTLOOK_STORAGES, PROGRAM, WORD_DOCUMENT, compound_file

MACROS = "application/vnd.ms-word.document.macroEnabled.main+xml"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Audit of fire safety inspections, November 2021.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Action", "Owner"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rezip(content: bytes, add: dict[str, bytes] = (), replace: dict[str, bytes] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, dict(replace).get(item.filename, source.read(item.filename)))
        for name, data in dict(add).items():
            target.writestr(name, data)
    return out.getvalue()


def content_types(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("[Content_Types].xml")


def refusal(content: bytes, name: str) -> str:
    with pytest.raises(FileTypeError) as refused:
        sniff(io.BytesIO(content), name)
    return str(refused.value)


def test_a_plain_word_document_and_workbook_are_accepted():
    assert sniff(io.BytesIO(word_document()), "audit.docx") is DOCX
    assert sniff(io.BytesIO(workbook()), "tracker.xlsx") is XLSX


def test_a_word_document_with_an_excel_sheet_embedded_in_it_is_still_accepted():
    content = rezip(word_document(), add={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": workbook()})
    assert sniff(io.BytesIO(content), "audit.docx") is DOCX


@pytest.mark.parametrize(("build", "name", "part"), [
    (word_document, "audit.docx", "word/vbaProject.bin"),
    (workbook, "tracker.xlsx", "xl/vbaProject.bin"),
    (word_document, "audit.docx", "word/activeX/activeX1.bin"),
])
def test_a_document_carrying_a_macro_project_is_refused_naming_the_part(build, name, part):
    message = refusal(rezip(build(), add={part: b"\xd0\xcf\x11\xe0 a VBA project"}), name)
    assert message.startswith(f"'{name}' is a ") and "with macros or controls" in message and part in message
    assert "without macros, or as PDF" in message


def test_a_macro_enabled_docm_is_refused_whatever_it_is_named():
    original = word_document()
    docm = rezip(original, replace={"[Content_Types].xml": content_types(original).replace(
        WORD_MAIN.encode(), MACROS.encode())}, add={"word/vbaProject.bin": b"VBA"})
    for name in ("report.docm", "report.docx"):
        assert "with macros or controls" in refusal(docm, name)
    declared_only = rezip(original, replace={"[Content_Types].xml": content_types(original).replace(
        WORD_MAIN.encode(), MACROS.encode())})
    assert "its content types declare them" in refusal(declared_only, "report.docx")


@pytest.mark.parametrize(("part", "data"), [
    ("word/embeddings/setup.exe", PROGRAM),
    ("word/embeddings/notes.txt.exe", b"not even a program, but named as one"),
    ("word/embeddings/oleObject1.bin", compound_file(["\x01Ole10Native", "\x01CompObj"], payload=PROGRAM)),
    ("word/media/image1.png", PROGRAM),
])
def test_a_document_with_a_program_embedded_in_it_is_refused(part, data):
    message = refusal(rezip(word_document(), add={part: data}), "audit.docx")
    assert "with a program embedded in it" in message and part in message


def test_padding_cannot_use_up_the_check_before_the_embedded_program_is_read():
    """33 MB of zeros compress to a few kilobytes: read first, they used to exhaust the scan, and the program
    after them passed unread."""
    padding = {"word/media/padding.bin": bytes(33 * 1024 * 1024)}
    embedded = rezip(word_document(), add={**padding, "word/embeddings/oleObject1.bin": PROGRAM})
    assert "with a program embedded in it (word/embeddings/oleObject1.bin)" in refusal(embedded, "audit.docx")
    elsewhere = rezip(word_document(), add={**padding, "word/media/image2.png": PROGRAM})
    assert "too large to check for embedded programs" in refusal(elsewhere, "audit.docx")


def test_a_real_outlook_message_is_accepted():
    message = compound_file(OUTLOOK_MESSAGE, OUTLOOK_STORAGES)
    assert sniff(io.BytesIO(message), "Re: audit findings.msg") is MSG
    assert "is named as .doc but its content is a Outlook message" in refusal(message, "findings.doc")


@pytest.mark.parametrize(("streams", "name"), [
    (WORD_DOCUMENT, "minutes.doc"), (WORD_DOCUMENT, "minutes.msg"), (EXCEL_WORKBOOK, "tracker.xls"),
    (EXCEL_WORKBOOK, "tracker.msg"), (["__properties_version1.0"], "half.msg"),
])
def test_an_old_word_or_excel_file_is_refused_even_when_named_msg(streams, name):
    message = refusal(compound_file(streams), name)
    assert message.startswith(f"'{name}' is an old-style Office file (.doc, .xls or .ppt)")
    assert "save it as .docx, .xlsx, .pptx or PDF" in message


@pytest.mark.parametrize("content", [
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 2000,
    compound_file(OUTLOOK_MESSAGE)[:700], compound_file(OUTLOOK_MESSAGE)[:512] + b"\x00" * 1536,
])
def test_a_damaged_compound_file_is_refused_not_a_crash(content):
    assert "old-style Office file" in refusal(content, "broken.msg")


@pytest.fixture
def upload_as(settings, tmp_path, owner):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    action = action_by_ref(Plan.objects.get(reference="PIP-PR"), "5.1")

    def upload(content: bytes, name: str):
        return evidence_add_file(actor=Actor.of(owner), action=action, upload=SimpleUploadedFile(name, content),
                                 title="", today=timezone.localdate())
    return upload


def test_an_owner_attaches_an_outlook_message_and_a_plain_document(upload_as):
    assert upload_as(compound_file(OUTLOOK_MESSAGE, OUTLOOK_STORAGES), "findings.msg").content_type == MSG.content_type
    assert upload_as(word_document(), "audit.docx").content_type == DOCX.content_type


def test_a_refused_upload_names_the_file_but_never_a_folder_on_the_server(upload_as, settings, tmp_path):
    docm = rezip(word_document(), add={"word/vbaProject.bin": b"VBA"})
    with pytest.raises(ValidationError) as refused:
        upload_as(docm, "C:\\Users\\cparker\\Documents\\audit.docx")
    message = " ".join(refused.value.message_dict["file"])
    assert message.startswith("'audit.docx' is a Word document with macros") and "Users" not in message
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the uploads folder should be")
    settings.MEDIA_ROOT = blocker
    with pytest.raises(ValidationError) as failed:
        upload_as(word_document(), "audit.docx")
    message = " ".join(failed.value.message_dict["file"])
    assert "could not be saved" in message and str(tmp_path) not in message and "/tmp" not in message
