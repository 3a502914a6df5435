"""Django's PostgreSQL backend with two changes for the lookups every request makes (settings.py selects it
for a `postgres://` DATABASE_URL).

- **The health check asks the socket first.** With `CONN_HEALTH_CHECKS` Django sends `SELECT 1` before the
  first query of every request: a round trip each time. A server that ends a connection (a restart, an
  administrator's `pg_terminate_backend`, its idle timeout) says so and closes the socket, so a connection
  whose socket has something to read gets Django's check, and a quiet one is trusted until its first statement.
  If that statement is a read outside a transaction (a request's first statement almost always is: the
  session or the API token), it is sent, and sent again on a new connection if the old one turns out to have
  died without a word (a crashed host). Anything that cannot be sent twice (a write, a transaction's start, a
  server-side cursor) gets Django's check first, as before.
- **`prepared_cursor()`** prepares what it runs, so the server parses and plans each per-request lookup once
  per connection instead of once per request (`actiontrack.ops.rows`). Django leaves psycopg's preparation off
  (for connection poolers), and so do we for every other query. `DATABASE_PREPARED_STATEMENTS=false` turns
  ours off too (docs/deploy.md, for poolers that cannot keep prepared statements)."""

from __future__ import annotations

import logging
import re
import select

from django.db import InterfaceError, OperationalError
from django.db.backends.postgresql import base
from django.utils.asyncio import async_unsafe
from psycopg import Error as PsycopgError
from psycopg import errors as pg_errors
from psycopg.pq import Format, TransactionStatus

logger = logging.getLogger(__name__)

_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# psycopg prepares only while a connection's threshold is not None, and then prepares by count as well: set
# only for the moment a PreparingCursor runs, so nothing else is prepared or counted.
_NEVER_BY_COUNT = 2**31 - 1


class PreparingCursor(base.ServerBindingCursor):
    """Binds parameters on the server and prepares the statement it runs (unless turned off in settings)."""

    prepares = True

    def execute(self, query, params=None, *, prepare=None, binary=None):
        conn = self.connection
        if not self.prepares or conn.prepare_threshold is not None:  # off, or the connection prepares by count
            return super().execute(query, params, prepare=prepare, binary=binary)
        conn.prepare_threshold = _NEVER_BY_COUNT
        try:
            return super().execute(query, params, prepare=True, binary=binary)
        except pg_errors.FeatureNotSupported:
            # "cached plan must not change result type": a migration changed a column this statement reads.
            # Outside a transaction, forget the prepared statements (psycopg clears its own list when it sees
            # this) and run it once more; inside one, the transaction's rollback clears them.
            if conn.info.transaction_status != TransactionStatus.IDLE:
                raise
            super().execute("DEALLOCATE ALL", prepare=False)
            return super().execute(query, params, prepare=True, binary=binary)
        finally:
            conn.prepare_threshold = None


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unconfirmed = False  # the health check trusted a quiet socket; the next statement will tell
        self.execute_wrappers.append(self._first_statement)

    def connect(self):
        super().connect()
        self._unconfirmed = False

    def close_if_health_check_failed(self):
        if (self.connection is not None and self.health_check_enabled and not self.health_check_done
                and self._quiet()):
            self.health_check_done = True
            self._unconfirmed = True
            return
        super().close_if_health_check_failed()

    def set_autocommit(self, autocommit, force_begin_transaction_with_broken_autocommit=False):
        if not autocommit and self.connection is not None and self.health_check_enabled:
            # A transaction's statements cannot be sent twice: ask the server before it starts, as Django does.
            if self._unconfirmed:
                self._unconfirmed = False
                self.health_check_done = False
            super().close_if_health_check_failed()
        return super().set_autocommit(autocommit, force_begin_transaction_with_broken_autocommit)

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
        wrapper = context["cursor"]
        in_transaction = self.in_atomic_block or not self.autocommit
        if in_transaction:
            return execute(sql, params, many, context)
        if many or getattr(wrapper.cursor, "name", None) or not (isinstance(sql, str) and _READ.match(sql)):
            # Not safe to send twice (a write, a server-side cursor): check first, as Django's check would.
            if not self.is_usable():
                self._reconnect(wrapper)
            return execute(sql, params, many, context)
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            if self.connection is not None and not self.connection.closed:
                raise
        logger.warning("The database connection had been closed by the server; reconnected and read again.")
        self._reconnect(wrapper)
        return execute(sql, params, many, context)

    def _reconnect(self, wrapper) -> None:
        """A new connection, and a cursor of the same kind on it for `wrapper`."""
        preparing = isinstance(wrapper.cursor, PreparingCursor)
        name = getattr(wrapper.cursor, "name", None)
        self.close()
        self.ensure_connection()
        with self.wrap_database_errors:
            wrapper.cursor = self._preparing_cursor() if preparing else self.create_cursor(name)

    @async_unsafe
    def prepared_cursor(self):
        """A Django cursor whose statements are prepared on the server."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(self._preparing_cursor())

    def _preparing_cursor(self) -> PreparingCursor:
        cursor = PreparingCursor(self.connection)
        cursor.prepares = self.settings_dict.get("PREPARED_STATEMENTS", True)
        # As Django's create_cursor does: read times in the connection's time zone.
        if self.timezone != self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT).timezone:
            base.register_tzloader(self.timezone, cursor)
        return cursor
