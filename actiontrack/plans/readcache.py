"""Reads kept between requests, in this process, until the plan changes.

Building a plan as at a date (and rendering its table) costs tens of milliseconds per hundred actions, and
people read far more often than they write. What a plan page shows changes only through the services, and
every service writes the journal. `journal.record` moves `Plan.read_version` on in the same transaction as
every event about the plan, and every plan's when a post's name or holders change (they name the owners).
The update holds the plan's row until commit, so versions are committed in order, together with their data.

The version is read before the data, so a value is never stored under a newer version than the data it was
built from. Inside a transaction nothing is read from or stored in the cache (its changes may be rolled back).

The cache lives in each worker process (no shared cache server to run), bounded by READ_CACHE_MB (an
estimate, see `weight`) and MAX_ENTRIES, least recently used out first; several app servers each keep their
own, and each checks the database's version on every read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import connection

from .models import Plan

T = TypeVar("T")
MAX_ENTRIES = 96

_entries: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # key -> (value, weight)
_size = 0
_lock = threading.Lock()


def loaded_version(plan: Plan) -> tuple:
    """The read version of a plan loaded from the database in this request, before any of its data was
    read: what the views and API handlers use. Anywhere else, reload the plan first (selectors.plan_as_at does
    when given no version): its own fields are part of what is built, and an old object has old ones."""
    return (plan.pk, plan.created_at, plan.read_version)


def plan_version(plan: Plan) -> tuple:
    """The read version, read afresh: a Plan object in memory may be older than the rows."""
    return Plan.objects.filter(pk=plan.pk).values_list("pk", "created_at", "read_version").get()


def _in_transaction() -> bool:
    """Inside a transaction (other than a test case's own), the version may include changes that will yet be
    rolled back, and so be reused by a different committed state: build, but neither read nor store."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def weight(value: object) -> int:
    """Roughly how many bytes a cached value holds: rendered pages by their length; other values say so in
    their `cache_weight` (a plan as at a date, by its actions), or count as a kilobyte."""
    if isinstance(value, str | bytes):
        return len(value)
    return getattr(value, "cache_weight", 1_000)


def get_or_build(key: tuple, build: Callable[[], T]) -> T:
    """The value stored under `key`, or build and store it. `key` must include a read version."""
    budget = settings.READ_CACHE_MB * 1_000_000
    if not budget or _in_transaction():
        return build()
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key][0]  # type: ignore[return-value]
    value = build()
    size = weight(value)
    if size > budget // 4:  # one plan must not push every other out
        return value
    global _size
    with _lock:
        if key not in _entries:
            _entries[key] = (value, size)
            _size += size
        while len(_entries) > MAX_ENTRIES or _size > budget:
            _size -= _entries.popitem(last=False)[1][1]
    return value


def size() -> tuple[int, int]:
    """(entries, estimated bytes) held now."""
    with _lock:
        return len(_entries), _size


def clear() -> None:
    """Forget everything (tests start each case with an empty cache; a restore may reuse ids)."""
    global _size
    with _lock:
        _entries.clear()
        _size = 0
