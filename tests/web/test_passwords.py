"""Passwords their owners look after (issue 18): changing your own on /account/, "Forgotten your password?" by
e-mail through a real SMTP server (tests/servers/smtp.py), an administrator sending a link instead of typing a
password, and sign-in throttling keyed on the real client address behind the proxies
(TRUSTED_PROXY_COUNT)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actiontrack.core.choices import EntityType
from actiontrack.core.models import JournalEvent
from actiontrack.people.passwords import LINKS_PER_ADDRESS_PER_HOUR

pytestmark = pytest.mark.django_db

OLD, NEW = "correct horse battery staple", "a new and rather longer passphrase"
LOGIN, CHANGE, FORGOTTEN = reverse("login"), reverse("password_change"), reverse("password_reset")


def with_password(user, password=OLD):
    user.set_password(password)
    user.save()
    return user


def signs_in(client, username, password, address="127.0.0.1", **headers) -> bool:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)
    client.logout()
    return response.status_code == 302


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    [link] = re.findall(r"https://plans\.example\.org(/accounts/reset/\S+/)", text)
    return link


def password_events(user) -> list[str]:
    return list(JournalEvent.objects.filter(entity_type=EntityType.USER, entity_id=user.pk, field="password")
                .values_list("new", flat=True))


# Changing your own ------------------------------------------------------------------------------------------

def test_an_owner_changes_their_password_and_stays_signed_in_but_nowhere_else(client, owner, django_user_model):
    from django.test import Client

    with_password(owner)
    elsewhere = Client()
    elsewhere.force_login(owner)
    client.force_login(owner)
    page = client.get(reverse("account:index"))
    assert 'href="/accounts/password/"' in page.text and "Change your password" in page.text
    response = client.post(CHANGE, {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("account:index")
    assert "Your password has been changed" in client.get(response.url).text  # still signed in here
    assert elsewhere.get(reverse("home")).status_code == 302  # the other browser is signed out
    assert signs_in(client, "cparker", NEW) and not signs_in(client, "cparker", OLD)
    assert password_events(owner) == ["changed by its owner"]


@pytest.mark.parametrize(("posted", "said"), [
    ({"old_password": "not it", "new_password1": NEW, "new_password2": NEW}, "The current password is not right"),
    ({"old_password": OLD, "new_password1": NEW, "new_password2": NEW + "x"}, "The passwords do not match"),
    ({"old_password": OLD, "new_password1": "short", "new_password2": "short"}, "too short"),
    ({"old_password": OLD, "new_password1": "cparker@example.org", "new_password2": "cparker@example.org"},
     "too similar"),
    ({"old_password": "", "new_password1": "", "new_password2": ""}, "Enter your current password"),
])
def test_a_change_that_cannot_be_made_says_why_and_changes_nothing(client, owner, posted, said):
    with_password(owner)
    client.force_login(owner)
    response = client.post(CHANGE, posted)
    assert response.status_code == 400 and said in response.text
    assert 'class="error-summary"' in response.text and response.text.count("There is a problem") == 1
    owner.refresh_from_db()
    assert owner.check_password(OLD) and password_events(owner) == []


def test_someone_signed_out_is_sent_to_sign_in_first(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


# Forgotten your password? --------------------------------------------------------------------------------------

def test_a_forgotten_password_is_reset_through_the_emailed_link_which_then_stops_working(client, smtp, owner):
    with_password(owner)
    assert "Forgotten your password?" in client.get(LOGIN).text
    response = client.post(FORGOTTEN, {"email": "CParker@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "Check your email" in client.get(response.url).text
    [message] = smtp.to("cparker@example.org")
    assert message["Subject"] == "Reset your actiontrack password"
    link = link_in(message)
    assert "Reset your password" in message.get_body(("html",)).get_content()
    form = client.get(link)  # the token leaves the address at once (Referer), kept in the session
    assert form.status_code == 302 and "set-password" in form.url
    page = client.get(form.url)
    assert "Set your password" in page.text and "cparker" in page.text
    done = client.post(form.url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done.url == reverse("password_reset_complete")
    assert "Your password has been set" in client.get(done.url).text
    assert signs_in(client, "cparker", NEW)
    again = client.get(link)
    assert again.status_code == 400 and "This link no longer works" in again.text
    assert password_events(owner) == ["set from an e-mailed link"]


def test_the_answer_is_the_same_for_an_address_nobody_has_and_nothing_is_sent(client, smtp, owner):
    with_password(owner)
    known = client.post(FORGOTTEN, {"email": "cparker@example.org"})
    unknown = client.post(FORGOTTEN, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert smtp.to("nobody@example.org") == [] and len(smtp.messages) == 1


def test_asking_too_often_sends_no_more_links_but_says_the_same(client, smtp, owner):
    with_password(owner)
    for _ in range(LINKS_PER_ADDRESS_PER_HOUR + 2):
        response = client.post(FORGOTTEN, {"email": "cparker@example.org"})
        assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert len(smtp.to("cparker@example.org")) == LINKS_PER_ADDRESS_PER_HOUR


def test_a_switched_off_account_gets_no_link(client, smtp, owner):
    with_password(owner)
    owner.is_active = False
    owner.save()
    client.post(FORGOTTEN, {"email": "cparker@example.org"})
    assert smtp.messages == []


def test_a_link_for_one_account_does_not_work_with_another_accounts_id(client, smtp, owner, other_owner):
    with_password(owner)
    client.post(FORGOTTEN, {"email": "cparker@example.org"})
    link = link_in(smtp.to("cparker@example.org")[0])
    uid = link.split("/")[3]
    from django.utils.http import urlsafe_base64_encode

    forged = link.replace(uid, urlsafe_base64_encode(str(other_owner.pk).encode()))
    assert client.get(forged).status_code == 400


def test_an_email_address_that_cannot_be_read_is_said_so(client):
    response = client.post(FORGOTTEN, {"email": "not an address"})
    assert response.status_code == 400 and "Enter an email address in the correct format" in response.text


# An administrator sends a link -------------------------------------------------------------------------------

def test_an_administrator_sends_a_link_and_the_person_sets_their_own_password(client, smtp, administrator):
    person = get_user_model().objects.create_user("newstarter", email="new.starter@example.org",
                                                  first_name="New", last_name="Starter")
    assert not person.has_usable_password()
    client.force_login(administrator)
    page = client.get(reverse("administration:user", args=[person.pk]))
    assert "Send a link to set a password" in page.text
    response = client.post(reverse("administration:user_password_link", args=[person.pk]))
    assert response.status_code == 302
    assert "A link to set a password has been sent to new.starter@example.org" in client.get(response.url).text
    [message] = smtp.to("new.starter@example.org")
    assert message["Subject"] == "Set your actiontrack password"
    assert "Ada Admin has asked you to set a password" in message.get_body(("plain",)).get_content()
    client.logout()
    form = client.get(link_in(message))
    client.post(form.url, {"new_password1": NEW, "new_password2": NEW})
    assert signs_in(client, "newstarter", NEW)


def test_a_link_cannot_be_sent_to_someone_without_an_address(client, smtp, administrator):
    person = get_user_model().objects.create_user("noaddress")
    client.force_login(administrator)
    response = client.post(reverse("administration:user_password_link", args=[person.pk]))
    assert response.status_code == 400 and "has no e-mail address to send a link to" in response.text
    assert smtp.messages == []


def test_a_plan_manager_who_is_not_an_administrator_cannot_send_links(client, smtp, plan_manager, owner):
    client.force_login(plan_manager)
    response = client.post(reverse("administration:user_password_link", args=[owner.pk]))
    assert response.status_code in (403, 404)
    assert smtp.messages == []


# Sign-in throttling behind proxies ------------------------------------------------------------------------------

def test_behind_a_proxy_one_persons_failures_do_not_lock_out_the_same_account_elsewhere(client, settings, owner):
    """With TRUSTED_PROXY_COUNT=1 every request arrives from the proxy's address; the lock follows the address
    the proxy says the request came from, so a colleague typing the wrong password five times at home does not
    lock the account for its owner in the office, and a forged left-hand entry changes nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    with_password(owner)
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        signs_in(client, "cparker", "wrong", proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert not signs_in(client, "cparker", OLD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")  # locked there
    assert not signs_in(client, "cparker", OLD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert signs_in(client, "cparker", OLD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")  # the office


def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, settings, owner):
    settings.TRUSTED_PROXY_COUNT = 0
    with_password(owner)
    for n in range(settings.AXES_FAILURE_LIMIT):
        signs_in(client, "cparker", "wrong", "192.0.2.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert not signs_in(client, "cparker", OLD, "192.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.200")


def test_a_new_user_can_be_created_without_a_password_and_sent_a_link(client, smtp, administrator):
    client.force_login(administrator)
    response = client.post(reverse("administration:user_new"), {
        "username": "jbloggs", "first_name": "Jo", "last_name": "Bloggs", "email": "jo.bloggs@example.org",
        "send_link": "on"})
    assert response.status_code == 302
    assert "A link to set their password has gone to jo.bloggs@example.org" in client.get(response.url).text
    person = get_user_model().objects.get(username="jbloggs")
    assert not person.has_usable_password()
    [message] = smtp.to("jo.bloggs@example.org")
    client.logout()
    form = client.get(link_in(message))
    client.post(form.url, {"new_password1": NEW, "new_password2": NEW})
    assert signs_in(client, "jbloggs", NEW)


@pytest.mark.parametrize(("posted", "said"), [
    ({"send_link": "on"}, "Enter their email address, for the link"),
    ({"send_link": "on", "email": "jo@example.org", "password": NEW, "password_confirm": NEW},
     "Either send a link or type a password, not both"),
    ({"email": "jo@example.org"}, "Type a password for them, or tick the box"),
])
def test_creating_a_user_needs_exactly_one_of_a_link_and_a_password(client, smtp, administrator, posted, said):
    client.force_login(administrator)
    response = client.post(reverse("administration:user_new"), {"username": "jbloggs", **posted})
    assert response.status_code == 400 and said in response.text
    assert not get_user_model().objects.filter(username="jbloggs").exists() and smtp.messages == []
