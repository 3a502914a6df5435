"""Who may manage people: administrators (`is_staff`) manage users, roles and posts. The rules about plans
are in plans/permissions.py. Changes made by the system (demo loader, command line) carry no user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require_administrator(actor, doing: str) -> None:
    if actor.user is not None and not actor.user.is_staff:
        raise PermissionDenied(f"Only an administrator can {doing}.")
