"""Uploaded files kept between the preview and the confirmation, in the file store's imports folder with random
names, deleted when the import is applied or cancelled (and, if abandoned, after a day). Beside each, the
import's state (who uploaded it, into which plan, the choices made in the preview), so the person who uploaded it
can follow its address from any of their sessions and browsers; and the last preview worked out for it, as JSON
with the key it was worked out for, so a reload shows it again instead of working it out again."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import secrets
import tempfile
from datetime import UTC, datetime, timedelta

from actiontrack.core import files

from .base import ImportRefused
from .safety import max_bytes

TOKEN = re.compile(r"[0-9a-f]{32}")
KEEP = timedelta(days=1)
FOLDER = "imports"  # in the file store (actiontrack.core.files)


def name_of(token: str) -> str:
    if not TOKEN.fullmatch(token or ""):
        raise FileNotFoundError("not an import")
    return f"{FOLDER}/{token}"


def exists(token: str) -> bool:
    try:
        return files.exists(name_of(token))
    except FileNotFoundError:  # not a token at all
        return False


@contextlib.contextmanager
def opened(token: str):
    """The uploaded file, open for reading and seeking (the readers of workbooks and zips seek): the local file
    itself, or a temporary copy of a remote one."""
    with files.open_file(name_of(token)) as stored:
        if files.is_local():
            yield stored
            return
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
            while chunk := stored.read(files.CHUNK):
                copy.write(chunk)
            copy.seek(0)
            yield copy


def store(upload) -> str:
    """Copy an upload to a new random name; refuse it (keeping nothing) if it is over the size limit."""
    sweep()
    token = secrets.token_hex(16)
    too_large = ImportRefused(f"The file is larger than the {max_bytes() // (1024 * 1024)} MB an import takes "
                              "(setting IMPORT_MAX_MB).")
    files.save_upload(name_of(token), upload, max_bytes=max_bytes(), too_large=too_large)
    return token


def sha256_of(token: str) -> str:
    digest = hashlib.sha256()
    with files.open_file(name_of(token)) as stream:
        while chunk := stream.read(files.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _preview_name(token: str) -> str:
    return f"{name_of(token)}.preview"


def keep_preview(token: str, key: str, report_json: str) -> None:
    """Keep the preview worked out for `key` (the file, the mapping, the plan's version...), replacing any."""
    files.save_bytes(_preview_name(token), json.dumps({"key": key, "report": report_json}).encode())


def kept_preview(token: str, key: str) -> str | None:
    """The preview kept for exactly this key, or None."""
    try:
        kept = json.loads(files.read_bytes(_preview_name(token)).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("report") if isinstance(kept, dict) and kept.get("key") == key else None


def _state_name(token: str) -> str:
    return f"{name_of(token)}.state"


def keep_state(token: str, state: dict) -> None:
    """Keep the import's state (a dict of JSON values, with the uploader's user id under "user"), replacing any."""
    files.save_bytes(_state_name(token), json.dumps(state).encode())


def kept_state(token: str) -> dict | None:
    """The state kept for this upload, or None (not a token, no such import, or it was deleted)."""
    try:
        state = json.loads(files.read_bytes(_state_name(token)).decode("utf-8"))
    except (OSError, ValueError):  # FileNotFoundError too: no such file, or not a token
        return None
    return state if isinstance(state, dict) else None


def delete(token: str, *, keep_state: bool = False) -> None:
    """Delete the upload, its preview and (unless keep_state: the worker that applied it keeps it for the page
    that then tells the person so) its state."""
    for name in (name_of, _preview_name) if keep_state else (name_of, _preview_name, _state_name):
        with contextlib.suppress(FileNotFoundError):
            files.delete(name(token))


def sweep() -> None:
    """Delete imports abandoned for more than a day."""
    cutoff = datetime.now(UTC) - KEEP
    for name in files.listing(FOLDER):
        try:
            if files.modified_time(name) < cutoff:
                files.delete(name)
        except OSError:
            continue
