"""The security layer, as people meet it: every page under a strict Content Security Policy, forms that
need their CSRF token, sign-in throttled after repeated failures, and production settings that pass
Django's deployment checks."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

# Real Chromium for the one test that needs a browser to enforce the policy: the browser tests' own fixtures.
from tests.browser.conftest import PASSWORD as BROWSER_PASSWORD
from tests.browser.conftest import browser_type_launch_args, demo_site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN = reverse("login")
PLAN = reverse("plan", args=["PIP-PR"])


class InlineCode(HTMLParser):
    """Collects what a strict Content Security Policy would block: script bodies, style elements and
    style attributes."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.found.append(f"style attribute on <{tag}>: {attrs['style']!r}")
        if tag == "style":
            self.found.append("<style> element")
        if any(name.startswith("on") for name in attrs):
            self.found.append(f"event handler attribute on <{tag}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]!r}")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def directives(response):
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


# Content Security Policy


@pytest.fixture
def pages(client, plan_manager):
    """Each kind of page: the sign-in page to anyone, the home and plan pages to a plan manager."""
    login = client.get(LOGIN)
    client.force_login(plan_manager)
    return {"sign-in": login, "home": client.get(reverse("home")), "plan": client.get(PLAN)}


@pytest.mark.parametrize("name", ["sign-in", "home", "plan"])
def test_every_page_carries_a_strict_content_security_policy(pages, name):
    response = pages[name]
    assert response.status_code == 200
    policy = directives(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]


@pytest.mark.parametrize("name", ["sign-in", "home", "plan"])
def test_no_page_has_inline_script_or_style_that_the_policy_would_block(pages, name):
    html = pages[name].text
    assert "<script src=" in html  # htmx, as a file
    assert inline_code(html) == []
    assert '"includeIndicatorStyles": false' in html  # htmx must not add its own <style>


def test_the_inline_code_detector_finds_what_it_looks_for():
    assert len(inline_code('<p style="color: red">x</p><style>p {}</style><script>alert(1)</script>'
                           '<a onclick="x()">y</a>')) == 4
    assert inline_code('<script src="/static/x.js" defer></script>') == []


@pytest.mark.browser
def test_in_chromium_the_policy_blocks_nothing_the_pages_need_and_htmx_still_works(page, demo_site):  # noqa: F811
    refused = []  # Chromium reports each thing the policy blocks on the console, on every page
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "(window.violations = window.violations || []).push(e.violatedDirective))")
    page.goto(f"{demo_site}{LOGIN}")
    page.get_by_label("Username").fill("pmo")
    page.get_by_label("Password").fill(BROWSER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_site}/")
    page.goto(f"{demo_site}{PLAN}")
    assert page.evaluate("[htmx.config.includeIndicatorStyles, htmx.config.allowEval]") == [False, False]
    page.evaluate("document.body.addEventListener('htmx:afterSwap', () => { window.swappedByHtmx = true })")
    page.get_by_label("Show as at").fill("30/11/2021")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("heading", name="Status as at 30 November 2021").wait_for()
    assert page.evaluate("window.swappedByHtmx") is True  # a partial update by htmx, not a full page load
    assert page.evaluate("window.violations || []") == [] and refused == []
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0


# CSRF


@pytest.mark.parametrize("url", [LOGIN, reverse("logout")])
def test_a_form_posted_without_its_csrf_token_is_refused(url):
    response = Client(enforce_csrf_checks=True).post(url, {"username": "pmo", "password": PASSWORD})
    assert response.status_code == 403 and "CSRF verification failed" in response.text


def test_the_sign_in_form_posted_with_its_csrf_token_is_accepted(plan_manager):
    with_password(plan_manager)
    client = Client(enforce_csrf_checks=True)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(LOGIN).text).group(1)
    response = client.post(LOGIN, {"username": "pmo", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == reverse("home")


def test_signing_out_without_the_csrf_token_leaves_you_signed_in(plan_manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(plan_manager)
    assert client.post(reverse("logout")).status_code == 403
    assert client.get(reverse("home")).status_code == 200


# Sign-in throttling


def test_after_five_failed_sign_ins_even_the_right_password_is_refused(client, plan_manager):
    with_password(plan_manager)
    for _ in range(5):
        sign_in(client, "pmo", "not the password")
    response = sign_in(client, "pmo")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-in attempts" in response.text
    assert "failed 5 times, so the account is locked for 15 minutes" in response.text
    assert "Wait 15 minutes" in response.text and "ask an administrator" in response.text
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert inline_code(response.text) == []


def test_four_failed_sign_ins_do_not_lock_and_a_success_resets_the_count(client, plan_manager):
    with_password(plan_manager)
    for _ in range(4):
        assert sign_in(client, "pmo", "not the password").status_code == 200
    assert sign_in(client, "pmo").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "pmo", "not the password").status_code == 200
    assert sign_in(client, "pmo").status_code == 302


def test_when_one_person_is_locked_out_another_can_still_sign_in(client, plan_manager, owner):
    with_password(plan_manager)
    with_password(owner)
    for _ in range(5):
        sign_in(client, "pmo", "not the password")
    assert sign_in(client, "pmo").status_code == 429
    response = sign_in(client, "cparker")
    assert response.status_code == 302 and response.url == reverse("home")


def test_the_limit_and_the_wait_come_from_the_settings(client, plan_manager, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = settings.AXES_COOLOFF_TIME / 15
    with_password(plan_manager)
    sign_in(client, "pmo", "not the password")
    response = sign_in(client, "pmo", "not the password")
    assert response.status_code == 429
    assert "failed 2 times, so the account is locked for 1 minute." in response.text


# Production settings


def run_with(env, *args):
    """Run in a fresh interpreter with production-like settings: none of the test run's own."""
    ours = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "TRUST_X_FORWARDED_PROTO",
            "CSRF_TRUSTED_ORIGINS", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES", "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run([sys.executable, *args], env={**clean, **env}, capture_output=True, text=True, timeout=120)


@pytest.fixture
def production(tmp_path):
    return {"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "plans.example.org",
            "ACTIONTRACK_DATA_DIR": str(tmp_path)}


def deploy_check(env):
    return run_with(env, "-m", "actiontrack.cli", "check", "--deploy", "--fail-level", "WARNING")


def test_production_settings_pass_the_deployment_checks(production):
    result = deploy_check(production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_fail_without_hsts(production):
    result = deploy_check({**production, "SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "SECURE_HSTS_SECONDS" in result.stderr


def test_the_deployment_checks_fail_without_the_https_redirect(production):
    result = deploy_check({**production, "SECURE_SSL_REDIRECT": "false"})
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_behind_a_proxy_the_forwarded_protocol_is_trusted_only_when_asked(production):
    show = "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)"
    code = f"import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'actiontrack.settings'; django.setup(); {show}"
    assert run_with(production, "-c", code).stdout.strip() == "None"
    trusted = run_with({**production, "TRUST_X_FORWARDED_PROTO": "true"}, "-c", code)
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", trusted.stderr


@pytest.mark.parametrize(("env", "message"), [
    ({"AXES_FAILURE_LIMIT": "zero"}, "AXES_FAILURE_LIMIT must be a whole number; got 'zero'"),
    ({"AXES_FAILURE_LIMIT": "0"}, "AXES_FAILURE_LIMIT must be at least 1"),
    ({"AXES_COOLOFF_MINUTES": "15m"}, "AXES_COOLOFF_MINUTES must be a whole number"),
    ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS must be at least 0"),
    ({"SECURE_SSL_REDIRECT": "sometimes"}, "SECURE_SSL_REDIRECT must be one of true/false"),
    ({"TRUST_X_FORWARDED_PROTO": "proxy"}, "TRUST_X_FORWARDED_PROTO must be one of true/false"),
    ({"CSRF_TRUSTED_ORIGINS": "plans.example.org"}, "CSRF_TRUSTED_ORIGINS: 'plans.example.org' must start with"),
    ({"CSRF_TRUSTED_ORIGINS": "https://x.org/"}, "CSRF_TRUSTED_ORIGINS: 'https://x.org/' must be an origin only"),
    ({"OIDC_ISSUER": "https://login.example.org"}, "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too"),
    ({"OIDC_ISSUER": "login.example.org", "OIDC_CLIENT_ID": "a", "OIDC_CLIENT_SECRET": "b"},
     "OIDC_ISSUER must be the provider's address, starting with https://"),
    ({"PASSWORD_LOGIN": "nobody"}, "PASSWORD_LOGIN must be all or admins-only; got 'nobody'"),
    ({"PASSWORD_LOGIN": "admins-only"}, "PASSWORD_LOGIN=admins-only needs single sign-on (OIDC_ISSUER)"),
    ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be at least 0"),
])
def test_a_bad_security_setting_stops_the_start_and_names_the_variable(production, env, message):
    result = run_with({**production, **env}, "-c", "import actiontrack.settings")
    assert result.returncode != 0
    assert message in result.stderr


def test_good_security_settings_start(production):
    env = {"CSRF_TRUSTED_ORIGINS": "https://plans.example.org, https://*.example.org", "AXES_FAILURE_LIMIT": "3",
           "AXES_COOLOFF_MINUTES": "30", "SECURE_HSTS_SECONDS": "3600", "TRUST_X_FORWARDED_PROTO": "yes"}
    result = run_with({**production, **env}, "-c", "import actiontrack.settings")
    assert result.returncode == 0, result.stderr
