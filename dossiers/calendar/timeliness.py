"""Early, on time or late, and the window of the apology (decision 148)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

# --- Timeliness -------------------------------------------------------------------

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"
ON_TRACK = "on_track"
OVERDUE = "overdue"


def completion_timeliness(
    *, due_at: datetime.datetime, completed_at: datetime.datetime
) -> str:
    """Early / on time / late, by calendar day in the portal's time zone."""
    due = timezone.localtime(due_at).date()
    done = timezone.localtime(completed_at).date()
    if done < due:
        return EARLY
    return ON_TIME if done == due else LATE


def open_timeliness(*, due_at: datetime.datetime, as_of: datetime.datetime) -> str:
    """On track / overdue for a dossier not finished at `as_of`."""
    due = timezone.localtime(due_at).date()
    return ON_TRACK if timezone.localtime(as_of).date() <= due else OVERDUE


# --- Apology ----------------------------------------------------------------------

# Where a dossier stands with the apology and new date (NĐ 61/2018 art. 19.9: no
# later than one day before the due day, once): not possible at all (no due
# date, or a time limit shorter than the notice, as a same-day procedure's), open,
# open for the last day, or passed.
APOLOGY_NONE = "none"
APOLOGY_OPEN = "open"
APOLOGY_LAST_DAY = "last_day"
APOLOGY_PASSED = "passed"


@dataclass(frozen=True)
class ApologyWindow:
    state: str
    # The last day an apology may be made; None when it never could be.
    last_day: datetime.date | None = None

    @property
    def open(self) -> bool:
        return self.state in (APOLOGY_OPEN, APOLOGY_LAST_DAY)


def counting_start(
    *,
    due_steps: Iterable[dict[str, Any]] = (),
    received_at: datetime.datetime | None,
) -> datetime.date | None:
    """The day the time limit in force started: its explanation's receipt step
    (the supplement's arrival when the count restarted), else the receipt."""
    for step in due_steps:
        if step.get("rule") == "received" and step.get("params", {}).get("at"):
            return datetime.datetime.fromisoformat(step["params"]["at"]).date()
    return timezone.localtime(received_at).date() if received_at else None


def apology_window(
    *,
    due_at: datetime.datetime | None,
    started: datetime.date | None,
    today: datetime.date,
) -> ApologyWindow:
    """The apology window of a dossier due at `due_at` whose time limit started
    on `started` (`counting_start`), on `today`. The last day is the day before
    the due day; when that falls before the count started (due the day of
    receipt or the next), an apology never applied and nothing is offered."""
    if due_at is None:
        return ApologyWindow(APOLOGY_NONE)
    last_day = timezone.localtime(due_at).date() - datetime.timedelta(days=1)
    if started is not None and last_day < started:
        return ApologyWindow(APOLOGY_NONE)
    if today < last_day:
        return ApologyWindow(APOLOGY_OPEN, last_day)
    if today == last_day:
        return ApologyWindow(APOLOGY_LAST_DAY, last_day)
    return ApologyWindow(APOLOGY_PASSED, last_day)


def dossier_apology_window(dossier: Any, *, today: datetime.date) -> ApologyWindow:
    """`apology_window` of a dossier, counted from the start of its time limit."""
    received = dossier.received_at or dossier.submitted_at
    return apology_window(
        due_at=dossier.due_at,
        started=counting_start(due_steps=dossier.due_steps, received_at=received),
        today=today,
    )
