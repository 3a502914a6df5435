"""Real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against pytest-django's live server."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from actiontrack.plans.demo import load_demo

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a long test password for the browser"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def assert_accessible(page):
    """axe finds nothing against WCAG 2.2 AA on the page as it is now."""
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Fail, never skip: a browser test that silently does not run proves nothing.
    assert CHROMIUM.exists(), "the browser tests need Chromium: apt-get install chromium (scripts/test does this)"
    return {"executable_path": str(CHROMIUM), "args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]}


@pytest.fixture
def demo_site(transactional_db, live_server):
    load_demo()
    for user in get_user_model().objects.all():
        user.set_password(PASSWORD)
        user.save()
    return live_server.url


@pytest.fixture
def sign_in(page, demo_site):
    def as_user(username):
        page.goto(f"{demo_site}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{demo_site}/")
        return page
    return as_user
