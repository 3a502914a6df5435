"""API tokens: made and revoked by their owner on the account page, shown once, stored only as a hash, and sent
as `Authorization: Bearer`. Anything else is a 401 that says what was wrong."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from actiontrack.api.models import ApiToken
from actiontrack.api.tokens import token_create, token_revoke
from actiontrack.notify.models import ReminderPreference

pytestmark = pytest.mark.django_db


def created_token(response) -> str:
    return re.search(r"at_[0-9a-f]{8}_[A-Za-z0-9_-]+", response.content.decode()).group(0)


# Authentication -----------------------------------------------------------------------------------------------

def test_a_request_without_a_token_is_a_401_saying_how_to_send_one(api):
    response = api(None).get("/api/plans")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="actiontrack"'
    assert response.json() == {"field": "Authorization", "detail": (
        "Send your API token in the Authorization header, as 'Authorization: Bearer <token>'. Create a token on "
        "your account page.")}


@pytest.mark.parametrize(("header", "words"), [
    ("Bearer", "Send your API token"),
    ("Basic dXNlcjpwYXNz", "Send your API token"),
    ("Bearer not-a-token", "This is not an actiontrack API token"),
    ("Bearer at_00000000_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "This API token is not valid"),
])
def test_a_malformed_or_unknown_token_is_a_401(client, db, header, words):
    response = client.get("/api/plans", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and words in response.json()["detail"]


def test_a_token_with_a_wrong_secret_is_a_401_even_with_a_real_prefix(client, owner):
    _, token = token_create(user=owner, name="Laptop")
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    response = client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401 and "not valid" in response.json()["detail"]


def test_a_revoked_token_is_a_401_at_once(client, owner):
    row, token = token_create(user=owner, name="Laptop")
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    token_revoke(user=owner, token=row)
    response = client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["detail"] == "This API token has been revoked. Create a new one on your account page."


def test_a_token_of_a_deactivated_account_is_a_401(client, owner):
    _, token = token_create(user=owner, name="Laptop")
    owner.is_active = False
    owner.save()
    response = client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and "deactivated" in response.json()["detail"]


def test_a_token_is_stored_only_as_its_sha256_and_its_use_is_recorded(client, owner):
    row, token = token_create(user=owner, name="Laptop")
    row.refresh_from_db()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = " ".join(str(value) for value in ApiToken.objects.values_list().get())
    assert token not in stored and token.split("_", 2)[2] not in stored  # the secret part is nowhere
    assert row.last_used_at is None
    client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}")
    row.refresh_from_db()
    assert row.last_used_at is not None


def test_a_tokens_use_is_recorded_at_most_once_a_minute(client, owner):
    """Recording every use would make every read a write; "is this token still in use?" needs a minute's grain."""
    row, token = token_create(user=owner, name="Laptop")
    for ago, recorded in [(timedelta(seconds=30), False), (timedelta(minutes=2), True)]:
        before = timezone.now() - ago
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=before)
        assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
        row.refresh_from_db()
        assert (row.last_used_at != before) is recorded, ago
        assert row.last_used_at >= before


def test_a_session_is_not_enough_for_the_api(signed_in, owner):
    assert signed_in(owner).get("/api/plans").status_code == 401


# The account page ---------------------------------------------------------------------------------------------

def test_a_signed_in_user_creates_a_token_and_it_is_shown_once(signed_in, owner):
    client = signed_in(owner)
    response = client.post(reverse("account:token-new"), {"name": "Power BI report"})
    assert response.status_code == 200
    token = created_token(response)
    assert "Copy it now: you will not see it again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    row = ApiToken.objects.get(user=owner)
    assert row.name == "Power BI report" and token.startswith(f"at_{row.prefix}_")
    page = client.get(reverse("account:index")).content.decode()
    assert "Power BI report" in page and f"at_{row.prefix}_" in page
    assert token not in page  # never again
    assert client.get("/api/plans", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.parametrize(("name", "words"), [
    ("", "Give the token a name"),
    ("   ", "Give the token a name"),
    ("x" * 101, "at most 100 characters"),
])
def test_a_token_needs_a_name(signed_in, owner, name, words):
    response = signed_in(owner).post(reverse("account:token-new"), {"name": name})
    assert response.status_code == 400
    assert words in response.content.decode() and "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_two_active_tokens_cannot_share_a_name(signed_in, owner):
    token_create(user=owner, name="Laptop")
    response = signed_in(owner).post(reverse("account:token-new"), {"name": "laptop"})
    assert response.status_code == 400 and "You already have a token named" in response.content.decode()


def test_a_user_revokes_their_token_after_confirming(signed_in, owner):
    row, token = token_create(user=owner, name="Laptop")
    client = signed_in(owner)
    confirm = client.get(reverse("account:token-revoke", args=[row.pk]))
    assert confirm.status_code == 200 and "Revoke the API token “Laptop”?" in confirm.content.decode()
    response = client.post(reverse("account:token-revoke", args=[row.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("account:index")
    row.refresh_from_db()
    assert row.revoked_at is not None
    page = client.get(reverse("account:index")).content.decode()
    assert "is revoked" in page and "Revoked tokens" in page


def test_nobody_can_see_or_revoke_someone_elses_token(signed_in, owner, other_owner):
    row, _ = token_create(user=owner, name="Laptop")
    client = signed_in(other_owner)
    assert client.get(reverse("account:token-revoke", args=[row.pk])).status_code == 404
    assert client.post(reverse("account:token-revoke", args=[row.pk])).status_code == 404
    assert "Laptop" not in client.get(reverse("account:index")).content.decode()
    row.refresh_from_db()
    assert row.revoked_at is None


def test_the_account_page_needs_a_signed_in_user(client, db):
    for url in (reverse("account:index"), reverse("account:token-new")):
        response = client.get(url) if url == reverse("account:index") else client.post(url, {"name": "x"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_people_turn_their_own_reminder_emails_off_and_on(signed_in, owner):
    client = signed_in(owner)
    assert "Reminder emails are <strong>on</strong>" in client.get(reverse("account:index")).content.decode()
    response = client.post(reverse("account:reminders"), {"reminders": "off"})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=owner).enabled is False
    page = client.get(reverse("account:index")).content.decode()
    assert "Reminder emails are off: you will not be sent any." in page
    assert "Turn reminder emails on" in page
    client.post(reverse("account:reminders"), {"reminders": "on"})
    assert ReminderPreference.objects.get(user=owner).enabled is True


def test_reminders_cannot_be_changed_with_a_get(signed_in, owner):
    assert signed_in(owner).get(reverse("account:reminders")).status_code == 405
