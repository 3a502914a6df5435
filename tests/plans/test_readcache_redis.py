"""The read cache shared through Redis (READ_CACHE_URL, Django's own Redis backend): what one request builds is
served to the next from Redis, and a change is seen at once, as with each worker's own memory. Needs the
`redis` package (`actiontrack[redis]`) and a `redis-server` to start; skipped without them."""

import shutil
import socket
import subprocess
import time

import pytest
from django.utils import timezone

from actiontrack.core.journal import Actor
from actiontrack.plans import services
from actiontrack.plans.models import Plan
from actiontrack.plans.selectors import action_by_ref

redis = pytest.importorskip("redis")
pytestmark = [pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
              pytest.mark.django_db(transaction=True)]  # nothing is kept from inside a transaction


@pytest.fixture
def redis_url(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield client, url
    finally:
        client.close()
        server.terminate()
        server.wait(10)


@pytest.fixture
def shared(settings, redis_url):
    client, url = redis_url
    settings.CACHES = {**settings.CACHES, "readcache": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "test"}}
    return client


def test_a_plan_page_is_kept_in_redis_and_a_change_shows_at_once(shared, signed_in, board_member, plan_manager):
    client = signed_in(board_member)
    first = client.get("/plans/PIP-PR/").content.decode()
    assert "succession planning" in first
    kinds = {key.decode().split(":")[2] for key in shared.keys("test:*")}
    assert {"plan_as_at", "plan_sections"} <= kinds
    assert client.get("/plans/PIP-PR/").content.decode().count("succession planning") == first.count(
        "succession planning")
    action = action_by_ref(Plan.objects.get(reference="PIP-PR"), "3.1")
    services.action_change_text(actor=Actor.of(plan_manager), action=action, text="Reviewed every year.",
                                reason="Clearer", effective_on=timezone.localdate())
    after = client.get("/plans/PIP-PR/").content.decode()
    assert "Reviewed every year." in after and "succession planning" not in after
