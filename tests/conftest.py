"""Named personas on the demo plan, shared by service, web and browser tests."""

import pytest
from django.contrib.auth import get_user_model

from tests.demo_rows import capture, restore

pytest_plugins = ["tests.servers.smtp", "tests.servers.receiver"]  # a real SMTP server; a real HTTP receiver


@pytest.fixture(scope="session")
def demo_rows(django_db_setup, django_db_blocker):
    """The rows the demo loader writes, captured once per test process (see tests/demo_rows.py)."""
    with django_db_blocker.unblock():
        return capture()


@pytest.fixture
def demo(db, demo_rows):
    """The demo plan, built from the two source documents, with its users."""
    return restore(demo_rows)


def _user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def plan_manager(demo):
    return _user("pmo")


@pytest.fixture
def owner(demo):
    """Chris Parker, Head of Prevention and Protection from 1 October 2021."""
    return _user("cparker")


@pytest.fixture
def board_member(demo):
    return _user("board")


@pytest.fixture
def verifier(demo):
    """Sam Okafor, assurance lead: verifier of the demo plan, owner of nothing."""
    return _user("verifier")


@pytest.fixture
def other_owner(demo):
    """Gary Earwicker, Head of Protection: owns 2.2 and 6.1, not the Head of Prevention and Protection's."""
    return _user("earwicker")


@pytest.fixture
def administrator(db):
    """Manages users, roles and posts; no role on any plan."""
    return get_user_model().objects.create_user("admin", password="an administrator's long password",
                                                first_name="Ada", last_name="Admin", is_staff=True)


@pytest.fixture
def outsider(db):
    """Signed in, but with no role on any plan and no post: must see nothing of the demo plan."""
    return get_user_model().objects.create_user("outsider", password="an outsider's long password")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo creates five users per test; real PBKDF2 would make that the slowest part of the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def read_cache_of_this_process(tmp_path_factory):
    """The read cache's folder is shared by a machine's workers, but each test process has databases of its own
    whose ids overlap (xdist workers share one data folder): each process gets a folder of its own."""
    from django.conf import settings
    from django.test import override_settings

    read_cache = settings.CACHES["readcache"]
    if not read_cache["BACKEND"].endswith("FolderCache"):
        yield
        return
    own = {**read_cache, "LOCATION": str(tmp_path_factory.mktemp("read-cache"))}
    with override_settings(CACHES={**settings.CACHES, "readcache": own}):
        yield


@pytest.fixture(autouse=True)
def empty_read_cache(read_cache_of_this_process):
    """Each test's database is rolled back afterwards and ids may be reused, so reads kept by one test must
    not be served to the next."""
    from actiontrack.plans import readcache

    readcache.clear()
    yield
    readcache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """One PostgreSQL test database per test run, so two runs on one server (CI, a developer, a benchmark)
    never drop each other's database."""
    import os

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = f"test_actiontrack_{os.getpid()}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, and before it drops the PostgreSQL test database, an end to any other session still on it.
    Once in CI (session 35) the drop was refused, "being accessed by other users", after every test had passed: a
    connection outlived the tests. Which one was not found; the likeliest is a live server thread's, which keeps
    its database connection while a browser keeps its HTTP connection to it open. The tests' own databases are
    dropped WITH (FORCE) for the same reason (tests/ops/installations.py)."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
