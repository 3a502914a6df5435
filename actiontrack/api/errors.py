"""Errors as JSON, each with a message and the field it is about, mapped from what the services raise — the
same refusals the web shows as pages:

- ValidationError from a service (bad input that the schema allowed) -> 400
- a request that does not match the schema (wrong type, missing field) -> 422
- no token, or a token that is not valid -> 401
- PermissionDenied (the right plan, the wrong person) -> 403
- Http404 (no such thing, or a plan you cannot see: never revealed) -> 404
- EditConflict (someone else saved first) -> 409, with what is stored now
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from actiontrack.plans.errors import EditConflict
from actiontrack.plans.selectors import AsAtError

from .schemas import Conflict, Error

# The responses every operation may give, to add to each operation's own success response.
AUTH = {401: Error}
READ = {**AUTH, 404: Error, 422: Error}
READ_AS_AT = {**READ, 400: Error}
WRITE = {**READ, 400: Error, 403: Error}
WRITE_WITH_VERSION = {**WRITE, 409: Conflict}

_WHERE = {"query": "Query parameter", "path": "Path parameter", "body": "Body field", "header": "Header",
          "cookie": "Cookie", "form": "Form field", "file": "File"}


def error(api: NinjaAPI, request, status: int, detail: str, field: str | None = None, **extra):
    return api.create_response(request, {"detail": detail, "field": field, **extra}, status=status)


def _schema_error(api, request, exc: SchemaError):
    first = exc.errors[0] if exc.errors else {}
    loc = [str(part) for part in first.get("loc", ())]
    where = _WHERE.get(loc[0], "Parameter") if loc else "Request"
    # Body fields come as ("body", "<parameter name>", "field", ...): name the field the client sent.
    parts = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
    field = ".".join(parts) if parts else (loc[0] if loc else None)
    message = first.get("msg", "The request does not match the API schema").removeprefix("Value error, ")
    if loc[:1] == ["body"] and (len(loc) <= 2 or not _json_object(request)):
        return error(api, request, 422, "The request body must be a JSON object, e.g. {\"text\": \"...\"}.", "body")
    return error(api, request, 422, f"{where} {field!r}: {message}.", field)


def _json_object(request) -> bool:
    try:
        return isinstance(json.loads(request.body or b"null"), dict)
    except ValueError:
        return False


def _service_error(api, request, exc: ValidationError):
    if isinstance(exc, AsAtError):
        return error(api, request, 400, " ".join(exc.messages), "as_at")
    if hasattr(exc, "error_dict"):
        fields = list(exc.message_dict)
        field = fields[0] if fields and fields[0] != "__all__" else None
        return error(api, request, 400, " ".join(exc.messages), field)
    return error(api, request, 400, " ".join(exc.messages))


def _not_authenticated(api, request, exc: AuthenticationError):
    response = error(api, request, 401, exc.message, "Authorization")
    response["WWW-Authenticate"] = 'Bearer realm="actiontrack"'
    return response


def install(api: NinjaAPI) -> None:
    api.add_exception_handler(SchemaError, lambda request, exc: _schema_error(api, request, exc))
    api.add_exception_handler(ValidationError, lambda request, exc: _service_error(api, request, exc))
    api.add_exception_handler(AuthenticationError, lambda request, exc: _not_authenticated(api, request, exc))
    # django-ninja's own refusals, e.g. 400 "Cannot parse request body" for a body that is not JSON.
    api.add_exception_handler(HttpError, lambda request, exc: error(
        api, request, exc.status_code, exc.message, "body" if "request body" in exc.message else None))
    api.add_exception_handler(
        PermissionDenied, lambda request, exc: error(api, request, 403, str(exc) or "You may not do this."))
    api.add_exception_handler(Http404, lambda request, exc: error(api, request, 404, str(exc) or "Not found."))
    api.add_exception_handler(EditConflict, lambda request, exc: error(
        api, request, 409, f"{exc} Nothing was saved: compare what is stored now (current) with yours, then send "
                           "yours again with expected_version set to current_version to replace it.",
        "expected_version", current=exc.current, current_version=exc.current_version))


def not_found(request, *args, **kwargs):
    """Any other address under /api/: JSON, like every API response, not the site's HTML page."""
    return JsonResponse({"detail": f"There is no API endpoint at {request.path}. See /api/docs.", "field": None},
                        status=404)


def root(request):
    """/api/ itself: where to start."""
    return JsonResponse({"detail": "The actiontrack API. Its documentation is at /api/docs and its OpenAPI schema "
                                   "at /api/openapi.json.", "docs": "/api/docs", "schema": "/api/openapi.json"})
