"""The Celery application. Periodic tasks are declared here, in one place."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
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
    # --- Payments and notifications (docs/payments.md, docs/notifications.md).
    # Each is idempotent: a missed or doubled tick loses or repeats nothing.
    "payments-reconcile": {
        "task": "payments.tasks.reconcile_payments",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    "notifications-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "notifications-resume": {
        "task": "notifications.tasks.resume_deliveries",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Officers' due-tomorrow and overdue reminders, citizens' supplement-lapse
    # reminders: hourly in office hours (local time), each sent once per dossier.
    "notifications-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": crontab(minute=5, hour="7-17"),
        "options": {"expires": 3000},
    },
}


@worker_ready.connect
def _announce_worker(sender: Any = None, **kwargs: Any) -> None:
    # A fresh worker reports at once instead of waiting for beat's first tick.
    app.send_task("portal.tasks.record_heartbeat")
