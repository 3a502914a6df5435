"""Reads that must agree with each other: a plan's journal and its records, read by several queries for one file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, transaction


@contextmanager
def one_snapshot(using: str = "default") -> Iterator[None]:
    """Every query inside sees the database as it stood at the first of them, whatever is committed meanwhile.
    A transaction does that on SQLite (WAL mode); PostgreSQL's default isolation gives each statement the latest
    commits, so there the transaction is REPEATABLE READ (set through the driver, for this transaction only).
    Inside a transaction already begun, its isolation cannot change and is kept."""
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with transaction.atomic(using=using):
            yield
        return
    from psycopg import IsolationLevel  # PostgreSQL's driver: installed wherever PostgreSQL is used

    connection.ensure_connection()
    driver = connection.connection
    before = driver.isolation_level
    driver.isolation_level = IsolationLevel.REPEATABLE_READ  # taken by the BEGIN of the transaction below
    try:
        with transaction.atomic(using=using):
            yield
    finally:
        if not driver.closed:
            driver.isolation_level = before
