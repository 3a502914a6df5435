"""Loaded by pytest with `-p actiontrack.pytest_env` (see pyproject.toml), before Django reads its
settings, so a plain `pytest` gets what a real start needs: a throwaway data folder and a secret key.
Values already in the environment (e.g. DATABASE_URL from .ci/run) are kept."""

import os
import tempfile

os.environ.setdefault("ACTIONTRACK_DATA_DIR", tempfile.mkdtemp(prefix="actiontrack-test-"))
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
# Production settings, but the test client and the live server speak plain HTTP: no redirect to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Background jobs run within the request that asks for them, so a test sees their outcome at once; the worker
# itself is tested with the database backend (tests/core/test_background_worker.py).
os.environ.setdefault("ACTIONTRACK_TASK_BACKEND", "immediate")
