"""What is refused before a file is read: too big, not what its name says (judged by content), a zip bomb
(a small DOCX/XLSX that unpacks to gigabytes), an XML entity attack ("billion laughs", external entities).
Limits are settings with safe defaults; each refusal says what was wrong and what the limit is."""

from __future__ import annotations

import codecs
import re
import tempfile
import zipfile
from pathlib import Path
from typing import BinaryIO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.conf import settings

from .base import ImportRefused

FORMATS = {
    "docx": ("Word document", ".docx"),
    "xlsx": ("Excel workbook", ".xlsx"),
    "csv": ("CSV file", ".csv"),
    "json": ("actiontrack JSON export", ".json"),
}
ACCEPTED = "Word (.docx), Excel (.xlsx), CSV (.csv) or actiontrack JSON (.json)"
_OOXML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
MAX_ZIP_MEMBERS = 10_000
BIG_MEMBER = 1024 * 1024  # the compression ratio is checked for members unpacking to more than this


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_MB", 20)) * 1024 * 1024


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 10_000))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UNPACKED_MB", 200)) * 1024 * 1024


def max_ratio() -> int:
    return int(getattr(settings, "IMPORT_MAX_ZIP_RATIO", 100))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def size_of(stream: BinaryIO) -> int:
    position = stream.tell()
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(position)
    return size


def suffix_of(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_kind(head: bytes, stream: BinaryIO) -> str:
    """What the content is: a format key, or a description of what it is instead."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "a damaged zip archive"
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names:
            for part, kind in _OOXML.items():
                if part in names:
                    return kind
            return "an Office document of another kind"
        return "a zip archive"
    if head.startswith(b"%PDF-"):
        return "a PDF document"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old-style Office file (.doc or .xls): save it as .docx or .xlsx"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if head.startswith((b"{\\rtf",)):
        return "a rich text (RTF) document: save it as .docx"
    if not head:
        return "empty"
    text = text_head(head)
    if text is None:
        return "not text"
    stripped = text.lstrip()
    if stripped.startswith(("<?xml", "<html", "<!DOCTYPE", "<HTML")):
        return "an XML or HTML file"
    if stripped.startswith(("{", "[")):
        return "json"
    return "csv"


def text_head(head: bytes) -> str | None:
    """The start of a text file, decoded, or None if it is not text."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            text = head[len(bom):].decode(encoding, errors="ignore")
            break
    else:
        if b"\x00" in head:
            return None
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = head[: exc.start].decode("utf-8") if exc.start >= len(head) - 4 else head.decode("cp1252", "replace")
    # Text pasted from Word and other programs carries a few control characters (a manual line break is a
    # vertical tab); they are normalised when read. A file where they are common is not text.
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f\v")
    return None if controls > max(2, len(text) // 100) else text


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def check(stream: BinaryIO, name: str) -> str:
    """The format of an upload, after every check. Raises ImportRefused with a message for the person."""
    size = size_of(stream)
    if size > max_bytes():
        raise ImportRefused(f"{name!r} is {_mb(size)}; the largest file an import takes is {_mb(max_bytes())} "
                            "(setting IMPORT_MAX_MB).")
    stream.seek(0)
    head = stream.read(4096)
    stream.seek(0)
    found = _content_kind(head, stream)
    suffix = suffix_of(name)
    claimed = next((key for key, (_, ext) in FORMATS.items() if ext == suffix), None)
    if claimed is None:
        raise ImportRefused(f"{name!r} cannot be imported: only {ACCEPTED} files can.")
    if found != claimed:
        what = FORMATS[found][0] if found in FORMATS else found
        if found == "empty":
            raise ImportRefused(f"{name!r} is empty.")
        raise ImportRefused(f"{name!r} is named as {_a(FORMATS[claimed][0])} ({suffix}) but its content is "
                            f"{_a(what) if found in FORMATS else what}. Only {ACCEPTED} files can be imported, "
                            "judged by what is in them, not by their name.")
    if found in ("docx", "xlsx"):
        check_zip(stream, name)
    return found


def check_zip(stream: BinaryIO, name: str) -> None:
    """Refuse zip bombs and XML entity attacks before python-docx or openpyxl open the file. The sizes are
    the ones the archive declares; Python's zipfile never unpacks more than a member declares."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise ImportRefused(f"{name!r} holds {len(members):,} parts; a real document holds far fewer.")
            unpacked = sum(m.file_size for m in members)
            packed = sum(m.compress_size for m in members) or 1
            if unpacked > max_unpacked_bytes():
                raise ImportRefused(f"{name!r} would unpack to {_mb(unpacked)}, more than the "
                                    f"{_mb(max_unpacked_bytes())} allowed (setting IMPORT_MAX_UNPACKED_MB): "
                                    "it may be a zip bomb.")
            ratios = [(m.file_size / max(m.compress_size, 1), m.file_size) for m in members]
            ratios.append((unpacked / packed, unpacked))
            for ratio, size in ratios:
                if size > BIG_MEMBER and ratio > max_ratio():
                    raise ImportRefused(f"{name!r} is compressed {ratio:,.0f} to 1, more than the {max_ratio()} to 1 "
                                        "allowed (setting IMPORT_MAX_ZIP_RATIO): it may be a zip bomb.")
            for member in members:
                if not member.is_dir():
                    check_member(archive, member, name)
    except ImportRefused:
        raise
    except zipfile.BadZipFile as exc:
        raise ImportRefused(f"{name!r} is a damaged archive ({reason(exc)}).") from None
    except (OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ImportRefused(f"{name!r} could not be unpacked ({reason(exc)}).") from None
    finally:
        stream.seek(0)


_XML_NAMES = (".xml", ".rels", ".vml")
# An entity declaration as written in UTF-8 (or any ASCII-based encoding) and in UTF-16 either way round. (A bare
# <!DOCTYPE html> may sit in an embedded web page; it is refused only in a part that is read as XML.)
_DECLARATIONS = tuple("<!ENTITY".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be"))
_DECLARATION_WIDTH = max(len(mark) for mark in _DECLARATIONS)


def _looks_like_xml(head: bytes) -> bool:
    """Whether a part starts as XML does (after any byte order mark and white space), whatever its name: the
    package's [Content_Types].xml can tell a reader to parse a part named .bin or .txt as XML."""
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            return True
    return head.lstrip(b" \t\r\n").startswith((b"<", b"<\x00", b"\x00<"))


def check_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """Refuse a part that declares XML entities, whatever it is named: a part that reads as XML is parsed up to its
    root element (no DTD at all), and every part is also searched for an entity declaration anywhere in it."""
    with archive.open(member) as part:
        head = part.read(4096)
    xml_named = member.filename.lower().endswith(_XML_NAMES)
    if xml_named or _looks_like_xml(head):
        with archive.open(member) as part:
            # A part not named as XML that only starts like it (an embedded web page) is not refused for being
            # badly formed: nothing reads it as XML then. A DTD in it is refused all the same.
            check_xml(part, name, member.filename, damaged_is_refused=xml_named)
    with archive.open(member) as part:
        tail = b""
        while chunk := part.read(64 * 1024):  # small reads: with 1 MB ones this search was the parse's peak memory
            window = tail + chunk
            if any(mark in window for mark in _DECLARATIONS):
                raise ImportRefused(f"{name!r} was refused: its part {member.filename} declares XML entities, which "
                                    "real documents never do (an XML entity attack).")
            tail = chunk[-_DECLARATION_WIDTH:]


def reason(exc: BaseException) -> str:
    """What went wrong, for a person, without any path on this server: an operating system error by its
    description alone, anything else with the data folder, the temporary folder and any file's path cut out."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return without_paths(str(exc))


_FILE_REPR = re.compile(r"<[^<>]*name=['\"][^'\"]*['\"][^<>]*>")
_ABSOLUTE = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\](?:[^\s'\"<>/\\]+[/\\])+[^\s'\"<>]*")


def without_paths(text: str) -> str:
    """`text` with every absolute file path (and a file object's description, which names one) replaced by
    "(a file on the server)": a message shown to a person never says where the server keeps anything."""
    text = _ABSOLUTE.sub("(a file on the server)", _FILE_REPR.sub("(a file on the server)", text))
    for folder in {str(Path(getattr(settings, "DATA_DIR", "") or "/")), str(Path(settings.MEDIA_ROOT)),
                   tempfile.gettempdir()}:
        if len(folder) > 1:  # a folder named on its own, with nothing after it
            text = re.sub(re.escape(folder) + r"(?![\w.-])", "(a folder on the server)", text)
    return text


class _Root(Exception):
    """Raised when the root element starts: a DTD can only come before it, so the rest is not needed."""


class _StopAtRoot:
    def start(self, tag, attrib):
        raise _Root

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


def check_xml(part: BinaryIO, name: str, member: str, damaged_is_refused: bool = True) -> None:
    """Refuse any DTD or entity declaration (OOXML has none): defusedxml raises on them. Only the prolog
    is read: parsing stops at the root element."""
    parser = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=True, forbid_entities=True,
                              forbid_external=True)
    try:
        while chunk := part.read(16384):
            parser.feed(chunk)
        parser.close()
    except _Root:
        return
    except DefusedXmlException:
        raise ImportRefused(f"{name!r} was refused: its part {member} declares XML entities or a DTD, which "
                            "real documents never do (an XML entity attack).") from None
    except Exception as exc:  # noqa: BLE001 - any other XML error: the file is damaged
        if not damaged_is_refused:
            return
        raise ImportRefused(f"{name!r} is damaged: its part {member} is not well-formed XML ({reason(exc)}).") from None
