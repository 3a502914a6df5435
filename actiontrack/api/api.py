"""The REST API: django-ninja, with its OpenAPI 3 schema at /api/openapi.json and interactive documentation at
/api/docs, both served from this site (the documentation's script and styles are static files: no CDN, no
inline script, so it works under the site's Content Security Policy)."""

from ninja import NinjaAPI, Swagger

from . import errors, reads, reports, writes  # noqa: F401 (reports and writes add operations to the router)
from .auth import TokenAuth

DESCRIPTION = """\
Read improvement plans, their actions rated as at any date, and their history; record progress updates, date
proposals, completion and verification. Every request acts as the person who owns the API token and is
allowed exactly what that person is allowed on the web.

Send the token as `Authorization: Bearer <token>` (create one on your account page: it is shown once).
Errors are JSON: `{"detail": "what went wrong", "field": "the field it is about"}`.
Lists are paginated with `limit` (50 by default, at most 200) and `offset`, and give the total `count`.
"""


class Docs(Swagger):
    """Swagger UI from the bundled static files, in a page of our own (language set, no inline script)."""

    template = "api/docs.html"


api = NinjaAPI(
    title="actiontrack API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Docs(settings={"deepLinking": False, "persistAuthorization": False, "tryItOutEnabled": False}),
)
errors.install(api)
api.add_router("", reads.router)
