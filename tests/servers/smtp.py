"""A real SMTP server for the tests that send e-mail (aiosmtpd, started on a free port on localhost), as the
`smtp` fixture: it points Django's SMTP backend at the server and yields the inbox (pytest-django would
otherwise keep mail in memory). Registered for every test by tests/conftest.py."""

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

SMTP_SITE = "https://plans.example.org"  # SITE_URL while the fixture runs: the address links in e-mail start with


class Inbox:
    """An aiosmtpd handler that keeps every message it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for rcpt, message in self.messages if address in rcpt]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "actiontrack <actiontrack@example.org>"
    settings.SITE_URL = SMTP_SITE
    yield inbox
    controller.stop()
