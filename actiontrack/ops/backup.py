"""`actiontrack backup FILE`: one archive (tar, gzip-compressed when the name ends .gz or .tgz) holding

- a consistent copy of the database: SQLite's online backup API, or `pg_dump --format=custom` for PostgreSQL;
- every file in the file store (actiontrack.core.files: the uploads folder MEDIA_ROOT, or the Azure container
  or S3 bucket): evidence, issued reports' files, and anything else kept there;
- manifest.json: the SHA-256 and size of every other member, the app version, the database engine, the
  migrations the copy has applied and when it was made.

It is safe while the app is serving. The database copy is one snapshot: SQLite copies every page within one
read transaction (WAL mode lets writers carry on meanwhile); pg_dump reads one repeatable-read snapshot.
The files are read after the snapshot. Evidence files are write-once under random names, and each is complete
on disk (renamed into place after fsync) before the row that points to it is committed, and is never changed or
deleted afterwards; so every file the snapshot refers to is already there, unchanged, when the files are read.
Files that arrive after the snapshot are taken too: harmless, no row points to them. The files the snapshot
refers to are then checked against what was taken, and any that is missing is named in the manifest and the
command's output (it was missing from the data folder, not lost by the backup). Restoring is in backup_restore.py."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from actiontrack.core import files
from actiontrack.core.durable import sync_to_disk

log = logging.getLogger(__name__)  # the job's own line is the backup command's (actiontrack.core.jobs)

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files/"  # members under here are the file store's files, by their name in it
DATABASE_MEMBER = {"sqlite": "database/actiontrack.sqlite3", "postgresql": "database/actiontrack.pgdump"}
ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for the person running it."""


class BackupRefused(BackupError):
    """Declined before anything was written, to protect what is there: an existing archive, or an
    installation that is not empty (the commands log these as "refused", not "failed")."""


def engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    name = settings.DATABASES[alias]["ENGINE"]
    if name not in ENGINES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return ENGINES[name]


def app_version() -> str:
    try:
        return metadata.version("actiontrack")
    except metadata.PackageNotFoundError:
        return "unknown"


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def referenced_files() -> list[tuple[str, str, list, str]]:
    """Where the database records the files of the file store it refers to (stored evidence files and issued
    reports' files): for each, the table, a query listing their stored names (%s placeholders), its parameters,
    and their folder in the store."""
    from actiontrack.plans.choices import EvidenceKind
    from actiontrack.plans.models import Evidence
    from actiontrack.plans.selectors.evidence import EVIDENCE_FOLDER
    from actiontrack.reports.models import ISSUED_FOLDER, IssuedFile

    evidence, issued = Evidence._meta.db_table, IssuedFile._meta.db_table
    return [(evidence, f'SELECT stored_name FROM "{evidence}" WHERE kind = %s AND stored_name <> %s',
             [EvidenceKind.FILE.value, ""], EVIDENCE_FOLDER),
            (issued, f'SELECT stored_name FROM "{issued}" WHERE stored_name <> %s', [""], ISSUED_FOLDER)]


# PostgreSQL ---------------------------------------------------------------------------------------------------

def pg_binary(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs (Debian and Ubuntu: "
                          "apt-get install postgresql-client), of the same major version as the server or newer.")
    return found


def pg_environment(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """Connection parameters for pg_dump and pg_restore, from the settings, as libpq variables: the password
    travels in the environment, never on the command line. Unset parameters keep libpq's own defaults."""
    database = settings.DATABASES[alias]
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("NAME", "PGDATABASE")):
        if database.get(key):
            env[variable] = str(database[key])
    options = database.get("OPTIONS") or {}
    for key, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                          ("sslkey", "PGSSLKEY"), ("connect_timeout", "PGCONNECT_TIMEOUT")):
        if options.get(key):
            env[variable] = str(options[key])
    env["PGAPPNAME"] = "actiontrack backup"
    return env


def run_pg(arguments: list[str], what: str, alias: str = DEFAULT_DB_ALIAS) -> None:
    result = subprocess.run(arguments, env=pg_environment(alias), capture_output=True, text=True)
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {detail}")


# Taking the database snapshot ---------------------------------------------------------------------------------

@dataclass
class Snapshot:
    path: Path
    referenced: set[str]  # uploads-folder paths the snapshot's rows point to
    migrations: list[str]  # "app.name" of every migration applied in the snapshot


def _sqlite_snapshot(target: Path, alias: str) -> Snapshot:
    source_path = Path(settings.DATABASES[alias]["NAME"])
    if not source_path.is_file():
        raise BackupError(f"There is no database at {source_path}: nothing to back up.")
    source = sqlite3.connect(source_path, timeout=20)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # every page in one step, within one read transaction: one snapshot
        finally:
            copy.close()
    finally:
        source.close()
    copy = sqlite3.connect(target)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # a self-contained file; the app turns WAL back on
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"The database copy fails SQLite's integrity check; the database at {source_path} "
                              "may be damaged (try `sqlite3 actiontrack.sqlite3 'PRAGMA integrity_check'`).")
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        referenced = set()
        for table, sql, params, folder in referenced_files():
            if table in tables:
                referenced |= {f"{folder}/{name}" for (name,) in copy.execute(sql.replace("%s", "?"), params)}
        migrations = []
        if "django_migrations" in tables:
            applied = copy.execute("SELECT app, name FROM django_migrations")
            migrations = sorted(f"{app}.{name}" for app, name in applied)
    finally:
        copy.close()
    return Snapshot(target, referenced, migrations)


def _postgres_snapshot(target: Path, alias: str) -> Snapshot:
    """pg_dump reads the snapshot exported by our own repeatable-read transaction, and the files the database
    refers to are listed in that same transaction: both see exactly the same data."""
    pg_dump = pg_binary("pg_dump")
    wrapper = connections[alias]
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
            run_pg([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}", f"--file={target}"],
                   "pg_dump", alias)
            cursor.execute("SELECT to_regclass('django_migrations') IS NOT NULL")
            migrated = cursor.fetchone()[0]
            referenced = set()
            for table, sql, params, folder in referenced_files():
                cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
                if cursor.fetchone()[0]:
                    cursor.execute(sql, params)
                    referenced |= {f"{folder}/{name}" for (name,) in cursor.fetchall()}
            migrations = []
            if migrated:
                cursor.execute("SELECT app, name FROM django_migrations")
                migrations = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return Snapshot(target, referenced, migrations)


# Writing the archive ------------------------------------------------------------------------------------------

class _HashingReader:
    """Hands tarfile the bytes it asks for and hashes exactly those, so the manifest matches the member."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict:
    with open(path, "rb") as handle:
        status = os.fstat(handle.fileno())
        return _add_stream(tar, name, handle, status.st_size, int(status.st_mtime))


def _add_stored(tar: tarfile.TarFile, name: str, stored: str) -> dict:
    """A file of the file store; FileNotFoundError if it went meanwhile."""
    with files.open_file(stored) as handle:
        return _add_stream(tar, name, handle, files.size(stored), int(files.modified_time(stored).timestamp()))


def _add_stream(tar: tarfile.TarFile, name: str, handle, size: int, mtime: int) -> dict:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, mtime, 0o640
    reader = _HashingReader(handle)
    tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "size": reader.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o640
    tar.addfile(info, io.BytesIO(data))


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int

    @property
    def missing(self) -> list[str]:
        return self.manifest["missing_files"]


def create_backup(path: str | os.PathLike, *, overwrite: bool = False, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write the archive to `path` (via a temporary file beside it, renamed into place when complete)."""
    path = Path(path).expanduser().resolve()
    kind = engine(alias)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the archive file to write, e.g. "
                          f"{path / 'actiontrack-backup.tar.gz'}")
    if path.exists() and not overwrite:
        raise BackupRefused(f"{path} already exists. Choose a new name, or add --force to replace it.")
    if files.is_local() and path.is_relative_to(media_root()):
        raise BackupError(f"Write the backup outside the uploads folder {media_root()}, or it would contain itself.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix=".actiontrack-backup-", dir=path.parent) as work:
        work = Path(work)
        take = _sqlite_snapshot if kind == "sqlite" else _postgres_snapshot
        snapshot = take(work / "database", alias)
        partial = work / "archive"
        members = {}
        with tarfile.open(partial, "w:gz" if path.name.endswith((".gz", ".tgz")) else "w",
                          format=tarfile.PAX_FORMAT) as tar:
            members[DATABASE_MEMBER[kind]] = _add_file(tar, DATABASE_MEMBER[kind], snapshot.path)
            taken = set()
            for relative in files.listing():
                if relative.startswith(files.EXPORTS_FOLDER + "/"):
                    continue
                try:
                    members[FILES + relative] = _add_stored(tar, FILES + relative, relative)
                except FileNotFoundError:  # removed while we walked: it was not part of the snapshot's state
                    continue
                taken.add(relative)
            manifest = {
                "format": ARCHIVE_FORMAT,
                "app": "actiontrack",
                "app_version": app_version(),
                "created_at": started.isoformat(timespec="seconds"),
                "database": {"engine": kind, "member": DATABASE_MEMBER[kind], "migrations": snapshot.migrations},
                "files": len(taken),
                "missing_files": sorted(snapshot.referenced - taken),
                "members": members,
            }
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, sort_keys=True).encode())
        sync_to_disk(partial)
        os.replace(partial, path)
        sync_to_disk(path.parent)
    result = BackupResult(path, manifest, path.stat().st_size)
    log.debug("backup written to %s: %s database, %d files, %d bytes", path, ENGINE_NAMES[kind], len(taken),
              result.size, extra={"job": "backup"})
    for missing in result.missing:
        log.warning("backup: the database refers to %s, which is not in the file store", missing,
                    extra={"job": "backup"})
    return result
