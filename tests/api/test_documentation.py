"""The API's documentation: served by this site under its Content Security Policy, every response declared in
the schema, and docs/api.md kept honest about the paths."""

import json
import re
from pathlib import Path

import pytest

from actiontrack.api.api import api as ninja_api

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(json.dumps(ninja_api.get_openapi_schema(path_prefix="/api/")))  # as served: string keys


def operations():
    for path, methods in SCHEMA["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_docs_page_uses_this_sites_files_and_no_inline_script(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en-GB">' in page
    assert '<script src="/static/ninja/swagger-ui-bundle.js"></script>' in page
    assert '<script src="/static/api/docs.js"></script>' in page
    assert '<link rel="stylesheet" href="/static/ninja/swagger-ui.css">' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from a CDN or anywhere else
    inline = [attrs for attrs in re.findall(r"<script([^>]*)>", page) if "src=" not in attrs]
    assert inline == [' type="application/json" id="swagger-settings"']  # data, which CSP does not run
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_schema_is_served_without_a_token(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.json()["info"]["title"] == "actiontrack API"
    assert response.json()["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.parametrize(("path", "method", "operation"), list(operations()),
                         ids=[f"{m.upper()} {p}" for p, m, _ in operations()])
def test_every_operation_declares_every_status_it_can_give(path, method, operation):
    declared = set(operation["responses"])
    assert {"401", "422"} <= declared  # no token; a request that does not match the schema
    if "{reference}" in path or "{evidence_id}" in path:
        assert "404" in declared
    if method == "post":
        assert {"400", "403", "404"} <= declared
    if path.endswith("/updates") and method == "post":
        assert "409" in declared
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")):
            schema = response["content"]["application/json"]["schema"]["$ref"]
            assert schema.endswith(("/Error", "/Conflict")), (status, schema)
    assert operation["security"] == [{"TokenAuth": []}]


def test_docs_api_md_describes_every_path():
    documented = (ROOT / "docs" / "api.md").read_text()
    missing = [f"{method.upper()} {path}" for path, method, _ in operations()
               if f"{method.upper()} {path}" not in documented]
    assert missing == []


def test_the_api_root_points_to_the_documentation(client, db):
    response = client.get("/api/")
    assert response.status_code == 200 and response.json()["docs"] == "/api/docs"
