"""Celery tasks of payments; the schedule is in portal/celery.py."""

from celery import shared_task

from .services import payments_reconcile


@shared_task(ignore_result=True)
def reconcile_payments() -> None:
    """Periodic: ask the gateway about payments still pending after
    PAYMENT_RECONCILE_AFTER_MINUTES, so a lost callback still pays the dossier."""
    payments_reconcile()
