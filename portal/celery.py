"""The Celery application. Periodic tasks are declared here, in one place."""

import os
from typing import Any

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "worker-heartbeat": {
        "task": "portal.tasks.record_heartbeat",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
}


@worker_ready.connect
def _announce_worker(sender: Any = None, **kwargs: Any) -> None:
    # A fresh worker reports at once instead of waiting for beat's first tick.
    app.send_task("portal.tasks.record_heartbeat")
