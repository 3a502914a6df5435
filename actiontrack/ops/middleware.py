"""Request middleware for running in production: a request id and one log line per request, no caching of
anything behind sign-in, and a clear 503 page (never a traceback) while the database cannot be reached."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

log = logging.getLogger("actiontrack.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Takes the proxy's X-Request-ID if it is sane, else makes one; returns it; logs the request once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        # Only a user the request already loaded: loading one here would touch the database, which may be the
        # very thing that is down.
        user = getattr(request, "_cached_user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        duration = round((time.perf_counter() - started) * 1000, 1)
        # The path only: query strings may carry things that are not ours to log.
        log.info("%s %s %s", request.method, request.path, response.status_code, extra={
            "request_id": request.request_id, "user_id": user_id, "method": request.method, "path": request.path,
            "status": response.status_code, "duration_ms": duration})
        return response


class PrivateCacheMiddleware:
    """Every answer is `Cache-Control: private, no-store` unless its view chose otherwise (static files and
    /healthz do): pages, exports and API answers show what one person may see, and neither a shared proxy nor
    the browser's disk should keep them. API answers depend on the token sent, so they also vary by it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ["Authorization"])
        return response


class DatabaseUnavailableMiddleware:
    """While the database is down, answer 503 with a plain page that needs no database. Django's connection
    health checks reconnect by themselves when it is back, so no restart is needed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            return self._unavailable(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exc):
        log.error("database unavailable: %s", exc.__class__.__name__,
                  extra={"request_id": getattr(request, "request_id", "")})
        response = HttpResponse(render_to_string("ops/unavailable.html"), status=503)
        response["Retry-After"] = "30"
        return response
