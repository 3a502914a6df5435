"""Passwords in real Chromium (issue 18): "Forgotten your password?" through a real SMTP server and the link it
sends, then changing the password on the account page; axe on every page, errors shown included."""

import re

import pytest

from tests.browser.conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser
NEW = "a brand new passphrase for the owner"


def test_an_owner_resets_a_forgotten_password_then_changes_it(page, demo_site, smtp):
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Reset your password").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()  # nothing typed
    assert "Enter your email address" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Email address").fill("cparker@example.org")
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert_accessible(page)

    [message] = smtp.to("cparker@example.org")
    path = re.search(r"https://plans\.example\.org(/accounts/reset/\S+/)", message.get_body(("plain",)).get_content())
    page.goto(demo_site + path.group(1))
    page.get_by_role("heading", name="Set your password").wait_for()
    assert "set-password" in page.url  # the token is no longer in the address
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW + " not the same")
    page.get_by_role("button", name="Set password").click()
    assert "The passwords do not match" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("Confirm new password").fill(NEW)
    page.get_by_role("button", name="Set password").click()
    page.get_by_role("heading", name="Your password has been set").wait_for()
    assert_accessible(page)
    page.goto(demo_site + path.group(1))  # the same link again
    page.get_by_role("heading", name="This link no longer works").wait_for()
    assert_accessible(page)
    page.goto(f"{demo_site}/accounts/reset/done/")

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("cparker")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_site}/")
    page.goto(f"{demo_site}/account/")
    page.get_by_role("link", name="Change your password").click()
    page.get_by_role("heading", name="Change your password").wait_for()
    assert_accessible(page)
    page.get_by_label("Current password").fill(PASSWORD)  # the old one: refused
    page.get_by_label("New password", exact=True).fill(PASSWORD + " again")
    page.get_by_label("Confirm new password").fill(PASSWORD + " again")
    page.get_by_role("button", name="Change password").click()
    assert "The current password is not right" in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Current password").fill(NEW)
    page.get_by_label("New password", exact=True).fill(PASSWORD + " again")
    page.get_by_label("Confirm new password").fill(PASSWORD + " again")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password has been changed").wait_for()
    assert_accessible(page)
