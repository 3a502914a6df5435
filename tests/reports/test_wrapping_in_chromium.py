"""In a real browser (Debian's Chromium), a report holding the longest unbroken words the limits allow never
makes the page wider than the window: not the downloaded HTML file, not the report's page in the app."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from actiontrack.domain.text import Limit
from actiontrack.reports import renderers
from actiontrack.reports.selectors import report_data

from .stored import store_raw

pytestmark = [pytest.mark.django_db, pytest.mark.browser]
WIDTHS = (1024, 360)  # a laptop, a phone
WIDER = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)} px`)"""
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/([^"]+)">')


def longest(name: str) -> str:
    return {"action": "ж" * Limit.TEXT, "recommendation": "р" * Limit.TEXT, "executive_summary": "ю" * Limit.LONG,
            "note": "н" * Limit.REASON}.get(name, "щ" * Limit.LINE)


def wider_than_the_window(html: str) -> dict[int, list[str]]:
    """At each window width, the elements that reach past the window's right edge. (Chromium is started after
    the test's database work: Playwright's event loop would otherwise give Django a second connection to the
    test database.)"""
    from playwright.sync_api import sync_playwright

    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.set_content(html, wait_until="load")
            assert page.evaluate("document.documentElement.clientWidth") == width
            wide = page.evaluate("document.documentElement.scrollWidth") > width
            found[width] = page.evaluate(WIDER) if wide else []
            page.close()
        browser.close()
    return found


def inlined(html: str) -> str:
    """The page with its stylesheets inside it, as the browser would load them from /static/."""
    return STYLESHEET.sub(lambda m: f"<style>{Path(finders.find(m.group(1))).read_text()}</style>", html)


def test_the_html_file_with_the_longest_unbroken_words_is_never_wider_than_the_window(november_report):
    store_raw(november_report.plan, longest, november_report)
    html = renderers.render("html", report_data(november_report)).decode()
    assert wider_than_the_window(html) == {width: [] for width in WIDTHS}


def test_the_report_page_with_the_longest_unbroken_words_is_never_wider_than_the_window(
        november_report, plan_manager, client):
    store_raw(november_report.plan, longest, november_report)
    client.force_login(plan_manager)
    response = client.get(reverse("reports:detail", args=[november_report.plan.reference, november_report.pk]))
    assert response.status_code == 200
    html = inlined(response.content.decode())
    assert "<style>" in html and 'rel="stylesheet"' not in html
    assert wider_than_the_window(html) == {width: [] for width in WIDTHS}
