"""The reconciler: finds steps that should be running and are not, and sends them
again. It reads only the database, so it resumes every chain even if the broker
lost every message; it is safe to run at any time and as often as wanted, since a
step is only ever taken by a conditional update (a duplicate message finds it
taken and does nothing)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Origin
from dossiers.services import dossier_stop

from ..models import ChainRun, ChainStep, RunStatus, StepState
from .common import enqueue, lock_run, move
from .start import step_start

ACTIVE = [
    StepState.QUEUED,
    StepState.RUNNING,
    StepState.RETRY_WAIT,
    StepState.WAITING_OFFICER,
    StepState.WAITING_CITIZEN,
    StepState.FAILED,
    StepState.REFUSED,
]


def _steps(condition: Q) -> list[ChainStep]:
    return list(
        ChainStep.objects.filter(condition, run__status=RunStatus.RUNNING)
        .select_related("run__dossier")
        .order_by("pk")
    )


def chain_reconcile(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """One pass; returns how many steps (or chains) each rule resumed."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.CHAIN_REQUEUE_AFTER_SECONDS)
    counts = {"requeued": 0, "retried": 0, "expired": 0, "advanced": 0, "stopped": 0}

    # Queued long ago and never taken: the message was lost.
    for step in _steps(Q(state=StepState.QUEUED, queued_at__lt=stale)):
        rows = ChainStep.objects.filter(
            pk=step.pk, state=StepState.QUEUED, queued_at__lt=stale
        )
        if rows.update(queued_at=now):
            enqueue(step)
            counts["requeued"] += 1

    # Waiting for a retry whose time passed long ago: the delayed message was lost.
    for step in _steps(Q(state=StepState.RETRY_WAIT, next_attempt_at__lt=stale)):
        rows = ChainStep.objects.filter(
            pk=step.pk, state=StepState.RETRY_WAIT, next_attempt_at__lt=stale
        )
        if rows.update(next_attempt_at=now, queued_at=now):
            enqueue(step)
            counts["retried"] += 1

    # Claimed by a worker that never finished (killed): its lease ran out. The
    # attempt counts; the next one asks with the same idempotency key.
    for step in _steps(Q(state=StepState.RUNNING, lease_until__lt=now)):
        if move(
            step.pk,
            "lease_expired",
            where=Q(lease_until__lt=now),
            lease_until=None,
            next_attempt_at=now,
            queued_at=now,
            last_error="worker lost: lease expired",
        ):
            enqueue(step)
            counts["expired"] += 1

    # A chain with nothing active but a step still pending after a done one
    # (cannot happen while the services hold; repaired if it ever does).
    stalled = (
        ChainRun.objects.filter(status=RunStatus.RUNNING)
        .exclude(steps__state__in=ACTIVE)
        .filter(steps__state=StepState.PENDING)
        .distinct()
    )
    for run in stalled:
        with transaction.atomic():
            locked = lock_run(run.pk)
            if (
                locked.status != RunStatus.RUNNING
                or locked.steps.filter(state__in=ACTIVE).exists()
            ):
                continue
            pending = (
                locked.steps.filter(state=StepState.PENDING)
                .select_related("procedure", "org_unit__admin_unit", "linked_step")
                .order_by("order")
                .first()
            )
            if pending is not None:
                step_start(run=locked, step=pending, now=now)
                counts["advanced"] += 1

    # The citizen did not supplement or correct in time: the chain stops
    # (NĐ 63/2024 art. 8); stopping the linked dossier stops its steps.
    overdue = ChainRun.objects.filter(
        status=RunStatus.WAITING_CITIZEN, supplement_due_at__lt=now
    )
    for run in overdue:
        with transaction.atomic():
            locked = lock_run(run.pk)
            parent = Dossier.objects.get(pk=locked.dossier_id)
            if (
                locked.status != RunStatus.WAITING_CITIZEN
                or parent.status not in TRANSITIONS["stop"].sources
            ):
                continue
            dossier_stop(
                dossier=parent,
                actor=None,
                origin=Origin.SYSTEM,
                reason=_(
                    "Quá %(days)d ngày làm việc mà hồ sơ chưa được bổ sung, sửa: "
                    "dừng xử lý (Nghị định 63/2024/NĐ-CP, Điều 8)."
                )
                % {"days": settings.CHAIN_SUPPLEMENT_DAYS},
                now=now,
            )
            counts["stopped"] += 1
    return counts
