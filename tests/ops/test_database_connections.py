"""Kept PostgreSQL connections (Django's backend with CONN_MAX_AGE and CONN_HEALTH_CHECKS, settings.py): a
connection the server has ended (a restart, a fail-over, an administrator) is replaced before the next request
uses it, whatever that request does first, and an upgrade's migration run from elsewhere costs no request.
Requests go through Django's real request cycle (WSGIHandler), which is where the health check happens; the test
client skips it."""

import io

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, transaction

from actiontrack.api.tokens import token_create

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connections"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def token():
    user = get_user_model().objects.create_user("api-reader", password="an API reader's long password")
    return token_create(user=user, name="connection test")[1]


def api_get(path: str, token: str) -> int:
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_AUTHORIZATION": f"Bearer {token}"}
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def end_connection() -> int:
    """The server ends this process's connection, as a restart or `pg_terminate_backend` would."""
    pid = backend_pid()
    with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


def test_the_connection_is_kept_between_requests(token):
    assert api_get("/api/plans", token) == 200
    pid = backend_pid()
    assert api_get("/api/plans", token) == 200
    assert backend_pid() == pid


def test_a_connection_the_server_ended_between_requests_is_replaced_and_the_request_succeeds(token):
    assert api_get("/api/plans", token) == 200
    pid = end_connection()
    assert api_get("/api/plans", token) == 200
    assert backend_pid() != pid


def test_a_write_first_on_an_ended_connection_is_written_once_on_a_new_one(token):
    assert api_get("/api/plans", token) == 200
    pid = end_connection()
    close_old_connections()  # a new request starts
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET first_name = first_name || 'x' WHERE username = 'api-reader'")
    assert backend_pid() != pid
    assert get_user_model().objects.get(username="api-reader").first_name == "x"


def test_a_transaction_first_on_an_ended_connection_starts_on_a_new_one(token):
    assert api_get("/api/plans", token) == 200
    pid = end_connection()
    close_old_connections()  # a new request starts
    with transaction.atomic():
        get_user_model().objects.create_user("made-in-a-transaction")
    assert backend_pid() != pid
    assert get_user_model().objects.filter(username="made-in-a-transaction").exists()


def test_a_migration_that_changes_a_column_the_requests_read_costs_no_request(token):
    for _ in range(2):
        assert api_get("/api/plans", token) == 200
    pid = backend_pid()
    params = {**connection.get_connection_params(), "autocommit": True}
    with psycopg.connect(**params) as migration:  # as `actiontrack migrate` would, from another process
        migration.execute("ALTER TABLE auth_user ALTER COLUMN first_name TYPE varchar(151)")
    try:
        for _ in range(2):
            assert api_get("/api/plans", token) == 200
        assert backend_pid() == pid
    finally:
        with psycopg.connect(**params) as migration:
            migration.execute("ALTER TABLE auth_user ALTER COLUMN first_name TYPE varchar(150)")
