"""Reads of dossiers. Every view and API route gets dossiers through these, so
nobody sees a dossier that is not theirs to see."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from procedures.schema import field_labels
from procedures.schema.definitions import leaves, lookup, pick
from procedures.text import normalize
from units.models import AdminUnit, OrgUnit
from units.selectors import valid_on_q

from .calendar import WorkingCalendar, completion_timeliness, open_timeliness
from .lifecycle import OPEN, TRANSITIONS
from .models import (
    COMPLETED_STATUSES,
    FINAL_STATUSES,
    Dossier,
    Draft,
    Event,
    Result,
    Status,
)


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "procedure",
        "applicant",
        "receiving_unit",
        "processing_unit",
        "admin_unit",
        "assignee",
    )


def dossiers_visible_to(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` may see.

    A citizen sees their own; an officer those received by or forwarded to their
    unit; district staff every dossier of the units in their area (the admin-unit
    subtree of their agency); a member of the community digital technology team
    only those they filed for a citizen.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return _base()
    visible = Q(applicant=user)
    scope = _staff_scope(user)
    if scope is not None:
        visible |= scope
    return _base().filter(visible)


def _staff_scope(user: Any) -> Q | None:
    """The dossiers a staff user's roles open to them (None: no staff role).

    The area's units are a subquery rather than a join on their admin units'
    paths: the planner then reads each unit's dossiers by its indexes instead of
    joining every dossier to its unit's place (the queue at 1M dossiers).
    """
    org_unit = user.org_unit
    if org_unit is None:
        return None
    arms: list[Q] = []
    if user.has_perm("dossiers.view_area_dossiers"):
        units = OrgUnit.objects.filter(
            admin_unit__path__startswith=org_unit.admin_unit.path
        ).values("pk")
        arms += [Q(receiving_unit__in=units), Q(processing_unit__in=units)]
    if user.has_perm("dossiers.view_unit_dossiers"):
        arms += [Q(receiving_unit=org_unit), Q(processing_unit=org_unit)]
    if user.has_perm("dossiers.file_for_citizen"):
        arms.append(Q(assisted_by=user))
    if not arms:
        return None
    scope = arms[0]
    for arm in arms[1:]:
        scope |= arm
    return scope


def dossier_get_for_user(*, user: Any, code: str) -> Dossier:
    """The dossier with this code if `user` may see it; 404 otherwise."""
    dossier = dossiers_visible_to(user=user).filter(code=code).first()
    if dossier is None:
        raise Http404
    return dossier


def dossier_events(*, dossier: Dossier, public_only: bool = False) -> QuerySet[Event]:
    events = dossier.events.select_related("actor", "actor_unit")
    return events.filter(public=True) if public_only else events


def dossier_track(*, code: str, phone_last4: str) -> Dossier | None:
    """Public tracking: the dossier only when both the code and the last 4 digits
    of the applicant's phone match (a wrong pair looks like an unknown code)."""
    code = (code or "").strip().upper()
    digits = (phone_last4 or "").strip()
    if len(digits) != 4 or not digits.isdigit():
        return None
    return (
        Dossier.objects.select_related("procedure", "receiving_unit")
        .filter(code__iexact=code, phone_last4=digits)
        .first()
    )


def result_get_by_token(*, token: str) -> Result:
    result = (
        Result.objects.select_related(
            "dossier__procedure", "dossier__applicant", "issued_by_unit"
        )
        .filter(token=token)
        .first()
    )
    if result is None:
        raise Http404
    return result


def dossier_timeliness(
    dossier: Dossier, *, as_of: datetime.datetime | None = None
) -> str | None:
    """early / on_time / late when processing ended, on_track / overdue while
    open; None when the dossier has no due date or was withdrawn."""
    if dossier.due_at is None:
        return None
    if dossier.completed_at is not None and dossier.status in COMPLETED_STATUSES:
        return completion_timeliness(
            due_at=dossier.due_at, completed_at=dossier.completed_at
        )
    if dossier.status in FINAL_STATUSES:
        return None
    return open_timeliness(due_at=dossier.due_at, as_of=as_of or timezone.now())


# --- The officer's queue (dossiers/views/officer.py) ------------------------------

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
# (receiving_unit | processing_unit | assisted_by, status, due_at) indexes, one
# per arm of the queue's scope, which serve the default page at 1M dossiers
# (docs/benchmarks.md).
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


def dossiers_queue(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers a staff user works on: those received by or forwarded to their
    unit; district staff those of their area; a digital-team member those they
    filed. `dossiers_visible_to` without the user's own applications as a
    citizen: the same scope, so never wider."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return _base()
    scope = _staff_scope(user)
    if scope is None:
        return Dossier.objects.none()
    return _base().filter(scope)


@dataclass(frozen=True)
class QueueChoices:
    """What the queue's procedure and commune filters offer: (value, label)."""

    procedures: list[tuple[str, str]]
    admin_units: list[tuple[str, str]]


def dossier_queue_choices(dossiers: QuerySet[Dossier]) -> QueueChoices:
    """The procedures (by key) and communes (by code) of `dossiers`, by name.

    One DISTINCT over the dossiers' rows, which the planner reads through the
    unit's indexes. A semi-join per procedure or commune (`pk IN (SELECT ...)`)
    took 4-6 s for a unit's closed dossiers at 1M: the planner walked every
    commune's dossiers.
    """
    rows = (
        dossiers.order_by()
        .values_list(
            "procedure__key",
            "procedure__code",
            "procedure__name",
            "admin_unit__code",
            "admin_unit__name",
        )
        .distinct()
    )
    procedures: dict[str, str] = {}
    places: dict[str, str] = {}
    for key, code, name, place_code, place_name in rows:
        procedures[key] = f"{code} {name}" if code else name
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
    """The active units a dossier may be forwarded to, with their place (the
    forward form groups them by it)."""
    return OrgUnit.objects.filter(is_active=True).select_related("admin_unit")


def officers_of_active_units() -> QuerySet[User]:
    """Officers of every active unit (a forwarded dossier's possible assignee)."""
    return (
        User.objects.filter(
            org_unit__is_active=True,
            is_active=True,
            groups__name__in=_HANDLING_ROLES,
        )
        .select_related("org_unit")
        .distinct()
        .order_by("org_unit__name", "full_name", "username")
    )


def dossier_data_rows(*, dossier: Dossier) -> list[tuple[str, str]]:
    """The dossier's form data as (label, value) in the schema's order, in the
    active language; values the schema does not know come last, as stored."""
    schema = dossier.procedure.form_schema
    labels = field_labels(schema)
    fields = [leaf for leaf in leaves(schema) if leaf.type != "file"]
    # Administrative units are stored by code; one query names them all.
    codes = {
        str(lookup(dossier.data, leaf.name))
        for leaf in fields
        if leaf.type == "admin_unit" and lookup(dossier.data, leaf.name)
    }
    day = timezone.localtime(dossier.submitted_at).date()
    places = dict(
        AdminUnit.objects.filter(valid_on_q(day), code__in=codes).values_list(
            "code", "name"
        )
        if codes
        else []
    )
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for leaf in fields:
        value = lookup(dossier.data, leaf.name)
        seen.add(leaf.name.split(".", 1)[0])
        if value in (None, "", [], {}):
            continue
        shown = _shown(leaf.field, value)
        if leaf.type == "admin_unit" and str(value) in places:
            shown = f"{places[str(value)]} ({value})"
        rows.append((labels.get(leaf.name, leaf.name), shown))
    for name, value in dossier.data.items():
        if name not in seen and value not in (None, "", [], {}):
            rows.append((name, _shown({}, value)))
    return rows


def _shown(field: dict[str, Any], value: Any) -> str:
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    for choice in field.get("choices", []):
        if choice.get("value") == value:
            return pick(choice.get("label"))
    if field.get("type") == "date" and isinstance(value, str):
        try:
            return f"{datetime.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_shown({}, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_shown({}, v) for v in value)
    return str(value)


# --- The citizen's own dossiers and drafts (views/citizen.py) ----------------------


def dossiers_of_applicant(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` filed (or had filed for them), newest first."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(applicant=user)
        .select_related("procedure", "receiving_unit")
        .order_by("-submitted_at", "-pk")
    )


# How a part of a linked dossier knows the linked dossier it belongs to: through
# the chain step that opened it (chains.ChainStep.sub_dossier, its run's dossier),
# the one place dossiers reads the chains' tables. When the explicit
# `Dossier.part_of` field lands, this line becomes `PART_OF = "part_of"`.
PART_OF = "chain_step__run__dossier"

# "My dossiers" status filter: everything, or what the officer's queue offers.
MINE_ALL = ""
MINE_QUERY_LENGTH = 100


def dossiers_mine(
    *, user: Any, q: str = "", status: str = MINE_ALL
) -> QuerySet[Dossier]:
    """The citizen's filings, newest first: their dossiers that are not a part of
    a linked dossier (the parts come with `dossier_parts_of`). `q` finds a filing
    by its code or its procedure's name (case and diacritics ignored, as the
    catalogue's search), or by one of its parts'; `status` is the filing's own
    (a linked dossier waiting for the citizen says so itself)."""
    mine = dossiers_of_applicant(user=user)
    filings = mine.filter(**{f"{PART_OF}__isnull": True})
    if status != MINE_ALL:
        filings = filings.filter(queue_status_q(status))
    match = _mine_search_q(q)
    if match is not None:
        parents = mine.filter(match, **{f"{PART_OF}__isnull": False}).values(PART_OF)
        filings = filings.filter(match | Q(pk__in=parents))
    return filings


def _mine_search_q(q: str) -> Q | None:
    text = q.strip()[:MINE_QUERY_LENGTH]
    words = normalize(text).split()
    if not words:
        return None
    # Every word at the start of a word of the procedure's name (anywhere, for
    # words with digits such as codes), as procedures.selectors.procedure_search.
    name = Q()
    for word in words:
        needle = word if any(ch.isdigit() for ch in word) else f" {word}"
        name &= Q(procedure__search_text__contains=needle)
    return Q(code__icontains=text) | name


def dossier_parts_of(*, user: Any, filings: list[Dossier]) -> dict[int, list[Dossier]]:
    """The parts of the linked dossiers among `filings`, by filing, in the order
    they were opened: one query, none when no filing is a linked dossier."""
    linked = [d.pk for d in filings if d.procedure.is_linked]
    if not linked:
        return {}
    parts: dict[int, list[Dossier]] = {}
    rows = (
        dossiers_of_applicant(user=user)
        .filter(**{f"{PART_OF}__in": linked})
        .annotate(filing_pk=F(PART_OF))
        .order_by("submitted_at", "pk")
    )
    for part in rows:
        parts.setdefault(part.filing_pk, []).append(part)
    return parts


def drafts_for(*, user: Any) -> QuerySet[Draft]:
    """The user's unfinished submissions, last edited first."""
    if not getattr(user, "is_authenticated", False):
        return Draft.objects.none()
    return (
        Draft.objects.filter(owner=user)
        .select_related("procedure", "receiving_unit")
        .order_by("-updated_at", "-pk")
    )


def draft_get_for_user(*, user: Any, pk: int) -> Draft:
    """The draft if `user` owns it; 404 for everyone else."""
    draft = drafts_for(user=user).filter(pk=pk).first()
    if draft is None:
        raise Http404
    return draft


def receiving_units_for(*, procedure: Any) -> QuerySet[OrgUnit]:
    """The active units that receive dossiers of `procedure` (same agency type)."""
    return (
        OrgUnit.objects.filter(is_active=True, agency_type=procedure.agency_type)
        .select_related("admin_unit")
        .order_by("admin_unit__path", "name")
    )


def dossier_last_event(*, dossier: Dossier, action: str) -> Event | None:
    """The latest event of `action` on the dossier (e.g. the supplement request)."""
    return dossier.events.filter(action=action).order_by("-at", "-pk").first()
