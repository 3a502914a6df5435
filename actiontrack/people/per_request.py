"""The two lookups every signed-in page makes before it does anything else — the session, then its user —
as written-out SQL. Django builds the same queries with the ORM on every request, which costs several times
what the database takes to answer them. Same rows, same rules: an expired session is no session, an
inactive user is no user.

`SESSION_ENGINE = "actiontrack.people.per_request"` and the `ModelBackend` below in
`AUTHENTICATION_BACKENDS` (settings.py)."""

from __future__ import annotations

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from actiontrack.ops import rows


@functools.cache
def _session_sql() -> str:
    return (f'SELECT {rows.columns(Session, "s")} FROM "{Session._meta.db_table}" s '
            f'WHERE s.session_key = %s AND s.expire_date > %s')


@functools.cache
def _user_sql() -> str:
    model = get_user_model()._meta
    return f'SELECT {rows.columns(get_user_model(), "u")} FROM "{model.db_table}" u WHERE u."{model.pk.column}" = %s'


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:  # no key, or one of the wrong shape (the setter checks)
            self._session_key = None
            return None
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = rows.one(Session, _session_sql(), [self.session_key, now])
        if found is None:
            self._session_key = None
        return found


class ModelBackend(backends.ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None and password is not None:
            # Refused: stop here, so Django's ModelBackend (listed after this one only for sessions signed in
            # before it) does not hash the password a second time. The failure is still signalled once.
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        model = get_user_model()
        try:
            user = rows.one(model, _user_sql(), [model._meta.pk.to_python(user_id)])
        except ValidationError:
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
