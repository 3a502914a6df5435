"""`actiontrack restore FILE`: put a backup (backup.py) into an empty installation.

Nothing is touched until the whole archive has been read and every member's SHA-256 and size match the
manifest; a damaged archive is refused, naming the members that fail. A target that already holds plans, users
or uploaded files is refused, saying what it holds, unless forced. Then the files are written (each to a
temporary name beside its place, renamed when complete), and the database last: SQLite by renaming a complete
copy over the database file; PostgreSQL by `pg_restore --clean --single-transaction`, all or nothing. Finally
`migrate` brings a backup made by an older version up to this one. Stop the app (every app server and the
scheduled jobs) while restoring."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

from actiontrack.core import files
from actiontrack.core.durable import sync_to_disk
from actiontrack.plans import readcache

from .backup import (
    ARCHIVE_FORMAT,
    CHUNK,
    DATABASE_MEMBER,
    ENGINE_NAMES,
    FILES,
    MANIFEST,
    BackupError,
    BackupRefused,
    engine,
    pg_binary,
    run_pg,
)

log = logging.getLogger(__name__)  # the job's own line is the restore command's (actiontrack.core.jobs)
READ_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _digest(stream, sink=None) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest(), size


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        return tarfile.open(path, "r:*")
    except READ_ERRORS as exc:
        raise BackupError(f"{path} is not an actiontrack backup, or it is damaged: it cannot be read as a tar "
                          f"archive ({exc}). Nothing was restored.") from None


def _safe_file_name(name: str) -> PurePosixPath | None:
    """The path inside the uploads folder of a files/ member, or None if it could land anywhere else."""
    relative = PurePosixPath(name[len(FILES):])
    if not name.startswith(FILES) or relative.is_absolute() or not relative.parts:
        return None
    if any(part in ("", ".", "..") for part in relative.parts) or "\\" in name or "\x00" in name:
        return None
    return relative


def verify_archive(path: str | os.PathLike) -> dict:
    """Read the whole archive and check every member against its manifest; returns the manifest. Writes nothing."""
    path = Path(path).expanduser().resolve()
    seen: dict[str, tuple[str, int]] = {}
    problems: list[str] = []
    manifest_bytes = None
    with _open(path) as tar:
        try:
            for member in tar:
                if member.name in seen or (member.name == MANIFEST and manifest_bytes is not None):
                    problems.append(f"{member.name}: appears twice")
                    continue
                if not member.isfile():
                    problems.append(f"{member.name}: not a regular file")
                    continue
                if member.name == MANIFEST:
                    manifest_bytes = tar.extractfile(member).read()
                else:
                    seen[member.name] = _digest(tar.extractfile(member))
            # Read to the very end: a compressed archive's checksum is only checked there, and tarfile stops
            # quietly at a damaged header as if the archive had ended.
            while tar.fileobj.read(CHUNK):
                pass
        except READ_ERRORS as exc:
            raise BackupError(f"{path} is damaged: it cannot be read to the end ({exc}). Nothing was "
                              "restored.") from None
    if manifest_bytes is None:
        raise BackupError(f"{path} has no {MANIFEST}: it is incomplete (cut short or damaged), or not an actiontrack "
                          "backup. Nothing was restored.")
    try:
        manifest = json.loads(manifest_bytes)
        members = manifest["members"]
        kind = manifest["database"]["engine"]
        if manifest.get("format") != ARCHIVE_FORMAT or kind not in DATABASE_MEMBER:
            raise ValueError("unknown format")
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{path}: its {MANIFEST} is not one this version of actiontrack understands ({exc}). "
                          "Nothing was restored.") from None
    for name, expected in sorted(members.items()):
        if name not in seen:
            problems.append(f"{name}: missing from the archive")
        elif seen[name] != (expected.get("sha256"), expected.get("size")):
            problems.append(f"{name}: its SHA-256 or size does not match the manifest")
        elif name != DATABASE_MEMBER[kind] and _safe_file_name(name) is None:
            problems.append(f"{name}: not a place a backup writes to")
    problems += [f"{name}: not listed in the manifest" for name in sorted(set(seen) - set(members))]
    if DATABASE_MEMBER[kind] not in members:
        problems.append(f"{DATABASE_MEMBER[kind]}: the database copy is not listed in the manifest")
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise BackupError(f"{path} is damaged or has been altered, so nothing was restored. {shown}.")
    return manifest


def target_contents(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What the installation already holds, in words; empty when there is nothing to lose."""
    from django.contrib.auth import get_user_model

    from actiontrack.plans.models import Plan

    tables = set(connections[alias].introspection.table_names())
    held = []
    for model, word in ((Plan, "plan"), (get_user_model(), "user")):
        if model._meta.db_table in tables and (count := model.objects.using(alias).count()):
            held.append(_plural(count, word))
    said = ["the database already holds " + " and ".join(held)] if held else []
    stored = files.listing()
    if stored:
        said.append(f"{files.describe()} already holds {_plural(len(stored), 'file')}")
    return said


def _check_compatible(manifest: dict, alias: str) -> None:
    kind, here = manifest["database"]["engine"], engine(alias)
    if kind != here:
        raise BackupError(
            f"This backup holds a {ENGINE_NAMES[kind]} database, and this installation uses {ENGINE_NAMES[here]} "
            f"({'DATABASE_URL is set' if here == 'postgresql' else 'DATABASE_URL is not set'}). Restoring from one "
            "to the other is not supported: restore into an installation that uses the same database.")
    known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(set(manifest["database"]["migrations"]) - known)
    if unknown:
        version = manifest.get("app_version", "a newer version")
        raise BackupError(
            f"This backup was made by actiontrack {version}, whose database has changes this version does not know "
            f"({', '.join(unknown[:3])}{' ...' if len(unknown) > 3 else ''}). Install actiontrack {version} or "
            "newer, then restore.")


def _write_member(tar: tarfile.TarFile, member: tarfile.TarInfo, expected: dict, destination: Path) -> Path:
    """Write one member to a temporary file beside `destination`, checked against the manifest again (the
    archive is read a second time); returns the temporary file, for the caller to rename into place."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=destination.parent, prefix=".restore-")
    try:
        with os.fdopen(fd, "wb") as out:
            found = _digest(tar.extractfile(member), out)
            out.flush()
            os.fsync(out.fileno())
        if found != (expected["sha256"], expected["size"]):
            raise BackupError(f"{member.name} changed while it was being restored; the archive is being altered. "
                              "Restore again from a copy that nothing else is writing.")
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def _install_sqlite(copy: Path, alias: str) -> None:
    database = Path(settings.DATABASES[alias]["NAME"])
    connections[alias].close()
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    if wal.exists():
        # The last connection to close removes the write-ahead log; it is still there, so something else has
        # the database open.
        raise BackupError(f"The database {database} is in use by another program (its write-ahead log {wal.name} "
                          "is open). Stop actiontrack (every app server and the scheduled jobs), then restore.")
    shm.unlink(missing_ok=True)
    os.replace(copy, database)
    sync_to_disk(database.parent)


def _install_postgresql(dump: Path, alias: str) -> None:
    connections[alias].close()
    run_pg([pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
            "--single-transaction", "--exit-on-error", "--no-password",
            f"--dbname={settings.DATABASES[alias]['NAME']}", str(dump)], "pg_restore", alias)


@dataclass
class RestoreResult:
    manifest: dict
    files: int


def restore_backup(path: str | os.PathLike, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    path = Path(path).expanduser().resolve()
    manifest = verify_archive(path)
    _check_compatible(manifest, alias)
    if not force and (held := target_contents(alias)):
        raise BackupRefused(f"This installation is not empty: {' and '.join(held)}. Restore into a new, empty "
                          "installation, or add --force to replace its database with the backup's.")
    kind = manifest["database"]["engine"]
    database_member = DATABASE_MEMBER[kind]
    local = files.is_local()
    uploads = Path(settings.MEDIA_ROOT).resolve()
    # The database copy is staged beside the SQLite file, so that renaming it into place is atomic.
    staging_parent = Path(settings.DATABASES[alias]["NAME"]).parent if kind == "sqlite" else Path(settings.DATA_DIR)
    written = 0
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=staging_parent) as staging:
        database_copy, folders = None, set()
        with _open(path) as tar:
            try:
                for member in tar:
                    expected = manifest["members"].get(member.name)
                    if expected is None:
                        continue
                    if member.name == database_member:
                        database_copy = _write_member(tar, member, expected, Path(staging) / "database")
                        continue
                    if local:
                        destination = uploads / _safe_file_name(member.name)
                        os.replace(_write_member(tar, member, expected, destination), destination)
                        folders.add(destination.parent)
                    else:  # a remote store: staged here, checked, then put whole under its name
                        staged = _write_member(tar, member, expected, Path(staging) / "file")
                        name = _safe_file_name(member.name).as_posix()
                        try:
                            files.save_path(name, staged)
                        except OSError as exc:
                            raise BackupError(f"{name} could not be written to {files.describe()} ({exc.strerror}); "
                                              "the database was not changed.") from None
                        staged.unlink()
                    written += 1
            except READ_ERRORS as exc:
                raise BackupError(f"{path} could not be read a second time ({exc}); the database was not "
                                  "changed.") from None
        # The files' names on disk before the database that points to them, with any folders made for them.
        made = {parent for leaf in folders for parent in (leaf, *leaf.parents)
                if parent == uploads.parent or uploads.parent in parent.parents}
        for folder in sorted(made, reverse=True):  # the deepest first
            sync_to_disk(folder)
        if database_copy is None:
            raise BackupError(f"{path} lost its database copy while being restored; the database was not changed.")
        if kind == "sqlite":
            _install_sqlite(database_copy, alias)
        else:
            _install_postgresql(database_copy, alias)
    call_command("migrate", interactive=False, verbosity=0, database=alias)
    # Kept pages are named by plan versions, which the restored database will reach again with other data.
    readcache.clear()
    log.debug("restored %s from %s: %s database, %d files", settings.DATA_DIR, path, ENGINE_NAMES[kind], written,
              extra={"job": "restore"})
    return RestoreResult(manifest, written)
