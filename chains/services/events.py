"""What people do around a chain: an agency's officer decides on a step's dossier,
the citizen supplements, corrects and resubmits, withdraws; staff send a failed
step back; the linked dossier is stopped."""

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Origin, Status
from dossiers.services import (
    ActionNotAllowed,
    IllegalTransition,
    InvalidDossierData,
    dossier_attachments_share,
    dossier_data_correct,
    dossier_refuse,
    dossier_rules,
    dossier_rules_day,
    dossier_stop,
    dossier_supplement,
    dossier_system_process,
    dossier_system_reschedule,
    dossier_withdraw,
)
from procedures.schema import schema_clean

from ..models import ChainRun, ChainStep, RunStatus, StepState
from ..steps import KINDS
from .common import ChainError, enqueue, lock_run, move
from .halt import halt_for_citizen
from .handoffs import handoff_open
from .history import history
from .start import step_start

# --- The agency's officer, on a step's dossier ----------------------------------------


def step_officer_decided(
    *, step: ChainStep, action: str, now: datetime.datetime
) -> None:
    """The leader signed the step's dossier off (or its result was issued): the
    step goes on to the agency's system. A manual step goes on with the result
    only."""
    kind = KINDS[step.kind]
    if action == "sign" and kind.call is None:
        return
    run = lock_run(step.run_id)
    if run.is_final or not move(step.pk, "resume", queued_at=now):
        return
    step.refresh_from_db()
    handoff_open(run=run, step=step, now=now)
    enqueue(step)


def step_officer_refused(
    *, step: ChainStep, reason: str, now: datetime.datetime
) -> None:
    """The agency's officer refused (or stopped) the step's dossier."""
    run = lock_run(step.run_id)
    if run.is_final or not move(
        step.pk,
        "refuse",
        refusal_reason=reason,
        finished_at=now,
        lease_until=None,
    ):
        return
    step.refresh_from_db()
    halt_for_citizen(run, step, reason=reason, what="refused", now=now)


def step_officer_asks(
    *, step: ChainStep, items: list[str], reason: str, now: datetime.datetime
) -> None:
    """The agency's officer asked the citizen for papers: the linked dossier asks
    the same, and the chain waits for them."""
    run = lock_run(step.run_id)
    if run.is_final or not move(step.pk, "ask_citizen"):
        return
    step.refresh_from_db()
    halt_for_citizen(run, step, reason=reason, what="supplement", items=items, now=now)


def step_citizen_supplied(*, step: ChainStep, now: datetime.datetime) -> None:
    """The citizen answered on the step's dossier itself: the linked dossier
    follows, and the officer looks again."""
    run = lock_run(step.run_id)
    if run.is_final or not move(step.pk, "citizen_answered"):
        return
    parent = Dossier.objects.get(pk=run.dossier_id)
    if parent.status == Status.SUPPLEMENT_REQUESTED:
        dossier_supplement(
            dossier=parent,
            actor=None,
            origin=Origin.SYSTEM,
            note=_("Người nộp đã bổ sung trên hồ sơ của bước %(order)s.")
            % {"order": step.order},
            now=now,
        )
        _back_to_processing(parent, now)
        _reschedule(run, parent, now)
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, supplement_due_at=None
    )
    step.refresh_from_db()
    history(run, "resubmitted", step=step, now=now)


# --- The citizen, on the linked dossier -----------------------------------------


def _reschedule(run: ChainRun, parent: Dossier, now: datetime.datetime) -> None:
    """After a supplement the time limit runs again from zero (NĐ 61/2018 art.
    19.4): the group's own total, not a member's. Under the pause setting the
    dossier service already moved the due date by the days spent waiting."""
    parent.refresh_from_db()
    # The rule set of the dossier's day of receipt says restart or pause.
    if dossier_rules(parent).supplement_mode != "pause":
        days = run.total_days
        due = WorkingCalendar.load().restart(
            completed_at=now,
            days=days,
            same_day=days == 0,
            rules_day=dossier_rules_day(parent),
        )
        parent = dossier_system_reschedule(dossier=parent, deadline=due, now=now)
    ChainRun.objects.filter(pk=run.pk).update(
        due_at=parent.due_at, due_steps=parent.due_steps
    )


def _back_to_processing(parent: Dossier, now: datetime.datetime) -> None:
    parent.refresh_from_db()
    if parent.status == Status.RECEIVED:
        dossier_system_process(dossier=parent, now=now)


def chain_resume_after_supplement(*, run: ChainRun, now: datetime.datetime) -> None:
    """The citizen supplemented the linked dossier: the waiting step goes on. A
    refused step starts again as a new revision (a new request, with a new
    dossier at the agency); a step waiting for papers gets them."""
    run = lock_run(run.pk)
    if run.status != RunStatus.WAITING_CITIZEN:
        return
    parent = Dossier.objects.get(pk=run.dossier_id)
    step = (
        run.steps.filter(state__in=[StepState.REFUSED, StepState.WAITING_CITIZEN])
        .select_related("procedure", "org_unit__admin_unit", "linked_step")
        .first()
    )
    _back_to_processing(parent, now)
    _reschedule(run, parent, now)
    run.refresh_from_db()
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, supplement_due_at=None
    )
    run.status = RunStatus.RUNNING
    if step is None:
        return
    if step.state == StepState.REFUSED:
        move(
            step.pk,
            "resubmit",
            revision=F("revision") + 1,
            refusal_reason="",
            finished_at=None,
        )
        step.refresh_from_db()
        step_start(run=run, step=step, now=now)
        return
    part = Dossier.objects.get(chain_step=step)
    dossier_attachments_share(source=parent, target=part)
    if part.status == Status.SUPPLEMENT_REQUESTED:
        dossier_supplement(
            dossier=part,
            actor=None,
            origin=Origin.SYSTEM,
            note=_("Người nộp đã bổ sung trên hồ sơ liên thông %(code)s.")
            % {"code": parent.code},
            now=now,
        )
    move(step.pk, "citizen_answered")
    step.refresh_from_db()
    history(run, "resubmitted", step=step, now=now)


def condition_fields(run: ChainRun) -> set[str]:
    """Fields of the group's form that choose its steps (how many procedures, the
    deceased's status): they cannot change once the chain has started."""
    names: set[str] = set()

    def walk(condition: Any) -> None:
        if isinstance(condition, dict):
            if "field" in condition:
                names.add(str(condition["field"]).split(".", 1)[0])
            for part in condition.get("all", []):
                walk(part)

    for linked in run.dossier.procedure.steps.all():
        walk(linked.condition)
    return names


@transaction.atomic
def chain_resubmit(
    *,
    run: ChainRun,
    actor: Any,
    data: dict[str, Any],
    files: list[tuple[str, UploadedFile[bytes]]] | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ChainRun:
    """The citizen corrects the linked dossier (and adds papers) and sends it
    again from the step that was refused or asked for papers; the steps already
    done are kept. The choice of procedures cannot change here."""
    now = now or timezone.now()
    run = lock_run(run.pk)
    parent = run.dossier
    if actor is None or actor.pk != parent.applicant_id:
        raise ActionNotAllowed(_("Chỉ người nộp hồ sơ được nộp lại."))
    if run.status != RunStatus.WAITING_CITIZEN:
        raise IllegalTransition(_("Hồ sơ liên thông này không chờ bạn sửa, bổ sung."))
    cleaned, errors = schema_clean(parent.procedure.form_schema, data)
    if errors:
        raise InvalidDossierData(errors)
    changed = sorted(
        name
        for name in condition_fields(run)
        if cleaned.get(name) != parent.data.get(name)
    )
    if changed:
        raise ChainError(
            _(
                "Không đổi được lựa chọn thủ tục khi nộp lại (%(fields)s). Muốn đổi, "
                "hãy rút hồ sơ này và nộp hồ sơ mới."
            )
            % {"fields": ", ".join(changed)}
        )
    dossier_data_correct(dossier=parent, actor=actor, data=data, files=files or [])
    # The supplement moves the linked dossier on; its listener resumes the step.
    dossier_supplement(
        dossier=parent,
        actor=actor,
        note=note or _("Đã sửa tờ khai và nộp lại."),
        now=now,
    )
    run.refresh_from_db()
    return run


def chain_cancel(
    *, run: ChainRun, status: str, reason: str, now: datetime.datetime
) -> None:
    """The linked dossier was withdrawn, refused or stopped: every step not done
    stops, with its dossier at its agency; the steps done keep their results."""
    run = lock_run(run.pk)
    if run.is_final:
        return
    ChainRun.objects.filter(pk=run.pk).update(status=status, supplement_due_at=None)
    run.status = status
    steps = run.steps.exclude(state__in=[StepState.DONE, StepState.CANCELLED])
    for step in steps.select_related("sub_dossier"):
        if not move(step.pk, "cancel", lease_until=None, finished_at=now):
            continue
        part = step.sub_dossier
        if part is None or part.is_final:
            continue
        if (
            status == RunStatus.WITHDRAWN
            and part.status in TRANSITIONS["withdraw"].sources
        ):
            dossier_withdraw(
                dossier=part, actor=None, origin=Origin.SYSTEM, reason=reason, now=now
            )
        elif part.status in TRANSITIONS["stop"].sources:
            dossier_stop(
                dossier=part, actor=None, origin=Origin.SYSTEM, reason=reason, now=now
            )
        elif part.status in TRANSITIONS["refuse"].sources:
            dossier_refuse(
                dossier=part, actor=None, origin=Origin.SYSTEM, reason=reason, now=now
            )
    history(run, "cancelled", note=reason, now=now)


# --- Staff: the failed-handoff queue -------------------------------------------------


@transaction.atomic
def chain_step_retry(
    *, step: ChainStep, actor: Any, now: datetime.datetime | None = None
) -> ChainStep:
    """Send a failed step back to its agency's system (once it works again), with
    a fresh round of attempts and the same idempotency key: if the system did the
    work before the answer was lost, it answers with the same number."""
    now = now or timezone.now()
    run = lock_run(step.run_id)
    if run.is_final or not move(
        step.pk,
        "staff_retry",
        attempts=0,
        queued_at=now,
        next_attempt_at=None,
        retried_by=actor,
    ):
        raise IllegalTransition(
            _(
                "Bước này không còn trong hàng chờ xử lý lỗi (có thể đã được "
                "chuyển lại)."
            )
        )
    step.refresh_from_db()
    history(run, "retried", step=step, now=now)
    enqueue(step)
    return step


__all__ = [
    "chain_cancel",
    "chain_resubmit",
    "chain_resume_after_supplement",
    "chain_step_retry",
    "condition_fields",
    "step_citizen_supplied",
    "step_officer_asks",
    "step_officer_decided",
    "step_officer_refused",
]
