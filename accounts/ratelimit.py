"""Fixed-window rate limits counted in the cache (Redis in production)."""

import datetime
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600}


def client_ip(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (same proxy settings)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def lockout_retry_after(
    request: HttpRequest, credentials: dict[str, Any] | None
) -> int:
    """Seconds until django-axes lets this username+address try again (for
    Retry-After): the cool-off counted from the newest failure on record, which
    attempts made during the lockout do not move (settings)."""
    from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
    from axes.models import AccessAttempt

    cool_off = get_cool_off(request) or datetime.timedelta(0)
    attempts = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials)
    )
    # As axes recorded it: no address at all is NULL (client_ip's "unknown" is
    # for cache keys, not an address the database would take).
    address = getattr(request, "axes_ip_address", None) or get_client_ip_address(
        request
    )
    if address:
        attempts = attempts.filter(ip_address=address)
    else:
        attempts = attempts.filter(ip_address__isnull=True)
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    ends = (last or timezone.now()) + cool_off
    return max(1, math.ceil((ends - timezone.now()).total_seconds()))


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/min" -> (20, 60): uses allowed per window of seconds (DRF's notation:
    s, sec, m, min, h, hour, day)."""
    count, _slash, period = rate.partition("/")
    seconds = 86400 if period.startswith("d") else _PERIODS.get(period)
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"bad rate {rate!r}: write e.g. 20/min")
    return int(count), seconds


def rate_limit_hit(
    *, scope: str, key: str, limit: int, window: int | None = None
) -> int | None:
    """Count one more use of `scope` by `key`: None while within `limit` uses per
    window (RATE_LIMIT_WINDOW_SECONDS unless given), else the seconds until the
    window ends (for Retry-After)."""
    window = window or settings.RATE_LIMIT_WINDOW_SECONDS
    cache_key = f"ratelimit:{scope}:{key}"
    counted = _redis_hit(cache_key, window)
    if counted is not None:
        count, left = counted
        return None if count <= limit else max(1, left)
    ends_key = f"{cache_key}:ends"
    now = time.time()
    if cache.add(cache_key, 0, timeout=window):
        cache.set(ends_key, now + window, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The entry expired between add and incr: this use opens a new window.
        cache.set(cache_key, 1, timeout=window)
        cache.set(ends_key, now + window, timeout=window)
        count = 1
    if count <= limit:
        return None
    ends = cache.get(ends_key) or now + window
    return max(1, math.ceil(float(ends) - now))


def _redis_hit(cache_key: str, window: int) -> tuple[int, int] | None:
    """On Redis, the count and the seconds left in one round trip (the public
    tracking page counts every lookup: three round trips were a tenth of its
    time, docs/benchmarks.md); None on another cache, which counts as above."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    name = backend.make_and_validate_key(cache_key)
    client = backend._cache.get_client(name, write=True)
    with client.pipeline(transaction=True) as pipe:
        pipe.set(name, 0, ex=window, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _opened, count, left = pipe.execute()
    if left < 0:
        # Expired between the two: INCR made a key without an end.
        client.expire(name, window)
        left = window
    return int(count), int(left)


def rate_limit_hit_per_address(
    request: HttpRequest, *, scope: str, rate: str
) -> int | None:
    """`rate_limit_hit` for the client's address at a rate such as "20/min"."""
    limit, window = parse_rate(rate)
    return rate_limit_hit(
        scope=scope, key=client_ip(request), limit=limit, window=window
    )


def rate_limit_consume(*, scope: str, key: str, limit: int) -> bool:
    """Count one more use of `scope` by `key`; False once `limit` is exceeded."""
    return rate_limit_hit(scope=scope, key=key, limit=limit) is None


def rate_limited_response(
    request: HttpRequest, *, retry_after: int | None = None
) -> HttpResponse:
    """The 429 page: in the visitor's language, with when to try again."""
    seconds = retry_after or settings.RATE_LIMIT_WINDOW_SECONDS
    response = render(
        request,
        "accounts/rate_limited.html",
        {"minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
