"""Failed hand-offs on the health page and in the metrics (issue 11 item 7)."""

import pytest
from django.urls import reverse

from agencies.services import agency_fault_add
from chains.models import ChainRun, StepState

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_a_step_that_gave_up_is_counted_on_health_and_metrics(
    client, settings, citizen, agencies, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = ""
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("healthz")).json()["counts"]["failed_handoffs"] == 0
    settings.CHAIN_STEP_MAX_ATTEMPTS = 1
    agency_fault_add(system="residence", mode="error")

    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    run = ChainRun.objects.get(dossier=dossier)
    assert run.steps.get(kind="residence").state == StepState.FAILED
    health = client.get(reverse("healthz"))
    assert health.status_code == 200
    assert health.json()["counts"]["failed_handoffs"] == 1
    metrics = client.get(reverse("metrics")).content.decode()
    assert "portal_chain_failed_handoffs 1.0" in metrics
