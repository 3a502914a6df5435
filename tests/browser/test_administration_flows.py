"""An administrator uses the administration pages in Chromium; every page visited passes axe (WCAG 2.2 AA)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, assert_accessible

pytestmark = pytest.mark.browser

PLAN_TITLE = "Protection Improvement Plan – Peer Review"


@pytest.fixture
def administrator(demo_site):
    return get_user_model().objects.create_user("admin", password=PASSWORD, first_name="Ada", last_name="Admin",
                                                is_staff=True)


def test_an_administrator_adds_a_viewer_who_then_sees_the_plan(page, demo_site, administrator, sign_in):
    sign_in("admin")
    assert_accessible(page)
    page.goto(f"{demo_site}/administration/")
    assert_accessible(page)

    page.get_by_role("link", name="Users", exact=True).click()
    page.get_by_role("heading", name="Users", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Add a user").click()
    page.get_by_role("heading", name="Add a user").wait_for()
    assert_accessible(page)

    page.get_by_label("Username").fill("jbloggs")
    page.get_by_label("First name").fill("Jo")
    page.get_by_label("Last name").fill("Bloggs")
    page.get_by_label("Email address").fill("jo.bloggs@example.org")
    page.get_by_label("Email them a link to set their own password").uncheck()  # typing one for them instead
    page.get_by_label("Password (optional)", exact=True).fill("password")
    page.get_by_label("Confirm password").fill("password")
    page.get_by_role("button", name="Create user").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This password is too common.")
    assert_accessible(page)  # the error summary and the field errors too

    page.get_by_label("Password (optional)", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create user").click()
    page.get_by_role("heading", name="Jo Bloggs").wait_for()
    assert_accessible(page)

    page.get_by_label("Plan").select_option(label=f"PIP-PR – {PLAN_TITLE}")
    page.get_by_label("Role").select_option(label="Viewer")
    page.get_by_role("button", name="Grant role").click()
    expect(page.get_by_role("button", name="Revoke viewer of PIP-PR")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Users", exact=True).click()
    row = page.get_by_role("row", name=re.compile("jbloggs"))
    expect(row).to_contain_text("Viewer of PIP-PR")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/accounts/login/"))
    assert_accessible(page)

    sign_in("jbloggs")
    expect(page.get_by_role("link", name=PLAN_TITLE)).to_be_visible()
    assert_accessible(page)


def test_an_administrator_records_a_new_holder_of_a_post(page, demo_site, administrator, sign_in):
    sign_in("admin")
    page.goto(f"{demo_site}/administration/posts/")
    assert_accessible(page)
    page.get_by_role("link", name="Head of Protection", exact=True).click()
    page.get_by_role("heading", name="Head of Protection", level=1).wait_for()
    assert_accessible(page)

    page.get_by_label("Holder's name").fill("GM New")
    page.get_by_label("Starts on").fill("01/01/2020")
    page.get_by_role("button", name="Record new holder").click()
    expect(page.get_by_role("alert")).to_contain_text("GM Earwicker already holds Head of Protection from "
                                                      "1 January 2021")
    assert_accessible(page)

    page.get_by_label("Starts on").fill("01/06/2022")
    page.get_by_role("button", name="Record new holder").click()
    history = page.get_by_role("table", name="Who has held Head of Protection, from when to when")
    expect(history.get_by_role("row", name=re.compile("GM Earwicker"))).to_contain_text("31/05/2022")
    expect(history.get_by_role("row", name=re.compile("GM New"))).to_contain_text("01/06/2022")
    assert_accessible(page)


def test_someone_who_is_not_an_administrator_gets_a_clear_refusal(page, sign_in, demo_site):
    sign_in("pmo")
    response = page.goto(f"{demo_site}/administration/users/")
    assert response.status == 403
    page.get_by_role("heading", name="You cannot use the administration pages").wait_for()
    assert_accessible(page)


def test_an_administrator_changes_a_users_details_password_and_administrator_role(page, demo_site, administrator,
                                                                                 sign_in):
    sign_in("admin")
    page.goto(f"{demo_site}/administration/users/")
    page.get_by_role("link", name="cparker").click()
    page.get_by_role("heading", name="Chris Parker", level=1).wait_for()
    assert_accessible(page)

    page.get_by_label("First name").fill("Christopher")
    page.get_by_label("Email address").fill("c.parker@example.org")
    page.get_by_role("button", name="Save name and email address").click()
    page.get_by_role("heading", name="Christopher Parker", level=1).wait_for()
    expect(page.get_by_role("status")).to_contain_text("The name and email address of cparker are saved.")

    page.get_by_label("New password", exact=True).fill("password")
    page.get_by_label("Confirm the new password").fill("password")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("alert")).to_contain_text("This password is too common.")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("another long passphrase for Chris")
    page.get_by_label("Confirm the new password").fill("another long passphrase for Chris")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("status")).to_contain_text("cparker has a new password.")

    page.get_by_role("button", name="Make cparker an administrator").click()
    expect(page.get_by_role("status")).to_contain_text("cparker is now an administrator.")
    expect(page.get_by_role("button", name="Stop cparker being an administrator")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile("/accounts/login/"))
    page.get_by_label("Username").fill("cparker")
    page.get_by_label("Password").fill("another long passphrase for Chris")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Administration")).to_be_visible()


def test_an_administrator_ends_a_holding_and_the_post_is_vacant(page, demo_site, administrator, sign_in):
    sign_in("admin")
    page.goto(f"{demo_site}/administration/posts/")
    page.get_by_role("link", name="Head of Protection", exact=True).click()
    page.get_by_role("link", name=re.compile("Change GM Earwicker's holding")).click()
    page.get_by_role("heading", name="GM Earwicker’s holding").wait_for()
    assert_accessible(page)

    page.get_by_label("Vacant from").fill("01/01/2021")
    page.get_by_role("button", name="End the holding").click()
    expect(page.get_by_role("alert")).to_contain_text("the post can be vacant from the day after that")
    assert_accessible(page)
    page.get_by_label("Vacant from").fill("01/06/2022")
    page.get_by_label("Reason").fill("Left the service")
    page.get_by_role("button", name="End the holding").click()
    expect(page.get_by_role("status")).to_contain_text("Head of Protection is vacant from 1 June 2022")
    history = page.get_by_role("table", name="Who has held Head of Protection, from when to when")
    expect(history.get_by_role("row", name=re.compile("GM Earwicker"))).to_contain_text("31/05/2022")
    expect(page.locator(".summary-list")).to_contain_text(re.compile(r"Holder today\s*Nobody"))
    assert_accessible(page)


def test_an_administrator_gives_the_reports_a_logo_and_sees_it_on_the_report(page, demo_site, administrator, sign_in,
                                                                           tmp_path):
    import io

    from PIL import Image

    logo = tmp_path / "crest.png"
    out = io.BytesIO()
    Image.new("RGB", (600, 160), (200, 16, 46)).save(out, format="PNG")
    logo.write_bytes(out.getvalue())
    sign_in("admin")
    page.goto(f"{demo_site}/administration/")
    page.get_by_role("link", name="Organisation and report template").click()
    page.get_by_role("heading", name="Organisation and report template", level=1).wait_for()
    assert_accessible(page)
    page.get_by_label("Organisation name").fill("Essex County Fire and Rescue Service")
    page.get_by_label("Logo (optional)", exact=True).set_input_files(str(logo))
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="There is a problem").wait_for()  # a logo needs its alt text
    assert_accessible(page)
    page.get_by_label("Logo (optional)", exact=True).set_input_files(str(logo))
    page.get_by_label("What the logo shows").fill("Essex County Fire and Rescue Service logo")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("status").get_by_text("The organisation's details for board reports are saved.").wait_for()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "organisation.png", full_page=True)
