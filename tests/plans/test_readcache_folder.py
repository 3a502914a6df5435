"""The default read cache: a folder shared by the machine's worker processes. What one process built is read by
another, so after a change each page is built once rather than once in every worker. Bounded in entries, and
counted cheaply on each write (core.folder_cache)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches

from actiontrack.core import folder_cache
from actiontrack.core.folder_cache import COUNT_EVERY, FolderCache
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
    assert read_cache["BACKEND"].endswith("FolderCache")
    signed_in(board_member).get("/plans/PIP-PR/")
    sections = [name for name in stored_names if name.startswith("plan_sections:")]
    assert sections, "the plan page kept nothing in the read cache"
    part = sections[-1]  # the table's layout first, then its part(s), the sections' HTML
    ours = caches[readcache.ALIAS].get(part)
    theirs = subprocess.run([sys.executable, "-c", READ_IN_ANOTHER_PROCESS, read_cache["LOCATION"], part],
                            capture_output=True, text=True, check=False)
    assert theirs.returncode == 0, theirs.stderr
    assert "succession planning" in str(ours) and "succession planning" in theirs.stdout


@pytest.mark.parametrize("bound", [100, 20])
def test_a_full_folder_makes_room_a_tenth_at_a_time_and_stays_near_its_bound(tmp_path, bound):
    """Each process counts a folder of 100 values or more on one write in COUNT_EVERY, so it may hold fewer than
    COUNT_EVERY more; a smaller one on every write."""
    most = bound + COUNT_EVERY - 1 if bound >= 100 else bound
    folder = FolderCache(str(tmp_path), {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": bound, "CULL_FREQUENCY": 10}})
    for n in range(bound):
        folder.set(f"old-{n}", n)
    assert len(list(tmp_path.iterdir())) == bound
    for n in range(500):
        folder.set(f"newer-{n}", n)
        assert len(list(tmp_path.iterdir())) <= most
    assert folder.get("newer-499") == 499
    assert sum(folder.has_key(f"old-{n}") for n in range(bound)) < bound, "nothing old was culled"


def test_a_write_to_a_folder_with_room_lists_no_file_and_counts_one_time_in_ten(tmp_path, monkeypatch):
    """What the class is for: Django lists every file's path on every write (3.4 ms at 2,000 files, bench/LOAD.md);
    while there is room, one write in COUNT_EVERY counts the names, and nothing more."""
    folder = FolderCache(str(tmp_path), {"TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 500, "CULL_FREQUENCY": 10}})
    monkeypatch.setattr(folder, "_list_cache_files", lambda: pytest.fail("the folder was listed with room in it"))
    counts, listdir = [], os.listdir
    monkeypatch.setattr(folder_cache.os, "listdir", lambda path: counts.append(path) or listdir(path))
    for n in range(100):
        folder.set(f"value-{n}", n)
    assert folder.get("value-99") == 99 and len(counts) == 100 // COUNT_EVERY


def test_values_are_compressed_at_the_fastest_level_in_djangos_format(tmp_path):
    """The plan's table and the plan as at a date are written at zlib's fastest level (core.folder_cache), and the
    file is still what Django's own FileBasedCache reads: what one version of the app wrote, another reads."""
    import pickle
    import zlib

    from django.core.cache.backends.filebased import FileBasedCache

    table = {n: (None, b"<tr><td>Do the work</td></tr>" * 200) for n in range(40)}
    folder = FolderCache(str(tmp_path), {"TIMEOUT": None})
    folder.set("table", table)
    (written,) = tmp_path.iterdir()
    with open(written, "rb") as file:
        pickle.load(file)  # the expiry, first, as Django writes it
        assert file.read() == zlib.compress(pickle.dumps(table, folder.pickle_protocol), folder_cache.LEVEL)
    assert FileBasedCache(str(tmp_path), {"TIMEOUT": None}).get("table") == table
    django_written = FileBasedCache(str(tmp_path / "django"), {"TIMEOUT": None})
    django_written.set("table", table)
    assert FolderCache(str(tmp_path / "django"), {"TIMEOUT": None}).get("table") == table
