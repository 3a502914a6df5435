"""`Authorization: Bearer <token>`: the token's user is who the API acts as, with that user's permissions."""

from __future__ import annotations

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from .tokens import TokenRefused, token_user

MISSING = ("Send your API token in the Authorization header, as 'Authorization: Bearer <token>'. "
           "Create a token on your account page.")


class TokenAuth(HttpBearer):
    """Every failure is a 401 that says what was wrong; success sets request.user as well as request.auth."""

    def __call__(self, request):
        value = request.headers.get(self.header, "")
        scheme, _, token = value.partition(" ")
        if not value or scheme.lower() != "bearer" or not token.strip():
            raise AuthenticationError(message=MISSING)
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        try:
            user = token_user(token)
        except TokenRefused as exc:
            raise AuthenticationError(message=str(exc)) from None
        request.user = user
        return user
