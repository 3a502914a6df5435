"""GET /healthz for load balancers and monitoring: no sign-in and no data, just whether the database
answers, every migration is applied and the file store can be written (a local folder) or reached (Azure,
S3). 200 when all are, 503 otherwise."""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actiontrack.core import files


def _database() -> tuple[str, bool]:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.ensure_connection()
        if not connection.is_usable():  # the driver's own liveness check
            connection.close()
            return "unreachable (connection unusable)", False
        return "ok", True
    except Exception as exc:  # any failure to answer is "down", whatever the driver calls it
        return f"unreachable ({exc.__class__.__name__})", False


def _migrations() -> tuple[str, bool]:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"unknown ({exc.__class__.__name__})", False
    return ("ok", True) if not pending else (f"{len(pending)} not applied", False)


def _storage() -> tuple[str, bool]:
    problem = files.probe()
    return (problem, False) if problem else ("ok", True)


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"][1] else ("unknown (no database)", False)
    checks["storage"] = _storage()
    healthy = all(ok for _, ok in checks.values())
    body = {"status": "ok" if healthy else "unhealthy", **{name: text for name, (text, _) in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
