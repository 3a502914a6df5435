"""Backups: `actiontrack backup` while people are working, `actiontrack restore` into a new installation, and
everything compared — every row of every table and every uploaded file, byte for byte; the issued board report
still downloads with the same SHA-256. Damaged archives and non-empty targets are refused, saying why.

Each installation here is real: its own data folder and its own database (a SQLite file, or a PostgreSQL
database made for the test on the server at 127.0.0.1:5432), driven by `actiontrack` commands and small
scripts in subprocesses, as an administrator would. The PostgreSQL round trip runs whenever that server
answers, whatever DATABASE_URL says."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import sqlite3
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from actiontrack.core.journal import PROGRESS, READ, VERSION_MOVED
from actiontrack.ops import backup_restore
from actiontrack.ops.backup import MANIFEST, BackupError, create_backup
from actiontrack.ops.backup_restore import verify_archive
from tests.ops.installations import (  # noqa: F401 (no_process_left_behind is a fixture)
    ENGINES,
    Site,
    databases,
    finish,
    no_process_left_behind,
    sqlite_demo_copy,
    wait_until,
)

# The demo plan (if it is not loaded yet), and what people do before the backup: progress updates, evidence
# files and a link, a date change, an action closed, and an issued board report. Prints the issued report's
# files' SHA-256 as JSON.
SETUP = """
import io, json, os
from django.core.management import call_command
from datetime import date, timedelta
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from actiontrack.plans.services import workflow
from actiontrack.plans.services.evidence import evidence_add_file, evidence_add_link
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action

call_command("demo", no_serve=True, stdout=io.StringIO())
users = {user.username: user for user in get_user_model().objects.all()}
owner, manager, verifier = (Actor.of(users[name]) for name in ("cparker", "pmo", "verifier"))
today = timezone.localdate()
action = lambda ref: Action.objects.get(plan__reference="PIP-PR", ref=ref)
updates = {ref: workflow.update_save(actor=owner, action=action(ref), text=f"Progress on {ref} this month.",
                                    today=today) for ref in ("1.1", "3.1", "5.1")}
workflow.update_save(actor=owner, action=action("1.1"), text="Progress on 1.1, corrected.", today=today,
                     expected_version=updates["1.1"].version)
png = b"\\x89PNG\\r\\n\\x1a\\n" + os.urandom(300_000)
evidence_add_file(actor=owner, action=action("5.1"), upload=SimpleUploadedFile("people strategy.png", png),
                  title="People strategy", today=today)
csv = SimpleUploadedFile("targets.csv", b"month,target\\n1,20\\n")
evidence_add_file(actor=owner, action=action("1.1"), upload=csv, title="", today=today)
evidence_add_link(actor=owner, action=action("1.1"), url="https://example.org/board/targets", title="", today=today)
proposal = workflow.date_propose(actor=owner, action=action("3.1"), due_on=today + timedelta(days=90), due_condition="",
                                 reason="Waiting for the strategy review.", today=today)
workflow.date_decide(actor=manager, proposal=proposal, accept=True, comment="", today=today)
workflow.action_complete(actor=owner, action=action("5.1"), completed_on=today, today=today)
workflow.action_verify(actor=verifier, action=action("5.1"), today=today)
issued = {}
try:
    from actiontrack.reports.demo import load_demo_report
    from actiontrack.reports.services import report_issue
except ImportError:
    pass
else:
    report, _ = load_demo_report()
    report = report_issue(actor=manager, report=report, today=today)
    issued = {"report": report.pk, "sha256": {f.format: f.sha256 for f in report.files.all()}}
print(json.dumps(issued))
"""


# The writer: adds evidence files and links, each with its journal event, until told to stop (or 60 s pass).
# Every write only adds rows, so a backup taken meanwhile must hold a prefix of what the source ends with.
WRITER = """
import sys, time
from pathlib import Path
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from actiontrack.plans.services.evidence import evidence_add_file, evidence_add_link
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action

progress, stop = Path(sys.argv[1]), Path(sys.argv[2])
owner = Actor.of(get_user_model().objects.get(username="cparker"))
actions = list(Action.objects.filter(plan__reference="PIP-PR", recommendation__ref__in=["1", "3"]))
deadline, written = time.monotonic() + 60, 0
while not stop.exists() and time.monotonic() < deadline:
    action = actions[written % len(actions)]
    evidence_add_file(actor=owner, action=action, title=f"Meeting note {written}", today=timezone.localdate(),
                      upload=SimpleUploadedFile(f"note-{written}.txt", f"Note {written}\\n".encode() * 500))
    evidence_add_link(actor=owner, action=action, url=f"https://example.org/notes/{written}", title="",
                      today=timezone.localdate())
    written += 1
    progress.write_text(str(written))
    time.sleep(0.02)
"""


# After a restore: every evidence row has its "created" journal event and its file, with the SHA-256 the row
# records; the app works on the restored data (Django's checks pass, new rows get fresh ids, the plan page and
# the health check answer); and the issued report's files download with the SHA-256 they were issued with.
CHECK_RESTORED = """
import hashlib, io, json, sys
from django.contrib.auth import get_user_model
from django.core.management import call_command
from actiontrack.plans.selectors.evidence import evidence_path
from actiontrack.core import files
from actiontrack.core.models import JournalEvent
from actiontrack.plans.models import Evidence

result = {"evidence": {
    "rows": Evidence.objects.count(),
    "journalled": JournalEvent.objects.filter(entity_type="evidence", field="created").count(),
    "files_match": all(hashlib.sha256(files.read_bytes(evidence_path(e))).hexdigest() == e.sha256
                       for e in Evidence.objects.filter(kind="file")),
}}
call_command("check", stdout=io.StringIO())
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from actiontrack.plans.services.evidence import evidence_add_link
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Action

issued = json.loads(sys.argv[1])
owner = get_user_model().objects.get(username="cparker")
action = Action.objects.get(plan__reference="PIP-PR", ref="3.1")
evidence_add_link(actor=Actor.of(owner), action=action, url="https://example.org/after-the-restore", title="",
                  today=timezone.localdate())
client = Client()
assert client.get("/healthz").status_code == 200, client.get("/healthz").content
client.force_login(get_user_model().objects.get(username="pmo"))
page = client.get("/plans/PIP-PR/")
assert page.status_code == 200, page.status_code
downloads = {}
for fmt in issued.get("sha256", {}):  # through the web page's download link, as a board member would
    url = reverse("reports:download", kwargs={"reference": "PIP-PR", "pk": issued["report"], "fmt": fmt})
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    downloads[fmt] = hashlib.sha256(response.content).hexdigest()
result["downloads"] = downloads
print(json.dumps(result))
"""


def progress_of(path: Path) -> int:
    try:
        return int(path.read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


APPENDED = ("plans_evidence", "plans_journalevent")  # the only tables the writer writes to, only adding rows


@pytest.mark.parametrize("engine", ENGINES)
def test_a_backup_taken_while_people_work_restores_elsewhere_with_every_row_and_file_identical(
        engine, tmp_path, tmp_path_factory):
    with databases(engine, "bk_src", "bk_dst") as (source_url, target_url):
        if source_url:
            source = Site(tmp_path / "source", source_url)
        else:
            source = sqlite_demo_copy(tmp_path_factory, tmp_path / "source")
        target = Site(tmp_path / "target", target_url)  # a new installation, started once: migrated, empty
        migrating = target.start("migrate")
        issued = json.loads(source.script(SETUP))
        (source.uploads / "branding").mkdir(parents=True)
        (source.uploads / "branding" / "crest.txt").write_bytes(b"not evidence, but kept in the uploads folder\n")
        finish(migrating)

        # The backup is taken while the writer adds evidence, and the writer goes on after it.
        progress, stop = tmp_path / "progress", tmp_path / "stop"
        writer = source.start_script(WRITER, str(progress), str(stop))
        try:
            wait_until(lambda: progress_of(progress) >= 3, seconds=60, what="the writer to start writing")
            backup = source.run("backup", str(tmp_path / "backup.tar.gz"))
            at_backup = progress_of(progress)
            wait_until(lambda: progress_of(progress) >= at_backup + 2, seconds=60, what="more writes after it")
        finally:
            stop.touch()
            finish(writer, timeout=60)
        assert "Backed up the" in backup.stdout and "stored file(s) to" in backup.stdout
        assert "Restored the " in target.run("restore", str(tmp_path / "backup.tar.gz")).stdout

        # The restored database is the source exactly as it stood at one moment while the writer wrote: every
        # row of every table identical, and of the writer's rows exactly those committed up to that moment.
        source_tables, restored_tables = source.tables(), target.tables()
        assert restored_tables.keys() == source_tables.keys()
        # Three updates this month beside the demo's own three for November 2021.
        assert len(source_tables["plans_plan"]) == 1 and len(source_tables["plans_progressupdate"]) == 6
        last = {table: restored_tables[table][-1][0] for table in APPENDED}
        for table, rows in source_tables.items():
            if table in APPENDED:
                assert restored_tables[table] == [row for row in rows if row[0] <= last[table]], table
            elif table == "sqlite_sequence":
                assert restored_tables[table] == [(name, last.get(name, value)) for name, value in rows]
            elif table == "<sequences>":  # PostgreSQL's sequences move outside transactions: the writer's may be ahead
                assert [row for row in restored_tables[table] if not row[0].startswith(APPENDED)] == [
                    row for row in rows if not row[0].startswith(APPENDED)]
            elif table == "plans_plan":  # journal events about the plan move its read versions on (readcache)
                columns = dict(source_tables["<columns>"])
                kind = columns["plans_journalevent"].index("entity_type")
                moved = Counter(VERSION_MOVED.get(row[kind]) for row in source_tables["plans_journalevent"]
                                if row[0] > last["plans_journalevent"])
                expected = [list(row) for row in rows]
                for counter in (READ, PROGRESS):
                    at = columns[table].index(counter)
                    for row in expected:
                        row[at] -= moved[counter]
                assert restored_tables[table] == [tuple(row) for row in expected]
            else:
                assert restored_tables[table] == rows, f"{table} differs"
        written = (len(restored_tables["plans_evidence"]) - 3) // 2  # the setup added two files and a link
        assert 3 <= written < (len(source_tables["plans_evidence"]) - 3) // 2, "the backup was not taken mid-writing"

        # Every file byte-identical; of the evidence files, those written after the backup are not there.
        restored_files, source_files = target.files(), source.files()
        assert all(source_files[name] == content for name, content in restored_files.items())
        assert all(name.startswith("evidence/") for name in set(source_files) - set(restored_files))
        assert restored_files["branding/crest.txt"] == source_files["branding/crest.txt"]

        # The restored installation works (new rows get new ids), every evidence row has its journal event and
        # its file, and the issued board report downloads byte-identical.
        rows = len(restored_tables["plans_evidence"])
        assert json.loads(target.script(CHECK_RESTORED, json.dumps(issued))) == {
            "evidence": {"rows": rows, "journalled": rows, "files_match": True}, "downloads": issued.get("sha256", {})}


# Damaged archives and non-empty targets -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_backup(tmp_path_factory):
    """A SQLite installation with the demo plan and one evidence file, and an uncompressed backup of it."""
    folder = tmp_path_factory.mktemp("small-backup")
    site, archive = sqlite_demo_copy(tmp_path_factory, folder / "site"), folder / "backup.tar"
    site.script(
        "import io, sys\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from django.core.management import call_command\n"
        "from django.utils import timezone\n"
        "from actiontrack.plans.services.evidence import evidence_add_file\n"
        "from actiontrack.core.journal import Actor\n"
        "from actiontrack.plans.models import Action\n"
        "action = Action.objects.get(plan__reference='PIP-PR', ref='5.1')\n"
        "evidence_add_file(actor=Actor.of(get_user_model().objects.get(username='cparker')), action=action,\n"
        "                  upload=SimpleUploadedFile('strategy.txt', b'The people strategy.\\n' * 2000),\n"
        "                  title='', today=timezone.localdate())\n"
        "call_command('backup', sys.argv[1], stdout=io.StringIO())\n", str(archive))
    return site, archive


def members_of(archive: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(archive) as tar:
        return [(member, tar.extractfile(member).read()) for member in tar]


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with each (member, content) passed through `change` (None drops the member)."""
    with tarfile.open(target, "w") as tar:
        for member, content in members_of(archive):
            changed = change(member.name, content)
            if changed is not None:
                member.size = len(changed)
                tar.addfile(member, io.BytesIO(changed))
    return target


def evidence_member(archive: Path) -> str:
    return next(member.name for member, _ in members_of(archive) if member.name.startswith("files/evidence/"))


def test_the_manifest_lists_every_member_with_its_sha256_the_version_and_the_database(small_backup):
    _, archive = small_backup
    members = dict((member.name, content) for member, content in members_of(archive))
    manifest = json.loads(members.pop(MANIFEST))
    assert manifest["app"] == "actiontrack" and manifest["app_version"] and manifest["created_at"]
    assert manifest["database"]["engine"] == "sqlite" and "plans.0001_initial" in manifest["database"]["migrations"]
    assert manifest["members"] == {name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
                                   for name, content in members.items()}
    assert manifest["missing_files"] == [] and manifest["files"] == 1


def test_an_archive_with_one_flipped_byte_is_refused_naming_the_damaged_member(small_backup, tmp_path):
    _, archive = small_backup
    data = bytearray(archive.read_bytes())
    data[data.index(b"The people strategy.") + 5] ^= 0x20  # one bit, inside the evidence file's member
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))
    damaged_name = evidence_member(archive)
    with pytest.raises(BackupError, match="is damaged or has been altered, so nothing was restored") as refused:
        verify_archive(damaged)
    assert f"{damaged_name}: its SHA-256 or size does not match the manifest" in str(refused.value)

    # The command says the same and leaves the new installation untouched.
    target = Site(tmp_path / "target")
    result = target.run("restore", str(damaged), check=False)
    assert result.returncode != 0 and damaged_name in result.stderr and "nothing was restored" in result.stderr
    assert not target.sqlite_file.exists() and target.files() == {}


def test_a_damaged_compressed_archive_is_refused_as_unreadable(small_backup, tmp_path):
    _, archive = small_backup
    compressed = tmp_path / "backup.tar.gz"
    with tarfile.open(compressed, "w:gz") as tar:
        for member, content in members_of(archive):
            tar.addfile(member, io.BytesIO(content))
    verify_archive(compressed)  # intact: accepted
    data = bytearray(compressed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    compressed.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="is damaged|cannot be read|does not match"):
        verify_archive(compressed)


def test_a_missing_member_an_extra_member_or_no_manifest_is_refused(small_backup, tmp_path):
    _, archive = small_backup
    name = evidence_member(archive)
    missing = rewrite(archive, tmp_path / "missing.tar", lambda n, c: None if n == name else c)
    with pytest.raises(BackupError, match=f"{name}: missing from the archive"):
        verify_archive(missing)
    extra = rewrite(archive, tmp_path / "extra.tar", lambda n, c: c)
    with tarfile.open(extra, "a") as tar:
        info = tarfile.TarInfo("files/../../etc/cron.d/evil")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    with pytest.raises(BackupError, match="not listed in the manifest"):
        verify_archive(extra)
    headless = rewrite(archive, tmp_path / "headless.tar", lambda n, c: None if n == MANIFEST else c)
    with pytest.raises(BackupError, match="has no manifest.json"):
        verify_archive(headless)
    with pytest.raises(BackupError, match="cannot be read as a tar archive"):
        verify_archive(Path(shutil.copy(Path(__file__), tmp_path / "not-a-backup.tar")))


def test_a_restore_into_a_new_installation_then_refuses_to_overwrite_it_unless_forced(small_backup, tmp_path):
    site, archive = small_backup
    target = Site(tmp_path / "target")  # never started: no database file, no uploads folder
    assert "Restored the SQLite database and 1 stored file(s)" in target.run("restore", str(archive)).stdout
    assert target.tables() == site.tables() and target.files() == site.files()

    result = target.run("restore", str(archive), check=False)
    assert result.returncode != 0
    assert "This installation is not empty: the database already holds 1 plan and 5 users" in result.stderr
    assert "already holds 1 file" in result.stderr and "--force" in result.stderr

    with contextlib.closing(sqlite3.connect(target.sqlite_file)) as db, db:
        db.execute("UPDATE plans_plan SET title = 'Changed after the restore'")
    kept = target.data_dir / "read-cache" / "a-page-kept-before.djcache"  # named by versions the backup will reuse
    kept.parent.mkdir(exist_ok=True)
    kept.write_bytes(b"kept")
    target.run("restore", str(archive), "--force")
    assert target.tables() == site.tables() and target.files() == site.files()
    assert not kept.exists(), "pages kept before a restore were left in the read cache"


def test_a_backup_from_another_database_engine_or_a_newer_version_is_refused(small_backup, tmp_path, monkeypatch):
    _, archive = small_backup
    monkeypatch.setattr(backup_restore, "engine", lambda alias: "postgresql")
    with pytest.raises(BackupError, match="This backup holds a SQLite database, and this installation uses "
                                          "PostgreSQL .DATABASE_URL is set.. Restoring from one to the other is not"):
        backup_restore.restore_backup(archive)

    def from_the_future(name, content):
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        manifest["app_version"] = "9.0"
        manifest["database"]["migrations"].append("plans.0099_from_the_future")
        return json.dumps(manifest).encode()

    monkeypatch.setattr(backup_restore, "engine", lambda alias: "sqlite")
    with pytest.raises(BackupError, match=r"made by actiontrack 9.0, whose database has changes this version does "
                                          r"not know \(plans.0099_from_the_future\). Install actiontrack 9.0"):
        backup_restore.restore_backup(rewrite(archive, tmp_path / "newer.tar", from_the_future))


def test_backup_will_not_overwrite_a_file_or_write_inside_the_uploads_folder(small_backup, settings, tmp_path):
    _, archive = small_backup
    with pytest.raises(BackupError, match="already exists. Choose a new name, or add --force to replace it"):
        create_backup(archive)
    settings.MEDIA_ROOT = tmp_path / "uploads"
    with pytest.raises(BackupError, match="outside the uploads folder"):
        create_backup(tmp_path / "uploads" / "evidence" / "backup.tar")


def test_a_file_the_database_refers_to_but_missing_from_the_uploads_folder_is_named(small_backup, tmp_path):
    site, _ = small_backup
    copy = Site(tmp_path / "copy")
    shutil.copytree(site.data_dir, copy.data_dir)
    [lost] = [path for path in (copy.uploads / "evidence").iterdir()]
    lost.unlink()
    result = copy.run("backup", str(tmp_path / "backup.tar"))
    assert f"Warning: the database refers to evidence/{lost.name}, which is not in the uploads folder" in result.stderr
    manifest = json.loads(dict((m.name, c) for m, c in members_of(tmp_path / "backup.tar"))[MANIFEST])
    assert manifest["missing_files"] == [f"evidence/{lost.name}"] and manifest["files"] == 0
