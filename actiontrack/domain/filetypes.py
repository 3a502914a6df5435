"""What a file is, judged by its content, never by its name: evidence uploads are checked with this."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF document", "application/pdf", (".pdf",))
DOCX = FileType("docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                (".docx",))
XLSX = FileType("xlsx", "Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                (".xlsx",))
PPTX = FileType("pptx", "PowerPoint presentation",
                "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
TXT = FileType("txt", "text file", "text/plain", (".txt",))
CSV = FileType("csv", "CSV file", "text/csv", (".csv",))
EML = FileType("eml", "email message", "message/rfc822", (".eml",))
MSG = FileType("msg", "Outlook message", "application/vnd.ms-outlook", (".msg",))

ALLOWED = (PDF, DOCX, XLSX, PPTX, PNG, JPEG, TXT, CSV, EML, MSG)
ALLOWED_NAMES = "PDF, DOCX, XLSX, PPTX, PNG, JPEG, TXT, CSV, EML or MSG"

_OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
_EMAIL_HEADERS = (b"from:", b"to:", b"subject:", b"date:", b"received:", b"message-id:", b"mime-version:",
                  b"return-path:")


class FileTypeError(ValueError):
    pass


def _text_kind(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a multi-byte character cut at the end of the sample is fine
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return all(b >= 0x20 or b in b"\t\r\n\f" for b in head)


def _ooxml(stream: BinaryIO) -> FileType | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in _OOXML_PARTS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def sniff(stream: BinaryIO, name: str) -> FileType:
    """The allowed type this content is, checked against what the name claims. Raises FileTypeError with a
    message for the person uploading."""
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif head.startswith(b"PK\x03\x04"):
        found = _ooxml(stream)
        stream.seek(0)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        found = MSG if suffix == ".msg" else None  # OLE2 is also old .doc/.xls: only accepted as Outlook .msg
    elif head and _text_kind(head):
        first_lines = head.lower().splitlines()[:20]
        is_email = sum(any(line.startswith(h) for h in _EMAIL_HEADERS) for line in first_lines) >= 2
        found = EML if is_email and suffix == ".eml" else CSV if suffix == ".csv" else TXT
    if found is None:
        what = "is empty" if not head else "is not a type that can be attached"
        raise FileTypeError(f"{name!r} {what}: evidence must be {ALLOWED_NAMES}, judged by its content.")
    if suffix not in found.extensions and not (found in (TXT, CSV, EML) and suffix in (".txt", ".csv", ".eml")):
        raise FileTypeError(f"{name!r} is named as {suffix or 'no type'} but its content is a {found.label}. "
                            f"Rename it to {found.extensions[0]} if that is what it is.")
    return found
