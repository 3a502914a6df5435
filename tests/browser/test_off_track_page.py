"""In Chromium: a plan manager finds an off-track notice in the queue, words it and records it as sent. Each page
passes axe (WCAG 2.2 AA)."""

from datetime import date

import pytest

from actiontrack.plans.models import OffTrackNotice
from actiontrack.plans.services.off_track import TO_COMPLETE, off_track_drafts
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_plan_manager_words_and_sends_an_off_track_notice(sign_in, demo_site):
    off_track_drafts(today=date(2022, 1, 15))
    page = sign_in("pmo")
    page.goto(f"{demo_site}/plans/PIP-PR/queue/")
    page.get_by_role("heading", name="Off-track notices to send (3)").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Word and send the notice for action 3.1").click()
    page.get_by_role("heading", name="Off-track notice: action 3.1").wait_for()
    assert_accessible(page)
    text = page.get_by_label("The notice").input_value()
    page.get_by_label("The notice").fill(text.replace(TO_COMPLETE, "The annual review now reports in March."))
    page.get_by_label("To (optional)").fill("HMICFRS")
    page.get_by_label("Date sent (optional)").fill("17/01/2022")
    page.get_by_role("button", name="Record as sent").click()
    page.get_by_text("The notice for action 3.1 is recorded as sent.").wait_for()
    assert_accessible(page)
    assert OffTrackNotice.objects.get(action__ref="3.1").status == "sent"
