"""Celery tasks of the linked chains. Each takes ids only and calls one service.

One task name per agency family, so that portal/celery.py's routing table sends
each family to its own queue (a social-insurance outage never holds up birth
registrations). Tasks are `acks_late` (a message is acknowledged only after the
step is stored) with prefetch 1 and the global time limits; retries of a step are
scheduled by the service in the database, not by Celery, so the reconciler can
resume them if the broker loses the message.
"""

from typing import Any

from celery import shared_task

from .steps import AGENCY_FAMILIES

_OPTIONS: dict[str, Any] = {"acks_late": True, "ignore_result": True}


def _run(step_id: int) -> str:
    from .services import chain_step_run

    return chain_step_run(step_id=step_id)


@shared_task(name="chains.run_step", **_OPTIONS)
def run_step(step_id: int) -> str:
    """A step of an agency without a family queue."""
    return _run(step_id)


@shared_task(name="chains.run_civil_status_step", **_OPTIONS)
def run_civil_status_step(step_id: int) -> str:
    return _run(step_id)


@shared_task(name="chains.run_residence_step", **_OPTIONS)
def run_residence_step(step_id: int) -> str:
    return _run(step_id)


@shared_task(name="chains.run_social_insurance_step", **_OPTIONS)
def run_social_insurance_step(step_id: int) -> str:
    return _run(step_id)


@shared_task(name="chains.run_social_affairs_step", **_OPTIONS)
def run_social_affairs_step(step_id: int) -> str:
    return _run(step_id)


FAMILY_TASKS = {
    "civil_status": run_civil_status_step,
    "residence": run_residence_step,
    "social_insurance": run_social_insurance_step,
    "social_affairs": run_social_affairs_step,
}


def task_for(agency_type: str) -> Any:
    """The task that runs a step of this agency type."""
    return FAMILY_TASKS.get(AGENCY_FAMILIES.get(agency_type, ""), run_step)


@shared_task(name="chains.reconcile", ignore_result=True)
def reconcile() -> dict[str, int]:
    """Scheduled by beat (portal/celery.py): resume what the broker lost."""
    from .services import chain_reconcile

    return chain_reconcile()


@shared_task(name="chains.check_handoffs", ignore_result=True)
def check_handoffs() -> dict[str, int]:
    """Scheduled by beat (portal/celery.py), every minute: acknowledgements
    asked, late hand-overs alerted once (Decree 63/2024 art. 7(4))."""
    from .services import handoffs_check

    return handoffs_check()
