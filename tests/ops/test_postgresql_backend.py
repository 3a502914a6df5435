"""The PostgreSQL backend (actiontrack/ops/postgresql): a connection the server has ended is replaced before
the next request uses it, a quiet one is used without asking the server first, and the lookups every API call
makes are prepared once per connection. Requests go through Django's real request cycle (WSGIHandler), which
is where the health check happens; the test client skips it."""

import io
import select
import time

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.db.backends.postgresql import base as django_postgresql

from actiontrack.api.tokens import token_create
from actiontrack.ops.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def token():
    user = get_user_model().objects.create_user("api-reader", password="an API reader's long password")
    return token_create(user=user, name="backend test")[1]


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


def test_a_connection_the_server_ended_between_requests_is_replaced_and_the_request_succeeds(token):
    assert api_get("/api/plans", token) == 200
    pid = backend_pid()
    with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    deadline = time.monotonic() + 10
    while not poller.poll(50) and time.monotonic() < deadline:  # the server's goodbye reaches the socket
        pass

    assert api_get("/api/plans", token) == 200
    assert backend_pid() != pid


def test_a_quiet_connection_is_used_without_a_round_trip_first(token, monkeypatch):
    asked = []
    real = django_postgresql.DatabaseWrapper.is_usable
    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", lambda self: asked.append(1) or real(self))
    assert api_get("/api/plans", token) == 200
    pid = backend_pid()
    assert api_get("/api/plans", token) == 200
    assert asked == [] and backend_pid() == pid


def test_the_token_and_plan_lookups_are_prepared_once_per_connection(token):
    for _ in range(3):
        assert api_get("/api/plans/NO-SUCH-PLAN/actions", token) == 404  # token, then the plan: not visible
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 2, prepared
    assert any('FROM "api_apitoken" t' in statement for statement in prepared)
    assert any('FROM "plans_plan" p WHERE p.reference' in statement for statement in prepared)


def end_silently(monkeypatch) -> int:
    """The server ends this connection, and the socket is made to look quiet, as when a server vanishes without
    a word (a crashed host, a moved address): only the next statement can find out."""
    pid = backend_pid()
    with psycopg.connect(**{**connection.get_connection_params(), "autocommit": True}) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    monkeypatch.setattr(DatabaseWrapper, "_quiet", lambda self: not self.connection.closed)
    time.sleep(0.2)  # let the server finish ending it
    return pid


def test_a_connection_that_died_silently_is_replaced_and_the_first_read_asked_again(token, monkeypatch):
    assert api_get("/api/plans", token) == 200
    pid = end_silently(monkeypatch)
    assert api_get("/api/plans", token) == 200
    assert backend_pid() != pid


def test_a_write_first_on_a_connection_that_died_silently_is_checked_first_and_written_once(token, monkeypatch):
    assert api_get("/api/plans", token) == 200
    pid = end_silently(monkeypatch)
    connection.health_check_done = False  # a new request starts
    with connection.cursor() as cursor:
        cursor.execute("UPDATE auth_user SET first_name = first_name || 'x' WHERE username = 'api-reader'")
    assert backend_pid() != pid
    assert get_user_model().objects.get(username="api-reader").first_name == "x"


def test_a_transaction_first_on_a_connection_that_died_silently_starts_on_a_new_connection(token, monkeypatch):
    assert api_get("/api/plans", token) == 200
    pid = end_silently(monkeypatch)
    connection.health_check_done = False  # a new request starts
    with transaction.atomic():
        get_user_model().objects.create_user("made-in-a-transaction")
    assert backend_pid() != pid
    assert get_user_model().objects.filter(username="made-in-a-transaction").exists()


def test_a_migration_that_changes_a_column_read_by_a_prepared_lookup_costs_no_request(token):
    """Prepared statements fail once a column they return changes type ("cached plan must not change result
    type"); the lookup forgets them and prepares again, so requests carry on during an upgrade."""
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


def test_prepared_statements_can_be_turned_off_for_a_pooler(token, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PREPARED_STATEMENTS", False)
    for _ in range(3):
        assert api_get("/api/plans/NO-SUCH-PLAN/actions", token) == 404
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
