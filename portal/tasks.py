from typing import Any

from celery import shared_task

from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=True)
def record_heartbeat(self: Any) -> None:
    """Scheduled by beat; proves broker, worker and database work together."""
    worker_heartbeat_record(hostname=self.request.hostname or "in-process")


@shared_task(ignore_result=True)
def purge_expired_data() -> None:
    """Daily (beat): remove what is past its keeping period (portal/retention.py)."""
    from .retention import retention_purge

    retention_purge(trigger="periodic")
