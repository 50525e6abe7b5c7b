"""Fixed-window rate limits counted in the cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (same proxy settings)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def rate_limit_consume(*, scope: str, key: str, limit: int) -> bool:
    """Count one more use of `scope` by `key`; False once `limit` is exceeded."""
    window = settings.RATE_LIMIT_WINDOW_SECONDS
    cache_key = f"ratelimit:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The entry expired between add and incr: this use opens a new window.
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
