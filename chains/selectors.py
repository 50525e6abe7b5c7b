"""Reads of the linked chains: a dossier's chain and steps as the pages and the
API show them, and the failed-handoff queue scoped to what a staff member may
see."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from dossiers.models import Dossier

from .models import ChainRun, ChainStep, Handoff, RunStatus, StepState
from .steps import KINDS, RESULT_LABELS


def chain_of(dossier: Dossier) -> ChainRun | None:
    """The chain of a linked dossier, with its steps and what they show."""
    if not dossier.procedure.is_linked:
        return None
    return (
        ChainRun.objects.select_related("limit_rule")
        .filter(dossier_id=dossier.pk)
        .first()
    )


@dataclass(frozen=True)
class ChainLimit:
    """The group's time limit of a linked dossier, measured: the working days
    (with verification or not), the due time, when the chain completed and
    whether it was in time (None while it runs in time, or when it stopped)."""

    working_days: Decimal
    verification: bool
    due_at: datetime.datetime
    completed_at: datetime.datetime | None
    met: bool | None
    legal_basis: str
    verified: bool

    @property
    def late(self) -> bool:
        return self.met is False

    def as_api(self) -> dict[str, Any]:
        return {
            "working_days": float(self.working_days),
            "verification": self.verification,
            "due_at": self.due_at,
            "completed_at": self.completed_at,
            "met": self.met,
            "legal_basis": self.legal_basis or None,
            "verified": self.verified,
        }


def chain_limit(run: ChainRun, *, now: datetime.datetime | None = None) -> ChainLimit:
    """The group's limit of the run (Decree 63/2024 art. 7 for group 1): met
    when the chain completed by its due time, not met when it completed later
    or is still running past it. Reads `run.limit_rule` (select it with the
    run to save the query)."""
    now = now or timezone.now()
    met: bool | None = None
    if run.completed_at is not None:
        met = run.completed_at <= run.due_at
    elif run.status in (RunStatus.RUNNING, RunStatus.WAITING_CITIZEN) and (
        now > run.due_at
    ):
        met = False
    rule = run.limit_rule
    uses_rule = rule is not None and rule.total_days is not None
    return ChainLimit(
        working_days=run.total_days,
        verification=run.verification,
        due_at=run.due_at,
        completed_at=run.completed_at,
        met=met,
        legal_basis=rule.legal_basis if rule is not None and uses_rule else "",
        verified=bool(rule is not None and uses_rule and rule.verified),
    )


def chain_steps(run: ChainRun) -> list[ChainStep]:
    return list(
        run.steps.select_related(
            "procedure", "org_unit", "sub_dossier", "stored_document"
        ).order_by("order")
    )


def step_of_part(dossier: Dossier) -> ChainStep | None:
    """The step a dossier is the part of, if any."""
    return (
        ChainStep.objects.select_related(
            "run__dossier__procedure", "procedure", "org_unit"
        )
        .filter(sub_dossier_id=dossier.pk)
        .first()
    )


@dataclass(frozen=True)
class ResultLine:
    label: str
    value: str


def result_lines(step: ChainStep) -> list[ResultLine]:
    """A step's result as labelled lines, in the reader's language."""
    result = step.result or {}
    return [
        ResultLine(str(label), str(result[key]))
        for key, label in RESULT_LABELS.items()
        if result.get(key) not in (None, "")
    ]


def step_api(step: ChainStep) -> dict[str, Any]:
    """One step as `GET /api/v1/dossiers/{code}/` shows it."""
    return {
        "order": step.order,
        "procedure": step.procedure.url_code,
        "procedure_name": step.procedure.name,
        "agency": step.org_unit.agency_code,
        "agency_name": step.org_unit.name,
        "status": step.state,
        "status_display": str(step.get_state_display()),
        "due_at": step.due_at,
        "dossier": step.sub_dossier.code if step.sub_dossier is not None else None,
        "result": dict(step.result) if step.state == StepState.DONE else None,
        "result_title": KINDS[step.kind].title or None,
        "refusal_reason": step.refusal_reason or None,
    }


def _staff_scope(user: Any) -> Q | None:
    """The steps a staff member handles: those of their unit (or of the linked
    dossiers their unit received); district staff every unit of their area."""
    org_unit = getattr(user, "org_unit", None)
    if org_unit is None:
        return None
    scope = Q(org_unit=org_unit) | Q(run__dossier__receiving_unit=org_unit)
    if user.has_perm("dossiers.view_area_dossiers"):
        area = org_unit.admin_unit.path
        scope |= Q(org_unit__admin_unit__path__startswith=area) | Q(
            run__dossier__receiving_unit__admin_unit__path__startswith=area
        )
    return scope


def steps_for_staff(*, user: Any) -> QuerySet[ChainStep]:
    """Every step a staff member may see and retry (any state)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ChainStep.objects.none()
    steps = ChainStep.objects.select_related(
        "run__dossier", "procedure", "org_unit", "sub_dossier"
    )
    if user.is_superuser:
        return steps
    if not user.has_perm("chains.handle_failed_steps"):
        return steps.none()
    scope = _staff_scope(user)
    return steps.filter(scope) if scope is not None else steps.none()


def steps_failed_for(*, user: Any) -> QuerySet[ChainStep]:
    """The failed-handoff queue: steps whose agency's system did not answer after
    the last attempt, oldest first."""
    return (
        steps_for_staff(user=user)
        .filter(state=StepState.FAILED)
        .order_by("queued_at", "pk")
    )


def _handoffs_for_staff(user: Any) -> QuerySet[Handoff]:
    """Every hand-over of the steps a staff member may see."""
    return Handoff.objects.select_related(
        "step__run__dossier", "step__procedure", "step__org_unit"
    ).filter(step__in=steps_for_staff(user=user))


def handoffs_late_for(*, user: Any) -> QuerySet[Handoff]:
    """The failed-handoff queue's second part: hand-overs alerted for a limit of
    Decree 63/2024 art. 7(4) and still not acknowledged by the receiving
    system, while their step still expects it, oldest first."""
    return (
        _handoffs_for_staff(user)
        .filter(Q(sync_alerted_at__isnull=False) | Q(ack_alerted_at__isnull=False))
        .filter(acknowledged_at__isnull=True)
        .exclude(
            step__state__in=[
                StepState.REFUSED,
                StepState.CANCELLED,
                StepState.WAITING_CITIZEN,
                StepState.WAITING_OFFICER,
            ]
        )
        .exclude(step__run__status__in=[RunStatus.STOPPED, RunStatus.WITHDRAWN])
        .order_by("ready_at", "pk")
    )


def handoff_get_for_staff(*, user: Any, pk: int) -> Handoff:
    """The hand-over if the staff member may see it; 404 for everyone else."""
    handoff = _handoffs_for_staff(user).filter(pk=pk).first()
    if handoff is None:
        raise Http404
    return handoff


def step_get_for_staff(*, user: Any, pk: int) -> ChainStep:
    """The step if the staff member may see it; 404 for everyone else."""
    step = steps_for_staff(user=user).filter(pk=pk).first()
    if step is None:
        raise Http404
    return step


def limit_note(step: ChainStep) -> str:
    """Where the step's time limit comes from, in the reader's language."""
    notes = {
        "setting": gettext("thời hạn theo cài đặt của Cổng (chưa xác minh)"),
        "verification": gettext("thời hạn khi cần xác minh"),
        "catalogue": gettext("thời hạn của bước trong quy trình liên thông"),
        "standalone": gettext(
            "thời hạn trong quy trình liên thông đang cập nhật; tạm tính thời hạn "
            "của thủ tục riêng lẻ"
        ),
        "default": gettext("thời hạn đang cập nhật; tạm tính theo cài đặt của Cổng"),
    }
    return notes.get(step.limit_source, "")
