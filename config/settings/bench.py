"""Benchmarks (`make bench`): the production settings as they are (Secure cookies, HSTS, the
redirect of plain HTTP), served on loopback behind the `X-Forwarded-Proto: https` and
`X-Forwarded-For` a proxy sends (benchmarks/harness.py)."""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
# One proxy in front, as in deploy/: the rate limits count the visitor's address it forwards.
os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
# Uncached rendering unless a scenario turns the page cache on (benchmarks/page_cache.py): the
# other scenarios measure what a page costs to make.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")

from config.settings.production import *  # noqa: E402,F403

LOGGING["root"]["level"] = "WARNING"  # noqa: F405
