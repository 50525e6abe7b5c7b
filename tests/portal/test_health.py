import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.services import worker_heartbeat_record


@pytest.mark.django_db
def test_health_is_ok_on_the_embedded_default(client, settings):
    settings.REDIS_URL = ""

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_health_names_redis_when_it_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    worker_heartbeat_record(hostname="w1@host")

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["down"] == ["redis"]


@pytest.mark.django_db
def test_health_names_a_worker_without_recent_heartbeat(client, settings, time_machine):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTH_WORKER_MAX_AGE_SECONDS = 120
    worker_heartbeat_record(hostname="w1@host")
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=5))

    body = client.get(reverse("healthz")).json()

    assert "worker" in body["down"]
    assert "300s" in body["checks"]["worker"]["detail"]


@pytest.mark.django_db
def test_health_says_when_no_worker_ever_reported(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    body = client.get(reverse("healthz")).json()

    assert body["checks"]["worker"] == {"ok": False, "detail": "no heartbeat yet"}


@pytest.mark.services("redis")
@pytest.mark.django_db
def test_health_is_ok_with_redis_and_a_fresh_heartbeat(client):
    worker_heartbeat_record(hostname="w1@host")

    response = client.get(reverse("healthz"))

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["redis"]["ok"] is True
