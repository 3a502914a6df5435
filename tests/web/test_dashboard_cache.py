"""The dashboard's kept content: addresses typed with nonsense in them are answered, but not kept, so they
cannot push out of the read cache what everyone else reads."""

import pytest
from django.core.cache import caches

from actiontrack.plans import readcache

pytestmark = pytest.mark.django_db(transaction=True)  # nothing is kept from inside a transaction


@pytest.fixture
def kinds(monkeypatch):
    """The kinds of value the read cache is asked to store, in order (the cache itself cannot list them)."""
    stored = []
    cache = caches[readcache.ALIAS]
    store = cache.set

    def recording(key, value, *args, **kwargs):
        stored.append(key.split(":", 1)[0])
        return store(key, value, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    return stored


def test_unreadable_dates_and_unknown_filters_are_answered_but_not_kept(signed_in, plan_manager, kinds):
    client = signed_in(plan_manager)
    assert client.get("/plans/PIP-PR/").status_code == 200
    assert client.get("/").status_code == 200
    kept_before = list(kinds)
    assert "home_content" in kept_before and "plan_sections" in kept_before
    for n in range(30):
        assert client.get("/", {"as_at": f"nonsense{n}"}).status_code == 400
        page = client.get("/", {"plan": f"NO-SUCH-{n}"}).content.decode()
        assert "No plan you can see matches these filters." in page
        assert client.get("/", {"source": f"made-up-{n}"}).status_code == 200
    assert kinds.count("home_content") == kept_before.count("home_content")
    assert client.get("/plans/PIP-PR/").status_code == 200
    assert kinds.count("plan_sections") == kept_before.count("plan_sections")  # still kept: not built again


def test_a_readable_date_and_a_real_filter_are_kept(signed_in, board_member, kinds):
    client = signed_in(board_member)
    for written in ["30/11/2021", "2021-11-30"]:  # one date, however it is written: one entry
        page = client.get("/", {"as_at": written, "plan": "PIP-PR"}).content.decode()
        assert "All chosen plans as at 30 November 2021" in page
        assert kinds.count("home_content") == 1
