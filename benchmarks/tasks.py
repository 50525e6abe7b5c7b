"""The raw Celery chain the linked chains are measured against: no-op tasks,
the last of which counts the chain as done in Redis."""

from typing import Any

import redis
from celery import shared_task
from django.conf import settings


@shared_task(name="benchmarks.noop")
def noop(*args: Any) -> None:
    return None


@shared_task(name="benchmarks.noop_last")
def noop_last(key: str) -> None:
    redis.Redis.from_url(settings.REDIS_URL).incr(key)
