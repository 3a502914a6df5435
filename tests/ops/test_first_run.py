"""The first run, as a newcomer has it: `actiontrack` commands on a new data folder, with nothing set but the folder.
The secret key kept in the data folder, a fresh folder's tables made before a command needs them (PostgreSQL: told
what to run), and, in a terminal, a command's own output only: its job line goes to the log file, and a reader that
stops early (`| head`) ends it quietly.

Each test runs `actiontrack` in a subprocess with a clean environment, as someone at a terminal would; "a terminal"
is a pseudo-terminal here."""

from __future__ import annotations

import os
import pty
import select
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from actiontrack.cli import with_verbosity
from tests.interchange.fixtures import csv_bytes
from tests.ops.installations import pg_server_answers, throwaway_database

# The test run's own settings, which a newcomer does not have.
THEIRS = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "LOG_FORMAT", "LOG_LEVEL")


def newcomer(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in THEIRS and not key.startswith(("ACTIONTRACK_", "SECURE_", "DJANGO_"))}
    return {**env, "ACTIONTRACK_DATA_DIR": str(data_dir), **extra}


def actiontrack(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "actiontrack.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def settings_key(env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", "import actiontrack.settings as s; print(s.SECRET_KEY)"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def in_a_terminal(env: dict[str, str], *args: str, stdout: int | None = None) -> tuple[int, str]:
    """Run `actiontrack` with a pseudo-terminal for standard error (and standard output, unless given); returns its
    exit status and everything the terminal showed."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "actiontrack.cli", *args], env=env, stdin=subprocess.DEVNULL,
                               stdout=terminal if stdout is None else stdout, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        if not ready:
            process.kill()
            raise AssertionError(f"actiontrack {' '.join(args)} printed nothing for 120 s:\n{shown.decode()}")
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is closed: the process has ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return process.wait(timeout=60), shown.decode().replace("\r\n", "\n")


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("migrated") / "data"
    result = actiontrack(newcomer(folder), "migrate", "-v", "0")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def migrated(migrated_template, tmp_path) -> Path:
    """A data folder whose database has every table and nothing in it (a copy, made once per test module)."""
    folder = tmp_path / "data"
    shutil.copytree(migrated_template, folder)
    return folder


# The secret key ---------------------------------------------------------------------------------------------------

def test_without_secret_key_a_key_is_made_in_the_data_folder_for_its_owner_only_and_used_whatever_debug_is(tmp_path):
    key = settings_key(newcomer(tmp_path))  # DEBUG off, as by default
    key_file = tmp_path / "secret_key"
    assert len(key) >= 50 and key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert settings_key(newcomer(tmp_path, DEBUG="true")) == key
    assert settings_key(newcomer(tmp_path, DEBUG="false")) == key


def test_secret_key_in_the_environment_still_wins(tmp_path):
    settings_key(newcomer(tmp_path))
    assert settings_key(newcomer(tmp_path, SECRET_KEY="k" * 50)) == "k" * 50


def test_commands_started_together_on_a_new_folder_all_use_one_key(tmp_path):
    code = "import actiontrack.settings as s; print(s.SECRET_KEY)"
    started = [subprocess.Popen([sys.executable, "-c", code], env=newcomer(tmp_path), stdout=subprocess.PIPE,
                                text=True) for _ in range(4)]
    keys = {process.communicate(timeout=60)[0].strip() for process in started}
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_a_key_file_too_short_to_be_safe_is_refused_naming_the_file(tmp_path):
    (tmp_path / "secret_key").write_text("short")
    result = actiontrack(newcomer(tmp_path), "check")
    assert result.returncode == 2
    assert f"The key in '{tmp_path / 'secret_key'}' is too short" in result.stderr


# A fresh data folder ----------------------------------------------------------------------------------------------

def test_import_on_a_fresh_data_folder_creates_the_database_first_then_imports(tmp_path):
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(csv_bytes([["Ref", "Action", "Owner", "Due date"],
                                   ["1.1", "Publish the protection plan", "Head of Protection", "31/03/2027"]]))
    result = actiontrack(newcomer(tmp_path / "data"), "import", str(tracker), "--plan", "PIP-NEW",
                         "--create-posts")
    assert result.returncode == 0, result.stderr
    assert f"a new data folder: creating the SQLite database {tmp_path / 'data' / 'actiontrack.sqlite3'} first" in (
        result.stderr)
    assert "Dry run: nothing was written." in result.stdout and "Traceback" not in result.stderr


def test_a_command_on_a_database_an_upgrade_left_behind_says_to_run_migrate(tmp_path):
    env = newcomer(tmp_path)
    assert actiontrack(env, "migrate", "contenttypes", "-v", "0").returncode == 0  # part of the tables only
    result = actiontrack(env, "rag", "PIP-PR")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "migrations behind this version of actiontrack. Run `actiontrack migrate` once" in result.stderr
    assert "then `actiontrack rag` again" in result.stderr


def test_a_fresh_postgresql_database_is_not_migrated_behind_anyones_back_the_command_says_what_to_run(tmp_path):
    if not pg_server_answers():
        pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432 (CI always has one)")
    with throwaway_database(f"first_run_{os.getpid()}") as url:
        result = actiontrack(newcomer(tmp_path, DATABASE_URL=url), "changepassword", "pmo")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"actiontrack: the PostgreSQL database 'first_run_{os.getpid()}' on 127.0.0.1:5432 has "
                             "no tables yet. Run `actiontrack migrate` once, with the same settings (DATABASE_URL), "
                             "then `actiontrack changepassword` again.\n")


def test_an_unreachable_database_is_named_without_a_traceback(tmp_path):
    result = actiontrack(newcomer(tmp_path, DATABASE_URL="postgres://nobody@127.0.0.1:1/actiontrack"), "rag", "X")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("actiontrack: the PostgreSQL database 'actiontrack' on 127.0.0.1:1 cannot be "
                                    "reached: ")
    assert "Check DATABASE_URL and that the database server is running." in result.stderr


# In a terminal ----------------------------------------------------------------------------------------------------

def test_in_a_terminal_a_command_prints_its_own_output_and_its_job_line_goes_to_the_log_file(migrated):
    env = newcomer(migrated)
    status, shown = in_a_terminal(env, "remind", "--dry-run", "--date", "01/12/2026")
    assert status == 0
    assert shown == ("Reminders for 1 December 2026: 0 would be sent, 0 already sent today, 0 with nothing to remind, "
                     "0 turned off, 0 without an email address.\n")
    [line] = (migrated / "actiontrack.log").read_text().splitlines()
    assert " INFO actiontrack.job job remind ok job=remind " in line and "would_send=0" in line


def test_in_a_terminal_the_job_line_is_shown_too_with_v(migrated):
    env = newcomer(migrated)
    status, shown = in_a_terminal(env, "remind", "--dry-run", "-v")
    assert status == 0 and "INFO actiontrack.job job remind ok" in shown and "Reminders for " in shown
    assert "INFO actiontrack.job job remind ok" in (migrated / "actiontrack.log").read_text()


def test_a_refusal_in_a_terminal_is_said_once_with_the_job_line_in_the_log_file(migrated):
    status, shown = in_a_terminal(newcomer(migrated), "rag", "NOPE", "--as-at", "30/11/2021")
    assert status == 1
    assert "CommandError: No plan with reference 'NOPE'. Plans: none\n" in shown
    assert "actiontrack.job" not in shown
    assert "job rag failed" in (migrated / "actiontrack.log").read_text()


def test_elsewhere_standard_error_is_the_log_and_gets_the_job_line(migrated):
    env = newcomer(migrated)
    result = actiontrack(env, "remind", "--dry-run")  # as under cron or systemd: standard error is not a terminal
    assert "INFO actiontrack.job job remind ok" in result.stderr and not (migrated / "actiontrack.log").exists()


def test_a_reader_that_stops_early_ends_the_command_quietly(migrated):
    env = newcomer(migrated)
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` that has read what it wanted and gone
    try:
        status, shown = in_a_terminal(env, "remind", "--dry-run", stdout=writer)
    finally:
        os.close(writer)
    assert status == 141  # as for any program whose reader went away (128 + SIGPIPE)
    assert shown == ""
    logged = (migrated / "actiontrack.log").read_text()
    assert "job remind ok" in logged and "closed by the reader" in logged and "job remind failed" not in logged


@pytest.mark.parametrize(("argv", "expected"), [
    (["rag", "PIP-PR"], (["rag", "PIP-PR"], 1)),
    (["rag", "PIP-PR", "-v"], (["rag", "PIP-PR", "-v2"], 2)),
    (["rag", "-v", "PIP-PR"], (["rag", "-v2", "PIP-PR"], 2)),
    (["rag", "PIP-PR", "-v", "0"], (["rag", "PIP-PR", "-v", "0"], 0)),
    (["rag", "PIP-PR", "-v3"], (["rag", "PIP-PR", "-v3"], 3)),
    (["rag", "PIP-PR", "--verbosity=2"], (["rag", "PIP-PR", "--verbosity=2"], 2)),
    (["shell", "--", "-v"], (["shell", "--", "-v"], 1)),
])
def test_a_bare_v_asks_for_the_job_line_as_django_s_v_2_does(argv, expected):
    assert with_verbosity(argv) == expected
