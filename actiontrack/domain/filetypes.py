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
            if "[Content_Types].xml" not in names:
                return None
            kind = next((kind for prefix, kind in _OOXML_PARTS.items() if any(n.startswith(prefix) for n in names)),
                        None)
            if kind is not None:
                _refuse_active_content(archive, kind)
            return kind
    except FileTypeError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return None


# Office documents that carry code: Visual Basic projects (a .docm or .xlsm, whatever it is named) and
# ActiveX controls. Evidence is read by people, so a document never needs them.
_MACRO_PARTS = ("vbaproject.bin", "vbaprojectsignature.bin", "vbadata.xml")
_MACRO_TYPES = (b"macroenabled", b"vbaproject", b"activex")
_EXECUTABLE_SUFFIXES = (".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".bat", ".cmd", ".ps1",
                        ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".hta", ".jar", ".lnk", ".reg", ".sys")
# What every Windows program carries near its start (the DOS stub), found wherever a program is packaged inside
# an embedded object (an OLE "Package" holds the file's bytes as they are).
_PROGRAM_MARK = b"This program cannot be run in DOS mode"
_EMBEDDED_SCAN_BYTES = 32 * 1024 * 1024  # all members together: the file itself is at most EVIDENCE_MAX_MB


def _refuse_active_content(archive: zipfile.ZipFile, kind: FileType) -> None:
    """Refuse an Office document carrying macros or an embedded program, naming the part."""
    for info in archive.infolist():
        lowered = info.filename.lower()
        if lowered.rsplit("/", 1)[-1] in _MACRO_PARTS or "/activex/" in f"/{lowered}":
            raise FileTypeError(f"is a {kind.label} with macros or controls ({info.filename}): attach it saved "
                                f"as {kind.extensions[0]} without macros, or as PDF.")
        if lowered.endswith(_EXECUTABLE_SUFFIXES):
            raise FileTypeError(f"is a {kind.label} with a program embedded in it ({info.filename}): evidence "
                                "cannot carry programs.")
    with archive.open("[Content_Types].xml") as part:
        content_types = part.read(1024 * 1024).lower()
    if any(mark in content_types for mark in _MACRO_TYPES):
        raise FileTypeError(f"is a {kind.label} with macros or controls (its content types declare them): attach "
                            f"it saved as {kind.extensions[0]} without macros, or as PDF.")
    budget = _EMBEDDED_SCAN_BYTES
    # Embedded objects first, so padding elsewhere cannot use up the budget before they are read; and a file whose
    # parts are too large to read through is refused, never passed unread.
    members = sorted((info for info in archive.infolist() if not info.is_dir()),
                     key=lambda info: "embeddings/" not in info.filename.lower())
    for info in members:
        if budget <= 0:
            raise FileTypeError(f"is a {kind.label} too large to check for embedded programs: attach it as PDF, or "
                                "split it.")
        with archive.open(info) as part:
            head = part.read(min(budget, 64 * 1024))
            budget -= len(head)
            found = head.startswith(b"MZ") or _PROGRAM_MARK in head
            tail = head[-len(_PROGRAM_MARK):]
            while not found and budget > 0 and (chunk := part.read(min(budget, 1024 * 1024))):
                budget -= len(chunk)
                found = _PROGRAM_MARK in tail + chunk
                tail = chunk[-len(_PROGRAM_MARK):]
        if found:
            raise FileTypeError(f"is a {kind.label} with a program embedded in it ({info.filename}): evidence "
                                "cannot carry programs.")


# OLE2 compound files ("structured storage") are old .doc/.xls/.ppt files and Outlook .msg messages alike. Only a
# message is accepted: it is told apart by the streams every .msg has (MS-OXMSG 2.1).
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SPECIAL = 0xFFFFFFFA  # sector numbers from here on mark free sectors, chain ends and FAT sectors


def _u32(data: bytes, offset: int) -> int:
    return int.from_bytes(data[offset:offset + 4], "little")


def ole_names(stream: BinaryIO) -> set[str] | None:
    """The names of every stream and storage in an OLE2 compound file, or None if it is not one or is damaged.
    Reads the header, the FAT and the directory only; every chain is bounded by the file's own size."""
    stream.seek(0, 2)
    total = stream.tell()
    stream.seek(0)
    header = stream.read(512)
    if len(header) < 512 or not header.startswith(_OLE2):
        return None
    shift = int.from_bytes(header[30:32], "little")
    if shift not in (9, 12):
        return None
    size = 1 << shift
    sectors_in_file = max(0, total // size - 1)

    def sector(number: int) -> bytes | None:
        if number >= sectors_in_file:
            return None
        stream.seek((number + 1) * size)
        data = stream.read(size)
        return data if len(data) == size else None

    fat_sectors = [_u32(header, 76 + 4 * i) for i in range(109)]
    next_difat, seen = _u32(header, 68), set()
    while next_difat < _SPECIAL:
        data = sector(next_difat)
        if data is None or next_difat in seen:
            return None
        seen.add(next_difat)
        entries = [_u32(data, 4 * i) for i in range(size // 4)]
        fat_sectors += entries[:-1]
        next_difat = entries[-1]
    fat: list[int] = []
    for number in [n for n in fat_sectors if n < _SPECIAL][:_u32(header, 44)]:
        data = sector(number)
        if data is None:
            return None
        fat += [_u32(data, 4 * i) for i in range(size // 4)]
    names, visited, current = set(), set(), _u32(header, 48)
    while current < _SPECIAL:
        data = sector(current)
        if data is None or current in visited or current >= len(fat):
            return None
        visited.add(current)
        for offset in range(0, size, 128):
            entry = data[offset:offset + 128]
            length, kind = int.from_bytes(entry[64:66], "little"), entry[66]
            if kind in (1, 2, 5) and 2 <= length <= 64 and length % 2 == 0:
                names.add(entry[:length - 2].decode("utf-16-le", "replace"))
        current = fat[current]
    return names


def _outlook_message(stream: BinaryIO) -> bool:
    names = ole_names(stream)
    stream.seek(0)
    return bool(names) and "__properties_version1.0" in names and any(n.startswith("__substg1.0_") for n in names)


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
        try:
            found = _ooxml(stream)
        except FileTypeError as exc:
            raise FileTypeError(f"{name!r} {exc}") from None
        finally:
            stream.seek(0)
    elif head.startswith(_OLE2):
        found = MSG if _outlook_message(stream) else None
        if found is None:
            raise FileTypeError(f"{name!r} is an old-style Office file (.doc, .xls or .ppt), which can carry macros: "
                                "save it as .docx, .xlsx, .pptx or PDF and attach that. Only Outlook messages (.msg) "
                                "are accepted in this format.")
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
