"""Issue 18's "done when": an installation configured only by the four OIDC_* variables (and nothing else
changed) signs people in through a real provider, end to end: `actiontrack serve` in its own process on a copy of
the demo's data folder, node-oidc-provider beside it, Chromium between them."""

from __future__ import annotations

import pytest

from tests.ops.installations import (  # noqa: F401 (no_process_left_behind is a fixture)
    finish,
    no_process_left_behind,
    sqlite_demo_copy,
    wait_until,
)
from tests.servers import answers, free_port
from tests.servers.oidc import needs_oidc_provider, oidc_provider

pytestmark = [pytest.mark.browser, needs_oidc_provider]


def test_four_variables_turn_single_sign_on_on_for_an_installed_server(page, tmp_path_factory, tmp_path):
    page.route("**/fonts.googleapis.com/**", lambda route: route.abort())
    site = sqlite_demo_copy(tmp_path_factory, tmp_path / "data")
    port = free_port()
    address = f"http://127.0.0.1:{port}"
    with oidc_provider(address, {"cp-object-id": {"email": "cparker@example.org", "email_verified": True,
                                                   "given_name": "Chris", "family_name": "Parker"}}) as provider:
        site.environment = {"SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
                            "OIDC_ISSUER": provider.issuer, "OIDC_CLIENT_ID": provider.client_id,
                            "OIDC_CLIENT_SECRET": provider.client_secret, "OIDC_NAME": "Fire Service account"}
        server = site.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1")
        try:
            wait_until(lambda: server.poll() is None and answers(port), seconds=60, what="actiontrack serve")
            page.goto(f"{address}/plans/PIP-PR/")  # asked for before signing in: comes back here after
            page.get_by_role("link", name="Sign in with Fire Service account").click()
            page.locator('input[name="login"]').fill("cp-object-id")
            page.locator('input[name="password"]').fill("any password")
            page.locator('button[type="submit"]').click()
            page.get_by_role("button", name="Continue").click()
            page.wait_for_url(f"{address}/plans/PIP-PR/")
            assert "Signed in as Chris Parker" in page.content()
        finally:
            server.terminate()
            finish(server, timeout=60)
