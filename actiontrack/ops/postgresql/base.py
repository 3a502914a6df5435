"""Django's PostgreSQL backend with two changes for the lookups every request makes (settings.py selects it
for a `postgres://` DATABASE_URL).

- **The health check asks the socket first.** With `CONN_HEALTH_CHECKS` Django sends `SELECT 1` before the
  first query of every request: a round trip each time. A server that ends a connection (a restart, an
  administrator's `pg_terminate_backend`, its idle timeout) says so and closes the socket, so a connection
  whose socket has something to read gets Django's check, and a quiet one is used as it is. If a quiet
  connection turns out to be dead after all (its server vanished without a word), the request's first
  statement is sent again on a new connection when it is a read outside a transaction, as Django's check
  would have replaced the connection before it; a write is never sent twice.
- **`prepared_cursor()`** prepares what it runs, so the server parses and plans each of the per-request
  lookups once per connection, not once per request (`actiontrack.ops.rows`). Django turns psycopg's own
  preparation off for the sake of connection poolers; see docs/deploy.md for PgBouncer."""

from __future__ import annotations

import logging
import re
import select

from django.db import InterfaceError, OperationalError
from django.db.backends.postgresql import base
from psycopg import Error as PsycopgError
from psycopg.pq import Format, TransactionStatus

logger = logging.getLogger(__name__)

_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# psycopg prepares a statement only when this is not None; Django's cursors bind on the client and never
# prepare, so with an unreachable threshold only PreparingCursor's statements are prepared.
_NEVER_BY_COUNT = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """Binds parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unconfirmed = False  # the health check trusted a quiet socket; the next statement will tell
        self.execute_wrappers.append(self._first_statement)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None:
            connection.prepare_threshold = _NEVER_BY_COUNT
        return connection

    def close_if_health_check_failed(self):
        if (self.connection is not None and self.health_check_enabled and not self.health_check_done
                and self._quiet()):
            self.health_check_done = True
            self._unconfirmed = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """The connection is open, idle, and the server has sent nothing since its last answer."""
        conn = self.connection
        if conn.closed or conn.info.transaction_status != TransactionStatus.IDLE:
            return False
        try:
            poller = select.poll()
            poller.register(conn.fileno(), select.POLLIN | select.POLLPRI)
            return not poller.poll(0)
        except (OSError, ValueError, PsycopgError):
            return False

    def _first_statement(self, execute, sql, params, many, context):
        if not self._unconfirmed:
            return execute(sql, params, many, context)
        self._unconfirmed = False
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            lost = self.connection is None or self.connection.closed
            named = getattr(context["cursor"].cursor, "name", None)  # a server-side cursor: not retried
            in_transaction = self.in_atomic_block or not self.autocommit
            if not lost or many or named or in_transaction or not _READ.match(sql):
                raise
        logger.warning("The database connection had been closed by the server; reconnected and read again.")
        wrapper = context["cursor"]
        preparing = isinstance(wrapper.cursor, PreparingCursor)
        self.close()
        self.ensure_connection()
        with self.wrap_database_errors:
            wrapper.cursor = self._preparing_cursor() if preparing else self.create_cursor()
        return execute(sql, params, many, context)

    def prepared_cursor(self):
        """A Django cursor whose statements are prepared on the server."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self._preparing_cursor())

    def _preparing_cursor(self) -> PreparingCursor:
        cursor = PreparingCursor(self.connection)
        # As Django's create_cursor does: read times in the connection's time zone.
        if self.timezone != self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT).timezone:
            base.register_tzloader(self.timezone, cursor)
        return cursor
