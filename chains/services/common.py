"""What the chain services share: the step's state table and its one conditional
move, locks, enqueueing after commit, the citizen-visible history, the hook point
for notifications and the limits of steps."""

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop
from kombu.exceptions import OperationalError as KombuOperationalError

from dossiers.calendar import Deadline, WorkingCalendar
from dossiers.models import Dossier
from dossiers.services import DossierError, dossier_event_add

from ..models import ChainRun, ChainStep, StepState
from ..steps import Kind

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
    Dossier.objects.select_for_update().filter(pk=dossier_id).first()
    return ChainRun.objects.select_for_update().select_related("dossier").get(pk=run_id)


def enqueue(step: ChainStep, *, countdown: float = 0) -> None:
    """Send the step's task after the transaction commits, to its agency family's
    queue (portal/celery.py routes by task name)."""
    _send(step.pk, step.agency_type, countdown)


def _send(step_id: int, agency_type: str, countdown: float) -> None:
    # One place where a step's message leaves (tests replace it to lose messages).
    from ..tasks import task_for

    options: dict[str, Any] = {"countdown": countdown} if countdown > 0 else {}
    task = task_for(agency_type)

    def publish() -> None:
        try:
            task.apply_async(args=[step_id], **options)
        except KombuOperationalError:
            # The broker is down (Redis restarting): the step is saved as queued
            # and the reconciler sends it again; the citizen's submission, already
            # committed, must not end in a 500 (docs/reliability.md).
            logger.warning(
                "step %s: broker unreachable, left to the reconciler",
                step_id,
                exc_info=True,
            )

    transaction.on_commit(publish)


def step_key(step: ChainStep) -> str:
    """The idempotency key of a step's calls: the linked dossier's code, the step
    and its revision. Stable across attempts and redeliveries; a resubmission
    after a refusal is a new request with a new key."""
    return f"{step.run.dossier.code}-{step.order}-r{step.revision}"


# --- The citizen-visible history (events of the linked dossier) --------------------

LABELS = {
    "started": gettext_noop("Bước liên thông được chuyển đến cơ quan"),
    "waiting_officer": gettext_noop("Bước liên thông chờ cán bộ xem xét"),
    "done": gettext_noop("Bước liên thông đã có kết quả"),
    "retry": gettext_noop("Hệ thống của cơ quan chưa phản hồi, Cổng sẽ thử lại"),
    "failed": gettext_noop("Bước liên thông chậm do lỗi kết nối, cán bộ đang xử lý"),
    "refused": gettext_noop("Bước liên thông bị từ chối"),
    "supplement": gettext_noop("Cơ quan yêu cầu bổ sung cho bước liên thông"),
    "resubmitted": gettext_noop("Người nộp đã sửa và nộp lại bước liên thông"),
    "retried": gettext_noop("Cán bộ chuyển lại bước liên thông"),
    "completed": gettext_noop("Đã xong tất cả các bước liên thông"),
    "cancelled": gettext_noop("Các bước liên thông còn lại đã dừng"),
}


def history(
    run: ChainRun,
    what: str,
    *,
    step: ChainStep | None = None,
    note: str = "",
    public: bool = True,
    now: datetime.datetime | None = None,
) -> None:
    """One line of the linked dossier's timeline about the chain, and the
    notification hook for the citizen."""
    details: dict[str, Any] = {"label": LABELS[what], "chain": what}
    if step is not None:
        details |= {"step": step.order, "state": step.state}
        head = f"{step.order}. {step.procedure.name} · {step.org_unit.name}"
        note = f"{head}. {note}" if note else head
    dossier_event_add(
        dossier=run.dossier,
        action="chain_step",
        note=note,
        details=details,
        public=public,
        now=now,
    )
    if public:
        notify_citizen(run=run, step=step, what=what, note=note)


# What the citizen hears about by notification (the other lines stay on the
# dossier's timeline only: retries and officers' internal steps would be noise).
NOTIFIED = {"done", "refused", "supplement", "failed", "completed", "cancelled"}


def notify_citizen(
    *, run: ChainRun, step: ChainStep | None, what: str, note: str = ""
) -> None:
    """Tell the applicant about a step of their linked dossier, once per event
    (notifications.notify deduplicates and sends after commit)."""
    if what not in NOTIFIED:
        return
    from notifications.services import notify

    dossier = run.dossier
    key = f"chain-{run.pk}-{what}"
    if step is not None:
        key += f"-{step.order}-r{step.revision}-a{step.attempts}"
    notify(
        recipient=dossier.applicant,
        event_key=f"chain.{what}",
        template="chain_step",
        context={
            "code": dossier.code,
            "label": LABELS[what],
            "procedure_name": dossier.procedure.name,
            "procedure_name_en": dossier.procedure.name_en,
            "step_name": step.procedure.name if step is not None else "",
            "agency": step.org_unit.name if step is not None else "",
            "note": note if what in {"refused", "supplement"} else "",
        },
        dedup_key=key,
        url=dossier.get_absolute_url(),
    )


# --- Limits ----------------------------------------------------------------------


def _dated(entries: Any, day: datetime.date) -> Any:
    """The value of the latest [from, value] entry in force on `day`."""
    found = None
    for start, value in sorted(entries or [], key=lambda entry: str(entry[0])):
        if datetime.date.fromisoformat(str(start)) <= day:
            found = value
    return found


def step_limit(
    *,
    group: Any,
    procedure: Any,
    linked_step: Any,
    kind: Kind,
    needs_officer: bool,
    day: datetime.date,
) -> tuple[Decimal | None, bool, str]:
    """(working days, same day, where it came from) of a step starting on `day`.

    In order: a dated setting (CHAIN_STEP_DAYS), the verification limit when an
    officer must verify, the catalogue's limit of the step, the member
    procedure's standalone limit (linked-groups.md advises it while the linked
    limits are unverified), else none (the calendar counts the documented
    default, DOSSIER_DEFAULT_PROCESSING_DAYS, and says so).
    """
    setting = _dated(
        settings.CHAIN_STEP_DAYS.get(f"{group.url_code}/{procedure.url_code}"), day
    )
    if setting == "same_day":
        return None, True, "setting"
    if setting is not None:
        return Decimal(str(setting)), False, "setting"
    if needs_officer and kind.verifies:
        return (
            Decimal(str(settings.CHAIN_RESIDENCE_VERIFICATION_DAYS)),
            False,
            ("verification"),
        )
    if linked_step is not None and (
        linked_step.processing_days is not None or linked_step.same_day
    ):
        return linked_step.processing_days, linked_step.same_day, "catalogue"
    if procedure.processing_days is not None or procedure.same_day:
        return procedure.processing_days, procedure.same_day, "standalone"
    return None, False, "default"


def deadline(
    *,
    days: Decimal | None,
    same_day: bool,
    received_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    return (calendar or WorkingCalendar.load()).due(
        received_at=received_at, days=days, same_day=same_day
    )


class ChainError(DossierError):
    """A chain action that cannot be done; `message` is for the user."""
