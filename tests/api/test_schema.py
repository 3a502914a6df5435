"""schemathesis reads the API's OpenAPI schema and sends every operation generated requests, valid and invalid,
as the owner persona. The API must never fail with a server error, never answer with a status code, content
type, header or body the schema does not declare, and must refuse requests that break the schema. Bounded (20
examples an operation) and deterministic.

Not checked: that every schema-valid request is accepted (`positive_data_acceptance`). The services refuse
schema-valid requests by the rules of the work — an empty progress update, a date proposal with no reason, a
completion without evidence — with 400 and a message, as the web does."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from actiontrack.api.api import api
from actiontrack.api.models import ApiToken
from actiontrack.api.tokens import digest
from actiontrack.reports.demo import load_demo_report

pytestmark = pytest.mark.django_db

# A token known before the test runs, so schemathesis sends it as configuration (and knows to leave it alone);
# the fixture below makes it the owner's.
TOKEN = "at_5c4e0a11_schemathesis-owner-token-for-tests"
CHECKS = ["not_a_server_error", "status_code_conformance", "content_type_conformance", "response_headers_conformance",
          "response_schema_conformance", "negative_data_rejection", "missing_required_header", "unsupported_method",
          "ignored_auth"]
CONFIG = schemathesis.Config.from_dict({
    "headers": {"Authorization": f"Bearer {TOKEN}"},
    "generation": {"max-examples": 20, "deterministic": True, "database": "none",
                   # Unknown query parameters are ignored, as most APIs do, so schemathesis does not invent them.
                   "allow-extra-parameters": False},
    "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
})
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture
def owner_token(owner, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    ApiToken.objects.create(user=owner, name="schemathesis", prefix=TOKEN[3:11], token_hash=digest(TOKEN))
    load_demo_report()  # so the reports list has something in it
    # The WSGI app closes "old" connections around each request; inside the test's transaction that would close
    # the connection itself (PostgreSQL). Django's test client turns this off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
# The token fixture is made once per operation and is the same for every example: that is intended.
@settings(max_examples=20, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_api_keeps_to_its_schema(case, owner_token):
    case.call_and_validate()
