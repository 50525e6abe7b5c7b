"""Decree 63/2024 art. 7(4): each hand-over of a linked dossier to the next
agency's system is synchronised within 10 minutes and acknowledged by the
receiving system within 2 working hours, or an alert is raised.

A hand-over (`Handoff`) opens when the portal must send a step to its agency's
system (the previous step done, or the agency's officer decided: the step is
queued), is synchronised when that system answers the step's call, and is
acknowledged when the system confirms receipt (asked by `handoffs_check`, the
beat task `chains.check_handoffs`). The limits are the group's `LinkedGroupRule`
in force on the day the linked dossier was received; a group without one is not
measured. Each breach is claimed with a conditional UPDATE, so each hand-over
alerts its officers once per limit, however many checkers run.
"""

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.adapters import (
    AgencyUnavailable,
    civil_status_registry,
    residence_system,
    social_affairs,
    social_insurance,
)
from dossiers.calendar import WorkingCalendar

from ..models import (
    ChainRun,
    ChainStep,
    Handoff,
    HandoffBreach,
    RunStatus,
    StepState,
)
from .common import ChainError, enqueue, lock_run, step_key
from .history import history

logger = logging.getLogger("chains")

# The system that receives each kind of step, and the suffix of the step's key
# in its last call (chains.steps): what the portal asks to acknowledge. A
# "manual" step has no system: its officer does it in the portal.
HANDOFF_SYSTEMS: dict[str, tuple[str, str]] = {
    "birth": ("civil_status", ":birth"),
    "residence": ("residence", ""),
    "health_card": ("social_insurance", ""),
    "death": ("civil_status", ":death"),
    "deregistration": ("residence", ""),
    "funeral_si": ("social_insurance", ""),
    "funeral_sa": ("social_affairs", ""),
    "survivor": ("social_insurance", ""),
}

_ADAPTERS = {
    "civil_status": civil_status_registry,
    "residence": residence_system,
    "social_insurance": social_insurance,
    "social_affairs": social_affairs,
}

# A step in these states expects nothing from its system (refused, cancelled,
# or back with a person): its hand-over is not measured meanwhile.
_PAUSED = (
    StepState.REFUSED,
    StepState.CANCELLED,
    StepState.WAITING_CITIZEN,
    StepState.WAITING_OFFICER,
)
_ENDED_RUNS = (RunStatus.STOPPED, RunStatus.WITHDRAWN)


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def office_periods() -> list[tuple[datetime.time, datetime.time]]:
    """The office hours of a working day (settings; decision 262)."""
    return [
        (_time(settings.OFFICE_MORNING_START), _time(settings.OFFICE_MORNING_END)),
        (_time(settings.OFFICE_AFTERNOON_START), _time(settings.OFFICE_DAY_END)),
    ]


def working_hours_after(
    start: datetime.datetime,
    hours: Decimal | float,
    calendar: WorkingCalendar | None = None,
) -> datetime.datetime:
    """The moment `hours` working hours after `start`: only office hours of
    working days count (the calendar's weekends, holidays and administrators'
    days off are skipped). Sent at 16:30 on a Friday with 2 hours: 30 minutes
    that day, 90 minutes on the next working day's morning."""
    calendar = calendar or WorkingCalendar.load()
    remaining = datetime.timedelta(seconds=int(Decimal(str(hours)) * 3600))
    moment = timezone.localtime(start)
    day = moment.date()
    for _i in range(800):
        if calendar.is_working_day(day):
            for begin, end in office_periods():
                period_start = timezone.make_aware(
                    datetime.datetime.combine(day, begin)
                )
                period_end = timezone.make_aware(datetime.datetime.combine(day, end))
                counted_from = max(period_start, moment)
                if counted_from >= period_end:
                    continue
                available = period_end - counted_from
                if remaining <= available:
                    return counted_from + remaining
                remaining -= available
        day += datetime.timedelta(days=1)
    raise ValueError("no office hours within two years: check the calendar")


def handoff_open(
    *, run: ChainRun, step: ChainStep, now: datetime.datetime
) -> Handoff | None:
    """The step is to be sent to its agency's system now: its hand-over is due
    to be synchronised within the rule's minutes. Once per step revision (a
    retry or a redelivery keeps the first). Caller holds the run's lock."""
    if step.kind not in HANDOFF_SYSTEMS or run.limit_rule is None:
        return None
    rule = run.limit_rule
    handoff, _created = Handoff.objects.get_or_create(
        step=step,
        revision=step.revision,
        defaults={
            "rule": rule,
            "ready_at": now,
            "sync_due_at": now + datetime.timedelta(minutes=rule.sync_minutes),
        },
    )
    return handoff


def handoff_sent(
    *,
    step: ChainStep,
    now: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> None:
    """The agency's system answered the step's call: the hand-over is
    synchronised, and its acknowledgement is due within the rule's working
    hours (of `calendar`, by default the database's)."""
    handoff = (
        Handoff.objects.select_related("rule")
        .filter(step_id=step.pk, revision=step.revision, sent_at__isnull=True)
        .first()
    )
    if handoff is None:
        return
    Handoff.objects.filter(pk=handoff.pk, sent_at__isnull=True).update(
        sent_at=now,
        ack_due_at=working_hours_after(now, handoff.rule.ack_working_hours, calendar),
    )


def acknowledgement_ask(handoff: Handoff) -> datetime.datetime | None:
    """When the receiving system acknowledged the hand-over (None: not yet, it
    does not answer, or its adapter cannot say)."""
    system, suffix = HANDOFF_SYSTEMS[handoff.step.kind]
    key = f"{step_key(handoff.step)}{suffix}"
    try:
        acknowledged: datetime.datetime | None = _ADAPTERS[system]().acknowledged_at(
            idempotency_key=key
        )
    except (AgencyUnavailable, NotImplementedError) as exc:
        logger.info("handoff %s: no acknowledgement (%s)", handoff.pk, exc)
        return None
    return acknowledged


def _record_acknowledgement(handoff: Handoff) -> bool:
    acknowledged = acknowledgement_ask(handoff)
    if acknowledged is None:
        return False
    return (
        Handoff.objects.filter(pk=handoff.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=acknowledged
        )
        == 1
    )


def _live(handoffs: QuerySet[Handoff]) -> QuerySet[Handoff]:
    return handoffs.exclude(step__state__in=_PAUSED).exclude(
        step__run__status__in=_ENDED_RUNS
    )


def _officers(step: ChainStep) -> list[Any]:
    """The responsible officers: those who handle the failed-handoff queue in
    the step's agency and in the unit that received the linked dossier."""
    from notifications.selectors import unit_officers

    found: dict[int, Any] = {}
    for unit in (step.org_unit_id, step.run.dossier.receiving_unit_id):
        for officer in unit_officers(
            org_unit=unit, permission="chains.handle_failed_steps"
        ):
            found.setdefault(officer.pk, officer)
    return list(found.values())


def _alert(handoff: Handoff, breach: str, now: datetime.datetime) -> int:
    """One alert per hand-over and breach: a line on the linked dossier's
    internal timeline and a notification to each responsible officer."""
    from notifications.services import notify

    step = handoff.step
    run = step.run
    due = handoff.sync_due_at if breach == HandoffBreach.SYNC else handoff.ack_due_at
    note = _("%(what)s (hạn %(due)s).") % {
        "what": HandoffBreach(breach).label,
        "due": f"{timezone.localtime(due):%H:%M %d/%m/%Y}" if due else "",
    }
    history(run, "handoff_late", step=step, note=note, public=False, now=now)
    officers = _officers(step)
    for officer in officers:
        notify(
            recipient=officer,
            event_key=f"chain.handoff_{breach}",
            template="chain_handoff_late",
            context={
                "code": run.dossier.code,
                "order": step.order,
                "step_name": step.procedure.name,
                "agency": step.org_unit.name,
                "breach": breach,
                "due_at": due,
                # The rule's own limits and basis: group 2's are unverified.
                "legal_basis": handoff.rule.legal_basis,
                "verified": handoff.rule.verified,
                "sync_minutes": handoff.rule.sync_minutes,
                "ack_hours": f"{handoff.rule.ack_working_hours.normalize():f}",
            },
            dedup_key=f"chain-handoff-{handoff.pk}-{breach}",
            url=reverse("chains:step-failed"),
        )
    return len(officers)


def _claim_and_alert(
    handoff_id: int, breach: str, late: Q, now: datetime.datetime
) -> bool:
    field = "sync_alerted_at" if breach == HandoffBreach.SYNC else "ack_alerted_at"
    with transaction.atomic():
        claimed = (
            Handoff.objects.filter(
                late, pk=handoff_id, **{f"{field}__isnull": True}
            ).update(**{field: now})
            == 1
        )
        if not claimed:
            return False
        handoff = Handoff.objects.select_related(
            "rule", "step__run__dossier", "step__procedure", "step__org_unit"
        ).get(pk=handoff_id)
        _alert(handoff, breach, now)
    return True


def handoffs_check(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The beat task's work (every minute): ask the receiving systems for the
    acknowledgements still missing, then alert once for each hand-over past
    either limit. Safe to run at any time, by several processes at once."""
    now = now or timezone.now()
    counts = {"acknowledged": 0, "sync_alerts": 0, "ack_alerts": 0}
    waiting = _live(
        Handoff.objects.filter(sent_at__isnull=False, acknowledged_at__isnull=True)
    ).select_related("step__run__dossier")
    for handoff in waiting:
        counts["acknowledged"] += _record_acknowledgement(handoff)

    sync_late = Q(sync_due_at__lt=now) & (
        Q(sent_at__isnull=True) | Q(sent_at__gt=F("sync_due_at"))
    )
    late = _live(Handoff.objects.filter(sync_late, sync_alerted_at__isnull=True))
    for pk in list(late.values_list("pk", flat=True)):
        counts["sync_alerts"] += _claim_and_alert(
            pk, HandoffBreach.SYNC, sync_late, now
        )

    ack_late = Q(ack_due_at__lt=now) & (
        Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gt=F("ack_due_at"))
    )
    late = _live(Handoff.objects.filter(ack_late, ack_alerted_at__isnull=True))
    for pk in list(late.values_list("pk", flat=True)):
        counts["ack_alerts"] += _claim_and_alert(pk, HandoffBreach.ACK, ack_late, now)
    return counts


def handoff_retry(
    *, handoff: Handoff, actor: Any, now: datetime.datetime | None = None
) -> Handoff:
    """Staff send a late hand-over again from the failed-handoff queue: a step
    that gave up gets a new round of attempts (`chain_step_retry`), a step still
    waiting for its system is sent again (same idempotency key: never a second
    number), and the receiving system is asked again for its acknowledgement."""
    from .events import chain_step_retry

    now = now or timezone.now()
    step = handoff.step
    if handoff.acknowledged_at is not None or step.state in _PAUSED:
        raise ChainError(
            _("Lần chuyển này không còn trong hàng chờ xử lý (đã được xác nhận).")
        )
    with transaction.atomic():
        if step.state == StepState.FAILED:
            chain_step_retry(step=step, actor=actor, now=now)
        elif (
            step.state in (StepState.QUEUED, StepState.RETRY_WAIT)
            and not lock_run(step.run_id).is_final
        ):
            # Not synchronised yet: send its message again (the claim makes a
            # duplicate harmless).
            enqueue(step)
        Handoff.objects.filter(pk=handoff.pk).update(retried_at=now, retried_by=actor)
    if handoff.sent_at is not None:
        _record_acknowledgement(handoff)
    handoff.refresh_from_db()
    return handoff
