"""The read-cache tests' fixtures: what the cache stores is recorded for every test; an API client."""

from tests.plans.readcache.helpers import api, stored  # noqa: F401 (fixtures)
