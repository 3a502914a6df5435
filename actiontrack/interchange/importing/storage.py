"""Uploaded files kept between the preview and the confirmation, under MEDIA_ROOT/imports with random
names, deleted when the import is applied or cancelled (and, if abandoned, after a day). Beside each, the
last preview worked out for it, as JSON with the key it was worked out for, so a reload shows it again
instead of working it out again."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

from actiontrack.core.durable import store_upload

from .base import ImportRefused
from .safety import max_bytes

TOKEN = re.compile(r"[0-9a-f]{32}")
KEEP_SECONDS = 24 * 3600


def folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def path_of(token: str) -> Path:
    if not TOKEN.fullmatch(token or ""):
        raise FileNotFoundError("not an import")
    return folder() / token


def store(upload) -> str:
    """Copy an upload to a new random name; refuse it (keeping nothing) if it is over the size limit. Not synced
    to disk: a file lost to a power cut is simply uploaded again."""
    directory = folder()
    directory.mkdir(parents=True, exist_ok=True)
    sweep()
    token = secrets.token_hex(16)
    too_large = ImportRefused(f"The file is larger than the {max_bytes() // (1024 * 1024)} MB an import takes "
                              "(setting IMPORT_MAX_MB).")
    store_upload(upload, directory, token, max_bytes=max_bytes(), too_large=too_large, durable=False)
    return token


def sha256_of(token: str) -> str:
    digest = hashlib.sha256()
    with path_of(token).open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _preview_path(token: str) -> Path:
    return path_of(token).with_name(f"{token}.preview")


def keep_preview(token: str, key: str, report_json: str) -> None:
    """Keep the preview worked out for `key` (the file, the mapping, the plan's version...), replacing any."""
    fd, temp = tempfile.mkstemp(dir=folder(), prefix=".preview-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"key": key, "report": report_json}, out)
        os.replace(temp, _preview_path(token))
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def kept_preview(token: str, key: str) -> str | None:
    """The preview kept for exactly this key, or None."""
    try:
        kept = json.loads(_preview_path(token).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return kept.get("report") if isinstance(kept, dict) and kept.get("key") == key else None


def delete(token: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_of(token).unlink(missing_ok=True)
        _preview_path(token).unlink(missing_ok=True)


def sweep() -> None:
    """Delete imports abandoned for more than a day."""
    cutoff = time.time() - KEEP_SECONDS
    for path in folder().glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
