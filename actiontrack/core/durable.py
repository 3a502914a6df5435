"""Making a write survive a power cut: a file's data, or a folder's entries (a rename into it), synced to disk
(the local file store, actiontrack.core.files, and backups)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

# Some network file systems (SMB, some FUSE mounts) cannot sync a folder; the server keeps it as it can.
_CANNOT_SYNC_FOLDER = {errno.EINVAL, errno.ENOTSUP, errno.EBADF}


def sync_to_disk(path: Path) -> None:
    """fsync a file or a folder by its path. After `os.replace` into a folder, syncing the folder makes the new
    name itself durable, so a row committed after it never points at a name the disk forgot. A folder on a file
    system that cannot sync folders is left to it; any other failure is raised."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if not (exc.errno in _CANNOT_SYNC_FOLDER and Path(path).is_dir()):
            raise
    finally:
        os.close(fd)
