"""Per-client rate limits for public endpoints and login; limits come from settings.RATE_LIMITS."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cunwu.clientip import client_ip
from cunwu.errors import DomainError


class RateLimited(DomainError):
    status = 429
    default_code = "rate_limited"


def _count(key: str) -> int | None:
    """Increment a counter that lives two windows, creating it when missing."""
    if cache.add(key, 1, timeout=130):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=130)
        return 1


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
    current = _count(f"{prefix}{int(window)}")
    if current is None:  # the shared cache (Redis) is down: fail open; django-redis logged a warning
        return
    previous = cache.get(f"{prefix}{int(window) - 1}") or 0
    if previous * (1 - into / 60) + current > limit:
        raise RateLimited("请求过于频繁，请稍后再试。")
