"""Celery tasks of notifications: ids in, one service call, retries with backoff.
Periodic ones are declared in portal/celery.py."""

from typing import Any

from celery import shared_task
from django.conf import settings

from . import reminders, services


@shared_task(bind=True, max_retries=None, ignore_result=True)
def deliver_notification(self: Any, notification_id: int) -> None:
    """Send one notification on its channels; a transient failure is retried with
    exponential backoff until NOTIFY_MAX_ATTEMPTS, then recorded as failed."""
    retry = services.notification_deliver(notification_id=notification_id)
    if retry and self.request.is_eager:
        # In-process (no broker to wait on, `make run`): try again at once.
        while retry:
            retry = services.notification_deliver(notification_id=notification_id)
        return
    if retry:
        # Each claim counts an attempt; the service marks a channel failed for
        # good at NOTIFY_MAX_ATTEMPTS, so this retrying ends.
        countdown = settings.NOTIFY_RETRY_BACKOFF_SECONDS * 2**self.request.retries
        raise self.retry(countdown=countdown)


@shared_task(ignore_result=True)
def send_digests() -> None:
    """Periodic: send the messages the throttle held back, one digest each."""
    services.digests_send()


@shared_task(ignore_result=True)
def resume_deliveries() -> None:
    """Periodic: schedule again deliveries whose task was lost or crashed."""
    services.deliveries_resume()


@shared_task(ignore_result=True)
def send_reminders() -> None:
    """Periodic: due-tomorrow and overdue reminders to officers, supplement-lapse
    reminders to citizens (each sent once, by its dedup key)."""
    reminders.reminders_send()
