"""Celery tasks of the national sync. Each takes ids only and calls one service."""

from celery import shared_task


@shared_task(name="national.deliver", acks_late=True, ignore_result=True)
def deliver(dossier_id: int) -> int:
    from .services import outbox_deliver

    return outbox_deliver(dossier_id=dossier_id)


@shared_task(name="national.reconcile", ignore_result=True)
def reconcile() -> int:
    """Scheduled by beat (portal/celery.py): send again what the broker lost."""
    from .services import outbox_reconcile

    return outbox_reconcile()


@shared_task(name="national.push_result", acks_late=True, ignore_result=True)
def push_result(dossier_id: int, attempt: int = 1) -> str:
    """A returned result into the citizen's store on the national portal."""
    from .store import result_push

    return result_push(dossier_id=dossier_id, attempt=attempt)
