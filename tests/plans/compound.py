"""A minimal OLE2 compound file ("structured storage"), written byte by byte for tests: what old .doc and .xls
files and Outlook .msg messages are made of. (No OLE library is a dependency of the project.)

Version 3, 512-byte sectors: the header, one FAT sector, then the directory. Every stream is empty, which is all
a reader of the directory needs; `payload` is appended after the directory as sectors no stream owns, standing in
for the content of an embedded object."""

from __future__ import annotations

import struct

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
STORAGE, STREAM, ROOT = 1, 2, 5


def _entry(name: str, kind: int, right: int = NONE, child: int = NONE) -> bytes:
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    assert len(encoded) <= 64
    return (encoded.ljust(64, b"\x00") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", NONE, right, child) + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<II", END, 0) + b"\x00" * 4)


def compound_file(names: list[str], storages: tuple[str, ...] = (), payload: bytes = b"") -> bytes:
    """A compound file whose root holds these streams (and storages, empty), in a chain of right siblings."""
    children = [(name, STREAM) for name in names] + [(name, STORAGE) for name in storages]
    entries = [_entry("Root Entry", ROOT, child=1 if children else NONE)]
    for index, (name, kind) in enumerate(children, start=1):
        entries.append(_entry(name, kind, right=index + 1 if index < len(children) else NONE))
    while len(entries) % 4:
        entries.append(b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NONE, NONE, NONE)
                       + b"\x00" * 48)
    directory = b"".join(entries)
    directory_sectors = len(directory) // SECTOR
    assert directory_sectors < 100
    fat = [FAT_SECTOR] + [n + 1 for n in range(1, directory_sectors)] + [END]
    fat += [FREE] * (SECTOR // 4 - len(fat))
    header = (SIGNATURE + b"\x00" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<109I", 0, *([FREE] * 108)))
    assert len(header) == SECTOR
    padded = payload + b"\x00" * (-len(payload) % SECTOR)
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + padded


WORD_DOCUMENT = ["WordDocument", "1Table", "\x05SummaryInformation", "\x05DocumentSummaryInformation"]
EXCEL_WORKBOOK = ["Workbook", "\x05SummaryInformation"]
OUTLOOK_MESSAGE = ["__substg1.0_0037001F", "__substg1.0_1000001F", "__substg1.0_0C1A001F", "__properties_version1.0"]
OUTLOOK_STORAGES = ("__nameid_version1.0", "__recip_version1.0_#00000000")
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21" \
          b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 64
