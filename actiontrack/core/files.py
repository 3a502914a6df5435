"""The file store: evidence files, issued reports and imports waiting for confirmation, each under a random
name in a folder of its kind ("evidence/…", "reports/…", "imports/…").

It is Django's default storage (settings.STORAGES, chosen by FILE_STORAGE): a local folder, where each file is
written to a temporary name, synced and renamed into place, so no half-written file is ever under its name; or
Azure Blob Storage or an S3-compatible store through django-storages, where a blob appears whole or not at all.
Callers save a file before committing the row that points to it, and delete it again if that commit fails."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, default_storage

from actiontrack.core import durable

# Files being written at this moment on a local store (before their rename), and the health check's probe: not
# part of any saved state, so neither listed nor backed up.
TEMPORARY_PREFIXES = (".upload-", ".healthz-", ".restore-")
CHUNK = 1024 * 1024
EXPORTS_FOLDER = "exports"  # downloads prepared by the worker: made again on demand, so never backed up


class DurableFileSystemStorage(FileSystemStorage):
    """A local folder whose files are complete on disk before their name appears, and stay so after a power
    cut: written to a temporary name beside the final one, fsynced, renamed, and the folder synced."""

    def _save(self, name, content):
        final = Path(self.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=final.parent, prefix=".upload-")
        replaced = False
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(temp, self.file_permissions_mode)
            os.replace(temp, final)
            replaced = True
            durable.sync_to_disk(final.parent)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            if replaced:  # renamed before the folder could be synced: nothing will point to it
                final.unlink(missing_ok=True)
            raise
        return name


def is_local() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def describe() -> str:
    """Where files are kept, in words for an operator."""
    if is_local():
        return f"the uploads folder {Path(settings.MEDIA_ROOT).resolve()}"
    container = getattr(default_storage, "azure_container", None) or getattr(default_storage, "bucket_name", "")
    kind = "Azure container" if hasattr(default_storage, "azure_container") else "S3 bucket"
    return f"the {kind} {container}"


def measure(upload, *, max_bytes: int, too_large: Exception) -> tuple[str, int]:
    """(SHA-256, size) of an upload, read once through; past `max_bytes` it raises `too_large` (the caller's
    own words) before anything is stored."""
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def save_upload(name: str, upload, *, max_bytes: int, too_large: Exception) -> tuple[str, int]:
    """Store an upload (Django's UploadedFile) as `name`, refusing it, with nothing kept, past `max_bytes`.
    Returns (SHA-256, size)."""
    found = measure(upload, max_bytes=max_bytes, too_large=too_large)
    _save(name, upload)
    return found


def save_bytes(name: str, data: bytes) -> None:
    _save(name, ContentFile(data))


def save_path(name: str, path: Path) -> None:
    with open(path, "rb") as handle:
        _save(name, File(handle))


def _save(name: str, content) -> None:
    try:
        saved = default_storage.save(name, content)
    except OSError:
        raise
    except Exception as exc:  # the cloud SDKs' own errors: callers handle a file that could not be stored as one
        raise OSError(errno.EIO, f"the file store refused it ({exc.__class__.__name__})") from exc
    if saved != name:  # every store is set to overwrite; a new name would leave the row pointing elsewhere
        default_storage.delete(saved)
        raise OSError(f"the file store kept {name} as {saved}")


def open_file(name: str):
    """The stored file, open for reading in binary; FileNotFoundError when it is not there."""
    if not default_storage.exists(name):
        raise FileNotFoundError(name)
    return default_storage.open(name, "rb")


def exists(name: str) -> bool:
    return default_storage.exists(name)


def read_bytes(name: str) -> bytes:
    with open_file(name) as handle:
        return handle.read()


def size(name: str) -> int:
    return default_storage.size(name)


def modified_time(name: str):
    return default_storage.get_modified_time(name)


def delete(name: str) -> None:
    """Delete a stored file; nothing happens if it is not there."""
    default_storage.delete(name)


def listing(folder: str = "") -> list[str]:
    """Every file in the store (or under `folder`), by name, sorted; temporary files left out."""
    found = []
    if is_local():
        root = Path(default_storage.location).resolve()
        start = root / folder if folder else root
        if not start.is_dir():
            return found
        for here, subfolders, names in os.walk(start):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith(TEMPORARY_PREFIXES))
            for name in names:
                path = Path(here) / name
                if name.startswith(TEMPORARY_PREFIXES) or path.is_symlink() or not path.is_file():
                    continue
                found.append(path.relative_to(root).as_posix())
        return sorted(found)
    pending = [folder.strip("/")]
    while pending:
        current = pending.pop()
        subfolders, names = default_storage.listdir(current)
        prefix = f"{current}/" if current else ""
        pending.extend(prefix + sub for sub in subfolders)
        found.extend(prefix + name for name in names if not name.startswith(TEMPORARY_PREFIXES))
    return sorted(found)


def probe() -> str:
    """'' when the store can be written (local) or reached with its credentials (remote); else why not."""
    if is_local():
        folder = Path(settings.MEDIA_ROOT)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-"):
                pass
        except OSError as exc:
            return f"not writable ({exc.strerror})"
        return ""
    try:
        default_storage.exists(".healthz")
    except Exception as exc:  # the SDKs raise their own errors for an unreachable store or refused keys
        return f"not reachable ({exc.__class__.__name__})"
    return ""
