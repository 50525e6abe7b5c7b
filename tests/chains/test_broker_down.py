"""A linked dossier filed while the broker is down (Redis restarting): the
submission stands, its first step waits as queued, the reconciler sends it once
the broker is back. The real outage is drills/redis_flush."""

import datetime
import logging

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from chains import tasks
from chains.models import ChainRun, RunStatus, StepState
from chains.services import chain_reconcile
from dossiers.models import Dossier

from .conftest import BIRTH, birth_data, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


class BrokerDown:
    def apply_async(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")


def test_a_linked_submission_while_the_broker_is_down_stands_and_is_resumed(
    citizen, agencies, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    real = tasks.task_for
    monkeypatch.setattr(tasks, "task_for", lambda agency_type: BrokerDown())

    with (
        caplog.at_level(logging.WARNING, logger="chains"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        dossier = submit(citizen, agencies["committee"], BIRTH, birth_data(citizen))

    assert Dossier.objects.filter(pk=dossier.pk).exists()
    run = ChainRun.objects.get(dossier=dossier)
    assert run.steps.get(order=1).state == StepState.QUEUED
    assert "broker unreachable" in caplog.text

    monkeypatch.setattr(tasks, "task_for", real)
    later = timezone.now() + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        counts = chain_reconcile(now=later)

    assert counts["requeued"] == 1
    run.refresh_from_db()
    assert run.status == RunStatus.COMPLETED
