"""The address of the person making a request, for throttling sign-in and password links (settings
TRUSTED_PROXY_COUNT, docs/configuration.md)."""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies that each append the address they were reached from to
    X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the entry that many from the right: the one the
    outermost proxy wrote. Entries further left are whatever the client sent, and can be forged."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not proxies:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-proxies][:45] if len(hops) >= proxies else remote
