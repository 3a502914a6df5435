"""The address of the person making a request, for throttling sign-in and password links (settings
TRUSTED_PROXY_COUNT, docs/configuration.md)."""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)
_warned: list[bool] = []


def client_address(request) -> str:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies that each append the address they were reached from to
    X-Forwarded-For (nginx's $proxy_add_x_forwarded_for), the entry that many from the right: the one the
    outermost proxy wrote. Entries further left are whatever the client sent, and can be forged."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not proxies:
        if "HTTP_X_FORWARDED_FOR" in request.META and not _warned:
            _warned.append(True)  # once per process: a proxy in front, and every client seen as the proxy
            logger.warning("requests come with X-Forwarded-For but TRUSTED_PROXY_COUNT is 0: sign-in locks and "
                           "password-link limits apply to the proxy's address, so to everyone (docs/deploy.md)")
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return hops[-proxies][:45] if len(hops) >= proxies else remote
