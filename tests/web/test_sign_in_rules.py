"""Who a single sign-on signs in (people/sso.py), decided on the claims the OpenID Connect client has checked;
and password sign-in for administrators only (PASSWORD_LOGIN=admins-only). The whole flow against a real
provider is in tests/browser/test_single_sign_on.py."""

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.people.models import SignInIdentity
from actiontrack.people.sso import sign_in_from_directory

pytestmark = pytest.mark.django_db
ISSUER, NOW = "https://login.example.org/tenant/v2.0", datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


def error_of(response) -> str:
    return re.search(r'<div class="error-summary".*?</div>', response.text, re.S).group(0)


def sign_in(claims, create_users=True, issuer=ISSUER):
    return sign_in_from_directory(issuer=issuer, provider_name="Microsoft", claims=claims, create_users=create_users,
                                  now=NOW)


def test_entra_ids_object_id_is_preferred_to_the_per_application_subject(owner):
    first = sign_in({"sub": "pairwise-1", "oid": "object-1", "email": "cparker@example.org", "email_verified": True})
    again = sign_in({"sub": "pairwise-2", "oid": "object-1", "email": "cparker@example.org", "email_verified": True})
    assert first.user == again.user == owner
    assert SignInIdentity.objects.get().subject == "object-1"
    events = JournalEvent.objects.filter(entity_type=EntityType.USER, entity_id=owner.pk, field="sign_in_identity")
    assert [e.new["how"] for e in events] == ["linked by its verified e-mail address"]


def test_two_accounts_with_the_same_address_are_linked_to_neither(owner):
    get_user_model().objects.create_user("cparker2", email="CParker@example.org")
    found = sign_in({"sub": "s", "email": "cparker@example.org", "email_verified": True})
    assert found.user is None and "More than one actiontrack account" in found.refusal
    assert not SignInIdentity.objects.exists()


def test_a_switched_off_account_is_not_signed_in_by_the_directory(owner):
    owner.is_active = False
    owner.save()
    found = sign_in({"sub": "s", "email": "cparker@example.org", "email_verified": True})
    assert found.user is None and "switched off" in found.refusal


def test_new_usernames_come_from_the_directory_and_never_clash(db):
    get_user_model().objects.create_user("dana.price")
    found = sign_in({"sub": "s", "preferred_username": "Dana.Price@example.org", "email": "dp@example.org",
                     "name": "Dana Price"})
    assert found.user.username == "Dana.Price2"
    assert (found.user.first_name, found.user.last_name) == ("Dana", "Price")


def test_a_subject_is_its_providers_own(owner):
    sign_in({"sub": "s", "email": "cparker@example.org", "email_verified": True})
    other = sign_in({"sub": "s", "email": "someone@example.org"}, issuer="https://accounts.example.com")
    assert other.user != owner  # the same subject at another provider is another person


def test_with_passwords_for_administrators_only_others_are_sent_to_single_sign_on(client, settings, owner,
                                                                                   administrator):
    settings.OIDC_ISSUER, settings.OIDC_NAME, settings.PASSWORD_LOGIN = ISSUER, "Microsoft", "admins-only"
    owner.set_password(PASSWORD)
    owner.save()
    page = client.get(reverse("login"))
    assert "Sign in with Microsoft" in page.text and "Administrators: sign in with a password" in page.text
    assert "Forgotten your password?" not in page.text
    refused = client.post(reverse("login"), {"username": "cparker", "password": PASSWORD})
    wrong = client.post(reverse("login"), {"username": "cparker", "password": "not the password"})
    assert refused.status_code == wrong.status_code == 200
    # The same words as a wrong password: the page must not confirm that a password was right.
    assert error_of(refused) == error_of(wrong) and "Please enter a correct username and password" in error_of(wrong)
    assert not refused.wsgi_request.user.is_authenticated
    admitted = client.post(reverse("login"), {"username": "admin", "password": "an administrator's long password"})
    assert admitted.status_code == 302


def test_without_single_sign_on_the_sign_in_page_is_as_it_was(client):
    page = client.get(reverse("login"))
    assert "Sign in with" not in page.text and "Forgotten your password?" in page.text


@pytest.mark.parametrize(("claims", "links"), [
    ({"email_verified": True}, True),
    ({"email_verified": "true"}, True),  # as some providers send it
    ({"email_verified": False}, False),
    ({"xms_edov": True}, True),  # Entra ID: the address's domain is verified by the tenant
    ({"email_verified": False, "xms_edov": True}, False),  # a provider's own "not verified" wins
    ({}, False),
])
def test_only_an_address_the_provider_vouches_for_links_an_account(owner, claims, links):
    found = sign_in({"oid": "object-1", "email": "cparker@example.org", **claims})
    assert (found.user == owner) is links
    assert SignInIdentity.objects.exists() is links


def test_the_account_page_of_someone_who_signs_in_through_the_directory_says_so(client, settings, db):
    settings.OIDC_ISSUER, settings.OIDC_NAME = ISSUER, "Microsoft"
    person = sign_in({"oid": "object-9", "email": "new@example.org", "name": "New Person"}).user
    client.force_login(person)
    page = client.get(reverse("account:index")).text
    assert "You sign in with Microsoft. Your password is looked after there." in page
    assert "Change your" not in page and "Ask an administrator" not in page


def test_the_directory_changes_a_name_at_once_but_an_address_only_when_it_vouches_for_it(owner):
    sign_in({"oid": "object-1", "email": "cparker@example.org", "email_verified": True})
    found = sign_in({"oid": "object-1", "email": "someone.else@example.org", "email_verified": False,
                     "given_name": "Christopher", "family_name": "Parker"})
    owner.refresh_from_db()
    assert found.user == owner and owner.first_name == "Christopher"
    assert owner.email == "cparker@example.org"  # an address nobody vouched for could be anyone's
    sign_in({"oid": "object-1", "email": "c.parker@example.org", "email_verified": True})
    owner.refresh_from_db()
    assert owner.email == "c.parker@example.org"


def test_an_address_that_cannot_be_stored_leaves_the_account_as_it_was_and_still_signs_in(owner):
    sign_in({"oid": "object-1", "email": "cparker@example.org", "email_verified": True})
    found = sign_in({"oid": "object-1", "email": "chris@intranet", "email_verified": True, "given_name": "Chris"})
    owner.refresh_from_db()
    assert found.user == owner and owner.email == "cparker@example.org"


def test_an_account_links_to_one_identity_per_provider(owner):
    sign_in({"oid": "object-1", "email": "cparker@example.org", "email_verified": True})
    other = sign_in({"oid": "object-2", "email": "cparker@example.org", "email_verified": True})
    assert other.user is None and "already linked to someone else's Microsoft" in other.refusal
    assert SignInIdentity.objects.count() == 1


def test_an_error_answer_not_started_here_signs_nobody_out_and_shows_none_of_its_words(client, settings, owner):
    """Anyone can send a link to the callback with ?error=: it must not end the session of whoever follows it,
    nor put the sender's words on our page."""
    settings.OIDC_ISSUER, settings.OIDC_NAME = ISSUER, "Microsoft"
    client.force_login(owner)
    page = client.get(reverse("sso_callback"), {"error": "access_denied", "state": "not-ours",
                                                "error_description": "Your password expired: call 0800 000 000"})
    assert page.status_code == 400 and "You are not signed in" in page.text
    assert "0800" not in page.text and "expired" not in page.text
    assert client.get(reverse("account:index")).status_code == 200  # still signed in


def test_behind_a_proxy_that_is_not_trusted_the_log_says_what_to_set(client, settings, caplog):
    from actiontrack.pages import client as client_module

    settings.TRUSTED_PROXY_COUNT = 0
    client_module._warned.clear()
    client.post(reverse("password_reset"), {"email": "x@example.org"}, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert "TRUSTED_PROXY_COUNT is 0" in caplog.text
