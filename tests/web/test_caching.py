"""Nothing behind sign-in is kept by a browser's disk cache or a shared proxy: pages, exports, downloads and API
answers say `Cache-Control: private, no-store` (API answers also vary by the token sent). Static files and the
health check keep their own headers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from actiontrack.api.tokens import token_create
from actiontrack.core.journal import Actor
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref
from actiontrack.plans.services.evidence import evidence_add_file
from tests.api.conftest import ApiClient

PRIVATE = "private, no-store"


@pytest.fixture
def api_as(client, db):
    """api_as(user) -> the test client sending a token of that user's (none for None)."""
    return lambda user: ApiClient(client, token_create(user=user, name="Tests")[1] if user else None)


@pytest.mark.parametrize("path", ["/", "/plans/PIP-PR/", "/plans/PIP-PR/actions/1.1/", "/my-actions/", "/queue/",
                                  "/plans/PIP-PR/export/csv/", "/plans/PIP-PR/export/xlsx/", "/account/",
                                  "/plans/PIP-PR/reports/", "/plans/NO-SUCH/"])
def test_a_plan_managers_pages_and_exports_are_private_and_never_stored(signed_in, plan_manager, path):
    response = signed_in(plan_manager).get(path)
    assert response.status_code in (200, 404)
    assert response["Cache-Control"] == PRIVATE


def test_an_evidence_download_is_private_and_never_stored(signed_in, owner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    action = action_by_ref(Plan.objects.get(reference="PIP-PR"), "5.1")
    item = evidence_add_file(actor=Actor.of(owner), action=action, title="Audit",
                             upload=SimpleUploadedFile("audit.pdf", b"%PDF-1.7\n%%EOF\n"), today=timezone.localdate())
    response = signed_in(owner).get(f"/evidence/{item.pk}/download/")
    response.close()
    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE


def test_the_sign_in_page_and_its_redirect_are_not_stored_either(client, demo):
    assert "no-store" in client.get("/plans/PIP-PR/")["Cache-Control"]
    assert "no-store" in client.get("/accounts/login/")["Cache-Control"]


@pytest.mark.parametrize("path", ["/api/plans", "/api/plans/PIP-PR", "/api/plans/PIP-PR/actions", "/api/nothing"])
def test_api_answers_are_private_never_stored_and_vary_by_the_token(api_as, plan_manager, path):
    response = api_as(plan_manager).get(path)
    assert response["Cache-Control"] == PRIVATE
    assert "Authorization" in response["Vary"]


def test_an_api_refusal_without_a_token_is_not_stored(api_as, demo):
    response = api_as(None).get("/api/plans")
    assert response.status_code == 401 and response["Cache-Control"] == PRIVATE


def test_static_files_and_the_health_check_keep_their_own_caching(client, db):
    health = client.get("/healthz")
    assert health.status_code == 200 and "private, no-store" not in health["Cache-Control"]
    call_command("collectstatic", interactive=False, verbosity=0)
    response = client.get("/static/web/actiontrack.css", secure=True)
    response.close()  # last: closing a file response outside the test client ends the database connection
    assert response["Cache-Control"] == "public, max-age=3600"
