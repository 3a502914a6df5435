"""The `actiontrack` command line: the RAG table in the terminal, the demo loader, and start-up checks."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_rag_prints_the_table_with_text_labels_and_summary_counts(demo):
    out = run("rag", "PIP-PR", as_at="2021-11-30")
    assert "as at 30 November 2021" in out
    assert "10 actions: 0 Red – Overdue, 3 Amber – On track but to be completed, 7 Green – Complete" in out
    assert "31/12/2021 (On Approval)" in out and "(was 31/05/2021)" in out
    assert "Corporate Communications" in out  # joint owners are not cut off


def test_rag_accepts_a_uk_date_and_a_lower_case_reference(demo):
    assert "0 Green – Complete" in run("rag", "pip-pr", as_at="01/02/2021")


@pytest.mark.parametrize(("args", "options", "message"), [
    (["NOPE"], {}, "No plan with reference 'NOPE'. Plans: PIP-PR"),
    (["PIP-PR"], {"as_at": "30/13/2021"}, "--as-at: '30/13/2021' is not a date: there is no month 13"),
    (["PIP-PR"], {"as_at": "2020-06-01"}, "was agreed on 1 February 2021"),
])
def test_rag_refuses_bad_input_with_a_clear_message(demo, args, options, message):
    with pytest.raises(CommandError, match=message):
        run("rag", *args, **options)


def test_demo_without_serving_loads_once_and_prints_passwords_once(db):
    first = run("demo", no_serve=True)
    assert "Loaded the demo plan PIP-PR" in first
    assert "Source document: action 3.1: '31//12/2021'" in first
    assert all(name in first for name in ("pmo", "cparker", "earwicker", "verifier", "board"))
    second = run("demo", no_serve=True)
    assert "already loaded; nothing duplicated" in second
    assert "passwords were printed the first time" in second


def start_settings(env):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS")}
    return subprocess.run([sys.executable, "-c", "import actiontrack.settings"], env={**clean, **env},
                          capture_output=True, text=True)


@pytest.mark.parametrize(("env", "message"), [
    ({"DEBUG": "maybe"}, "DEBUG must be one of true/false"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
    ({"SECRET_KEY": "k" * 50, "DATABASE_URL": "mysql://x@localhost/db"}, "DATABASE_URL must be a postgres:// URL"),
    ({"SECRET_KEY": "k" * 50, "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
    ({"SECRET_KEY": "k" * 50, "ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is set but empty"),
    ({"SECRET_KEY": "k" * 50, "LOG_LEVEL": "chatty"}, "LOG_LEVEL must be DEBUG, INFO"),
    ({"SECRET_KEY": "k" * 50, "ACTIONTRACK_READ_CACHE_ENTRIES": "lots"},
     "ACTIONTRACK_READ_CACHE_ENTRIES must be a whole number"),
    ({"SECRET_KEY": "k" * 50, "ACTIONTRACK_READ_CACHE_ENTRIES": "-1"},
     "ACTIONTRACK_READ_CACHE_ENTRIES must be at least 0"),
])
def test_a_bad_setting_stops_the_start_and_names_the_variable(env, message):
    result = start_settings(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_demo_keeps_a_generated_secret_key_in_the_data_folder(tmp_path):
    result = start_settings({"DEBUG": "true", "ACTIONTRACK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50 and start_settings({"DEBUG": "true", "ACTIONTRACK_DATA_DIR": str(tmp_path)}).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_the_models_and_migrations_agree():
    run("makemigrations", "--check", "--dry-run")
