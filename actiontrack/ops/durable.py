"""Making a write survive a power cut: a file's data, or a folder's entries (a rename into it), synced to disk."""

from __future__ import annotations

import os
from pathlib import Path


def sync_to_disk(path: Path) -> None:
    """fsync a file or a folder by its path. After `os.replace` into a folder, syncing the folder makes the new
    name itself durable, so a row committed after it never points at a name the disk forgot."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
