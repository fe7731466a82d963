"""Django's Redis cache, failing open: while Redis is unreachable a read is a miss and a write is
dropped, instead of an exception in the middle of a page.

Everything kept in the default cache can be recomputed (Wagtail's site root paths, the page cache,
the layout's generation, rate-limit counters), so an outage must cost speed, never an error page.
Counters (`incr`, `decr`) still raise: their callers decide what an uncounted request means.

After a failure the process stops asking Redis for a few seconds, so a frozen Redis costs one
socket timeout per process and not one per cache call of every request.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5.0


class ReusedClientRedisCacheClient(RedisCacheClient):
    """One redis.Redis object per connection pool, made once. Django makes a new one for every
    cache call, and making it (its table of reply callbacks) costs more CPU than the GET itself
    on a local Redis: seven of them per sign-up. The object is only a handle on the pool, which
    holds the connections, so sharing it changes nothing else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    # Per process: every cache object of the process shares what it learnt about Redis.
    _unreachable_until = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient

    def _available(self) -> bool:
        return time.monotonic() >= FailOpenRedisCache._unreachable_until

    def reachable(self) -> bool:
        """False while the process knows Redis to be unreachable (a call failed lately)."""
        return self._available()

    def _attempt(self, method, args, kwargs, fallback):
        if not self._available():
            return fallback
        try:
            return method(*args, **kwargs)
        except UNREACHABLE:
            FailOpenRedisCache._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("cache: Redis is unreachable; reads miss for %ss", RETRY_AFTER_SECONDS)
            return fallback

    def get(self, key, default=None, version=None):
        return self._attempt(super().get, (key, default, version), {}, default)

    def get_many(self, keys, version=None):
        return self._attempt(super().get_many, (keys, version), {}, {})

    def has_key(self, key, version=None):
        return self._attempt(super().has_key, (key, version), {}, False)

    def set(self, *args, **kwargs):
        return self._attempt(super().set, args, kwargs, None)

    def add(self, *args, **kwargs):
        return self._attempt(super().add, args, kwargs, False)

    def touch(self, *args, **kwargs):
        return self._attempt(super().touch, args, kwargs, False)

    def set_many(self, data, *args, **kwargs):
        return self._attempt(super().set_many, (data, *args), kwargs, list(data))

    def delete(self, *args, **kwargs):
        return self._attempt(super().delete, args, kwargs, False)

    def delete_many(self, *args, **kwargs):
        return self._attempt(super().delete_many, args, kwargs, None)

    def count(self, key, *, start: int = 0, timeout: int | None = None, version=None) -> int:
        """Add one to the counter `key` and return it; a missing key (new, expired, evicted) is
        started at `start`, kept `timeout` seconds (for ever with None). SET NX and INCR go in
        one round trip, where Django's `add` then `incr` make up to three (`incr` checks that
        the key exists first). Raises like `incr`: callers decide what an uncounted hit means."""
        if not self._available():
            raise RedisConnectionError("Redis was unreachable a moment ago")
        key = self.make_and_validate_key(key, version=version)
        try:
            pipeline = self._cache.get_client(key, write=True).pipeline(transaction=False)
            pipeline.set(key, start, nx=True, ex=timeout)
            pipeline.incr(key)
            _started, value = pipeline.execute()
        except UNREACHABLE:
            FailOpenRedisCache._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            raise
        return value

    def incr(self, key, delta=1, version=None):
        if not self._available():
            raise RedisConnectionError("Redis was unreachable a moment ago")
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE:
            FailOpenRedisCache._unreachable_until = time.monotonic() + RETRY_AFTER_SECONDS
            raise
