"""Single sign-on with OpenID Connect, through mozilla-django-oidc: the authorisation code flow with PKCE, state
and nonce, the ID token's signature checked against the provider's published keys. What is added here:

- the provider's endpoints from its discovery document (OIDC_ISSUER/.well-known/openid-configuration), read
  when first needed and kept for an hour, since the library takes fixed endpoints;
- the ID token's issuer and audience checked as well as its signature, expiry and nonce, by PyJWT (the library
  leaves audience checks off);
- who the person is decided by people/sso.py, and every refusal said on a page of ours, not a bare 400.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from actiontrack.people.sso import sign_in_from_directory

logger = logging.getLogger(__name__)
T = "web/signin/"
_KEPT_FOR = 3600  # seconds the discovery document is kept
_discovered: dict[str, tuple[float, dict]] = {}
SSO_SESSION = "_signed_in_with_sso"


class Refused(Exception):
    """Sign-in through the provider cannot go on; the message says why, for the page."""


def provider_config() -> dict:
    """The provider's discovery document (cached for an hour); Refused if it cannot be read."""
    issuer = settings.OIDC_ISSUER
    kept = _discovered.get(issuer)
    if kept and time.monotonic() - kept[0] < _KEPT_FOR:
        return kept[1]
    unavailable = (f"Sign-in with {settings.OIDC_NAME} is not available at the moment: actiontrack could not reach "
                   "it.")
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID provider discovery failed: %s", exc)
        raise Refused(unavailable) from None
    if config.get("issuer", "").rstrip("/") != issuer:  # OpenID Connect Discovery 1.0, section 4.3
        logger.error("OpenID provider at %s names itself %r", issuer, config.get("issuer"))
        raise Refused(unavailable)
    _discovered[issuer] = (time.monotonic(), config)
    return config


class DirectoryBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints discovered, issuer and audience checked, and the account
    decided by people/sso.py. Password sign-ins pass through it untouched (no code in the request)."""

    def __init__(self, *args, **kwargs):  # the library's reads fixed endpoints from settings: see authenticate
        self.UserModel = auth.get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:
            return None
        config = provider_config()
        self.issuer = config["issuer"]
        self.OIDC_OP_TOKEN_ENDPOINT = config["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = config["userinfo_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = config["jwks_uri"]
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise jwt.InvalidAlgorithmError(f"signed with {algorithm}, not {self.OIDC_RP_SIGN_ALGO}")
            return jwt.decode(payload, key, algorithms=[algorithm], audience=self.OIDC_RP_CLIENT_ID,
                              issuer=self.issuer, leeway=60,
                              options={"require": ["iss", "aud", "exp", "iat", "sub"]})
        except jwt.ExpiredSignatureError:
            raise Refused(f"{settings.OIDC_NAME} sent an answer that had already expired. Sign in again; if this "
                          "keeps happening, check that this server's clock is right.") from None
        except jwt.InvalidAudienceError:
            raise Refused(f"{settings.OIDC_NAME} sent an answer meant for another application.") from None
        except jwt.InvalidIssuerError:
            raise Refused(f"The answer did not come from {settings.OIDC_NAME} as configured "
                          "(OIDC_ISSUER).") from None
        except jwt.PyJWTError as exc:
            logger.warning("ID token refused: %s", exc)
            raise Refused(f"{settings.OIDC_NAME}'s answer could not be verified.") from None

    def verify_token(self, token, **kwargs):
        try:
            return super().verify_token(token, **kwargs)
        except SuspiciousOperation as exc:
            if "Nonce" in str(exc):
                raise Refused(f"{settings.OIDC_NAME}'s answer was for a different sign-in (its nonce does not "
                              "match). Sign in again.") from None
            raise

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):  # OpenID Connect Core 1.0, section 5.3.2
            raise Refused(f"{settings.OIDC_NAME} described a different person than the one who signed in.")
        found = sign_in_from_directory(issuer=self.issuer, provider_name=settings.OIDC_NAME,
                                       claims={**userinfo, **payload}, create_users=settings.OIDC_CREATE_USERS,
                                       now=timezone.now())
        if found.user is None:
            raise Refused(found.refusal)
        return found.user

    def get_user(self, user_id):  # the library's skips the is_active check Django's own makes
        return ModelBackend.get_user(self, user_id)


def refused_page(request, message: str, status: int = 400):
    return render(request, T + "sso_refused.html", {"message": message, "provider": settings.OIDC_NAME,
                                                    "passwords": settings.PASSWORD_LOGIN == "all"}, status=status)


class Start(OIDCAuthenticationRequestView):
    """Off to the provider's sign-in page, with state, nonce and the PKCE challenge kept in the session."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.OIDC_ISSUER:
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider_config()["authorization_endpoint"]
        except Refused as exc:
            return refused_page(request, str(exc), status=503)
        return super().get(request)


class Callback(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in, or a page that says why not."""

    def get(self, request):
        if not settings.OIDC_ISSUER:
            return redirect("login")
        if request.GET.get("error"):
            # Only an answer to a sign-in started in this browser is acted on (the library then forgets its state
            # and signs out whoever is signed in); anyone can send a link with ?error=, so its words are logged,
            # never shown.
            logger.info("the OpenID provider answered with an error: %s %s", request.GET["error"],
                        request.GET.get("error_description", "")[:300])
            if request.GET.get("state", "") in request.session.get("oidc_states", {}):
                super().get(request)
            return refused_page(request, f"{settings.OIDC_NAME} did not sign you in. If you cancelled, sign in "
                                         "again when you are ready.")
        try:
            return super().get(request)
        except Refused as exc:
            return refused_page(request, str(exc))
        except SuspiciousOperation:  # a state not in this session: used already, or from another browser
            return refused_page(request, "This sign-in has already been used, or was started in another browser. "
                                         "Sign in again.")
        except requests.RequestException as exc:
            logger.warning("OpenID provider failed during sign-in: %s", exc)
            return refused_page(request, f"{settings.OIDC_NAME} did not answer as expected, so you are not signed "
                                         "in. Try again in a few minutes.", status=502)

    def login_failure(self):
        return refused_page(self.request, "The sign-in could not be completed: it has expired or was started in "
                                          "another browser. Sign in again.")

    def login_success(self):
        response = super().login_success()
        self.request.session[SSO_SESSION] = True
        return response


def sign_out(request):
    """End the session here; after a single sign-on, offer the provider's own sign-out where it publishes one."""
    if request.method != "POST":
        return redirect("login")
    with_sso = bool(settings.OIDC_ISSUER and request.session.get(SSO_SESSION))
    auth.logout(request)
    if not with_sso:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    provider_logout = ""
    try:
        end_session = provider_config().get("end_session_endpoint")
    except Refused:
        end_session = None
    if end_session:
        provider_logout = end_session + "?" + urlencode({
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("signed_out"))})
    return render(request, T + "signed_out.html", {"provider": settings.OIDC_NAME,
                                                   "provider_logout": provider_logout})


def signed_out(request):
    return render(request, T + "signed_out.html", {"provider": settings.OIDC_NAME, "provider_logout": ""})
