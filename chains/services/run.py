"""One step's work in a worker: claim it, call the agency's system, store what came
back, and hand over to the next step, every move a conditional update."""

import datetime
import logging
import random

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import DocumentSource, User
from accounts.services import stored_document_add
from agencies.adapters import AgencyRefused, AgencyUnavailable
from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Result, Status
from dossiers.services import (
    dossier_record_agency_result,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
)

from ..models import ChainRun, ChainStep, RunStatus, StepState
from ..steps import KINDS, Outcome, StepInput
from .common import ChainError, enqueue, history, lock_run, move, step_key
from .start import province_codes, step_start

logger = logging.getLogger("chains")

# The account results recorded for other agencies' systems are issued under: an
# inert technical user (no password, inactive), like the identity provider's.
SYSTEM_USERNAME = "he-thong-lien-thong"


def system_user() -> User:
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "Hệ thống liên thông của Cổng", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds before retry `attempt`+1: exponential (CHAIN_RETRY_BACKOFF_SECONDS
    doubled each time, at most CHAIN_RETRY_BACKOFF_MAX_SECONDS) with jitter (half
    to all of it), so a system coming back is not hit by every chain at once."""
    base = settings.CHAIN_RETRY_BACKOFF_SECONDS * 2 ** max(attempt - 1, 0)
    ceiling = min(base, settings.CHAIN_RETRY_BACKOFF_MAX_SECONDS)
    # Not for security: it only spreads retries.
    return (rng or random).uniform(ceiling / 2, ceiling)


# A delayed message may arrive a moment before its time (clocks, timers).
EARLY = datetime.timedelta(seconds=1)


def _claim(step_id: int, now: datetime.datetime) -> int | None:
    """Take the step for this worker: the attempt number, or None when it is not
    ready (done, taken by another worker, or its retry time has not come)."""
    ready = Q(state=StepState.QUEUED) | Q(
        state=StepState.RETRY_WAIT, next_attempt_at__lte=now + EARLY
    )
    attempts = (
        ChainStep.objects.filter(ready, pk=step_id, run__status=RunStatus.RUNNING)
        .values_list("attempts", flat=True)
        .first()
    )
    if attempts is None:
        return None
    lease = now + datetime.timedelta(seconds=settings.CHAIN_STEP_LEASE_SECONDS)
    claimed = move(
        step_id,
        "claim",
        where=ready & Q(attempts=attempts),
        attempts=attempts + 1,
        lease_until=lease,
        next_attempt_at=None,
    )
    return attempts + 1 if claimed else None


def _input(step: ChainStep) -> StepInput:
    run = step.run
    previous = {
        done.kind: done.result
        for done in run.steps.filter(state=StepState.DONE, order__lt=step.order)
    }
    missing = [need for need in KINDS[step.kind].needs if need not in previous]
    if missing:
        raise ChainError(f"results of {', '.join(missing)} are missing")
    officer_result = {}
    result = Result.objects.filter(dossier__chain_step=step).first()
    if result is not None:
        officer_result = {"title": result.title, "number": result.number}
    return StepInput(
        data=run.dossier.data,
        previous=previous,
        key=step_key(step),
        office=step.org_unit.name,
        officer_confirmed=step.needs_officer,
        officer_result=officer_result,
        **province_codes(step),
    )


def chain_step_run(*, step_id: int, now: datetime.datetime | None = None) -> str:
    """The task's work for one step. Safe to run any number of times: only the
    call that claims the step does anything, and the agency's system answers a
    repeated idempotency key with its first answer. Returns what happened."""
    now = now or timezone.now()
    attempt = _claim(step_id, now)
    if attempt is None:
        return "skipped"
    step = ChainStep.objects.select_related(
        "run__dossier__procedure", "procedure", "org_unit__admin_unit"
    ).get(pk=step_id)
    kind = KINDS[step.kind]
    # The call happens outside any transaction of ours: the agency's system
    # commits on its own, and no database lock is held during a network call.
    try:
        outcome = (kind.call or _officer_outcome)(_input(step))
    except AgencyRefused as exc:
        return _refused(step_id, attempt, exc.reason)
    except AgencyUnavailable as exc:
        return _attempt_failed(step_id, attempt, exc.reason)
    except SoftTimeLimitExceeded:
        return _attempt_failed(step_id, attempt, "soft time limit exceeded")
    except Exception as exc:
        # A bug or a misconfigured adapter: retried like an outage, then left to
        # staff with the error, never lost.
        logger.exception("chain step %s failed", step_id)
        return _attempt_failed(step_id, attempt, f"{type(exc).__name__}: {exc}")
    try:
        return _complete(step_id, attempt, outcome)
    except Exception as exc:
        logger.exception("chain step %s could not be stored", step_id)
        return _attempt_failed(step_id, attempt, f"{type(exc).__name__}: {exc}")


def _officer_outcome(step: StepInput) -> Outcome:
    """A manual step: the officer issued the result in the portal."""
    if not step.officer_result:
        raise ChainError("the officer's result is not there yet")
    return Outcome(
        request={},
        result=dict(step.officer_result),
        number=step.officer_result.get("number", ""),
        rows=[],
    )


def _complete(step_id: int, attempt: int, outcome: Outcome) -> str:
    now = timezone.now()
    with transaction.atomic():
        run = lock_run(
            ChainStep.objects.values_list("run_id", flat=True).get(pk=step_id)
        )
        if not move(
            step_id,
            "succeed",
            where=Q(attempts=attempt),
            request=outcome.request,
            result=outcome.result,
            finished_at=now,
            lease_until=None,
            last_error="",
        ):
            # Another worker finished it, or the chain stopped meanwhile; the
            # system gave that worker the same answer for the same key.
            return "lost"
        step = ChainStep.objects.select_related("procedure", "org_unit").get(pk=step_id)
        _deliver(run, step, outcome, now)
        history(
            run,
            "done",
            step=step,
            note=_("Số: %(number)s.") % {"number": outcome.number}
            if outcome.number
            else "",
            now=now,
        )
        _advance(run, step, now)
    return "done"


def _deliver(
    run: ChainRun, step: ChainStep, outcome: Outcome, now: datetime.datetime
) -> None:
    """The result on the step's dossier (issued, returned online) and in the
    citizen's document store."""
    kind = KINDS[step.kind]
    part = Dossier.objects.get(chain_step=step)
    result = Result.objects.filter(dossier=part).first()
    if result is None and part.status in TRANSITIONS["record_result"].sources:
        result = dossier_record_agency_result(
            dossier=part,
            title=kind.title,
            number=outcome.number,
            issued_by=system_user(),
            data_rows=outcome.rows,
            note=_("Kết quả từ hệ thống của cơ quan."),
            now=now,
        )
        part.refresh_from_db()
    if part.status == Status.RESULT_READY:
        dossier_return_result(dossier=part, actor=None, method="online", now=now)
    if result is not None and result.file:
        with result.file.open("rb") as handle:
            content = handle.read()
        subject = outcome.result.get("full_name") or run.dossier.applicant.full_name
        document = stored_document_add(
            owner=run.dossier.applicant,
            doc_type=kind.doc_type,
            title=f"{result.title} – {subject}"[:200],
            file=SimpleUploadedFile("result.pdf", content, "application/pdf"),
            number=result.number[:60],
            issued_by=step.org_unit.name[:200],
            issued_on=timezone.localdate(now),
            source=DocumentSource.RESULT,
        )
        ChainStep.objects.filter(pk=step.pk).update(stored_document=document)


def _advance(run: ChainRun, step: ChainStep, now: datetime.datetime) -> None:
    """Start the next step, or finish the chain when every step is done."""
    following = (
        run.steps.filter(state=StepState.PENDING, order__gt=step.order)
        .select_related("procedure", "org_unit__admin_unit", "linked_step")
        .order_by("order")
        .first()
    )
    if following is not None:
        step_start(run=run, step=following, now=now)
        return
    if run.steps.exclude(state=StepState.DONE).exists():
        return
    _finish(run, now)


def _finish(run: ChainRun, now: datetime.datetime) -> None:
    """Every step is done: the linked dossier's result lists them, and it is
    returned online."""
    parent = run.dossier
    rows = []
    for step in run.steps.select_related("procedure", "sub_dossier").order_by("order"):
        number = (step.result or {}).get("number") or _main_number(step)
        rows.append(
            (
                f"{step.order}. {step.procedure.name}",
                f"{KINDS[step.kind].title or step.procedure.name}: {number}",
            )
        )
    dossier_record_agency_result(
        dossier=parent,
        title="Kết quả giải quyết hồ sơ liên thông",
        number="",
        issued_by=system_user(),
        data_rows=rows,
        note=_("Đã có kết quả của tất cả các bước."),
        now=now,
    )
    dossier_return_result(dossier=parent, actor=None, method="online", now=now)
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.COMPLETED, completed_at=now, supplement_due_at=None
    )
    history(run, "completed", now=now)


def _main_number(step: ChainStep) -> str:
    result = step.result or {}
    for key in (
        "birth_certificate_number",
        "confirmation_number",
        "card_code",
        "death_extract_number",
        "notice_number",
        "decision_number",
    ):
        if result.get(key):
            if key.endswith("_number") and result.get(key.replace("number", "book")):
                return f"{result[key]}/{result[key.replace('number', 'book')]}"
            return str(result[key])
    return ""


def _attempt_failed(step_id: int, attempt: int, reason: str) -> str:
    """The system did not answer: retry after a backoff, or, after the last
    attempt, hand the step to staff (the failed-handoff queue)."""
    now = timezone.now()
    with transaction.atomic():
        run = lock_run(
            ChainStep.objects.values_list("run_id", flat=True).get(pk=step_id)
        )
        if attempt >= settings.CHAIN_STEP_MAX_ATTEMPTS:
            if not move(
                step_id,
                "give_up",
                where=Q(attempts=attempt),
                last_error=reason[:2000],
                lease_until=None,
            ):
                return "lost"
            step = ChainStep.objects.select_related("procedure", "org_unit").get(
                pk=step_id
            )
            history(
                run,
                "failed",
                step=step,
                note=_("Cổng đã thử %(count)d lần; cán bộ sẽ chuyển lại.")
                % {"count": attempt},
                now=now,
            )
            return "failed"
        # In-process tasks (the embedded default) have no broker to wait with.
        delay = 0.0 if current_app.conf.task_always_eager else backoff(attempt)
        if not move(
            step_id,
            "retry",
            where=Q(attempts=attempt),
            last_error=reason[:2000],
            lease_until=None,
            next_attempt_at=now + datetime.timedelta(seconds=delay),
            queued_at=now,
        ):
            return "lost"
        step = ChainStep.objects.select_related("procedure", "org_unit", "run").get(
            pk=step_id
        )
        history(run, "retry", step=step, note=reason[:200], public=False, now=now)
        enqueue(step, countdown=delay)
    return "retry"


def _refused(step_id: int, attempt: int, reason: str) -> str:
    now = timezone.now()
    with transaction.atomic():
        run = lock_run(
            ChainStep.objects.values_list("run_id", flat=True).get(pk=step_id)
        )
        if not move(
            step_id,
            "refuse",
            where=Q(attempts=attempt, state=StepState.RUNNING),
            refusal_reason=reason,
            lease_until=None,
            finished_at=now,
        ):
            return "lost"
        step = ChainStep.objects.select_related("procedure", "org_unit").get(pk=step_id)
        part = Dossier.objects.get(chain_step=step)
        if part.status in TRANSITIONS["refuse"].sources:
            dossier_refuse(dossier=part, actor=None, reason=reason, now=now)
        halt_for_citizen(run, step, reason=reason, what="refused", now=now)
    return "refused"


def halt_for_citizen(
    run: ChainRun,
    step: ChainStep,
    *,
    reason: str,
    what: str,
    items: list[str] | None = None,
    now: datetime.datetime,
) -> None:
    """A step was refused or needs papers: the chain waits for the citizen, who
    has CHAIN_SUPPLEMENT_DAYS working days (NĐ 63/2024 art. 8) before it stops.
    The linked dossier shows the request and its reason; the steps done stay."""
    calendar = WorkingCalendar.load()
    last_day = calendar.add_working_days(
        timezone.localdate(now), settings.CHAIN_SUPPLEMENT_DAYS
    )
    supplement_due = timezone.make_aware(
        datetime.datetime.combine(last_day, calendar.day_end)
    )
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.WAITING_CITIZEN, supplement_due_at=supplement_due
    )
    parent = Dossier.objects.get(pk=run.dossier_id)
    if parent.status in TRANSITIONS["request_supplement"].sources:
        dossier_request_supplement(
            dossier=parent,
            actor=None,
            items=items
            or [
                _("Sửa thông tin và nộp lại bước %(order)s: %(procedure)s")
                % {"order": step.order, "procedure": step.procedure.name}
            ],
            reason=_("%(unit)s: %(reason)s. Hạn bổ sung, sửa: %(due)s.")
            % {
                "unit": step.org_unit.name,
                "reason": reason,
                "due": f"{last_day:%d/%m/%Y}",
            },
            now=now,
        )
    history(run, what, step=step, note=reason, now=now)
