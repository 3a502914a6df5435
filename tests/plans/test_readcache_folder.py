"""The default read cache: a folder shared by the machine's worker processes. What one process built is read by
another, so after a change each page is built once rather than once in every worker."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches

from actiontrack.plans import readcache

pytestmark = pytest.mark.django_db(transaction=True)  # nothing is kept from inside a transaction

READ_IN_ANOTHER_PROCESS = """
import os, sys
import django
from django.conf import settings
os.environ["DJANGO_SETTINGS_MODULE"] = "actiontrack.settings"
django.setup()
settings.CACHES["readcache"]["LOCATION"] = sys.argv[1]  # this test process's own folder (tests/conftest.py)
from django.core.cache import caches
print(caches["readcache"].get(sys.argv[2]))
"""


@pytest.fixture
def stored_names(monkeypatch):
    """The names of the values the read cache is asked to store (on disk it keeps only digests of them)."""
    names, cache = [], caches[readcache.ALIAS]
    store = cache.set

    def recording(key, value, *args, **kwargs):
        names.append(key)
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    return names


def test_a_plan_page_kept_by_one_worker_is_read_by_another(stored_names, signed_in, board_member):
    read_cache = settings.CACHES["readcache"]
    assert read_cache["BACKEND"].endswith("FileBasedCache")
    signed_in(board_member).get("/plans/PIP-PR/")
    sections = [name for name in stored_names if name.startswith("plan_sections:")]
    assert sections, "the plan page kept nothing in the read cache"
    part = sections[-1]  # the table's layout first, then its part(s), the sections' HTML
    ours = caches[readcache.ALIAS].get(part)
    theirs = subprocess.run([sys.executable, "-c", READ_IN_ANOTHER_PROCESS, read_cache["LOCATION"], part],
                            capture_output=True, text=True, check=False)
    assert theirs.returncode == 0, theirs.stderr
    assert "succession planning" in str(ours) and "succession planning" in theirs.stdout
