"""What /metrics and /healthz cover (issue 11 item 7): requests, task durations
and failures, queue lengths, dossiers by status, overdue dossiers."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Status
from portal.celery import app as celery_app
from portal.celery import worker_queues
from portal.metrics import queue_lengths
from tests.dossiers.factories import make_dossier


def _metrics(client) -> str:
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    return str(response.content.decode())


def _sample(text: str, name: str, **labels: str) -> float:
    label_text = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    pattern = "^" + re.escape(f"{name}{{{label_text}}}" if labels else name) + r" (\S+)"
    match = re.search(pattern, text, re.M)
    return float(match.group(1)) if match else 0.0


@celery_app.task(name="tests.portal.metrics_fails")
def _failing_task() -> None:
    raise ValueError("on purpose")


@celery_app.task(name="tests.portal.metrics_ok")
def _ok_task() -> None:
    # A task of the test's own, which nothing else runs.
    return None


@pytest.fixture
def local_metrics(settings):
    settings.METRICS_TOKEN = ""
    settings.REDIS_URL = ""


@pytest.mark.django_db
def test_requests_are_counted_per_view_and_status(client, local_metrics):
    before = _sample(
        _metrics(client),
        "portal_http_requests_total",
        method="GET",
        view="portal:about",
        status="200",
    )
    client.get(reverse("portal:about"))

    after = _sample(
        _metrics(client),
        "portal_http_requests_total",
        method="GET",
        view="portal:about",
        status="200",
    )
    assert after == before + 1


@pytest.mark.django_db
def test_task_durations_and_failures_are_counted(client, local_metrics):
    from portal.metrics import connect_task_signals

    connect_task_signals()  # as a second ready() would: still counted once
    name = _ok_task.name
    before = _metrics(client)
    _ok_task.apply()
    # As on a worker: the failure is recorded, not raised into the caller.
    assert _failing_task.apply(throw=False).state == "FAILURE"

    after = _metrics(client)
    assert _sample(after, "portal_task_duration_seconds_count", task=name) == (
        _sample(before, "portal_task_duration_seconds_count", task=name) + 1
    )
    failing = "tests.portal.metrics_fails"
    assert _sample(after, "portal_task_failures_total", task=failing) == (
        _sample(before, "portal_task_failures_total", task=failing) + 1
    )


@pytest.mark.django_db
def test_dossiers_by_status_and_overdue(
    client, local_metrics, citizen, officer, unit_a, time_machine
):
    time_machine.move_to(timezone.now())
    make_dossier(applicant=citizen, unit=unit_a)
    received = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )
    assert received.due_at is not None
    time_machine.move_to(received.due_at + datetime.timedelta(days=2))

    text = _metrics(client)

    assert _sample(text, "portal_dossiers", status="submitted") == 1
    assert _sample(text, "portal_dossiers", status="received") == 1
    assert _sample(text, "portal_dossiers_overdue") == 2
    assert client.get(reverse("healthz")).json()["counts"]["overdue_dossiers"] == 2


def test_queue_lengths_cover_every_agency_family_queue():
    names = worker_queues()

    assert celery_app.conf.task_default_queue in names
    assert any(name.endswith(".civil_status") for name in names)
    assert any(name.endswith(".social_insurance") for name in names)


@pytest.mark.services("redis")
@pytest.mark.django_db
def test_queue_lengths_are_read_from_redis(client, settings):
    import redis

    settings.METRICS_TOKEN = ""
    family = f"{celery_app.conf.task_default_queue}.residence"
    store = redis.Redis.from_url(settings.REDIS_URL)
    marker = uuid.uuid4().hex
    store.rpush(family, marker, marker)
    try:
        assert queue_lengths()[family] >= 2
        assert _sample(_metrics(client), "portal_queue_length", queue=family) >= 2
    finally:
        store.lrem(family, 0, marker)
