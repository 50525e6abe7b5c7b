"""What the chain services share, each doing one thing: the step's state table
and its one conditional move, the lock of a run, sending a step's task after
commit, a step's idempotency key. The citizen-visible history is in history.py,
the limits of steps in limits.py."""

import logging
from typing import Any

from django.db.models import Q

from dossiers.models import Dossier
from dossiers.services import DossierError
from tasking import publish_on_commit

from ..models import ChainRun, ChainStep, StepState

logger = logging.getLogger("chains")

S = StepState
OPEN_STATES = frozenset(
    {
        S.PENDING,
        S.QUEUED,
        S.RUNNING,
        S.RETRY_WAIT,
        S.WAITING_OFFICER,
        S.WAITING_CITIZEN,
        S.FAILED,
        S.REFUSED,
    }
)

# The state table of a step: move -> (states it may start from, state it leads
# to). Every change of a step's state is one conditional UPDATE through `move`,
# so two workers (or a worker and the reconciler) can never both win.
MOVES: dict[str, tuple[frozenset[str], str]] = {
    # The previous step is done: the agency gets the step (an officer first, or
    # the task that asks its system).
    "start_queued": (frozenset({S.PENDING}), S.QUEUED),
    "start_officer": (frozenset({S.PENDING}), S.WAITING_OFFICER),
    # The officer decided (approved, or issued the result): ask the system.
    "resume": (frozenset({S.WAITING_OFFICER}), S.QUEUED),
    # A worker takes the step (attempt += 1, a lease).
    "claim": (frozenset({S.QUEUED, S.RETRY_WAIT}), S.RUNNING),
    "succeed": (frozenset({S.RUNNING}), S.DONE),
    # The system did not answer: try again later, or give up to staff.
    "retry": (frozenset({S.RUNNING}), S.RETRY_WAIT),
    "give_up": (frozenset({S.RUNNING}), S.FAILED),
    # The worker died holding it (the reconciler, after its lease).
    "lease_expired": (frozenset({S.RUNNING}), S.RETRY_WAIT),
    # Staff send a failed step back once the system works again.
    "staff_retry": (frozenset({S.FAILED}), S.QUEUED),
    # The agency (its system or its officer) refused.
    "refuse": (
        frozenset(
            {
                S.QUEUED,
                S.RUNNING,
                S.RETRY_WAIT,
                S.WAITING_OFFICER,
                S.WAITING_CITIZEN,
                S.FAILED,
            }
        ),
        S.REFUSED,
    ),
    # The agency's officer asked for papers, and the citizen brought them.
    "ask_citizen": (
        frozenset({S.QUEUED, S.RETRY_WAIT, S.WAITING_OFFICER, S.FAILED}),
        S.WAITING_CITIZEN,
    ),
    "citizen_answered": (frozenset({S.WAITING_CITIZEN}), S.WAITING_OFFICER),
    # The citizen corrected and resubmitted a refused step: a new revision.
    "resubmit": (frozenset({S.REFUSED}), S.PENDING),
    "cancel": (OPEN_STATES, S.CANCELLED),
}


def move(step_id: int, name: str, *, where: Q | None = None, **fields: Any) -> bool:
    """Apply move `name` to the step if its state (and `where`) still allow it;
    False when another process got there first and nothing was written."""
    sources, target = MOVES[name]
    rows = ChainStep.objects.filter(pk=step_id, state__in=sources)
    if where is not None:
        rows = rows.filter(where)
    return rows.update(state=target, **fields) == 1


def lock_run(run_id: int) -> ChainRun:
    """Lock the linked dossier, then its run: every chain write takes them in
    this order (the dossier services lock the dossier first too)."""
    dossier_id = ChainRun.objects.values_list("dossier_id", flat=True).get(pk=run_id)
    return _locked(run_id, dossier_id)


def lock_step_run(step_id: int) -> ChainRun:
    """`lock_run` of the run the step belongs to."""
    run_id, dossier_id = ChainStep.objects.values_list("run_id", "run__dossier_id").get(
        pk=step_id
    )
    return _locked(run_id, dossier_id)


def _locked(run_id: int, dossier_id: int) -> ChainRun:
    Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    # With what every step reads of it (the procedure and applicant of the
    # linked dossier, the group's rule), locking the run and its dossier only.
    return (
        ChainRun.objects.select_for_update(of=("self", "dossier"))
        .select_related("dossier__procedure", "dossier__applicant", "limit_rule")
        .get(pk=run_id)
    )


def enqueue(step: ChainStep, *, countdown: float = 0) -> None:
    """Send the step's task after the transaction commits, to its agency family's
    queue (portal/celery.py routes by task name)."""
    _send(step.pk, step.agency_type, countdown)


def _send(step_id: int, agency_type: str, countdown: float) -> None:
    # One place where a step's message leaves. A broker that is down (Redis
    # restarting) leaves the step saved as queued for the reconciler: the citizen's
    # submission, already committed, must not end in a 500 (docs/reliability.md).
    from ..tasks import task_for

    publish_on_commit(
        task_for(agency_type),
        [step_id],
        countdown=countdown,
        logger=logger,
        what=f"step {step_id}",
        then="left to the reconciler",
    )


def step_key(step: ChainStep) -> str:
    """The idempotency key of a step's calls: the linked dossier's code, the step
    and its revision. Stable across attempts and redeliveries; a resubmission
    after a refusal is a new request with a new key."""
    return f"{step.run.dossier.code}-{step.order}-r{step.revision}"


class ChainError(DossierError):
    """A chain action that cannot be done; `message` is for the user."""
