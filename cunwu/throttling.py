"""Per-client rate limits for public endpoints and login; limits come from settings.RATE_LIMITS."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest

from cunwu.clientip import client_ip
from cunwu.errors import DomainError

logger = logging.getLogger(__name__)

# A counter lives two windows: the current minute's and, weighted, the previous one's.
_COUNTER_TTL = 130


class RateLimited(DomainError):
    status = 429
    default_code = "rate_limited"


def _count(key: str) -> int | None:
    """Increment a counter that lives two windows, creating it when missing."""
    if cache.add(key, 1, timeout=_COUNTER_TTL):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_COUNTER_TTL)
        return 1


def _counts(current_key: str, previous_key: str) -> tuple[int, int] | None:
    """(this window's count after counting this request, the previous window's); None when Redis is down.

    With Redis the three commands go in one pipeline: one round trip per request instead of three
    (add, incr, get), which was half of the verification API's time under `make run-pg`
    (docs/benchmarks.md). The keys and values are django-redis's own, so `cache.get` reads them.
    """
    if _redis_cache():
        from django_redis import get_redis_connection
        from redis.exceptions import RedisError

        current, previous = cache.make_key(current_key), cache.make_key(previous_key)
        pipe = get_redis_connection("default").pipeline(transaction=False)
        pipe.set(current, 0, ex=_COUNTER_TTL, nx=True)
        pipe.incr(current)
        pipe.get(previous)
        try:
            _, count, before = pipe.execute()
        except RedisError as exc:
            logger.warning("Redis unavailable, rate limit not enforced (fail open): %s", exc)
            return None
        return int(count), int(before or 0)
    count = _count(current_key)
    if count is None:
        return None
    return count, cache.get(previous_key) or 0


def _redis_cache() -> bool:
    from django_redis.cache import RedisCache

    return isinstance(caches["default"], RedisCache)


def check_rate(request: HttpRequest, bucket: str, *, now: float | None = None) -> None:
    """Sliding one-minute window per client address; raises RateLimited past the bucket's limit.

    The previous minute's count is weighted by how much of it still lies within the last 60 s,
    so a client cannot double its allowance by straddling the turn of a minute.
    """
    if not settings.RATE_LIMIT_ENABLED:
        return
    limit = settings.RATE_LIMITS[bucket]
    now = time.time() if now is None else now
    window, into = divmod(now, 60)
    prefix = f"rl:{bucket}:{client_ip(request)}:"
    counts = _counts(f"{prefix}{int(window)}", f"{prefix}{int(window) - 1}")
    if counts is None:  # the shared cache (Redis) is down: fail open, with a logged warning
        return
    current, previous = counts
    if previous * (1 - into / 60) + current > limit:
        raise RateLimited("请求过于频繁，请稍后再试。")
