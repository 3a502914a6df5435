"""API test helpers: a token for any persona, and a test client that sends it."""

import pytest

from actiontrack.api.tokens import token_create


@pytest.fixture
def token_for(db):
    def make(user, name="Tests"):
        return token_create(user=user, name=name)[1]
    return make


class ApiClient:
    """The Django test client, sending `Authorization: Bearer <token>` and JSON."""

    def __init__(self, client, token):
        self.client, self.token = client, token

    def _auth(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, **params):
        return self.client.get(path, params, **self._auth())

    def post(self, path, body=None):
        return self.client.post(path, body if body is not None else {}, content_type="application/json",
                                **self._auth())


@pytest.fixture
def api(client, token_for):
    """api(user) -> a client acting as that user through a token of their own; api(None) sends no token."""
    tokens = {}

    def as_user(user):
        if user is not None and user.pk not in tokens:
            tokens[user.pk] = token_for(user)
        return ApiClient(client, tokens[user.pk] if user is not None else None)
    return as_user
