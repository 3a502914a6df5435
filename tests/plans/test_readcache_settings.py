"""The read cache's settings (ACTIONTRACK_READ_CACHE_ENTRIES, READ_CACHE_URL): a folder of the data folder shared
by the machine's workers by default, bounded in entries; Redis when a URL is given; off at 0 entries. And its keys:
one name per key, short and the same in every process, so a shared cache serves every app server alike. No
database: these keys carry made-up versions."""

import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from actiontrack.plans import readcache


def read_cache_settings(env: dict) -> subprocess.CompletedProcess:
    """settings.CACHES["readcache"] as a fresh process sees it with `env`, printed."""
    code = "from actiontrack import settings; print(settings.CACHES['readcache'])"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"SECRET_KEY": "k" * 50, "PATH": "/usr/bin:/bin", **env}, check=False)


def test_by_default_the_workers_share_a_bounded_folder_in_the_data_folder(tmp_path):
    result = read_cache_settings({"ACTIONTRACK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "FolderCache" in result.stdout and "'MAX_ENTRIES': 2000" in result.stdout
    assert repr(str(tmp_path / "read-cache")) in result.stdout


def test_a_redis_url_shares_the_cache_and_zero_entries_turns_it_off(tmp_path):
    shared = read_cache_settings({"ACTIONTRACK_DATA_DIR": str(tmp_path), "READ_CACHE_URL": "redis://cache:6379/2"})
    assert "RedisCache" in shared.stdout and "redis://cache:6379/2" in shared.stdout
    off = read_cache_settings({"ACTIONTRACK_DATA_DIR": str(tmp_path), "ACTIONTRACK_READ_CACHE_ENTRIES": "0"})
    assert "DummyCache" in off.stdout


@pytest.mark.parametrize(("env", "message"), [
    ({"READ_CACHE_URL": "memcached://cache:11211"}, "READ_CACHE_URL must be a redis://"),
    ({"ACTIONTRACK_READ_CACHE_ENTRIES": "lots"}, "ACTIONTRACK_READ_CACHE_ENTRIES must be a whole number"),
    ({"ACTIONTRACK_READ_CACHE_MB": "0"}, "ACTIONTRACK_READ_CACHE_MB is no longer read"),
])
def test_a_bad_or_retired_setting_stops_the_start_naming_the_variable(tmp_path, env, message):
    result = read_cache_settings({"ACTIONTRACK_DATA_DIR": str(tmp_path), **env})
    assert result.returncode != 0 and message in result.stderr


def test_a_key_is_named_by_its_kind_and_a_digest_of_the_rest():
    version = (7, datetime(2021, 1, 4, 9, 30, tzinfo=UTC), 12)
    key = ("plan_sections", version, date(2021, 11, 30), True)
    name = readcache.cache_key(key)
    assert name.startswith("plan_sections:") and len(name) < 60 and " " not in name
    assert readcache.cache_key(key) == name
    assert readcache.cache_key(("plan_sections", (7, version[1], 13), date(2021, 11, 30), True)) != name
    assert readcache.cache_key(("plan_as_at", version, date(2021, 11, 30), True)) != name
