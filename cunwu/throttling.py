"""Per-client rate limits for public endpoints and login; limits come from settings.RATE_LIMITS."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from cunwu.audit.middleware import client_ip
from cunwu.errors import DomainError


class RateLimited(DomainError):
    status = 429
    default_code = "rate_limited"


def check_rate(request: HttpRequest, bucket: str) -> None:
    """Fixed one-minute window per client address; raises RateLimited past the bucket's limit."""
    if not settings.RATE_LIMIT_ENABLED:
        return
    limit = settings.RATE_LIMITS[bucket]
    window = int(time.time() // 60)
    key = f"rl:{bucket}:{client_ip(request)}:{window}"
    if cache.add(key, 1, timeout=70):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=70)
            count = 1
    if count > limit:
        raise RateLimited("请求过于频繁，请稍后再试。")


def rate_limited(bucket: str):  # type: ignore[no-untyped-def]
    """Decorator for views and API operations (the request is the first argument)."""
    from functools import wraps

    def deco(fn):  # type: ignore[no-untyped-def]
        @wraps(fn)
        def wrapper(request, *args, **kwargs):  # type: ignore[no-untyped-def]
            check_rate(request, bucket)
            return fn(request, *args, **kwargs)

        return wrapper

    return deco
