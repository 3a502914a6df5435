"""node-oidc-provider (npm, installed by scripts/test into tests/servers), started by the sign-in tests: a real
OpenID Provider on a free port, with one client (the app) and the accounts the test names, signed in on the
provider's own development login and consent pages. See oidc_provider.mjs."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import free_port, running

HERE = Path(__file__).parent
NODE = shutil.which("node")
needs_oidc_provider = pytest.mark.skipif(
    NODE is None or not (HERE / "node_modules" / "oidc-provider").exists(),
    reason="needs node-oidc-provider: scripts/test installs it (npm ci --prefix tests/servers)")


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str

    def _post(self, what: str, body) -> None:
        request = urllib.request.Request(f"{self.issuer}/__test__/{what}", data=json.dumps(body).encode(),
                                         method="POST", headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).close()

    def tamper(self, **changes) -> None:
        """The next ID token the provider gives has these claims changed (exp: seconds from now), re-signed."""
        self._post("tamper", changes)

    def directory(self, accounts: dict[str, dict]) -> None:
        """The provider's accounts from now on (someone renamed, an address changed)."""
        self._post("accounts", accounts)


@contextlib.contextmanager
def oidc_provider(site: str, accounts: dict[str, dict], *, client_id: str = "actiontrack-tests"):
    """A running provider whose one client may come back to `site`'s callback; yields a Provider."""
    port = free_port()
    secret = "a client secret for the tests only"
    env = {**os.environ, "OIDC_PORT": str(port), "OIDC_CLIENT_ID": client_id, "OIDC_CLIENT_SECRET": secret,
           "OIDC_REDIRECT_URIS": f"{site}/accounts/sso/callback/", "OIDC_LOGOUT_URIS": f"{site}/accounts/signed-out/",
           "OIDC_ACCOUNTS": json.dumps(accounts), "NODE_ENV": "test"}
    with running([NODE, str(HERE / "oidc_provider.mjs")], port, "node-oidc-provider", env=env):
        yield Provider(issuer=f"http://127.0.0.1:{port}", client_id=client_id, client_secret=secret)
