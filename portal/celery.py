"""The Celery application. Periodic tasks are declared here, in one place."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import (
    beat_init,
    before_task_publish,
    task_prerun,
    worker_init,
    worker_ready,
)

from accounts.addresses import adopt_origin, carry_origin

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
    # Linked chains: resume the steps the broker lost (docs/linked-chains.md).
    # Safe at any time; CHAIN_REQUEUE_AFTER_SECONDS decides what counts as lost.
    "chains-reconcile": {
        "task": "chains.reconcile",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The national portal's outbox: send again what the broker lost
    # (docs/national-portal.md); NATIONAL_SYNC_REQUEUE_AFTER_SECONDS decides.
    "national-reconcile": {
        "task": "national.reconcile",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Linked chains: hand-overs past Decree 63/2024 art. 7(4)'s limits (synced
    # within 10 minutes, acknowledged within 2 working hours) alert their
    # officers once per hand-over and breach.
    "chains-check-handoffs": {
        "task": "chains.check_handoffs",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Retention: what is past its keeping period goes, once a night (local time);
    # a missed night is caught up by the next (docs/security.md "Retention").
    # Feedback due soon is reminded, late feedback escalated to the leader.
    "feedback-reminders": {
        "task": "feedback.tasks.send_feedback_reminders",
        "schedule": crontab(minute=15, hour="7-17"),
        "options": {"expires": 3600},
    },
    "retention-purge": {
        "task": "portal.tasks.purge_expired_data",
        "schedule": crontab(minute=30, hour=2),
        "options": {"expires": 3600},
    },
}

# --- Routing: the linked chains' steps go to one queue per agency family ----------
# Task name -> family; the queue is "<default queue>.<family>" (e.g.
# "portal.civil_status"), so a test run's own queue prefix (CELERY_QUEUE) applies
# to every family. Other tasks go to the default queue. Every worker that runs
# chains must consume `worker_queues()` (Procfile, tests/conftest.py).
CHAIN_TASK_ROUTES = {
    # Steps of agencies without a family, and the reconciler: the default queue.
    "chains.run_step": "",
    "chains.reconcile": "",
    "chains.check_handoffs": "",
    "chains.run_civil_status_step": "civil_status",
    "chains.run_residence_step": "residence",
    "chains.run_social_insurance_step": "social_insurance",
    "chains.run_social_affairs_step": "social_affairs",
}


def route_task(
    name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any
) -> dict[str, str] | None:
    family = CHAIN_TASK_ROUTES.get(name)
    if family is None:
        return None
    base = str(app.conf.task_default_queue)
    return {"queue": f"{base}.{family}" if family else base}


def worker_queues(default: str | None = None) -> list[str]:
    """Every queue a worker must consume: the default one and each family's."""
    base = default or str(app.conf.task_default_queue)
    families = sorted({family for family in CHAIN_TASK_ROUTES.values() if family})
    return [base, *(f"{base}.{family}" for family in families)]


app.conf.task_routes = (route_task,)

# Work a request causes builds its links on that request's address, on the worker
# too, when PORTAL_URL is not set (accounts/addresses.py).
before_task_publish.connect(
    carry_origin, weak=False, dispatch_uid="portal.origin.carry"
)
task_prerun.connect(adopt_origin, weak=False, dispatch_uid="portal.origin.adopt")


@worker_ready.connect
def _announce_worker(sender: Any = None, **kwargs: Any) -> None:
    # A fresh worker reports at once instead of waiting for beat's first tick.
    app.send_task("portal.tasks.record_heartbeat")


@worker_init.connect
@beat_init.connect
def _refuse_unsafe_secrets(**kwargs: Any) -> None:
    # Celery logs and ignores what a signal handler raises, so SystemExit: the
    # worker and beat stop, naming the secret (portal/checks.py).
    from portal.checks import refusal_message, unsafe_start

    problems = unsafe_start()
    if problems:
        raise SystemExit(refusal_message(problems))
