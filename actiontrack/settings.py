"""The only settings module. Every knob is an environment variable with a safe default; a bad value
stops the app at start with a message naming the variable (DESIGN.md rule 8)."""

import contextlib
import hashlib
import os
import secrets
import sys
from datetime import timedelta
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """The variable's text as set (callers strip it where spaces cannot matter); `default` when it is not set."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false, yes/no, on/off, 1/0; got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but empty; give a comma-separated list, e.g. 'plans.example.org'")
    return items


def env_int(name: str, default: int, *, minimum: int) -> int:
    """A whole number of at least `minimum`."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


DEBUG = env_bool("DEBUG", False)

DATA_DIR = Path(env_str("ACTIONTRACK_DATA_DIR", "actiontrack-data")).expanduser().resolve()
try:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise ImproperlyConfigured(f"ACTIONTRACK_DATA_DIR {str(DATA_DIR)!r} cannot be created: {exc.strerror}") from exc


_SECRET_KEY_SET = env_str("SECRET_KEY").strip()


def _secret_key() -> str:
    key = _SECRET_KEY_SET
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY is too short: use at least 32 random characters")
        return key
    # Otherwise the key kept in the data folder, whatever DEBUG is: every command and server on this folder signs
    # alike, and sessions survive restarts. Several servers share one through SECRET_KEY (docs/deploy.md).
    return _data_folder_key(DATA_DIR / "secret_key")


def _data_folder_key(path: Path) -> str:
    if not path.exists():
        try:
            _create_key(path)
        except OSError as exc:
            raise ImproperlyConfigured(
                f"SECRET_KEY is not set and the data folder's key {str(path)!r} cannot be created: {exc.strerror}. "
                "Run as the user that owns the data folder, or set SECRET_KEY.") from exc
    try:
        key = path.read_text().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"SECRET_KEY is not set and the data folder's key {str(path)!r} cannot be read: "
                                   f"{exc.strerror}. Run as the user that owns the data folder, or set SECRET_KEY."
                                   ) from exc
    if len(key) < 32:
        raise ImproperlyConfigured(f"The key in {str(path)!r} is too short: it must hold at least 32 random "
                                   "characters. Delete it to have a new one made (everyone is signed out).")
    return key


def _create_key(path: Path) -> None:
    """Owner-only from the start (never readable by others, even briefly), and complete before anyone can read it:
    written under a temporary name, then linked into place unless another process made one meanwhile."""
    key = secrets.token_urlsafe(50) + "\n"
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    _write_new(temporary, key)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass  # another command made it first: use theirs
    except OSError:  # a file system without hard links: create it in place
        with contextlib.suppress(FileExistsError):
            _write_new(path, key)
    finally:
        temporary.unlink(missing_ok=True)


def _write_new(path: Path, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


SECRET_KEY = _secret_key()
# Where the key came from, for `actiontrack serve` to say (several servers must share one: docs/deploy.md).
SECRET_KEY_SOURCE = "SECRET_KEY" if _SECRET_KEY_SET else str(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

_database_url = env_str("DATABASE_URL").strip()
if _database_url:
    try:
        # Each worker keeps its connection for a minute and checks it before a request reuses it, so a database
        # restart or fail-over costs no request. Gunicorn's sync workers serve one request at a time, so one
        # kept connection per worker is all a pool would give (docs/deploy.md).
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL I understand: {exc}") from exc
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (SQLite is the default without it)")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "actiontrack.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    "ninja",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "actiontrack.core",
    "actiontrack.people",
    "actiontrack.plans",
    "actiontrack.pages",
    "actiontrack.web",
    "actiontrack.reports",
    "actiontrack.interchange",
    "actiontrack.api",
    "actiontrack.notify",
    "actiontrack.ops",
]

MIDDLEWARE = [
    "actiontrack.ops.middleware.RequestLogMiddleware",
    "actiontrack.ops.middleware.PrivateCacheMiddleware",
    "actiontrack.ops.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "actiontrack.urls"
WSGI_APPLICATION = "actiontrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "actiontrack.pages.context.navigation",
            ],
            "string_if_invalid": "",
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first, so a locked-out username and address is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions in the database (Django's default engine): one primary-key read per request, right on any number of
# app servers. Not cached_db: with each worker's own local-memory cache, a sign-out on one worker would leave
# the session alive in the others' caches.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on with OpenID Connect (web/signin/oidc.py, docs/deploy.md): on when OIDC_ISSUER is set. The
# provider's endpoints come from its discovery document; mozilla-django-oidc runs the authorisation code flow
# with PKCE, state and nonce.
OIDC_ISSUER = env_str("OIDC_ISSUER").strip().rstrip("/")
OIDC_NAME = env_str("OIDC_NAME", "your organisation's account").strip()
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", True)
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID").strip()
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
if OIDC_ISSUER:
    if not OIDC_ISSUER.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"OIDC_ISSUER must be the provider's address, starting with https://, e.g. "
                                   f"https://login.microsoftonline.com/<tenant id>/v2.0; got {OIDC_ISSUER!r}")
    if not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("OIDC_ISSUER is set, so OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be too: the "
                                   "application (client) id and a client secret from the app's registration")
    AUTHENTICATION_BACKENDS.append("actiontrack.web.signin.oidc.DirectoryBackend")
OIDC_RP_SIGN_ALGO = "RS256"  # what Entra ID, Google and Keycloak sign ID tokens with
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10  # seconds: a provider that does not answer gets a clear page, not a hung worker
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
# "all" (anyone with a password may use it) or "admins-only" (with single sign-on, only administrators: the
# break-glass accounts for when the provider is down).
PASSWORD_LOGIN = env_str("PASSWORD_LOGIN", "all").strip()
if PASSWORD_LOGIN not in ("all", "admins-only"):
    raise ImproperlyConfigured(f"PASSWORD_LOGIN must be all or admins-only; got {PASSWORD_LOGIN!r}")
if PASSWORD_LOGIN == "admins-only" and not OIDC_ISSUER:
    raise ImproperlyConfigured("PASSWORD_LOGIN=admins-only needs single sign-on (OIDC_ISSUER): without it, nobody but "
                               "administrators could sign in")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "uploads"

# The file store (actiontrack.core.files): evidence files, issued reports and imports waiting for confirmation.
# A local folder by default (MEDIA_ROOT); Azure Blob Storage or an S3-compatible store (FILE_STORAGE) when
# several app servers share one installation (docs/deploy.md). Names are random, so a file is never renamed on
# a clash: each store overwrites rather than inventing a second name.
FILE_STORAGE = env_str("FILE_STORAGE", "local").lower()


def _file_store(kind: str) -> dict:
    if kind == "local":
        return {"BACKEND": "actiontrack.core.files.DurableFileSystemStorage",  # in MEDIA_ROOT
                "OPTIONS": {"allow_overwrite": True}}
    if kind == "azure":
        container = env_str("AZURE_STORAGE_CONTAINER")
        connection = env_str("AZURE_STORAGE_CONNECTION_STRING")
        if not (container and connection):
            raise ImproperlyConfigured("FILE_STORAGE=azure needs AZURE_STORAGE_CONNECTION_STRING (the storage "
                                       "account's connection string) and AZURE_STORAGE_CONTAINER (a container "
                                       "that exists).")
        return {"BACKEND": "actiontrack.core.azure_store.AzureFileStore", "OPTIONS": {
            "connection_string": connection, "azure_container": container, "overwrite_files": True,
            "location": env_str("FILE_STORAGE_PREFIX")}}
    if kind == "s3":
        bucket = env_str("S3_BUCKET")
        if not bucket:
            raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET (a bucket that exists); the keys come from "
                                       "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role.")
        try:
            from botocore.config import Config
        except ImportError:
            raise ImproperlyConfigured("FILE_STORAGE=s3 needs boto3: pip install 'actiontrack[s3]'") from None
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            # Bounded waits: a store that cannot be reached is said so within seconds, not minutes.
            "client_config": Config(connect_timeout=5, read_timeout=60,
                                    retries={"max_attempts": 3, "mode": "standard"}),
            "bucket_name": bucket, "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None, "file_overwrite": True, "default_acl": "private",
            "querystring_auth": True, "location": env_str("FILE_STORAGE_PREFIX")}}
    raise ImproperlyConfigured(f"FILE_STORAGE must be local, azure or s3; got {kind!r}")


STORAGES = {
    "default": _file_store(FILE_STORAGE),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Evidence files: the largest accepted upload, in megabytes. Uploads above 2.5 MB stream to a temporary file
# rather than memory, so a large upload does not hold a worker's memory.
EVIDENCE_MAX_MB = env_int("ACTIONTRACK_EVIDENCE_MAX_MB", 25, minimum=1)


def _release() -> str:
    """The code's identity, for the read cache's keys: the version, and a digest of the package's code and
    templates, so an upgrade (or a checkout of other code under the same version) never serves pages a cache kept
    from the old code. Reading them costs a few milliseconds, once per process."""
    try:
        version = metadata.version("actiontrack")
    except metadata.PackageNotFoundError:  # run from a source folder that was never installed
        version = "unreleased"
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(p for pattern in ("*.py", "*.html") for p in package.rglob(pattern)):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{version}-{digest.hexdigest()[:12]}"


# The read cache (actiontrack.plans.readcache): what plans show, kept until they change. By default in a folder
# of the data folder shared by the machine's worker processes, so a page is built once after a change rather than
# once in each worker (bench/LOAD.md, session 21), at most READ_CACHE_ENTRIES values; in a cache shared by every
# app server (Redis) with READ_CACHE_URL. 0 entries turns it off (docs/deploy.md).
if "ACTIONTRACK_READ_CACHE_MB" in os.environ:  # replaced, not silently ignored: it may have been set to turn it off
    raise ImproperlyConfigured("ACTIONTRACK_READ_CACHE_MB is no longer read: the read cache is bounded by "
                               "ACTIONTRACK_READ_CACHE_ENTRIES (0 turns it off); see docs/configuration.md")
# About eight values per plan and date shown (the plan, its summary, the table's layout and a part of it for each
# 250 actions, API pages, dashboard parts), and the old versions of changed plans until they are culled: 2,000
# keep a hundred plans of five hundred actions at two dates.
READ_CACHE_ENTRIES = env_int("ACTIONTRACK_READ_CACHE_ENTRIES", 2000, minimum=0)
READ_CACHE_URL = env_str("READ_CACHE_URL").strip()
if not READ_CACHE_ENTRIES:
    _read_cache = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
elif READ_CACHE_URL:
    if not READ_CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"READ_CACHE_URL must be a redis://, rediss:// or unix:// URL, e.g. "
                                   f"redis://cache.internal:6379/1; got {READ_CACHE_URL!r}")
    # Values of a plan's old version are never asked for again: a day's timeout lets them go without an eviction
    # policy. Keys carry the release, so servers of two releases (during a rolling upgrade) never share values.
    _read_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": READ_CACHE_URL,
                   "TIMEOUT": 86_400, "KEY_PREFIX": f"actiontrack-read-{_release()}"}
else:
    # Django's file-based cache: each value one file, written whole and renamed into place, so the workers never
    # see half of one; counted more cheaply (core.folder_cache). When full, a tenth of the files at random are
    # removed (CULL_FREQUENCY; one at a time below ten entries). Keys carry the release, as with Redis.
    _read_cache = {"BACKEND": "actiontrack.core.folder_cache.FolderCache",
                   "LOCATION": str(DATA_DIR / "read-cache"), "TIMEOUT": None,
                   "KEY_PREFIX": f"actiontrack-read-{_release()}",
                   "OPTIONS": {"MAX_ENTRIES": READ_CACHE_ENTRIES, "CULL_FREQUENCY": min(10, READ_CACHE_ENTRIES)}}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "readcache": _read_cache,
}

# Background jobs (actiontrack.core.background): Django's tasks framework (the django-tasks backport) with its
# database backend, so there is no broker to run: `actiontrack worker`, which `actiontrack serve` starts, does
# them. "immediate" runs each within the request that asks for it (the tests; a one-process installation that
# wants no worker, at the cost of slow requests).
TASK_BACKEND = env_str("ACTIONTRACK_TASK_BACKEND", "database").strip()
_TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend",
                  "immediate": "django_tasks.backends.immediate.ImmediateBackend"}
if TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"ACTIONTRACK_TASK_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; "
                               f"got {TASK_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_BACKEND]}}
# Whether `actiontrack serve` starts a worker beside the web server (ops/gunicorn_hooks.py).
RUN_WORKER = env_bool("ACTIONTRACK_WORKER", True)

# Imports (docs/import-export.md): limits on what a file may hold before it is read at all.
IMPORT_MAX_MB = env_int("ACTIONTRACK_IMPORT_MAX_MB", 20, minimum=1)
IMPORT_MAX_ROWS = env_int("ACTIONTRACK_IMPORT_MAX_ROWS", 10000, minimum=1)
IMPORT_MAX_UNPACKED_MB = env_int("ACTIONTRACK_IMPORT_MAX_UNPACKED_MB", 200, minimum=1)
IMPORT_MAX_ZIP_RATIO = env_int("ACTIONTRACK_IMPORT_MAX_ZIP_RATIO", 100, minimum=10)
# Downloads of plans this large (in actions) are prepared by the worker rather than in the request: an Excel
# tracker of 2,000 actions takes about a second to write (interchange/exporting/jobs.py).
EXPORT_IN_BACKGROUND_FROM = env_int("ACTIONTRACK_EXPORT_IN_BACKGROUND_FROM", 2000, minimum=1)
# Nothing is served from MEDIA_ROOT by URL (evidence downloads go through a permission check); a prefix keeps
# test servers from serving the data folder at the site root.
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_PERMISSIONS = 0o640

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Load balancers ask for /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SERVE_STATIC = env_bool("ACTIONTRACK_SERVE_STATIC", True)

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)

# Preloading HSTS is a decision for whoever owns the whole domain, not for this app, so `check --deploy`
# does not warn that it is off. SECURE_HSTS_PRELOAD=true turns it on.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Behind a reverse proxy that ends TLS, Django sees plain HTTP: trust the proxy's X-Forwarded-Proto header,
# or SECURE_SSL_REDIRECT would redirect for ever. Only when the proxy sets (and overwrites) that header.
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _csrf_trusted_origins(raw: str) -> list[str]:
    origins = [item.strip() for item in raw.split(",") if item.strip()]
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in {"https", "http"} or not parts.netloc or not origin.startswith(f"{parts.scheme}://"):
            raise ImproperlyConfigured(
                f"CSRF_TRUSTED_ORIGINS: {origin!r} must start with https:// (or http://), e.g. https://plans.example.org"
            )
        if parts.path or parts.query or parts.fragment:
            raise ImproperlyConfigured(
                f"CSRF_TRUSTED_ORIGINS: {origin!r} must be an origin only, with no path or trailing slash, "
                f"e.g. {parts.scheme}://{parts.netloc}"
            )
    return origins


CSRF_TRUSTED_ORIGINS = _csrf_trusted_origins(env_str("CSRF_TRUSTED_ORIGINS"))

# Content Security Policy (django-csp): everything from this site only; no inline script or style, no plugins,
# no framing. htmx is a script file, and base.html turns off its inline indicator styles and eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username from one
# address, that username is refused from that address for AXES_COOLOFF_MINUTES, with web/locked_out.html.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True  # the lock-out page says that trying again restarts the wait
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind reverse proxies the address the app sees is the nearest proxy's, and one lock would then apply to a
# username from everywhere. TRUSTED_PROXY_COUNT proxies that each append to X-Forwarded-For: the client is the
# address that many entries from the right, as the nearest proxy saw it (entries further left can be forged).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "actiontrack.pages.client.client_address"
# An e-mailed link to set a password ("Forgotten your password?", or sent by an administrator) works once,
# for this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_LINK_HOURS", 72, minimum=1) * 3600

# Email (reminders; docs/reminders.md): Django's SMTP backend, configured from the environment.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: TLS is for port 587, SSL for 465")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "actiontrack@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_str("SITE_URL", "http://localhost:8000").strip().rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"SITE_URL must start with https:// (or http://), e.g. https://plans.example.org; got {SITE_URL!r}")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}")

LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json; got {LOG_FORMAT!r}")

# In a terminal a command prints its own output only: its job line goes to the log file in the data folder (and to
# the terminal as well with -v). Under systemd, cron or a container standard error is the log, and gets every line.
LOG_FILE = DATA_DIR / "actiontrack.log"
_IN_TERMINAL = sys.stderr is not None and sys.stderr.isatty()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "actiontrack.core.logs.PlainFormatter",
                  "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "actiontrack.core.logs.JsonFormatter"},
    },
    "filters": {"terminal": {"()": "actiontrack.core.logs.TerminalFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                    "filters": ["terminal"] if _IN_TERMINAL else []},
        "job_file": {"()": "actiontrack.core.logs.JobFile", "filename": str(LOG_FILE), "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Our request log replaces Django's own line per request.
    "loggers": {"django.server": {"level": "WARNING"}, "django.request": {"level": "ERROR"},
                # django-axes announces itself at INFO on every start, which would clutter every job.
                "axes": {"level": "WARNING"},
                "actiontrack.job": {"handlers": ["job_file"] if _IN_TERMINAL else []}},
}
