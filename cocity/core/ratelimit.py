"""A fixed-window rate limiter over Django's cache (shared across processes with the DB cache)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    # Behind a proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is not trusted here because any client can forge it.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def is_limited(scope: str, key: str) -> bool:
    """Count one hit for ``key`` in ``scope``; True once the scope's limit is passed."""
    limit, window = settings.COCITY_RATE_LIMITS[scope]
    bucket = int(time.time() // window)
    cache_key = f"rl:{scope}:{key}:{bucket}"
    added = cache.add(cache_key, 1, timeout=window + 1)
    count = 1 if added else cache.incr(cache_key)
    return count > limit
