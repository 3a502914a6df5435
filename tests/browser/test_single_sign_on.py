"""Single sign-on in real Chromium against a real OpenID Provider (node-oidc-provider, tests/servers/oidc.py):
its own login and consent pages, then back to actiontrack signed in with the right account, or a page that
says why not. axe on every page of ours."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from actiontrack.people.models import SignInIdentity
from actiontrack.plans.models import PlanRole
from tests.browser.conftest import PASSWORD, assert_accessible
from tests.servers import free_port
from tests.servers.oidc import needs_oidc_provider, oidc_provider

pytestmark = [pytest.mark.browser, needs_oidc_provider]
NAME = "Test Directory"
DANA = {"email": "dana.price@example.org", "email_verified": True, "given_name": "Dana", "family_name": "Price"}
CHRIS = {"email": "cparker@example.org", "email_verified": True, "given_name": "Chris", "family_name": "Parker"}


@pytest.fixture
def sso(settings, demo_site):
    """A provider with the accounts a test names, and the app pointed at it as the four OIDC_* variables do."""
    def start(accounts: dict[str, dict]):
        provider = stack.enter_context(oidc_provider(demo_site, accounts))
        settings.OIDC_ISSUER, settings.OIDC_NAME = provider.issuer, NAME
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = provider.client_id, provider.client_secret
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS,
                                            "actiontrack.web.signin.oidc.DirectoryBackend"]
        return provider

    import contextlib

    with contextlib.ExitStack() as stack:
        yield start


@pytest.fixture
def browser_page(page):
    page.route("**/fonts.googleapis.com/**", lambda route: route.abort())  # the provider's dev pages ask for fonts
    return page


def through_provider(page, site: str, login: str) -> None:
    """From actiontrack's sign-in page, through the provider's login and consent pages."""
    page.goto(f"{site}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {NAME}").click()
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill("any password")
    page.locator('button[type="submit"]').click()
    page.get_by_role("button", name="Continue").click()  # consent
    page.wait_for_url(f"{site}/**")


def out_of_provider_too(page, site: str) -> None:
    """After signing out of actiontrack: the offered sign-out of the provider, confirmed on its page."""
    page.get_by_role("link", name=f"Sign out of {NAME}").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{site}/accounts/signed-out/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_new_person_is_signed_in_with_a_new_account_that_can_see_nothing_yet(browser_page, demo_site, sso):
    page = browser_page
    sso({"dana": DANA})
    page.goto(f"{demo_site}/accounts/login/")
    sign_in_link = page.get_by_role("link", name=f"Sign in with {NAME}")
    assert sign_in_link.is_visible()  # offered first, above the password form
    assert_accessible(page)
    through_provider(page, demo_site, "dana")
    assert page.url == f"{demo_site}/"
    dana = get_user_model().objects.get(email="dana.price@example.org")
    assert (dana.first_name, dana.last_name, dana.has_usable_password()) == ("Dana", "Price", False)
    assert not PlanRole.objects.filter(user=dana).exists()
    assert "PIP-PR" not in page.content()  # no role, no post: the demo plan is not theirs to see
    assert_accessible(page)


def test_a_second_sign_in_finds_the_same_account_with_the_directorys_new_name(browser_page, demo_site, sso):
    page = browser_page
    provider = sso({"dana": DANA})
    through_provider(page, demo_site, "dana")
    first = get_user_model().objects.get(email="dana.price@example.org")
    sign_out(page)
    page.get_by_role("heading", name="You have signed out of actiontrack").wait_for()
    assert page.get_by_role("link", name=f"Sign out of {NAME}").is_visible()
    assert_accessible(page)
    out_of_provider_too(page, demo_site)
    assert page.get_by_role("heading", name="You have signed out of actiontrack").is_visible()
    provider.directory({"dana": {**DANA, "family_name": "Price-Okafor", "email": "dana.po@example.org"}})
    through_provider(page, demo_site, "dana")
    again = get_user_model().objects.get(pk=first.pk)
    assert (again.last_name, again.email) == ("Price-Okafor", "dana.po@example.org")
    assert get_user_model().objects.filter(first_name="Dana").count() == 1
    assert SignInIdentity.objects.filter(user=first).count() == 1


def test_an_existing_account_is_linked_once_by_its_verified_address(browser_page, demo_site, sso):
    page = browser_page
    sso({"c.parker@directory": CHRIS})
    through_provider(page, demo_site, "c.parker@directory")
    assert "PIP-PR" in page.content()  # Chris Parker's own dashboard: the plan they own actions in
    cparker = get_user_model().objects.get(username="cparker")
    [identity] = SignInIdentity.objects.filter(user=cparker)
    assert identity.subject == "c.parker@directory"


def test_an_address_the_provider_has_not_verified_never_links_an_account(browser_page, demo_site, sso):
    page = browser_page
    sso({"impostor": {**CHRIS, "email_verified": False}})
    through_provider(page, demo_site, "impostor")
    assert page.get_by_role("heading", name="You are not signed in").is_visible()
    assert "does not say that your e-mail address cparker@example.org is verified" in page.content()
    assert_accessible(page)
    assert not SignInIdentity.objects.exists()
    page.goto(f"{demo_site}/")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize(("changes", "said"), [
    ({"aud": "another-application"}, "meant for another application"),
    ({"iss": "https://elsewhere.example"}, "did not come from Test Directory"),
    ({"exp": -600}, "had already expired"),
    ({"nonce": "from-another-sign-in"}, "its nonce does not match"),
])
def test_an_id_token_that_fails_a_check_signs_nobody_in(browser_page, demo_site, sso, changes, said):
    page = browser_page
    provider = sso({"dana": DANA})
    provider.tamper(**changes)
    through_provider(page, demo_site, "dana")
    assert page.get_by_role("heading", name="You are not signed in").is_visible()
    assert said in page.content()
    assert not get_user_model().objects.filter(email="dana.price@example.org").exists()
    page.goto(f"{demo_site}/")
    assert "/accounts/login/" in page.url


def test_a_sign_in_answer_used_twice_is_refused_the_second_time(browser_page, demo_site, sso):
    page = browser_page
    sso({"dana": DANA})
    callbacks = []
    page.on("request", lambda request: callbacks.append(request.url) if "/accounts/sso/callback/" in request.url
            else None)
    through_provider(page, demo_site, "dana")
    sign_out(page)
    out_of_provider_too(page, demo_site)
    page.goto(callbacks[0])  # the same code and state again
    assert page.get_by_role("heading", name="You are not signed in").is_visible()
    page.goto(f"{demo_site}/")
    assert "/accounts/login/" in page.url


def test_with_account_creation_off_a_new_person_is_told_to_ask_an_administrator(browser_page, demo_site, sso,
                                                                                 settings):
    page = browser_page
    sso({"dana": DANA})
    settings.OIDC_CREATE_USERS = False
    through_provider(page, demo_site, "dana")
    assert "You do not have an actiontrack account yet" in page.content()
    assert not get_user_model().objects.filter(email="dana.price@example.org").exists()


def test_when_the_provider_is_down_it_says_so_and_passwords_still_work(browser_page, demo_site, settings):
    page = browser_page
    settings.OIDC_ISSUER, settings.OIDC_NAME = f"http://127.0.0.1:{free_port()}", NAME  # nothing listens there
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "actiontrack", "secret"
    page.goto(f"{demo_site}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {NAME}").click()
    assert page.get_by_role("heading", name="You are not signed in").is_visible()
    assert f"Sign-in with {NAME} is not available at the moment" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="sign in with your actiontrack username and password").click()
    page.get_by_label("Username").fill("pmo")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_site}/")
