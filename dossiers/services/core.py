"""The core of every dossier write: codes, deadlines, fees and the one transition
(`transition_apply`: refuse inside a listener, lock, check `lifecycle.TRANSITIONS` and
who may act, ask the guards, change, append the event with its origin, tell the
listeners in `hooks`; the caller then calls the follow-ons).
"""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure
from rules.models import CodeFormat, NoAppointmentDay
from rules.selectors import Rules, no_appointment_day_on, rules_on
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


def no_appointment_day_for(
    *, procedure: Procedure, unit: OrgUnit | None, day: datetime.date
) -> NoAppointmentDay | None:
    """The "no writing, no appointment" day of the centre receiving at `unit`
    in force on `day` that covers `procedure` (rules app), or None (no unit:
    a computation for no centre in particular)."""
    if unit is None:
        return None
    return no_appointment_day_on(
        unit_id=unit.pk,
        parent_id=unit.parent_id,
        day=day,
        field_code=procedure.field.code,
        procedure_code=procedure.code,
    )


def deadline_for(
    *,
    procedure: Procedure,
    received_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
    rules_day: datetime.date | None = None,
    unit: OrgUnit | None = None,
) -> Deadline:
    """The due time of a dossier of `procedure` received at `received_at` by
    `unit`, under the rule set and the unit's "no writing, no appointment" day
    of `rules_day` (the dossier's day of receipt; by default the day of
    `received_at`)."""
    calendar = calendar or WorkingCalendar.load()
    day = rules_day or timezone.localtime(received_at).date()
    return calendar.due(
        received_at=received_at,
        days=procedure_days(procedure),
        same_day=procedure.same_day,
        no_appointment=no_appointment_day_for(procedure=procedure, unit=unit, day=day),
        rules_day=rules_day,
    )


def writing_help_day(
    *, procedure: Procedure, unit: OrgUnit | None, at: datetime.datetime
) -> NoAppointmentDay | None:
    """The rule covering `procedure` at `unit` when `at` falls on its day (its
    weekday, a working day): officers write the declaration for the citizen at
    the counter that whole day. None on any other day."""
    day = timezone.localtime(at).date()
    rule = no_appointment_day_for(procedure=procedure, unit=unit, day=day)
    if rule is None or rule.weekday != day.weekday():
        return None
    if not WorkingCalendar.load().is_working_day(day):
        return None
    return rule


def dossier_no_appointment_day(dossier: Dossier) -> NoAppointmentDay | None:
    """The "no writing, no appointment" day that covers `dossier`: its receiving
    unit's (or centre's), in force on its day of receipt."""
    return no_appointment_day_for(
        procedure=dossier.procedure,
        unit=dossier.receiving_unit,
        day=dossier_rules_day(dossier),
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


def move_check(dossier: Dossier, actor: "User", action: str) -> None:
    """Whether `actor` may do `action` on the dossier as it is now, before the work
    an action does ahead of its transition (a certified copy's PDF): the same
    refusals `transition_apply` gives, which checks again under the row lock."""
    current = Dossier.objects.get(pk=dossier.pk)
    status_check(current, action)
    if not may_act(actor, current, action):
        raise ActionNotAllowed(
            _("Bạn không có quyền “%(action)s” hồ sơ này.")
            % {"action": TRANSITIONS[action].label}
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
