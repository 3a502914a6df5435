"""In Chromium: a plan manager makes an evidence pack from the plan's page and downloads it; the downloaded zip
checks as intact. The page passes axe (WCAG 2.2 AA) before, with a mistaken date, and when the pack is ready."""

import re

import pytest

from actiontrack.reports.evidence_pack import verify
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_makes_and_downloads_an_evidence_pack(sign_in, demo_site, tmp_path):
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/")
    page.get_by_role("link", name="Evidence pack for inspectors").click()
    page.get_by_role("heading", name="Evidence pack for inspectors").wait_for()
    assert_accessible(page)
    page.get_by_label("As at").fill("31/02/2021")
    page.get_by_role("button", name="Choose this day").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("As at").fill("30/11/2021")
    page.get_by_role("button", name="Choose this day").click()
    page.get_by_role("button", name="Make the evidence pack").click()
    link = page.get_by_role("link", name="Download the evidence pack")
    link.wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"PIP-PR-evidence-pack-2021-11-30\.zip", download.value.suggested_filename)
    saved = tmp_path / "pack.zip"
    download.value.save_as(saved)
    assert verify(saved.read_bytes()).intact
