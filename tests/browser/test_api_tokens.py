"""In Chromium: a user creates an API token, sees it once, uses it, and revokes it; turns reminder emails off; and
the API documentation renders from this site's own files with no Content Security Policy violation. Every
page visited passes axe (WCAG 2.2 AA)."""

import re

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

TOKEN = re.compile(r"at_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")
# Recorded by the page itself, before any of its scripts run (Playwright's init scripts are not subject to CSP).
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_a_user_creates_an_api_token_sees_it_once_and_revokes_it(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/account/")
    page.get_by_role("heading", name="Your account").wait_for()
    assert "You have no API tokens." in page.content()
    assert_accessible(page)

    page.get_by_label("Token name").fill("Power BI report")
    page.get_by_role("button", name="Create API token").click()
    page.get_by_role("heading", name="Your new API token “Power BI report”").wait_for()
    token = page.get_by_label("API token").input_value()
    assert TOKEN.fullmatch(token)
    assert_accessible(page)
    assert page.request.get(f"{demo_site}/api/plans", headers={"Authorization": f"Bearer {token}"}).ok

    page.get_by_role("link", name="Back to your account").click()
    page.get_by_role("table", name="Your API tokens").wait_for()
    assert token not in page.content()  # shown once only
    assert "Power BI report" in page.get_by_role("table", name="Your API tokens").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Revoke the token “Power BI report”").click()
    page.get_by_role("heading", name="Revoke the API token “Power BI report”?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    page.get_by_role("status").wait_for()
    assert "is revoked" in page.get_by_role("status").inner_text()
    assert page.get_by_role("table", name="Revoked tokens").is_visible()
    assert_accessible(page)
    refused = page.request.get(f"{demo_site}/api/plans", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401 and "revoked" in refused.json()["detail"]


def test_a_user_turns_their_reminder_emails_off(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/account/")
    page.get_by_role("button", name="Turn reminder emails off").click()
    page.get_by_role("status").wait_for()
    assert "Reminder emails are off" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="Turn reminder emails on").is_visible()
    assert_accessible(page)


def test_a_bad_token_name_is_reported_accessibly(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/account/")
    page.get_by_role("button", name="Create API token").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert "Give the token a name" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_the_api_documentation_renders_from_this_site_under_the_content_security_policy(page, demo_site):
    elsewhere, errors = [], []
    page.on("request", lambda request: None if request.url.startswith(demo_site) else elsewhere.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    response = page.goto(f"{demo_site}/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("heading", name=re.compile("actiontrack API")).wait_for()
    page.get_by_text("A plan's actions, rated as at a date").wait_for()
    assert_accessible(page)

    page.get_by_text("A plan's actions, rated as at a date").click()
    page.locator("tr[data-param-name='as_at']").wait_for()
    assert_accessible(page)

    assert page.evaluate("window.cspViolations") == []
    assert errors == []
    assert elsewhere == []  # no CDN: every script, style and font came from this site
    scripts = page.eval_on_selector_all("script[src]", "nodes => nodes.map(n => n.getAttribute('src'))")
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/api/docs.js"]
