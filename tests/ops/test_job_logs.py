"""One log line per job: every job-like command (remind, import, export, backup, restore, report, rag, and the
demo's loading) writes exactly one line on the `actiontrack.job` logger when it ends, with the job's name, a
fresh job id, its duration and its outcome (ok, refused or failed, with the reason), and a few safe counts;
never file contents, passwords or tokens.

In-process runs are checked through caplog and both formatters; the backup, restore and import round trip runs
`actiontrack` in subprocesses with LOG_FORMAT=json and reads the real lines on standard error."""

from __future__ import annotations

import io
import json
import logging
import tarfile

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from actiontrack.core.jobs import Refused, job_log, logged_job
from actiontrack.core.logs import JsonFormatter, PlainFormatter
from tests.interchange.fixtures import csv_bytes
from tests.ops.installations import no_process_left_behind, sqlite_demo_copy  # noqa: F401 (a fixture)

CANARY = "CANARY-ZX81-cell-contents"  # a distinctive string in a file's cell or an uploaded file
TOKEN = "at_live_5ecr3t_T0KEN_value"  # a token-like value in a file, or a password in the environment


@pytest.fixture
def job_lines(caplog):
    """The `actiontrack.job` records logged so far (INFO and up, the default LOG_LEVEL)."""
    caplog.set_level(logging.INFO)
    return lambda: [record for record in caplog.records if record.name == "actiontrack.job"]


def the_line(records, job: str, outcome: str = "ok"):
    """The one job line of a run, checked for the fields every job line has; returns it."""
    assert len(records) == 1, [r.getMessage() for r in records]
    [record] = records
    assert (record.job, record.outcome) == (job, outcome), (record.job, record.outcome, getattr(record, "reason", ""))
    assert len(record.job_id) == 32 and int(record.job_id, 16) >= 0
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.user_id is None  # no command acts as a user: they run as the system
    assert record.levelno == {"ok": logging.INFO, "refused": logging.WARNING, "failed": logging.ERROR}[outcome]
    entry = json.loads(JsonFormatter().format(record))  # every field reaches the JSON line, as it is
    assert {name: entry[name] for name in ("job", "job_id", "outcome", "duration_ms")} == {
        "job": job, "job_id": record.job_id, "outcome": outcome, "duration_ms": record.duration_ms}
    assert entry["logger"] == "actiontrack.job" and entry["message"] == f"job {job} {outcome}"
    assert f"job={job} job_id={record.job_id}" in PlainFormatter("%(message)s").format(record)
    return record


def formatted(records) -> str:
    return "\n".join(JsonFormatter().format(r) + "\n" + PlainFormatter("%(message)s").format(r) for r in records)


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


# The helper ------------------------------------------------------------------------------------------------------

def test_a_job_logs_one_line_at_its_end_with_what_it_recorded(job_lines):
    with job_log("example", plan="PIP-PR") as job:
        assert job_lines() == []  # nothing until it ends
        job.record(rows=3, dry_run=True)
    record = the_line(job_lines(), "example")
    assert (record.plan, record.rows, record.dry_run) == ("PIP-PR", 3, True) and not hasattr(record, "reason")


def test_a_command_error_is_logged_as_failed_with_its_message_on_one_line_and_re_raised(job_lines):
    with pytest.raises(CommandError, match="No plan"), job_log("example"):
        raise CommandError("No plan with reference 'X'.\nPlans: PIP-PR")
    assert the_line(job_lines(), "example", "failed").reason == "No plan with reference 'X'. Plans: PIP-PR"


def test_a_refusal_is_logged_as_refused(job_lines):
    with pytest.raises(CommandError, match="nothing was written"), job_log("example"):
        raise Refused("2 error(s): nothing was written.")
    assert the_line(job_lines(), "example", "refused").reason == "2 error(s): nothing was written."


def test_any_other_exception_is_failed_by_its_class_only_since_its_message_may_quote_data(job_lines):
    with pytest.raises(ValueError), job_log("example"):
        raise ValueError(f"could not read {CANARY!r}")
    record = the_line(job_lines(), "example", "failed")
    assert record.reason == "ValueError" and CANARY not in formatted(job_lines())


def test_each_run_has_its_own_job_id_and_other_lines_logged_during_it_carry_that_id(job_lines, caplog):
    other = logging.getLogger("actiontrack.notify.send")
    with job_log("first") as first:
        other.warning("a reminder could not be sent")
        during = caplog.records[-1]
        line = json.loads(JsonFormatter().format(during))
        plain = PlainFormatter("%(message)s").format(during)
    with job_log("second") as second:
        pass
    assert first.id != second.id
    assert (line["job"], line["job_id"]) == ("first", first.id) and f"job_id={first.id}" in plain
    assert "job_id" not in JsonFormatter().format(during)  # after the job: no longer
    assert [r.job for r in job_lines()] == ["first", "second"]


def test_only_known_safe_fields_can_be_recorded(job_lines):
    with pytest.raises(ValueError, match="'password' is not a job log field"), job_log("example") as job:
        job.record(password="hunter2")
    with pytest.raises(ValueError, match="'outcome' is not a job log field"), job_log("example") as job:
        job.record(outcome="ok")
    with pytest.raises(TypeError), job_log("example") as job:
        job.record(rows=[1, 2])
    assert [r.outcome for r in job_lines()] == ["failed"] * 3 and "hunter2" not in formatted(job_lines())


def test_logged_job_makes_a_whole_handle_one_job():
    class Command:
        @logged_job("example")
        def handle(self, value):
            self.job.record(rows=value)
            return value * 2

    assert Command().handle(21) == 42


# Each command ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_remind_logs_what_it_sent_and_a_second_run_the_same_day_sends_nothing(demo, job_lines):
    run("remind", date="2021-12-20")
    first = the_line(job_lines(), "remind")
    assert first.sent == len(mail.outbox) > 0 and (first.not_sent, first.dry_run, first.as_at) == (
        0, False, "2021-12-20")
    run("remind", date="2021-12-20")
    second = the_line(job_lines()[1:], "remind")
    assert second.sent == 0 and second.job_id != first.job_id


@pytest.mark.django_db
def test_a_dry_run_of_remind_logs_how_many_would_be_sent_and_sends_none(demo, job_lines):
    run("remind", date="2021-12-20", dry_run=True)
    line = the_line(job_lines(), "remind")
    assert line.dry_run is True and line.sent == 0 and not mail.outbox
    assert line.would_send > 0
    run("remind", date="2021-12-20")  # the dry run recorded nothing, so the real run sends them all
    assert len(mail.outbox) == line.would_send


@pytest.mark.django_db
def test_remind_with_a_bad_date_is_failed_with_the_reason(demo, job_lines):
    with pytest.raises(CommandError):
        run("remind", date="31/02/2021")
    assert the_line(job_lines(), "remind", "failed").reason.startswith("--date: ")


@pytest.mark.django_db
def test_import_logs_counts_but_never_a_cells_contents(demo, job_lines, tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(csv_bytes([
        ["Ref", "Recommendation", "Action", "Action owner", "Target date", "Progress update"],
        ["1.1", "Improve the rota.", f"Rebalance the rota ({CANARY}).", "Head of Protection", "31/05/2022",
         f"Token {TOKEN} was pasted here by mistake."],
        ["1.2", "", "Recruit two more officers.", "Head of Protection", "30/06/2022", ""]]))
    run("import", str(path), plan="NEWPLAN")
    dry = the_line(job_lines(), "import")
    assert (dry.plan, dry.file, dry.bytes, dry.dry_run, dry.rows) == ("NEWPLAN", str(path), path.stat().st_size,
                                                                       True, 2)
    run("import", str(path), plan="NEWPLAN", apply=True)
    applied = the_line(job_lines()[1:], "import")
    assert applied.dry_run is False and applied.added >= 3 and applied.updated == 0  # plan, recommendation, actions
    log = formatted(job_lines())
    assert CANARY not in log and TOKEN not in log and "Rebalance" not in log


@pytest.mark.django_db
def test_import_of_a_missing_file_is_failed_and_of_a_file_with_errors_refused(demo, job_lines, tmp_path):
    with pytest.raises(CommandError):
        run("import", str(tmp_path / "nowhere.xlsx"), plan="PIP-PR")
    missing = the_line(job_lines(), "import", "failed")
    assert missing.reason == f"No file {str(tmp_path / 'nowhere.xlsx')!r}." and not hasattr(missing, "bytes")

    path = tmp_path / "unreadable.csv"
    path.write_bytes(csv_bytes([["Thing", "Who"], [f"{CANARY}", TOKEN]]))
    with pytest.raises(CommandError):
        run("import", str(path), plan="NEWONE")
    refused = the_line(job_lines()[1:], "import", "refused")
    assert "error(s): nothing was written" in refused.reason
    log = formatted(job_lines())
    assert CANARY not in log and TOKEN not in log


@pytest.mark.django_db
def test_export_logs_the_file_and_its_size(demo, job_lines, tmp_path):
    target = tmp_path / "plan.json"
    run("export", "pip-pr", fmt="json", output=str(target))
    record = the_line(job_lines(), "export")
    assert (record.plan, record.format, record.file, record.bytes) == ("PIP-PR", "json", str(target),
                                                                       target.stat().st_size)
    with pytest.raises(CommandError):
        run("export", "NOPE", fmt="csv", output=str(tmp_path / "x.csv"))
    assert the_line(job_lines()[1:], "export", "failed").reason == "No plan with reference 'NOPE'. Plans: PIP-PR"


@pytest.mark.django_db
def test_report_logs_the_file_written_and_an_unknown_plan_is_failed(demo, job_lines, tmp_path):
    target = tmp_path / "november.html"
    run("report", "PIP-PR", as_at="2021-11-30", fmt="html", output=str(target))
    record = the_line(job_lines(), "report")
    assert (record.plan, record.as_at, record.format, record.file, record.bytes) == (
        "PIP-PR", "2021-11-30", "html", str(target), target.stat().st_size)
    with pytest.raises(CommandError):
        run("report", "NOPE", fmt="pdf", output=str(tmp_path / "x.pdf"))
    failed = the_line(job_lines()[1:], "report", "failed")
    assert failed.plan == "NOPE" and failed.reason.startswith("No plan with reference 'NOPE'")
    assert not hasattr(failed, "bytes") and not (tmp_path / "x.pdf").exists()


@pytest.mark.django_db
def test_rag_logs_the_number_of_actions(demo, job_lines):
    run("rag", "PIP-PR", as_at="30/11/2021")
    record = the_line(job_lines(), "rag")
    assert (record.plan, record.as_at, record.actions) == ("PIP-PR", "2021-11-30", demo.plan.actions.count())


@pytest.mark.django_db
def test_the_demo_logs_its_loading_once_and_never_the_passwords_it_prints(job_lines):
    out = run("demo", no_serve=True)
    record = the_line(job_lines(), "demo")
    assert (record.plan, record.added) == ("PIP-PR", 1)
    passwords = [line.split()[1] for line in out.splitlines() if line.startswith("  ") and len(line.split()) > 2]
    assert len(passwords) == 5 and not any(password in formatted(job_lines()) for password in passwords)
    run("demo", no_serve=True)
    assert the_line(job_lines()[1:], "demo").added == 0


# The real lines, from `actiontrack` itself ---------------------------------------------------------------------

def job_entries(stderr: str) -> list[dict]:
    """The JSON job lines on a command's standard error (every log line there must be JSON)."""
    entries = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    return [entry for entry in entries if entry["logger"] == "actiontrack.job"]


def the_entry(result, job: str, outcome: str = "ok") -> dict:
    [entry] = job_entries(result.stderr)
    level = {"ok": "INFO", "refused": "WARNING", "failed": "ERROR"}[outcome]
    assert (entry["job"], entry["outcome"], entry["level"]) == (job, outcome, level)
    assert len(entry["job_id"]) == 32 and entry["duration_ms"] >= 0 and entry["user_id"] is None
    assert entry["time"].endswith("+00:00")
    return entry


def test_backup_restore_and_import_write_one_json_line_each_on_standard_error(tmp_path_factory, tmp_path):
    secrets = {"LOG_FORMAT": "json", "LOG_LEVEL": "INFO", "EMAIL_HOST_PASSWORD": TOKEN,
               "SECRET_KEY": f"job-log-test-secret-{TOKEN}-" + "s" * 20}
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "site")
    site.environment.update(secrets)
    (site.uploads / "evidence").mkdir(parents=True, exist_ok=True)
    (site.uploads / "evidence" / "note.txt").write_text(f"Evidence that must stay private: {CANARY}\n")
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(csv_bytes([
        ["Ref", "Recommendation", "Action", "Action owner", "Target date"],
        ["1.1", "Improve the rota.", f"Rebalance the rota ({CANARY}).", "Head of Protection", "31/05/2022"]]))

    imported = the_entry(site.run("import", str(tracker), "--plan", "NEWPLAN", "--apply"), "import")
    assert (imported["plan"], imported["rows"], imported["dry_run"], imported["file"]) == (
        "NEWPLAN", 1, False, str(tracker))

    archive = tmp_path / "backup.tar"
    backup = site.run("backup", str(archive))
    backed_up = the_entry(backup, "backup")
    assert (backed_up["file"], backed_up["bytes"], backed_up["files"]) == (str(archive), archive.stat().st_size, 1)

    target = type(site)(tmp_path / "target", environment=dict(secrets))
    restored = the_entry(target.run("restore", str(archive)), "restore")
    assert (restored["file"], restored["files"]) == (str(archive), 1)

    # Declining to overwrite what is there changes nothing: refused, not failed.
    again = the_entry(site.run("backup", str(archive), check=False), "backup", "refused")
    assert "already exists" in again["reason"]
    into_full = the_entry(target.run("restore", str(archive), check=False), "restore", "refused")
    assert "This installation is not empty" in into_full["reason"]

    # A damaged archive: refused by the command, failed in the log, with the reason, never the contents.
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as tar:
        for member in source:
            content = source.extractfile(member).read()
            tar.addfile(member, io.BytesIO(content.replace(b"private", b"PRIVATE")))
    failure = type(site)(tmp_path / "other", environment=dict(secrets)).run("restore", str(damaged), check=False)
    assert failure.returncode != 0
    failed = the_entry(failure, "restore", "failed")
    assert "is damaged or has been altered" in failed["reason"] and "files/evidence/note.txt" in failed["reason"]

    for result in (backup, failure):
        assert CANARY not in result.stderr and TOKEN not in result.stderr and "PRIVATE" not in result.stderr
    assert len({imported["job_id"], backed_up["job_id"], restored["job_id"], failed["job_id"]}) == 4


def test_the_job_line_in_the_plain_format_is_one_line_with_its_fields(tmp_path_factory, tmp_path):
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "site")
    site.environment.update({"LOG_FORMAT": "plain", "LOG_LEVEL": "INFO"})
    result = site.run("rag", "PIP-PR", "--as-at", "30/11/2021")
    [line] = [line for line in result.stderr.splitlines() if " actiontrack.job " in line]
    assert " INFO actiontrack.job job rag ok job=rag job_id=" in line
    assert "outcome=ok" in line and "plan=PIP-PR as_at=2021-11-30 actions=" in line and "duration_ms=" in line


def test_a_job_line_is_left_out_at_log_level_warning_unless_the_job_failed(tmp_path_factory, tmp_path):
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "site")
    site.environment.update({"LOG_FORMAT": "json", "LOG_LEVEL": "WARNING"})
    assert job_entries(site.run("rag", "PIP-PR").stderr) == []
    assert [e["outcome"] for e in job_entries(site.run("rag", "NOPE", check=False).stderr)] == ["failed"]

