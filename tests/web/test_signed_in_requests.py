"""The session and user lookups every signed-in page makes (Django's database sessions and ModelBackend, behind
django-axes) keep Django's rules: an expired session, a deactivated account or a made-up cookie is nobody,
whoever signed in is who the page is for, and a refused password is hashed once."""

from datetime import timedelta
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.models import Session
from django.utils import timezone

PASSWORD = "a test password long enough"


def sign_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_a_signed_in_plan_manager_sees_the_plan_and_the_session_names_djangos_backend(client, plan_manager):
    sign_in(client, plan_manager)
    assert client.get("/plans/PIP-PR/").status_code == 200
    data = Session.objects.get().get_decoded()
    assert data["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"
    assert data["_auth_user_id"] == str(plan_manager.pk)


def test_an_expired_session_is_signed_out(client, plan_manager):
    sign_in(client, plan_manager)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/plans/PIP-PR/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_deactivated_owner_is_signed_out_at_their_next_page(client, owner):
    sign_in(client, owner)
    assert client.get("/").status_code == 200
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_made_up_session_cookie_is_nobody(client, demo):
    for value in ["not-a-session-key-at-all-0123456789", "short", "x" * 40]:
        client.cookies[settings.SESSION_COOKIE_NAME] = value
        response = client.get("/plans/PIP-PR/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), value


def test_a_failed_sign_in_checks_the_password_once(client, owner):
    """One password-checking backend is listed (after django-axes, which checks no password), so a refused
    sign-in costs one hash."""
    sign_in(client, owner)
    client.logout()
    with mock.patch.object(MD5PasswordHasher, "verify", autospec=True, return_value=False) as verify:
        response = client.post("/accounts/login/", {"username": owner.username, "password": "not the password"})
    assert response.status_code == 200 and verify.call_count == 1
    assert "_auth_user_id" not in client.session
