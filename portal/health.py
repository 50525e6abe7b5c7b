"""Checks behind /healthz."""

import datetime
from typing import TypedDict

from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import WorkerHeartbeat


class Check(TypedDict, total=False):
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "detail": type(exc).__name__}
    return {"ok": True, "detail": connection.vendor}


def check_redis() -> Check:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except Exception as exc:
        return {"ok": False, "detail": type(exc).__name__}
    return {"ok": True, "detail": "ping"}


def check_worker() -> Check:
    try:
        last = WorkerHeartbeat.objects.order_by("-last_seen").first()
    except Exception as exc:
        return {"ok": False, "detail": type(exc).__name__}
    if last is None:
        return {"ok": False, "detail": "no heartbeat yet"}
    age = timezone.now() - last.last_seen
    max_age = datetime.timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    if age > max_age:
        return {
            "ok": False,
            "detail": f"last heartbeat {int(age.total_seconds())}s ago",
        }
    return {"ok": True, "detail": f"last heartbeat {int(age.total_seconds())}s ago"}


def run_checks() -> dict[str, Check]:
    """Database always; Redis and the worker heartbeat when Redis is configured."""
    checks: dict[str, Check] = {"database": check_database()}
    if settings.REDIS_URL:
        checks["redis"] = check_redis()
        checks["worker"] = check_worker()
    else:
        checks["tasks"] = {"ok": True, "detail": "in-process (no broker configured)"}
    return checks
