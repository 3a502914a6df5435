"""Making a write survive a power cut: a file's data, or a folder's entries (a rename into it), synced to disk;
and the one way an upload is streamed to disk, with a size limit (evidence files, files to import)."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
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


def store_upload(upload, folder: Path, name: str, *, max_bytes: int, too_large: Exception,
                 durable: bool = True) -> tuple[str, int]:
    """Stream an upload (Django's UploadedFile) into `folder` as `name`: written to a temporary name beside it and
    renamed only when complete, so no half-written file is ever under `name`. Past `max_bytes` it raises
    `too_large` (the caller's own words) and keeps nothing. Returns (SHA-256, size).

    Durable (the default): the data and then the new name are synced to disk before returning, so a row
    committed next never points at a file a power cut lost. An upload kept only until someone confirms it (an
    import's preview) need not be."""
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".upload-")
    final = folder / name
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            upload.seek(0)
            for chunk in upload.chunks():
                size += len(chunk)
                if size > max_bytes:
                    raise too_large
                digest.update(chunk)
                out.write(chunk)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temp, final)
        if durable:
            sync_to_disk(folder)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        final.unlink(missing_ok=True)  # renamed before the folder could be synced: nothing will point to it
        raise
    return digest.hexdigest(), size
