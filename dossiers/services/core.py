"""The core of every dossier write: codes, deadlines, fees and the one transition
(`transition_apply`: refuse inside a listener, lock, check `lifecycle.TRANSITIONS` and
who may act, ask the guards, change, append the event with its origin, tell the
listeners in `hooks`; the caller then calls the follow-ons).
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure
from rules.models import CodeFormat
from rules.selectors import Rules, rules_on
from units.models import OrgUnit

from .. import hooks
from ..calendar import Deadline, Step, WorkingCalendar
from ..lifecycle import TRANSITIONS, may_act
from ..models import Channel, DailyCounter, Dossier, Event, Origin
from .errors import ActionNotAllowed, DossierError, IllegalTransition

if TYPE_CHECKING:
    from accounts.models import User

# --- Codes and deadlines ------------------------------------------------------------


def _next_number(org_unit_id: int, day: datetime.date) -> int:
    """The unit's next sequence number for `day`, in one atomic statement.

    INSERT ... ON CONFLICT DO UPDATE ... RETURNING serialises concurrent callers
    on the counter row (PostgreSQL and SQLite >= 3.35): no two dossiers ever get
    the same number, and nobody computes max()+1 in Python.
    """
    quote = connection.ops.quote_name
    table = quote(DailyCounter._meta.db_table)
    unit, day_, last = quote("org_unit_id"), quote("day"), quote("last")
    # Only quoted names are interpolated; the values go as parameters.
    sql = (
        f"INSERT INTO {table} ({unit}, {day_}, {last}) "  # noqa: S608
        f"VALUES (%s, %s, 1) ON CONFLICT ({unit}, {day_}) "
        f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_unit_id, day])
        row = cursor.fetchone()
    return int(row[0])


def dossier_code_allocate(
    *, org_unit: OrgUnit, at: datetime.datetime, rules: Rules | None = None
) -> str:
    """The dossier code in the format of the rule set in force on the day of
    receipt (`rules`, by default those of `at`'s local day):

    - `{agency identifier}-{yyMMdd}-{NNNN}` (NĐ 61/2018 art. 26; TT 01/2018 art.
      19): the unit's code, the local date, the day's 4-digit sequence;
    - `MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX` (TT 04/2025/TT-VPCP, TT 03/2025 art.
      13(3)): the same with AA, the rule set's two-digit system code, before a
      daily sequence of at least 4 digits.

    The sequence is the unit's per day whatever the format, so that two formats
    on one day (a rule set corrected in the admin) never give the same code."""
    day = timezone.localtime(at).date()
    rules = rules or rules_on(day)
    number = _next_number(org_unit.pk, day)
    if rules.code_format == CodeFormat.TT04_2025:
        return f"{org_unit.agency_code}-{day:%y%m%d}-{rules.code_system}{number:04d}"
    return f"{org_unit.agency_code}-{day:%y%m%d}-{number:04d}"


def procedure_days(procedure: Procedure) -> Decimal | None:
    return procedure.processing_days


def _no_appointment_eligible(procedure: Procedure) -> bool:
    field = procedure.field
    return field is not None and field.code in settings.NO_APPOINTMENT_FIELDS


def deadline_for(
    *,
    procedure: Procedure,
    received_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
    rules_day: datetime.date | None = None,
) -> Deadline:
    """The due time of a dossier of `procedure` received at `received_at`,
    under the rule set of `rules_day` (the dossier's day of receipt; by default
    the day of `received_at`)."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.due(
        received_at=received_at,
        days=procedure_days(procedure),
        same_day=procedure.same_day,
        no_appointment_day=_no_appointment_eligible(procedure),
        rules_day=rules_day,
    )


def dossier_rules_day(dossier: Dossier) -> datetime.date:
    """The day whose rule set governs `dossier`: the day the portal received
    it (`submitted_at`), which also dates its code (docs/dossier-lifecycle.md)."""
    return timezone.localtime(dossier.submitted_at).date()


def dossier_rules(dossier: Dossier) -> Rules:
    """The rules of `dossier`'s day of receipt (rules app; the settings when no
    rule set is in force)."""
    return rules_on(dossier_rules_day(dossier))


def stored_deadline(dossier: Dossier) -> Deadline:
    if dossier.due_at is None:
        raise DossierError(_("Hồ sơ chưa có hạn trả kết quả."))
    steps = tuple(Step(s["rule"], s.get("params", {})) for s in dossier.due_steps)
    return Deadline(due_at=dossier.due_at, steps=steps)


def fee_for(procedure: Procedure, channel: str) -> int | None:
    if channel == Channel.ONLINE:
        return procedure.fee_online_vnd
    return procedure.fee_counter_vnd


# --- The transition -----------------------------------------------------------------


def status_check(dossier: Dossier, action: str) -> None:
    move = TRANSITIONS[action]
    if dossier.status not in move.sources:
        raise IllegalTransition(
            _("Không thể “%(action)s” hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": move.label, "status": dossier.get_status_display()}
        )


def transition_apply(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str,
    action: str,
    note: str = "",
    details: dict[str, Any] | None = None,
    public: bool = True,
    change: Callable[[Dossier], None] | None = None,
    now: datetime.datetime | None = None,
) -> Event:
    """Check and apply `action`; append its event and tell the listeners. Returns
    the event (`event.dossier` the changed dossier); the caller holds a
    transaction and calls the action's follow-ons, if it has any.

    In order: no listener is running (`hooks.transition_allowed`); the row is
    locked; the state table and who may act are checked (a person's move needs
    `may_act`; the portal's own moves, `Origin.SYSTEM`, have no actor); the
    guards are asked; then the change, the event, the listeners."""
    hooks.transition_allowed()
    move = TRANSITIONS[action]
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    status_check(locked, action)
    if origin == Origin.SYSTEM:
        if actor is not None:
            raise ValueError("the portal's own moves have no actor")
    elif actor is None or not may_act(actor, locked, action):
        raise ActionNotAllowed(
            _("Bạn không có quyền “%(action)s” hồ sơ này.") % {"action": move.label}
        )
    hooks.transition_check(
        hooks.Proposed(
            dossier=locked,
            action=action,
            actor=actor,
            origin=origin,
            note=note,
            details=details or {},
        )
    )
    now = now or timezone.now()
    from_status = locked.status
    if change is not None:
        change(locked)
    if move.target is not None:
        locked.status = move.target
    locked.save()
    event = Event.objects.create(
        dossier=locked,
        action=action,
        actor=actor,
        actor_unit=getattr(actor, "org_unit", None),
        origin=origin,
        at=now,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        public=public,
        details=details or {},
    )
    hooks.transition_done(dossier=locked, event=event)
    return event
