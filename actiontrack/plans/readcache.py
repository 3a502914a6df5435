"""Reads kept between requests until the plan changes.

Building a plan as at a date (and rendering its table) costs tens of milliseconds per hundred actions, and
people read far more often than they write. What a plan page shows changes only through the services, and
every service writes the journal. `journal.record` moves `Plan.read_version` on in the same transaction as
every event about the plan, and every plan's when a post's name or holders change (they name the owners).
The update holds the plan's row until commit, so versions are committed in order, together with their data.

Every key carries the read versions of the plans its value was built from, so a change is seen at once and
nothing needs deleting: an old version's values are never asked for again and age out of the cache. The
version is read before the data, so a value is never stored under a newer version than the data it was built
from. Inside a transaction nothing is read from or stored in the cache (its changes may be rolled back).

Values are kept in Django's cache named "readcache" (settings.py, docs/deploy.md): by default a folder of the
data folder shared by the machine's worker processes, or a cache shared by every app server (Redis) when
READ_CACHE_URL is set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

from .models import Plan

T = TypeVar("T")
ALIAS = "readcache"
_MISSING = object()


def loaded_version(plan: Plan) -> tuple:
    """The read version of a plan loaded from the database in this request, before any of its data was
    read: what the views and API handlers use. Anywhere else, reload the plan first (selectors.plan_as_at does
    when given no version): its own fields are part of what is built, and an old object has old ones."""
    return (plan.pk, plan.created_at, plan.read_version)


def plan_version(plan: Plan) -> tuple:
    """The read version, read afresh: a Plan object in memory may be older than the rows."""
    return Plan.objects.filter(pk=plan.pk).values_list("pk", "created_at", "read_version").get()


def cache_key(key: tuple) -> str:
    """The cache's name for `key`: its kind, then a digest of the rest (versions, dates, filters), so the name is
    short and holds only characters every cache backend accepts."""
    kind, *rest = key
    return f"{kind}:{hashlib.blake2b(repr(rest).encode(), digest_size=16).hexdigest()}"


def get_or_build(key: tuple, build: Callable[[], T]) -> T:
    """The value stored under `key`, or build and store it. `key` must start with the kind of value and include
    the read version of every plan the value shows."""
    if connection.in_atomic_block:
        # The versions read in here may include changes that will yet be rolled back, and so be reused by a
        # different committed state: build, but neither read nor store.
        return build()
    cache, name = caches[ALIAS], cache_key(key)
    value = cache.get(name, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(name, value)
    return value  # type: ignore[return-value]


def get(key: tuple):
    """The value stored under `key`, or None; for values brought up to date as they are read (put)."""
    if connection.in_atomic_block:
        return None
    return caches[ALIAS].get(cache_key(key))


def put(key: tuple, value) -> None:
    """Store `value` under `key` (nothing inside a transaction, as get_or_build)."""
    if not connection.in_atomic_block:
        caches[ALIAS].set(cache_key(key), value)


def get_many(keys: list[tuple]) -> list:
    """The values stored under `keys`, each None if missing, in one read of the cache (nothing inside a
    transaction, as get)."""
    if connection.in_atomic_block:
        return [None] * len(keys)
    names = [cache_key(key) for key in keys]
    found = caches[ALIAS].get_many(names)
    return [found.get(name) for name in names]


def put_many(values: dict[tuple, object]) -> None:
    """Store each value under its key, in one write (nothing inside a transaction, as put)."""
    if not connection.in_atomic_block:
        caches[ALIAS].set_many({cache_key(key): value for key, value in values.items()})


def get_many_or_build(keys: list[tuple], build: Callable[[list[int]], list[T]]) -> list[T]:
    """The values stored under `keys`, in one read of the cache; `build(indexes)` makes the missing ones (the
    values for keys[i] for each i given, in that order), which are stored in one write."""
    if connection.in_atomic_block:
        return build(list(range(len(keys))))
    cache, names = caches[ALIAS], [cache_key(key) for key in keys]
    found = cache.get_many(names)
    missing = [i for i, name in enumerate(names) if name not in found]
    if missing:
        built = build(missing)
        made = {names[i]: value for i, value in zip(missing, built, strict=True)}
        cache.set_many(made)
        found.update(made)
    return [found[name] for name in names]


def clear() -> None:
    """Forget everything (tests start each case with an empty cache; a restore may reuse ids)."""
    caches[ALIAS].clear()
