"""Celery tasks of feedback; the periodic one is declared in portal/celery.py."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def send_feedback_reminders() -> None:
    """Periodic: reminders of feedback due soon, escalation of late feedback."""
    services.feedback_reminders_send()
