"""The shared cache's counters (rate limits, the page cache's generations): one round trip
each, a missing key started where the caller says, and an unreachable Redis raised to the
caller, who decides what an uncounted hit means. A throwaway redis-server."""

import pytest
import redis

from config.cache import FailOpenRedisCache
from config.settings import base as base_settings
from tests.support.redis_server import RedisServer


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(FailOpenRedisCache, "_unreachable_until", 0.0)
    server = RedisServer().start()
    yield server
    server.close()


def cache_on(server) -> FailOpenRedisCache:
    params = base_settings.redis_cache(server.url)
    return FailOpenRedisCache(params["LOCATION"], params)


def test_a_counter_starts_where_asked_and_keeps_its_lifetime(server):
    cache = cache_on(server)
    assert [cache.count("hits", timeout=60) for _ in range(3)] == [1, 2, 3]
    assert cache.get("hits") == 3
    assert 0 < redis.Redis.from_url(server.url).ttl(cache.make_key("hits")) <= 60

    assert cache.count("generation", start=1_000) == 1_001
    assert cache.count("generation", start=5_000) == 1_002  # started once, then counted
    assert redis.Redis.from_url(server.url).ttl(cache.make_key("generation")) == -1  # for ever


def test_an_unreachable_redis_is_raised_and_remembered(server):
    cache = cache_on(server)
    server.stop()
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.count("hits")
    assert not cache.reachable()
    assert cache.get("hits") is None  # reads miss meanwhile, without waiting for Redis
