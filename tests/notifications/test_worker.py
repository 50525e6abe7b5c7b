"""Against a real Celery worker on Redis and PostgreSQL: a notification task
that runs more than once for the same event sends one message."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction

from accounts.models import OutboundSms
from notifications.models import Delivery
from notifications.services import notify
from notifications.tasks import deliver_notification


def _worker_log(node: str) -> Path:
    # Where the real_worker fixture writes the worker's output.
    return Path(settings.BASE_DIR) / "var" / f"{node.split('@')[0]}.log"


def _wait_for(predicate, what: str, timeout: float = 30) -> None:
    # Waiting for another process, not for a clock: poll until it is done.
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"the worker did not {what}"
        time.sleep(0.2)


@pytest.mark.services("postgres", "redis", "worker")
@pytest.mark.django_db(transaction=True)
def test_a_notification_task_run_twice_for_one_event_sends_one_message(
    real_worker, citizen
):
    with transaction.atomic():
        notification = notify(
            recipient=citizen,
            event_key="dossier.result_ready",
            template="result_ready",
            context={"code": "000.00.59.H00-260302-0001"},
            dedup_key="worker-test",
            url="/dossiers/000.00.59.H00-260302-0001/",
        )
    # The first run was sent on commit; the same task again, twice at once, as a
    # message delivered again by the broker would be.
    again = [deliver_notification.delay(notification.pk) for _ in range(2)]
    log = _worker_log(real_worker)

    def finished() -> bool:
        text = log.read_text(errors="replace")
        return all(f"[{result.id}] succeeded" in text for result in again)

    _wait_for(finished, "run the task twice more")
    _wait_for(
        lambda: Delivery.objects.filter(
            notification=notification, channel="sms", status="sent"
        ).exists(),
        "send the message",
    )

    assert OutboundSms.objects.filter(phone=citizen.phone).count() == 1
    delivery = Delivery.objects.get(notification=notification, channel="sms")
    assert delivery.attempts == 1
    assert delivery.provider_id == OutboundSms.objects.get().message_id
