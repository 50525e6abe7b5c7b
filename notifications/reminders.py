"""Reminders, run by beat (portal/celery.py): officers a working day before a
dossier is due and once it is overdue; citizens when a supplement request is
about to lapse. Each reminder has a dedup key, so running the task again (every
hour, or twice) sends nothing twice, and a missed run is caught up by the next.

The clock does not run while the dossier waits for the citizen (supplement,
payment): such dossiers get no due-date reminders.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import OPEN
from dossiers.models import Dossier, Status

from .selectors import dossier_context, dossier_holders
from .services import notify

# Open statuses whose time limit is stopped, waiting for the citizen.
PAUSED = frozenset({Status.SUPPLEMENT_REQUESTED, Status.AWAITING_PAYMENT})


def supplement_window_days(procedure: Any) -> int:
    """Working days the citizen has to supplement: 7 for a linked group (NĐ
    63/2024 art. 8; one-stop-rules.md), SUPPLEMENT_WINDOW_DAYS for the others
    (0 = no lapse date, no reminder)."""
    if procedure.is_linked:
        return int(settings.SUPPLEMENT_WINDOW_LINKED_DAYS)
    return int(settings.SUPPLEMENT_WINDOW_DAYS)


def supplement_lapse_day(
    dossier: Dossier, calendar: WorkingCalendar
) -> datetime.date | None:
    """The last working day to hand in the supplement, or None without a window."""
    if dossier.supplement_requested_at is None:
        return None
    days = supplement_window_days(dossier.procedure)
    if days <= 0:
        return None
    asked = timezone.localtime(dossier.supplement_requested_at).date()
    return calendar.add_working_days(asked, days)


def _start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _running() -> QuerySet[Dossier]:
    """Received, open dossiers whose time limit is running."""
    return Dossier.objects.select_related(
        "procedure", "applicant", "receiving_unit", "processing_unit", "assignee"
    ).filter(
        status__in=OPEN - PAUSED - {Status.SUBMITTED},
        received_at__isnull=False,
        due_at__isnull=False,
    )


def _tell_holders(
    dossiers: Iterable[Dossier], *, template: str, event_key: str, prefix: str
) -> int:
    count = 0
    for dossier in dossiers:
        assert dossier.due_at is not None  # noqa: S101 - filtered above
        due_day = timezone.localtime(dossier.due_at).date()
        context = dossier_context(dossier)
        context["applicant"] = dossier.applicant.full_name
        for officer in dossier_holders(dossier):
            notification = notify(
                recipient=officer,
                event_key=event_key,
                template=template,
                context=context,
                dedup_key=f"{prefix}:{dossier.pk}:{due_day.isoformat()}",
                url=reverse("dossiers:dossier-work", args=[dossier.code]),
            )
            count += notification is not None
    return count


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the reminders due today (on working days only); how many of each
    kind were notified (a reminder sent before counts again, sending nothing)."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    calendar = WorkingCalendar.load()
    counts = {"due_tomorrow": 0, "overdue": 0, "supplement_lapse": 0}
    if not calendar.is_working_day(today):
        return counts
    tomorrow = calendar.next_working_day(today)
    due_tomorrow = _running().filter(
        due_at__gte=_start(tomorrow),
        due_at__lt=_start(tomorrow + datetime.timedelta(days=1)),
    )
    counts["due_tomorrow"] = _tell_holders(
        due_tomorrow,
        template="reminder_due_tomorrow",
        event_key="reminder.due_tomorrow",
        prefix="due-tomorrow",
    )
    overdue = _running().filter(due_at__lt=_start(today))
    counts["overdue"] = _tell_holders(
        overdue,
        template="reminder_overdue",
        event_key="reminder.overdue",
        prefix="overdue",
    )
    waiting = Dossier.objects.select_related(
        "procedure", "applicant", "receiving_unit"
    ).filter(status=Status.SUPPLEMENT_REQUESTED, supplement_requested_at__isnull=False)
    for dossier in waiting:
        lapse = supplement_lapse_day(dossier, calendar)
        # About to lapse: the working day before the last day, or the last day.
        if lapse is None or not (today <= lapse <= tomorrow):
            continue
        context = dossier_context(dossier)
        context["lapse_day"] = lapse
        notification = notify(
            recipient=dossier.applicant,
            event_key="reminder.supplement_lapse",
            template="reminder_supplement_lapse",
            context=context,
            dedup_key=f"supplement-lapse:{dossier.pk}:{dossier.supplement_count}",
            url=reverse("dossiers:dossier-supplement", args=[dossier.code]),
        )
        counts["supplement_lapse"] += notification is not None
    return counts
