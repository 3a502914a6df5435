"""Every part of an uploaded Word document or workbook is checked for XML entity declarations, whatever the part
is named (the package's content types can make a reader parse a .bin or .txt part as XML), and no refusal ever
says where the server keeps its files."""

import io
import zipfile

import pytest

from actiontrack.interchange.importing.base import ImportRefused
from actiontrack.interchange.importing.safety import check, reason, without_paths
from actiontrack.interchange.registry import parse_file

from .fixtures import docx_bytes, xlsx_bytes

ENTITIES = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>'
TRACKER = xlsx_bytes({"T": [["Recommendation", "Action", "Owner"], ["R.", "A.", "Head of Protection"]]})


def with_part(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        target.writestr(name, data)
    return out.getvalue()


def refused(content: bytes, name: str) -> str:
    result = parse_file(io.BytesIO(content), name)
    assert result.refused and list(result.rows) == []
    return result.refused


@pytest.mark.parametrize(("part", "data"), [
    ("docProps/custom.bin", ENTITIES),
    ("foo.txt", ENTITIES),
    ("xl/media/notes", b"   \n" + ENTITIES),
    ("customXml/item1.dat", ENTITIES.decode().encode("utf-16")),
    ("xl/embeddings/readme.txt", b"Some text first, then " + ENTITIES),
])
def test_an_entity_declaration_in_any_part_is_refused_whatever_the_part_is_named(part, data):
    message = refused(with_part(TRACKER, part, data), "tracker.xlsx")
    assert f"its part {part} declares XML entities" in message and "XML entity attack" in message


def test_a_word_document_with_entities_in_an_oddly_named_part_is_refused_too():
    word = docx_bytes([[["Action", "Owner"], ["A.", "B"]]])
    assert "declares XML entities" in refused(with_part(word, "word/glossary.bin", ENTITIES), "plan.docx")


def test_a_real_document_with_binary_parts_is_still_accepted():
    content = with_part(TRACKER, "xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert check(io.BytesIO(content), "tracker.xlsx") == "xlsx"


def test_reasons_never_carry_a_path_on_the_server(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    error = FileNotFoundError(2, "No such file or directory", str(tmp_path / "uploads" / "imports" / "abc"))
    assert reason(error) == "No such file or directory"
    described = f"Package not found at '<_io.BufferedReader name='{tmp_path}/uploads/imports/abc'>'"
    assert str(tmp_path) not in without_paths(described) and "Package not found at" in without_paths(described)
    assert without_paths("cannot open /tmp/tmpa1b2c3.upload.xlsx now") == "cannot open (a file on the server) now"
    assert without_paths(f"kept in {settings.MEDIA_ROOT}") == "kept in (a file on the server)"
    assert without_paths("kept in /tmp") == "kept in (a folder on the server)"
    assert without_paths("its part xl/workbook.xml, line 1, column 0") == "its part xl/workbook.xml, line 1, column 0"


def test_a_damaged_archive_is_refused_without_a_path(tmp_path):
    broken = bytearray(TRACKER)
    broken[40:60] = b"\xff" * 20  # inside the first member's header: its data cannot be read
    stored = tmp_path / "imports" / "0123abcd"
    stored.parent.mkdir()
    stored.write_bytes(bytes(broken))
    with stored.open("rb") as stream, pytest.raises(ImportRefused) as refusal:
        check(stream, "tracker.xlsx")
    assert str(tmp_path) not in str(refusal.value) and "/tmp" not in str(refusal.value)
