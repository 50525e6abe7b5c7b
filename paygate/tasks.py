from celery import shared_task

from .services import callback_send


@shared_task(ignore_result=True)
def send_callback(attempt_id: int) -> None:
    """Deliver one callback attempt to the merchant (the sandbox platform)."""
    callback_send(attempt_id=attempt_id)
