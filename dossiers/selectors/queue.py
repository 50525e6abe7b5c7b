"""The officer's queue (dossiers/views/officer/): its filters and counts, the
officers and units to assign or forward to.
"""

import datetime
import functools
import operator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from portal.db import joins_as_written
from procedures.models import Procedure
from procedures.text import normalize
from units.models import AdminUnit, OrgUnit
from units.selectors import valid_on_q

from ..calendar import WorkingCalendar
from ..lifecycle import BEING_APPRAISED, OPEN, TRANSITIONS
from ..models import FINAL_STATUSES, Dossier, Status
from .access import dossiers_base, staff_scope, without_procedure_texts

# --- The officer's queue (dossiers/views/officer/) -------------------------------

# Roles that work on dossiers in a unit and may be handed one.
_HANDLING_ROLES = ("receiving_officer", "specialist", "leader")

# Queue filters on time: due today or the next working day, late, and open
# dossiers due within 2 working days that may still be apologised for.
DUE_SOON = "due_soon"
OVERDUE = "overdue"
APOLOGY = "apology"

# The queue's status filter: a status, or one of these. The queue opens on the
# dossiers still to be worked on (a result waiting to be handed over included);
# returned, refused, stopped and withdrawn ones are behind "closed" and "all".
QUEUE_OPEN = "open"
QUEUE_CLOSED = "closed"
QUEUE_ALL = "all"
# Listed, not negated: `status IN (...)` is an index condition of the
# (receiving_unit | processing_unit | competent_unit | assisted_by, status,
# due_at) indexes, one
# per arm of the queue's scope, which serve the default page at 1M dossiers
# (docs/benchmarks.md).
# The queue's place filter (issue 17): received at the officer's unit, within
# its competence (wherever received), or received outside the applicant's area
# under the province's list.
PLACE_RECEIVED = "received"
PLACE_COMPETENT = "competent"
PLACE_ANYWHERE = "anywhere"
# What waits for the officer's role (issue 18): to appraise (specialists), to
# sign (leaders), to issue and to return (receiving officers).
WAITS_APPRAISE = "appraise"
WAITS_SIGN = "sign"
WAITS_ISSUE = "issue"
WAITS_RETURN = "return"
_WAITS_PERMISSION = {
    WAITS_APPRAISE: "dossiers.process_dossier",
    WAITS_SIGN: "dossiers.approve_dossier",
    WAITS_ISSUE: "dossiers.receive_dossier",
    WAITS_RETURN: "dossiers.receive_dossier",
}
QUEUE_OPEN_STATUSES = tuple(s for s in Status.values if s not in FINAL_STATUSES)
QUEUE_CLOSED_STATUSES = tuple(s for s in Status.values if s in FINAL_STATUSES)


def queue_status_q(status: str) -> Q:
    """The queue's status filter; the open dossiers for "" or an unknown value."""
    if status == QUEUE_CLOSED:
        return Q(status__in=QUEUE_CLOSED_STATUSES)
    if status == QUEUE_ALL:
        return Q()
    if status in Status.values:
        return Q(status=status)
    return Q(status__in=QUEUE_OPEN_STATUSES)


def waits_q(waits: str, *, user: Any) -> Q:
    """The dossiers waiting for `user`'s part: `waits` is one of WAITS_*."""
    unit_id = getattr(user, "org_unit_id", None)
    if waits == WAITS_APPRAISE:
        return Q(status__in=BEING_APPRAISED, processing_unit_id=unit_id) & (
            Q(assignee__isnull=True) | Q(assignee_id=user.pk)
        )
    if waits == WAITS_SIGN:
        return Q(status=Status.AWAITING_SIGNATURE, processing_unit_id=unit_id)
    if waits == WAITS_ISSUE:
        return Q(status=Status.SIGNED, receiving_unit_id=unit_id)
    if waits == WAITS_RETURN:
        return Q(status=Status.RESULT_READY, receiving_unit_id=unit_id)
    return Q()


def waits_for(user: Any) -> list[str]:
    """The lists of what waits for `user`, by their roles."""
    if getattr(user, "org_unit_id", None) is None:
        return []
    return [w for w, perm in _WAITS_PERMISSION.items() if user.has_perm(perm)]


def dossier_waiting_counts(dossiers: QuerySet[Dossier], *, user: Any) -> dict[str, int]:
    """How many dossiers wait in each of `user`'s lists (one query)."""
    lists = waits_for(user)
    if not lists:
        return {}
    arms = [waits_q(w, user=user) for w in lists]
    # Only the dossiers that wait in one of the lists are read (each arm an
    # index range of its unit and status), not every dossier of the scope with
    # its joins: 221 → 7 ms at 1M dossiers (docs/benchmarks.md).
    counts = (
        dossiers.filter(functools.reduce(operator.or_, arms))
        .select_related(None)
        .order_by()
        .aggregate(
            **{w: Count("pk", filter=a) for w, a in zip(lists, arms, strict=True)}
        )
    )
    return {w: counts[w] for w in lists}


def dossiers_queue(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers a staff user works on: those received by or forwarded to their
    unit; district staff those of their area; a digital-team member those they
    filed. `dossiers_visible_to` without the user's own applications as a
    citizen: the same scope, so never wider."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return dossiers_base()
    scope = staff_scope(user)
    if scope is None:
        return Dossier.objects.none()
    return dossiers_base().filter(scope)


@dataclass(frozen=True)
class QueueChoices:
    """What the queue's procedure and commune filters offer: (value, label)."""

    procedures: list[tuple[str, str]]
    admin_units: list[tuple[str, str]]


def dossier_queue_choices(dossiers: QuerySet[Dossier]) -> QueueChoices:
    """The procedures (by key) and communes (by code) of `dossiers`, by name.

    One statement: the distinct (procedure, commune) ids of the dossiers' rows,
    which the planner reads through the unit's indexes, then their names. A
    semi-join per procedure or commune (`pk IN (SELECT ...)`) took 4-6 s for a
    unit's closed dossiers at 1M: the planner walked every commune's dossiers;
    the names joined to every row before the DISTINCT took twice as long as the
    ids alone (10 against 4.6 ms for 4,200 open dossiers at 1M).
    """
    pairs = dossiers.order_by().values_list("procedure_id", "admin_unit_id").distinct()
    inner, params = pairs.query.sql_with_params()
    connection = connections[dossiers.db]
    quote = connection.ops.quote_name
    procedure = quote(Procedure._meta.db_table)
    place = quote(AdminUnit._meta.db_table)
    key, code, name = quote("key"), quote("code"), quote("name")
    # Only quoted names are interpolated; the values stay parameters.
    sql = (
        f"SELECT p.{key}, p.{code}, p.{name}, a.{code}, a.{name} "  # noqa: S608
        f"FROM ({inner}) d "
        f"JOIN {procedure} p ON p.{quote('id')} = d.{quote('procedure_id')} "
        f"JOIN {place} a ON a.{quote('id')} = d.{quote('admin_unit_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    procedures: dict[str, str] = {}
    places: dict[str, str] = {}
    for key_, code_, name_, place_code, place_name in rows:
        procedures[key_] = f"{code_} {name_}" if code_ else name_
        places[place_code] = place_name
    return QueueChoices(
        procedures=sorted(procedures.items(), key=lambda item: _sort_key(item[1])),
        admin_units=sorted(places.items(), key=lambda item: _sort_key(item[1])),
    )


def _sort_key(text: str) -> tuple[str, str]:
    # Without diacritics first ("Đại An" among the D's), then as written.
    return (normalize(text), text)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def dossier_queue_filter(
    dossiers: QuerySet[Dossier],
    *,
    user: Any,
    calendar: WorkingCalendar,
    today: datetime.date,
    q: str = "",
    status: str = QUEUE_OPEN,
    procedure: str = "",
    admin_unit: str = "",
    channel: str = "",
    assignee: str = "",
    timing: str = "",
    place: str = "",
    waits: str = "",
    sort: str = "due",
) -> QuerySet[Dossier]:
    """The queue narrowed by the officer's filters and sorted, oldest due date
    first. Without a status, the open dossiers (`QUEUE_OPEN`)."""
    if q:
        q = q.strip()
        match = Q(code__icontains=q) | Q(applicant__full_name__icontains=q)
        digits = "".join(q.split())
        if digits.isdigit():
            match |= Q(applicant__username=digits)
        dossiers = dossiers.filter(match)
    dossiers = dossiers.filter(queue_status_q(status))
    if procedure:
        dossiers = dossiers.filter(procedure__key=procedure)
    if admin_unit:
        dossiers = dossiers.filter(admin_unit__code=admin_unit)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    unit_id = getattr(user, "org_unit_id", None)
    if place == PLACE_RECEIVED and unit_id is not None:
        dossiers = dossiers.filter(receiving_unit_id=unit_id)
    elif place == PLACE_COMPETENT and unit_id is not None:
        dossiers = dossiers.filter(competent_unit_id=unit_id)
    elif place == PLACE_ANYWHERE:
        dossiers = dossiers.filter(anywhere_in_province=True)
    if waits:
        dossiers = dossiers.filter(waits_q(waits, user=user))
    if assignee == "mine":
        dossiers = dossiers.filter(assignee=user)
    elif assignee == "unassigned":
        dossiers = dossiers.filter(assignee__isnull=True)
    if timing:
        dossiers = dossiers.filter(status__in=OPEN).filter(
            _timing_q(timing, calendar=calendar, today=today)
        )
    by_due = F("due_at").asc(nulls_last=True)
    orders: dict[str, list[Any]] = {
        "due": [by_due, "code"],
        "-due": [F("due_at").desc(nulls_last=True), "code"],
        "submitted": ["submitted_at", "code"],
        "-submitted": ["-submitted_at", "code"],
    }
    return dossiers.order_by(*orders.get(sort, orders["due"]))


def dossier_queue_page(
    dossiers: QuerySet[Dossier], *, number: Any, size: int
) -> tuple[Page[Any], list[Dossier]]:
    """Page `number` of the sorted queue `dossiers` and its dossiers, with what
    the rows show (relations; not the procedure's form and long texts).

    The page's ids are sorted on the dossier table alone, then read with their
    relations, joins planned as written: one read that joined before sorting
    joined the unit's whole open queue to keep 25 (25 of its 26 ms at 25,300
    open dossiers; docs/benchmarks.md). Two statements, the second by primary
    keys; the ids come from `dossiers`, so the scope holds."""
    page = Paginator(dossiers.values_list("pk", flat=True), size).get_page(number)
    ids = list(page.object_list)
    if not ids:
        return page, []
    with joins_as_written():
        found = {
            dossier.pk: dossier
            for dossier in without_procedure_texts(dossiers_base().filter(pk__in=ids))
        }
    return page, [found[pk] for pk in ids if pk in found]


def _timing_q(timing: str, *, calendar: WorkingCalendar, today: datetime.date) -> Q:
    # Timeliness counts calendar days in the portal's time zone (calendar.py):
    # a dossier is overdue once its due day has ended.
    start_of_today = _day_start(today)
    if timing == OVERDUE:
        return Q(due_at__lt=start_of_today)
    if timing == DUE_SOON:
        end = calendar.next_working_day(today) + datetime.timedelta(days=1)
        return Q(due_at__gte=start_of_today, due_at__lt=_day_start(end))
    if timing == APOLOGY:
        # An apology is due no later than the day before the due day (NĐ 61/2018
        # art. 19.9): due from tomorrow on, within 2 working days, not yet done.
        end = calendar.add_working_days(today, 2) + datetime.timedelta(days=1)
        return Q(
            apologized=False,
            status__in=TRANSITIONS["apologize"].sources,
            due_at__gte=_day_start(today + datetime.timedelta(days=1)),
            due_at__lt=_day_start(end),
        )
    return Q()


def officers_of_unit(*, org_unit: Any) -> QuerySet[User]:
    """Active officers of a unit who may be handed a dossier."""
    return (
        User.objects.filter(
            org_unit=org_unit, is_active=True, groups__name__in=_HANDLING_ROLES
        )
        .distinct()
        .order_by("full_name", "username")
    )


def forward_units() -> QuerySet[OrgUnit]:
    """The active units in force today a dossier may be forwarded to, with their
    place (the forward form groups them by it)."""
    return OrgUnit.objects.filter(
        valid_on_q(timezone.localdate()), is_active=True
    ).select_related("admin_unit")


def officers_of_active_units() -> QuerySet[User]:
    """Officers of every active unit in force today (a forwarded dossier's
    possible assignee)."""
    return (
        User.objects.filter(
            valid_on_q(timezone.localdate(), prefix="org_unit__"),
            org_unit__is_active=True,
            is_active=True,
            groups__name__in=_HANDLING_ROLES,
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__name", "full_name", "username")
    )
