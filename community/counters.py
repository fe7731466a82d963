"""Counters in the default cache (rate limits, the page cache's generations), one place for how
a counter is kept: on Redis one pipelined SET NX + INCR (config.cache.FailOpenRedisCache.count),
elsewhere (local memory) Django's add then incr."""

from django.core.cache import cache


def count(key: str, *, start: int = 0, timeout: int | None = None) -> int:
    """Add one to the counter `key` and return it; a missing key (new, expired, evicted) is
    started at `start`, kept `timeout` seconds (for ever with None). Raises what the cache
    raises when it cannot count: callers decide what an uncounted hit means."""
    if hasattr(cache, "count"):  # Redis: one round trip
        return cache.count(key, start=start, timeout=timeout)
    if cache.add(key, start + 1, timeout=timeout):
        return start + 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, start + 1, timeout=timeout)
        return start + 1
