"""One real round trip through Django's Redis cache backend and the cached_db sessions that
REDIS_URL switches on (the settings themselves are tested in test_settings.py). Skipped, saying
why, when no Redis answers at REDIS_URL or 127.0.0.1:6379."""

import os
import socket
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.cache.backends.redis import RedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def _redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(REDIS_URL), reason=f"no Redis answers at {REDIS_URL} (start redis-server to run this test)"
)


@pytest.fixture
def redis_cache(settings):
    """The cache exactly as settings.py configures it with REDIS_URL, under a key prefix of its
    own so parallel runs and other engineers' data are never touched."""
    prefix = f"brugwijzer-test-{uuid.uuid4().hex}"
    cache = RedisCache(
        REDIS_URL,
        {"KEY_PREFIX": prefix, "TIMEOUT": 60, "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}},
    )
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    cache.close()


def test_a_value_goes_to_redis_and_comes_back(redis_cache):
    redis_cache.set("round-trip", {"ok": True, "n": 3})
    assert redis_cache.get("round-trip") == {"ok": True, "n": 3}
    assert redis_cache._cache.get_client().exists(redis_cache.make_and_validate_key("round-trip")) == 1
    redis_cache.delete("round-trip")
    assert redis_cache.get("round-trip") is None


@pytest.mark.django_db
def test_a_cached_db_session_is_read_back_from_redis_and_kept_in_the_database(redis_cache, monkeypatch):
    from django.contrib.sessions.backends import cached_db
    from django.contrib.sessions.models import Session

    monkeypatch.setattr(cached_db, "caches", {"default": redis_cache})
    store = cached_db.SessionStore()
    store["brugwijzer_login_at"] = 1
    store.save()

    assert Session.objects.filter(session_key=store.session_key).exists()
    assert redis_cache.get(cached_db.KEY_PREFIX + store.session_key) is not None
    assert cached_db.SessionStore(session_key=store.session_key)["brugwijzer_login_at"] == 1
