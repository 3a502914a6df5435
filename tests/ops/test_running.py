"""Running it for real: the health check, request logs, the database-down page, static files served by the
app, and the production server's start-up checks."""

import json
import logging
import os
import socket
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.test import RequestFactory

from actiontrack.core.logs import JsonFormatter
from actiontrack.ops.middleware import DatabaseUnavailableMiddleware

pytestmark = pytest.mark.django_db


def test_the_health_check_reports_each_part_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "storage": "ok"}


def test_the_health_check_fails_when_the_data_folder_cannot_be_written(client, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the uploads folder should be")
    settings.MEDIA_ROOT = blocker / "uploads"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unhealthy" and response.json()["storage"].startswith("not writable")


def test_every_request_is_logged_once_with_its_request_id_and_user(signed_in, plan_manager, caplog):
    with caplog.at_level(logging.INFO, logger="actiontrack.request"):
        response = signed_in(plan_manager).get("/plans/PIP-PR/?as_at=2021-11-30",
                                               headers={"X-Request-ID": "lb-0123456789"})
    assert response["X-Request-ID"] == "lb-0123456789"
    [record] = [r for r in caplog.records if r.name == "actiontrack.request"]
    assert (record.request_id, record.user_id, record.status, record.path) == (
        "lb-0123456789", plan_manager.pk, 200, "/plans/PIP-PR/")


def test_a_log_line_in_json_carries_the_fields_and_never_the_password(client, demo, caplog):
    with caplog.at_level(logging.INFO, logger="actiontrack.request"):
        client.post("/accounts/login/", {"username": "pmo", "password": "a secret password 123"})
    [record] = [r for r in caplog.records if r.name == "actiontrack.request"]
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["method"] == "POST" and entry["path"] == "/accounts/login/" and len(entry["request_id"]) == 32
    assert "a secret password" not in line


def test_while_the_database_is_down_people_get_a_clear_503_page():
    def database_gone(request):
        raise OperationalError("connection refused")

    response = DatabaseUnavailableMiddleware(database_gone)(RequestFactory().get("/plans/PIP-PR/"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_static_files_are_served_by_the_app_itself_when_debug_is_off(client):
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/static/web/actiontrack.css", secure=True)
    assert response.status_code == 200 and b".tag--green" in b"".join(response.streaming_content)


def serve(env, *args):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "-m", "actiontrack.cli", "serve", "--check-only", *args],
                          env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_serve_refuses_to_start_in_debug_mode(tmp_path):
    result = serve({"DEBUG": "true", "ACTIONTRACK_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "DEBUG is on: `serve` is the production server" in result.stderr


def test_serve_refuses_to_start_without_a_reachable_database(tmp_path):
    result = serve({"DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path),
                    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/actiontrack"})
    assert result.returncode != 0
    assert "The database at 127.0.0.1 cannot be reached" in result.stderr


def test_serve_prepares_a_fresh_data_folder_and_says_where_it_serves(tmp_path):
    result = serve({"DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path)}, "--bind", "127.0.0.1:8299")
    assert result.returncode == 0, result.stderr
    assert "serving on http://127.0.0.1:8299/" in result.stdout
    assert (tmp_path / "static" / "web" / "actiontrack.css").exists() and (tmp_path / "actiontrack.sqlite3").exists()


def demo(env, *args):
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "-m", "actiontrack.cli", "demo", *args], env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_the_demo_shows_what_users_get_so_it_refuses_to_serve_with_debug_on(tmp_path):
    result = demo({"DEBUG": "true", "ACTIONTRACK_DATA_DIR": str(tmp_path)}, "--port", "8298")
    assert result.returncode != 0 and "DEBUG is on: the demo shows what users get, with DEBUG off" in result.stderr
    assert not (tmp_path / "actiontrack.sqlite3").exists()  # refused before loading anything


def test_the_demo_says_when_its_port_is_taken_before_loading_anything(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = demo({"ACTIONTRACK_DATA_DIR": str(tmp_path)}, "--port", str(port))
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 cannot be used (Address already in use): is the demo already running?" in (
        result.stderr)
    assert not (tmp_path / "actiontrack.sqlite3").exists()


def test_serve_says_where_its_secret_key_comes_from(tmp_path):
    from_folder = serve({"DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path), "SECRET_KEY": ""})
    assert from_folder.returncode == 0, from_folder.stderr
    assert f"secret key from {tmp_path / 'secret_key'}" in from_folder.stdout
    from_environment = serve({"DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50})
    assert "secret key from SECRET_KEY" in from_environment.stdout


def test_serve_on_postgresql_with_the_data_folders_key_says_several_servers_need_one_secret_key(tmp_path):
    from tests.ops.installations import pg_server_answers, throwaway_database

    if not pg_server_answers():
        pytest.skip("no PostgreSQL server answers at 127.0.0.1:5432 (CI always has one)")
    with throwaway_database(f"serve_key_{os.getpid()}") as url:
        result = serve({"DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path), "SECRET_KEY": "", "DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "with several app servers on this database, give each the same SECRET_KEY" in result.stdout


def test_a_worker_loads_every_view_and_leaves_what_it_loaded_out_of_the_collectors_scans(tmp_path):
    """What a WSGI server loads (actiontrack.wsgi) is frozen once loaded, views included, so the collections a page
    built afresh sets off do not scan it again; and the frozen app still serves."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    script = ("import gc, io, sys\n"
              "from actiontrack.wsgi import application\n"
              "print(gc.get_freeze_count(), 'actiontrack.web.views' in sys.modules,\n"
              "      'actiontrack.api.reads' in sys.modules)\n"
              "environ = {'REQUEST_METHOD': 'GET', 'PATH_INFO': '/accounts/login/', 'SERVER_NAME': 'localhost',\n"
              "           'SERVER_PORT': '80', 'wsgi.url_scheme': 'https', 'wsgi.input': io.BytesIO(b'')}\n"
              "statuses = []\n"
              "body = b''.join(application(environ, lambda status, headers: statuses.append(status)))\n"
              "print(statuses[0], b'Sign in' in body)\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            env={**clean, "DEBUG": "false", "ACTIONTRACK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    frozen, views, api = result.stdout.splitlines()[0].split()
    assert int(frozen) > 50_000 and views == api == "True"
    assert result.stdout.splitlines()[1] == "200 OK True"
