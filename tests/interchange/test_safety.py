"""What is refused before anything is read, with a message saying why: files too big or too long, files
that are not what their name says, zip bombs, XML entity attacks."""

import io
import zipfile

import pytest

from actiontrack.interchange.registry import parse_file

from .fixtures import csv_bytes, docx_bytes, xlsx_bytes

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TRACKER = xlsx_bytes({"T": [["Recommendation", "Action", "Owner"], ["R.", "A.", "Head of Protection"]]})


def refused(content: bytes, name: str) -> str:
    result = parse_file(io.BytesIO(content), name)
    assert result.refused and result.errors and list(result.rows) == []
    return result.refused


def rezip(content: bytes, replace: dict[str, bytes] = (), add: dict[str, bytes] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, dict(replace).get(item.filename, source.read(item.filename)))
        for name, data in dict(add).items():
            target.writestr(name, data)
    return out.getvalue()


def test_a_pdf_named_xlsx_is_refused_saying_what_it_really_is():
    message = refused(PDF, "tracker.xlsx")
    assert message.startswith("'tracker.xlsx' is named as an Excel workbook (.xlsx) but its content is a PDF document")
    assert "judged by what is in them, not by their name" in message


@pytest.mark.parametrize(("content", "name", "says"), [
    (docx_bytes([[["Action"]]]), "tracker.xlsx", "its content is a Word document"),
    (TRACKER, "plan.docx", "its content is an Excel workbook"),
    (TRACKER, "tracker.csv", "its content is an Excel workbook"),
    (b"PK\x03\x04not really a zip", "tracker.xlsx", "its content is a damaged zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "old-style Office file"),
    (b"Ref,Action\n1.1,A\n", "tracker.txt", "only Word (.docx), Excel (.xlsx), CSV (.csv) or actiontrack JSON"),
    (b"", "tracker.csv", "'tracker.csv' is empty"),
    (b"<?xml version='1.0'?><a/>", "tracker.csv", "XML or HTML file"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(content, name, says):
    assert says in refused(content, name)


def test_a_file_over_the_size_limit_is_refused_naming_the_setting(settings):
    settings.IMPORT_MAX_MB = 1
    message = refused(csv_bytes([["Action"]] + [["x" * 100]] * 12000), "big.csv")
    assert "the largest file an import takes is 1.0 MB (setting IMPORT_MAX_MB)" in message


def test_a_file_with_more_rows_than_the_limit_is_an_error_naming_the_setting(settings):
    settings.IMPORT_MAX_ROWS = 5
    result = parse_file(io.BytesIO(csv_bytes([["Action", "Owner"]] + [[f"A{n}", "X"] for n in range(10)])), "t.csv")
    assert any("more than 5 actions" in e.message and "IMPORT_MAX_ROWS" in e.message for e in result.errors)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(settings):
    bomb = rezip(TRACKER, add={"xl/media/padding.bin": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 200_000
    assert "compressed 1,0" in refused(bomb, "tracker.xlsx") and "IMPORT_MAX_ZIP_RATIO" in refused(bomb, "tracker.xlsx")
    settings.IMPORT_MAX_UNPACKED_MB = 10
    message = refused(bomb, "tracker.xlsx")
    assert "would unpack to 30.0 MB, more than the 10.0 MB allowed (setting IMPORT_MAX_UNPACKED_MB)" in message


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>&lol3;</sheets></workbook>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>&x;</w:body></w:document>"""


def test_an_xml_entity_attack_is_refused():
    message = refused(rezip(TRACKER, replace={"xl/workbook.xml": BILLION_LAUGHS}), "tracker.xlsx")
    assert "declares XML entities or a DTD" in message and "xl/workbook.xml" in message
    word = docx_bytes([[["Action", "Owner"], ["A.", "B"]]])
    assert "XML entity attack" in refused(rezip(word, replace={"word/document.xml": EXTERNAL}), "plan.docx")


@pytest.mark.parametrize("name", ["tracker.xlsx", "plan.docx", "t.csv", "plan.json"])
def test_random_bytes_are_refused_or_reported_never_a_crash(name):
    import random

    rng = random.Random(5)
    for _ in range(20):
        content = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        result = parse_file(io.BytesIO(content), name)
        assert result.errors or list(result.rows) == [] or result.problems is not None


def test_a_damaged_part_inside_a_real_workbook_or_document_is_refused_not_a_crash():
    broken = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
             b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Action</t></is></c></row><row>"
    message = refused(rezip(TRACKER, replace={"xl/worksheets/sheet1.xml": broken}), "tracker.xlsx")
    assert message.startswith("'tracker.xlsx' could not be read as an Excel workbook")
    word = docx_bytes([[["Action", "Owner"], ["A.", "B"]]])
    document = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/' \
               b'main"><w:body><w:tbl>'
    assert "could not be read as a Word document" in refused(rezip(word, replace={"word/document.xml": document}),
                                                             "plan.docx")
