"""Rate limits on votes and statements that cost (almost) nothing per vote.

The core limiter (:mod:`cocity.core.ratelimit`) counts every hit in the shared cache. In
production that cache is the database, and a vote would then cost three or four more queries
than the vote itself (a cache read and write per scope). Votes come in bursts of hundreds a
second, so this limiter has two tiers:

1. **A token bucket in the process's memory**, per scope and key (participant or address):
   ``limit`` tokens, refilled at ``limit / window`` a second. It decides every hit, with no I/O.
2. **A shared fixed-window count in the cache**, so a client spreading its requests over
   several web processes (or machines) is still held to the limit. Each process adds its hits
   to the shared count in batches of a tenth of the limit, so the cache is written once per
   ``limit / 10`` hits of one key in one process instead of on every hit. When the shared count
   passes the limit, the key is refused in that process until the window ends.

With ``P`` processes a client can get at most about ``limit * (1 + P / 10)`` hits a window
before every process refuses it: the price of not touching the database on each vote.
Limits are ``settings.COCITY_RATE_LIMITS[scope] = (hits, seconds)``.

``settings.COCITY_VOTE_LIMITER = "shared"`` counts every hit in the cache instead (exact
across processes, a cache write per hit and scope); the load test measures both.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {
    # A person reads a statement before voting: 120 a minute is far above any human pace.
    "vote_participant": (120, 60),
    # One address can be a whole workshop (or a library) on one wifi.
    "vote_address": (3000, 60),
    "statement_participant": (5, 600),
    "statement_address": (60, 600),
    # New anonymous participants from one address (a bot minting identities to stuff votes).
    "participant_address": (60, 3600),
}
PRUNE_EVERY = 10_000


@dataclass(slots=True)
class _Entry:
    tokens: float
    stamp: float
    pending: int = 0
    window: int = -1
    blocked_until: float = 0.0


class HybridLimiter:
    """Per-process token buckets with a batched shared count (see the module docstring)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str, int, int], _Entry] = {}
        self._lock = threading.Lock()
        self._hits = 0

    def reset(self) -> None:
        with self._lock:
            self._entries.clear()

    def hit(self, scope: str, key: str) -> bool:
        """Count one hit; True when ``key`` is over the limit of ``scope`` (refuse it)."""
        limit, window = limits_for(scope)
        now = time.time()
        flush: tuple[str, int, int] | None = None
        with self._lock:
            entry = self._entries.get((scope, key, limit, window))
            if entry is None:
                entry = _Entry(tokens=float(limit), stamp=now)
                self._entries[(scope, key, limit, window)] = entry
            self._hits += 1
            if self._hits % PRUNE_EVERY == 0:
                self._prune(now)
            if now < entry.blocked_until:
                return True
            entry.tokens = min(float(limit), entry.tokens + (now - entry.stamp) * limit / window)
            entry.stamp = now
            if entry.tokens < 1.0:
                return True
            entry.tokens -= 1.0
            bucket = int(now // window)
            if bucket != entry.window:
                entry.window, entry.pending = bucket, 0
            entry.pending += 1
            if entry.pending >= max(1, limit // 10):
                flush = (f"rlh:{scope}:{key}:{bucket}", entry.pending, bucket)
                entry.pending = 0
        if flush is None:
            return False
        cache_key, count, bucket = flush
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            total = cache.incr(cache_key, count)
        except ValueError:  # expired between add and incr: start the window again
            cache.set(cache_key, count, timeout=window + 1)
            total = count
        if total > limit:
            with self._lock:
                entry.blocked_until = (bucket + 1) * window
            return True
        return False

    def _prune(self, now: float) -> None:
        """Forget keys whose bucket is full again (they would start afresh anyway)."""
        stale = [
            k
            for k, e in self._entries.items()
            if now - e.stamp > k[3] and now >= e.blocked_until and e.pending == 0
        ]
        for k in stale:
            del self._entries[k]


def limits_for(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "COCITY_RATE_LIMITS", {})
    limit, window = configured.get(scope, DEFAULTS[scope])
    return int(limit), int(window)


limiter = HybridLimiter()


def _shared_hit(scope: str, key: str) -> bool:
    limit, window = limits_for(scope)
    cache_key = f"rls:{scope}:{key}:{int(time.time() // window)}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return limit < 1
    try:
        return cache.incr(cache_key) > limit
    except ValueError:
        cache.set(cache_key, 1, timeout=window + 1)
        return limit < 1


def is_limited(scope: str, key: str) -> bool:
    """Count one hit of ``key`` in ``scope``; True when it is over the limit (refuse it)."""
    if getattr(settings, "COCITY_VOTE_LIMITER", "hybrid") == "shared":
        return _shared_hit(scope, key)
    return limiter.hit(scope, key)


def retry_after(scope: str) -> int:
    """Seconds a refused client should wait: the time one token takes to come back."""
    limit, window = limits_for(scope)
    return max(1, int(window / max(limit, 1)) + 1)
