"""Prometheus metrics: requests, Celery tasks, queue lengths, dossiers by status,
overdue dossiers, failed chain hand-offs, and gauges other apps register.

Counters and histograms live in the process that counts them; with several
processes (gunicorn workers, Celery) set PROMETHEUS_MULTIPROC_DIR to one folder
shared by all of them and /metrics adds them up. The business gauges are read from
the database when /metrics is scraped, so every process agrees on them.
"""

import datetime
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUESTS = Counter(
    "portal_http_requests_total", "HTTP requests", ["method", "view", "status"]
)
REQUEST_SECONDS = Histogram(
    "portal_http_request_duration_seconds", "HTTP request duration", ["method", "view"]
)
TASK_SECONDS = Histogram(
    "portal_task_duration_seconds", "Celery task duration", ["task"]
)
TASK_FAILURES = Counter("portal_task_failures_total", "Celery task failures", ["task"])

# Gauges other apps add (name -> (help, function returning the value)).
_extra_gauges: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, help_text: str, read: Callable[[], float]) -> None:
    """Add a gauge computed at scrape time (apps call this in ready())."""
    _extra_gauges[name] = (help_text, read)


def overdue_count() -> int:
    """Open dossiers whose due day has passed (Asia/Ho_Chi_Minh calendar days)."""
    from dossiers.lifecycle import OPEN
    from dossiers.models import Dossier

    start_of_today = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    return Dossier.objects.filter(status__in=OPEN, due_at__lt=start_of_today).count()


def failed_handoff_count() -> int:
    """Linked-chain steps that gave up and wait in the failed-handoff queue."""
    from chains.models import ChainStep, StepState

    return ChainStep.objects.filter(state=StepState.FAILED).count()


def extra_gauge_values() -> dict[str, float]:
    return {name: read() for name, (_help, read) in _extra_gauges.items()}


class BusinessCollector(Collector):
    """Gauges read from the database and the broker at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from dossiers.models import Dossier

        by_status = GaugeMetricFamily(
            "portal_dossiers", "Dossiers by status", labels=["status"]
        )
        for row in Dossier.objects.values("status").annotate(n=Count("pk")):
            by_status.add_metric([row["status"]], row["n"])
        yield by_status
        yield GaugeMetricFamily(
            "portal_dossiers_overdue",
            "Open dossiers past their due day",
            overdue_count(),
        )
        yield GaugeMetricFamily(
            "portal_chain_failed_handoffs",
            "Linked-chain steps waiting in the failed-handoff queue",
            failed_handoff_count(),
        )
        queues = GaugeMetricFamily(
            "portal_queue_length", "Messages waiting in Celery queues", labels=["queue"]
        )
        for queue, length in queue_lengths().items():
            queues.add_metric([queue], length)
        yield queues
        for name, (help_text, read) in _extra_gauges.items():
            yield GaugeMetricFamily(name, help_text, read())


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each known queue (Redis lists); empty without Redis."""
    if not settings.REDIS_URL:
        return {}
    import redis

    from .celery import worker_queues

    # The default queue and every agency family's (routing is a function, so the
    # names come from the one place that lists them).
    names = worker_queues()
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1)
        return {name: int(client.llen(name)) for name in sorted(names)}
    except redis.RedisError:
        return {}


_business = BusinessCollector()


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    business = CollectorRegistry()
    business.register(_business)
    return generate_latest(registry) + generate_latest(business), CONTENT_TYPE_LATEST


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match else "unmatched"
        REQUESTS.labels(request.method, view, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(request.method, view).observe(
            time.perf_counter() - start
        )
        return response


def connect_task_signals() -> None:
    """Time every Celery task and count failures (called once in ready())."""
    from celery.signals import task_failure, task_postrun, task_prerun

    started: dict[str, float] = {}

    # Connected once whatever calls this again (the app registry run again by a
    # test's INSTALLED_APPS override counted every task twice).
    @task_prerun.connect(weak=False, dispatch_uid="portal.metrics.task_start")
    def _start(task_id: str = "", **kwargs: Any) -> None:
        started[task_id] = time.perf_counter()

    @task_postrun.connect(weak=False, dispatch_uid="portal.metrics.task_stop")
    def _stop(task_id: str = "", task: Any = None, **kwargs: Any) -> None:
        began = started.pop(task_id, None)
        if began is not None and task is not None:
            TASK_SECONDS.labels(task.name).observe(time.perf_counter() - began)

    @task_failure.connect(weak=False, dispatch_uid="portal.metrics.task_failure")
    def _fail(sender: Any = None, **kwargs: Any) -> None:
        TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()
