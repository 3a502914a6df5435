"""An owner and a verifier at work in Chromium: a progress update (with the mouse, and with the keyboard
alone), and an action completed with an uploaded file and then closed by the verifier. Every page they
visit passes axe (WCAG 2.2 AA)."""

import re

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ACTION = "/plans/PIP-PR/actions/5.1/"


def focused(page) -> str:
    """What has the keyboard focus: its tag and its text (or its label, for a form field)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
        return el.tagName + " " + (label || el.textContent || "").replace(/\\s+/g, " ").trim();
    }""")


def tab_to(page, pattern: str, limit: int = 80) -> str:
    """Press Tab until the focused element matches `pattern`; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if re.search(pattern, now):
            return now
    raise AssertionError(f"Tab never reached {pattern!r}; last focused: {now!r}")


def test_an_owner_writes_a_progress_update_from_my_actions(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}/my-actions/")
    page.get_by_role("heading", name="My actions").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Action 5.1").click()
    page.get_by_role("heading", name="Action 5.1").wait_for()
    assert_accessible(page)

    # This period's first; last period's follows while the plan manager has not locked it.
    page.get_by_role("link", name=re.compile(r"^Write your progress update for \w+ \d{4}$")).first.click()
    page.get_by_role("heading", name=re.compile(r"^Progress update for \w+ \d{4}$")).wait_for()
    assert_accessible(page)
    page.get_by_label("Progress update").fill("Restructure consultation closed; the new structure starts in "
                                              "January.")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{demo_site}{ACTION}")
    updates = page.get_by_role("table", name="Progress updates, newest period first")
    assert "Restructure consultation closed; the new structure starts in January." in updates.inner_text()
    assert page.get_by_role("link", name=re.compile(r"^Edit your progress update for")).is_visible()
    assert_accessible(page)


def test_an_owner_writes_a_progress_update_with_the_keyboard_alone(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}{ACTION}")
    page.get_by_role("heading", name="Action 5.1").wait_for()
    assert_accessible(page)

    # From the top of the action page: the skip link first, then on to the owner's task.
    assert tab_to(page, r"^A Skip to main content$")
    tab_to(page, r"^A Write your progress update for")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile(r"^Progress update for")).wait_for()
    assert_accessible(page)

    tab_to(page, r"^TEXTAREA Progress update")
    page.keyboard.type("Written without a mouse: the restructure is agreed.")
    assert tab_to(page, r"^BUTTON Save update$", limit=3)
    page.keyboard.press("Shift+Tab")  # back to the text, to check it is all there, then forward again
    assert focused(page).startswith("TEXTAREA")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site}{ACTION}")
    updates = page.get_by_role("table", name="Progress updates, newest period first")
    assert "Written without a mouse: the restructure is agreed." in updates.inner_text()
    assert_accessible(page)


def test_a_verifier_finds_what_waits_for_them_on_my_actions(sign_in, demo_site):
    page = sign_in("verifier")
    page.get_by_role("link", name="My actions").click()
    page.get_by_role("heading", name="Waiting for you to verify").wait_for()
    table = page.get_by_role("table", name=re.compile(r"Peer Review: 7 to verify$"))
    table.get_by_role("link", name="Action 2.1").press("Enter")
    page.get_by_role("heading", name="Action 2.1").wait_for()
    page.goto(f"{demo_site}/my-actions/")
    assert_accessible(page)


def test_a_form_sent_back_with_errors_starts_at_the_summary_of_what_was_wrong(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}{ACTION}update/")
    page.get_by_role("button", name="Save update").click()  # nothing written
    page.get_by_role("alert").wait_for()
    assert page.title().startswith("Error:")
    assert focused(page).startswith("DIV There is a problem Progress update: Write the progress update")
    page.keyboard.press("Tab")  # the summary's link, then Enter: to the field
    page.keyboard.press("Enter")
    assert focused(page).startswith("TEXTAREA Progress update")
    assert_accessible(page)


def test_an_owner_completes_with_a_file_and_the_verifier_closes_the_action(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}{ACTION}")
    assert_accessible(page)
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_role("heading", name="Add evidence").wait_for()
    assert_accessible(page)
    page.get_by_label("File").set_input_files({"name": "restructure.pdf", "mimeType": "application/pdf",
                                               "buffer": PDF})
    page.get_by_role("button", name="Upload file").click()
    page.wait_for_url(f"{demo_site}{ACTION}")
    assert page.get_by_role("link", name="restructure.pdf (download)").is_visible()
    assert "SHA-256" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Mark action 5.1 complete").click()
    page.get_by_role("heading", name="Mark action 5.1 complete").wait_for()
    assert_accessible(page)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", page.get_by_label("Date completed").input_value())  # today
    page.get_by_label("Note (optional)").fill("New structure in place; people strategy updated.")
    page.get_by_role("button", name="Mark complete").click()
    page.wait_for_url(f"{demo_site}{ACTION}")
    assert "Completed on" in page.get_by_role("main").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)

    page = sign_in("verifier")
    page.goto(f"{demo_site}{ACTION}")
    page.get_by_role("heading", name="Verification").wait_for()
    assert_accessible(page)
    page.get_by_label("Comment (optional)").fill("Structure chart and strategy seen.")
    page.get_by_role("button", name="Verify and close action 5.1").click()
    page.wait_for_url(f"{demo_site}{ACTION}")
    summary = " ".join(page.locator(".summary-list").inner_text().split())
    assert "Progress Closed" in summary
    assert [tag.inner_text() for tag in page.locator(".summary-list .tag").all()] == [
        "Green – Complete", "Reasonable assurance"]  # verified by someone other than the owner
    assert_accessible(page)


def test_an_owner_chooses_last_period_and_writes_its_update(sign_in, demo_site):
    page = sign_in("cparker")
    page.goto(f"{demo_site}{ACTION}update/")
    this = page.get_by_role("heading", level=1).inner_text().removeprefix("Progress update for ")
    switch = page.get_by_role("navigation", name="Other reporting periods")
    last_period = switch.get_by_role("link", name=re.compile(r"\(last period\) instead$"))
    last = last_period.inner_text().removeprefix("Write or change the update for ").removesuffix(
        " (last period) instead")
    assert_accessible(page)
    last_period.click()
    page.get_by_role("heading", name=f"Progress update for {last}").wait_for()
    assert page.get_by_role("navigation", name="Other reporting periods").get_by_role(
        "link", name=f"Write or change the update for {this} (this period) instead").is_visible()
    assert "?period=" in page.url
    assert_accessible(page)
    page.get_by_label("Progress update").fill("Written in the first days of the next month.")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{demo_site}{ACTION}")
    page.get_by_role("status").get_by_text(f"Your progress update for {last} on action 5.1 is saved.").wait_for()
    updates = page.get_by_role("table", name="Progress updates, newest period first")
    row = updates.get_by_role("row", name=re.compile(last))
    assert "Written in the first days of the next month." in row.inner_text()
    assert page.get_by_role("link", name=f"Edit your progress update for {last}").is_visible()
    assert page.get_by_role("link", name=f"Write your progress update for {this}").is_visible()
    assert_accessible(page)


def test_a_verifier_closes_an_action_that_has_no_evidence_only_by_saying_why(sign_in, demo_site):
    page = sign_in("verifier")
    page.goto(f"{demo_site}/plans/PIP-PR/actions/2.2/")
    page.get_by_role("heading", name="Verification").wait_for()
    assert page.get_by_role("button", name="Verify and close action 2.2").count() == 0
    page.get_by_role("link", name="close it without evidence").click()
    page.get_by_role("heading", name="Verify and close action 2.2").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Close without evidence").click()
    assert page.title().startswith("Error: ")
    assert "Give a reason for closing the action without evidence." in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Why it is being closed without evidence").fill("Rota seen at the station; no copy kept")
    page.get_by_role("button", name="Close without evidence").click()
    page.get_by_role("status").get_by_text("Action 2.2 is closed without evidence.").wait_for()
    assert "Closed without evidence: Rota seen at the station; no copy kept" in page.get_by_role("main").inner_text()
    assert_accessible(page)
