"""One step's work in a worker, in order (the orchestrator of a step; the
helpers it calls each do one thing and never call back here):

1. claim the step: a conditional update, so one worker only, with its attempt
   number (`_claim`, common.move);
2. call the agency's system with the step's idempotency key, outside any
   transaction (`_input`, the kind's call: chains.steps);
3. in one transaction, lock the linked dossier and its run (common.lock_run) and
   record what came back:
   a. a result (`_complete`): the step done (common.move), its result on its part
      and in the citizen's store (deliver.result_deliver), a line of the linked
      dossier's history (history.history), the next step opened or the chain
      finished (deliver.chain_advance -> start.step_start | deliver's finish);
   b. a refusal (`_refused`): the step refused, its part refused
      (dossiers.services.dossier_refuse), the chain halted for the citizen
      (halt.halt_for_citizen);
   c. no answer (`_attempt_failed`): a retry after a backoff (common.enqueue),
      or after the last attempt the step left to staff.
"""

import datetime
import logging
import random

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.adapters import AgencyRefused, AgencyUnavailable
from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Origin, Result
from dossiers.services import dossier_refuse
from tasking import backoff_seconds

from ..models import ChainStep, RunStatus, StepState
from ..steps import KINDS, Outcome, StepInput
from .common import ChainError, enqueue, lock_step_run, move, step_key
from .deliver import chain_advance, outcome_numbered, result_deliver
from .halt import halt_for_citizen
from .handoffs import handoff_sent
from .history import history
from .start import province_codes

logger = logging.getLogger("chains")


def backoff(attempt: int, rng: random.Random | None = None) -> float:
    """Seconds before retry `attempt`+1: exponential (CHAIN_RETRY_BACKOFF_SECONDS
    doubled each time, at most CHAIN_RETRY_BACKOFF_MAX_SECONDS) with jitter (half
    to all of it), so a system coming back is not hit by every chain at once."""
    return backoff_seconds(
        attempt,
        base=settings.CHAIN_RETRY_BACKOFF_SECONDS,
        ceiling=settings.CHAIN_RETRY_BACKOFF_MAX_SECONDS,
        rng=rng,
    )


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
    # Only a manual step reads what its officer issued (_officer_outcome).
    result = (
        Result.objects.filter(dossier__chain_step=step).first()
        if KINDS[step.kind].call is None
        else None
    )
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
    # 1. Claim.
    attempt = _claim(step_id, now)
    if attempt is None:
        return "skipped"
    step = ChainStep.objects.select_related(
        "run__dossier__procedure", "procedure", "org_unit__admin_unit"
    ).get(pk=step_id)
    kind = KINDS[step.kind]
    # 2. Call. Outside any transaction of ours: the agency's system commits on
    # its own, and no database lock is held during a network call.
    try:
        outcome = (kind.call or _officer_outcome)(_input(step))
    except AgencyRefused as exc:  # 3b.
        return _refused(step_id, attempt, exc.reason)
    except AgencyUnavailable as exc:  # 3c.
        return _attempt_failed(step_id, attempt, exc.reason)
    except SoftTimeLimitExceeded:
        return _attempt_failed(step_id, attempt, "soft time limit exceeded")
    except Exception as exc:
        # A bug or a misconfigured adapter: retried like an outage, then left to
        # staff with the error, never lost.
        logger.exception("chain step %s failed", step_id)
        return _attempt_failed(step_id, attempt, f"{type(exc).__name__}: {exc}")
    # 3. Record (3b, 3c above).
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
    """3a. A result: lock, record, deliver, history, advance."""
    now = timezone.now()
    with transaction.atomic():
        run = lock_step_run(step_id)
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
        # One calendar for the step's deadlines (the hand-over's, the next step's).
        calendar = WorkingCalendar.load()
        handoff_sent(step=step, now=now, calendar=calendar)
        outcome = outcome_numbered(step, outcome, now)
        result_deliver(run, step, outcome, now)
        history(
            run,
            "done",
            step=step,
            note=_("Số: %(number)s.") % {"number": outcome.number}
            if outcome.number
            else "",
            now=now,
        )
        chain_advance(run, step, now, calendar=calendar)
    return "done"


def _attempt_failed(step_id: int, attempt: int, reason: str) -> str:
    """The system did not answer: retry after a backoff, or, after the last
    attempt, hand the step to staff (the failed-handoff queue)."""
    now = timezone.now()
    with transaction.atomic():
        run = lock_step_run(step_id)
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
        run = lock_step_run(step_id)
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
            dossier_refuse(
                dossier=part,
                actor=None,
                origin=Origin.SYSTEM,
                reason=reason,
                now=now,
            )
        halt_for_citizen(run, step, reason=reason, what="refused", now=now)
    return "refused"
