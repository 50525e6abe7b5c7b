"""What the one-stop shop's pages share: who handles dossiers, who may assign,
the page size, and timeliness shown with colour and words.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import User

from ...calendar import (
    APOLOGY_NONE,
    EARLY,
    LATE,
    ON_TIME,
    ON_TRACK,
    ApologyWindow,
    WorkingCalendar,
    dossier_apology_window,
)
from ...calendar import OVERDUE as OVERDUE_TIMELINESS
from ...lifecycle import TRANSITIONS
from ...models import Dossier
from ...selectors import dossier_timeliness

QUEUE_PAGE_SIZE = 25
# More codes than this in one bulk receipt are left out (a page shows 25).
BULK_LIMIT = 100


def staff_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - guaranteed by staff_required
    return user


def handles_dossiers(user: User) -> bool:
    """Officers who work on dossiers (not district staff or the digital team)."""
    return any(
        user.has_perm(p)
        for p in (
            "dossiers.receive_dossier",
            "dossiers.process_dossier",
            "dossiers.approve_dossier",
        )
    )


def may_assign(user: User, dossier: Dossier) -> bool:
    return (
        handles_dossiers(user)
        and not dossier.is_final
        and user.org_unit_id is not None
        and user.org_unit_id in (dossier.receiving_unit_id, dossier.processing_unit_id)
    )


# --- Timeliness shown with colour and words ----------------------------------------

TIMELINESS = {
    ON_TRACK: (gettext_lazy("Trong hạn"), "success"),
    OVERDUE_TIMELINESS: (gettext_lazy("Quá hạn"), "danger"),
    EARLY: (gettext_lazy("Xong trước hạn"), "success"),
    ON_TIME: (gettext_lazy("Xong đúng hạn"), "primary"),
    LATE: (gettext_lazy("Xong trễ hạn"), "danger"),
}
DUE_SOON_LABEL = (gettext_lazy("Sắp đến hạn"), "warning")


@dataclass(frozen=True)
class Timing:
    key: str | None
    label: Any
    css: str
    due_day: datetime.date | None
    # Where the dossier stands with the apology (calendar.apology_window).
    apology: ApologyWindow
    # An apology is still possible and the due day is within 2 working days.
    apology_hint: bool
    apology_last_day: datetime.date | None


def timing_of(
    dossier: Dossier,
    *,
    calendar: WorkingCalendar,
    today: datetime.date,
    now: datetime.datetime,
) -> Timing:
    key = dossier_timeliness(dossier, as_of=now)
    due_day = timezone.localtime(dossier.due_at).date() if dossier.due_at else None
    label, css = TIMELINESS.get(key or "", ("", "secondary"))
    if key == ON_TRACK and due_day and due_day <= calendar.next_working_day(today):
        label, css = DUE_SOON_LABEL
    apology = dossier_apology_window(dossier, today=today)
    apology_hint = bool(
        due_day
        and apology.open
        and dossier.status in TRANSITIONS["apologize"].sources
        and not dossier.apologized
        and due_day <= calendar.add_working_days(today, 2)
    )
    return Timing(
        key=key,
        label=label,
        css=css,
        due_day=due_day,
        apology=apology,
        apology_hint=apology_hint,
        apology_last_day=apology.last_day,
    )


def action_offered(action: str, dossier: Dossier, timing: Timing) -> bool:
    """An action's panel is on the page; the apology only when it applies: not
    once made, nor for a dossier whose due day left no day to give notice."""
    if action != "apologize":
        return True
    return not dossier.apologized and timing.apology.state != APOLOGY_NONE
