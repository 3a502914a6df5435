""""Forgotten your password?" with the worker as in production (the database task backend): the request only
records and queues, asking the same questions whatever the address, so neither its answer nor its time says
whether an account exists; the worker sends the link through a real SMTP server, and never more than the limit
to one address, however many requests wait in the queue."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actiontrack.people.passwords import LINKS_PER_ADDRESS_PER_HOUR

pytestmark = pytest.mark.django_db(transaction=True)  # the worker closes its connections, as a real one does
QUEUED = override_settings(TASK_BACKEND="database", TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
FORGOTTEN = reverse("password_reset")


def shapes(client, email) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.post(FORGOTTEN, {"email": email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    # Each query's shape: what it asks, without the values (times, digests, ids) that differ on every request.
    return [re.sub(r"'[^']*'|\b\d+\b", "?", query["sql"]) for query in captured
            if "django_session" not in query["sql"]]


@QUEUED
def test_the_request_asks_the_same_whatever_the_address_and_the_worker_sends(client, smtp, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    known, unknown = shapes(client, "cparker@example.org"), shapes(client, "nobody@example.org")
    assert known == unknown
    assert not any("auth_user" in sql for sql in known)  # accounts are looked up by the worker only
    assert smtp.messages == []  # nothing sent within the request
    call_command("worker", once=True, verbosity=0)
    call_command("worker", once=True, verbosity=0)
    assert len(smtp.to("cparker@example.org")) == 1 and len(smtp.messages) == 1


@QUEUED
def test_requests_queued_together_still_send_at_most_the_limit(client, smtp, owner):
    owner.set_password("correct horse battery staple")
    owner.save()
    for _ in range(LINKS_PER_ADDRESS_PER_HOUR + 3):
        client.post(FORGOTTEN, {"email": "cparker@example.org"})
    for _ in range(LINKS_PER_ADDRESS_PER_HOUR + 3):
        call_command("worker", once=True, verbosity=0)
    assert len(smtp.to("cparker@example.org")) == LINKS_PER_ADDRESS_PER_HOUR
