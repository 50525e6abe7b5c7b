"""Who sees which dossier: every read of one dossier goes through these, so
nobody sees a dossier that is not theirs to see; its events, tracking, results.
"""

import dataclasses
import datetime
import functools
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Upper
from django.http import Http404
from django.utils import timezone

from portal.db import PreparedRead
from procedures.models import PROCEDURE_LONG_FIELDS
from signing.selectors import Verification, pdf_verify, signed_document_of
from units.models import OrgUnit

from ..calendar import completion_timeliness, open_timeliness
from ..models import (
    COMPLETED_STATUSES,
    FINAL_STATUSES,
    Attachment,
    Dossier,
    Event,
    Rating,
    Result,
)


def dossiers_base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "procedure",
        "applicant",
        "receiving_unit",
        "processing_unit",
        "competent_unit",
        "admin_unit",
        "assignee",
    )


def dossiers_visible_to(*, user: Any) -> QuerySet[Dossier]:
    """The dossiers `user` may see.

    A citizen sees their own; an officer those received by, forwarded to, or
    within the competence of their unit (issue 17: a dossier filed at another
    commune's centre is seen by the competent agency); district staff every
    dossier of the units in their area (the admin-unit subtree of their agency);
    a member of the community digital technology team only those they filed for
    a citizen.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return dossiers_base()
    visible = Q(applicant=user)
    scope = staff_scope(user)
    if scope is not None:
        visible |= scope
    return dossiers_base().filter(visible)


@dataclasses.dataclass(frozen=True)
class _Roles:
    """What a staff user's roles open (dossiers.view_area_dossiers, …)."""

    area: bool
    unit: bool
    filed: bool


def _roles(user: Any) -> _Roles:
    return _Roles(
        area=user.has_perm("dossiers.view_area_dossiers"),
        unit=user.has_perm("dossiers.view_unit_dossiers"),
        filed=user.has_perm("dossiers.file_for_citizen"),
    )


def staff_scope(user: Any) -> Q | None:
    """The dossiers a staff user's roles open to them (None: no staff role).

    The area's units are a subquery rather than a join on their admin units'
    paths: the planner then reads each unit's dossiers by its indexes instead of
    joining every dossier to its unit's place (the queue at 1M dossiers).
    """
    org_unit = user.org_unit
    if org_unit is None:
        return None
    roles = _roles(user)
    path = org_unit.admin_unit.path if roles.area else ""
    return _scope(roles, user=user.pk, unit=org_unit.pk, path=path)


def _scope(roles: _Roles, *, user: Any, unit: Any, path: Any) -> Q | None:
    """`staff_scope`'s rule, for `user`, `unit` (ids) and the area's `path`:
    values, or a prepared read's placeholders (`path` then an expression)."""
    arms: list[Q] = []
    if roles.area:
        units = OrgUnit.objects.filter(admin_unit__path__startswith=path).values("pk")
        arms += [
            Q(receiving_unit__in=units),
            Q(processing_unit__in=units),
            Q(competent_unit__in=units),
        ]
    if roles.unit:
        arms += [
            Q(receiving_unit=unit),
            Q(processing_unit=unit),
            Q(competent_unit=unit),
        ]
    if roles.filed:
        arms.append(Q(assisted_by=user))
    if not arms:
        return None
    scope = arms[0]
    for arm in arms[1:]:
        scope |= arm
    return scope


def without_procedure_texts(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """`dossiers` read without their procedure's form and long texts, for pages
    that show its name (procedures.models.PROCEDURE_LONG_FIELDS)."""
    return dossiers.defer(*(f"procedure__{name}" for name in PROCEDURE_LONG_FIELDS))


def dossier_get_for_user(*, user: Any, code: str, lean: bool = False) -> Dossier:
    """The dossier with this code if `user` may see it; 404 otherwise. `lean`:
    without its procedure's form and long texts (for a page that shows its name).

    The rule is `dossiers_visible_to`'s, read by a query compiled once per shape
    of the user's roles (portal.db.PreparedRead): the officer's dossier page, the
    busiest staff page, compiled and planned this lookup of eight relations on
    every request (2 of its 5 ms at 1M dossiers)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    # The unit's id is enough, but for an area's path (the unit's row not read).
    unit = None if user.is_superuser else user.org_unit_id
    roles = None if unit is None else _roles(user)
    read = _lookup(user.is_superuser, roles, lean)
    path = ""
    if roles is not None and roles.area:
        path = user.org_unit.admin_unit.path
    found: Dossier | None = read.first(
        code=code, user=user.pk, unit=unit or 0, path=path
    )
    if found is None:
        raise Http404
    return found


@functools.cache
def _lookup(superuser: bool, roles: _Roles | None, lean: bool) -> PreparedRead:
    """The prepared lookup by code for one shape of roles; its placeholders are
    those that shape's rule uses."""
    values: dict[str, type] = {"code": str}
    if not superuser:
        values["user"] = int
    if roles is not None and roles.unit:
        values["unit"] = int
    if roles is not None and roles.area:
        values["path"] = str

    def build(code: str, user: int = 0, unit: int = 0, path: str = "") -> Any:
        dossiers = dossiers_base()
        if not superuser:
            visible = Q(applicant=user)
            scope = None
            if roles is not None:
                scope = _scope(roles, user=user, unit=unit, path=Value(path))
            if scope is not None:
                visible |= scope
            dossiers = dossiers.filter(visible)
        if lean:
            dossiers = without_procedure_texts(
                dossiers.select_related(None).select_related(
                    "procedure",
                    "applicant",
                    "receiving_unit",
                    "processing_unit",
                    "competent_unit",
                )
            )
        return dossiers.filter(code=code)[:1]

    return PreparedRead(build, **values)


def dossier_events(*, dossier: Dossier, public_only: bool = False) -> list[Event]:
    """The dossier's events, oldest first. The public ones are shown without
    their actor (the unit only), whom the read then leaves out; they are what the
    busiest public page shows. Both reads are compiled once (`PUBLIC_EVENTS`,
    `EVENTS`)."""
    if not public_only:
        return EVENTS.objects(dossier=dossier.pk)
    return PUBLIC_EVENTS.objects(dossier=dossier.pk)


def dossier_actions_done(
    *, dossier: Dossier, events: list[Event] | None = None
) -> set[str]:
    """The actions recorded on the dossier: from `events` when they are all of
    its events (`dossier_events` without `public_only`), else read."""
    if events is not None:
        return {event.action for event in events}
    return {action for (action,) in ACTIONS.rows(dossier=dossier.pk)}


def dossier_attachments(*, dossier: Dossier) -> list[Attachment]:
    """The dossier's files, oldest first."""
    return ATTACHMENTS.objects(dossier=dossier.pk)


def dossier_result(*, dossier: Dossier) -> Result | None:
    """The dossier's result, with its issuing unit; None before one is recorded."""
    result: Result | None = RESULT.first(dossier=dossier.pk)
    return result


def dossier_rated(*, dossier: Dossier) -> bool:
    return bool(RATED.rows(dossier=dossier.pk))


# The officer's dossier page, the busiest staff page: its own reads, compiled
# once per process as the tracking page's (decision 336).
EVENTS = PreparedRead(
    lambda dossier: Event.objects.filter(dossier_id=dossier).select_related(
        "actor", "actor_unit"
    ),
    dossier=int,
)
ACTIONS = PreparedRead(
    lambda dossier: (
        Event.objects.filter(dossier_id=dossier).order_by().values_list("action")
    ),
    dossier=int,
)
ATTACHMENTS = PreparedRead(
    lambda dossier: Attachment.objects.filter(dossier_id=dossier), dossier=int
)
RESULT = PreparedRead(
    lambda dossier: (
        Result.objects.filter(dossier_id=dossier)
        .select_related("issued_by_unit")
        .order_by("pk")[:1]
    ),
    dossier=int,
)
RATED = PreparedRead(
    lambda dossier: Rating.objects.filter(dossier_id=dossier).values_list("pk")[:1],
    dossier=int,
)


# Public tracking and its timeline, the busiest public reads: compiled once per
# process (portal.db.PreparedRead, decision 334). The dossier's columns are those
# the page shows; its procedure's names; its receiving unit whole (the footer
# shows its contacts); the events' shown columns and their unit's name.
TRACK = PreparedRead(
    lambda code, digits: (
        Dossier.objects.alias(code_upper=Upper("code"))
        .filter(code_upper=code, phone_last4=digits)
        .select_related("procedure", "receiving_unit")
        .only(
            "code",
            "status",
            "due_at",
            "completed_at",
            "phone_last4",
            "procedure__name",
            "procedure__name_en",
            "receiving_unit",
        )[:1]
    ),
    code=str,
    digits=str,
)

PUBLIC_EVENTS = PreparedRead(
    lambda dossier: (
        Event.objects.filter(dossier_id=dossier, public=True)
        .select_related("actor_unit")
        .only(
            "action",
            "at",
            "from_status",
            "to_status",
            "note",
            "details",
            "dossier_id",
            "actor_unit__name",
        )
    ),
    dossier=int,
)


def dossier_track(*, code: str, phone_last4: str) -> Dossier | None:
    """Public tracking: the dossier only when both the code and the last 4 digits
    of the applicant's phone match (a wrong pair looks like an unknown code). The
    code matches whatever its case (the index on UPPER(code))."""
    code = (code or "").strip().upper()
    digits = (phone_last4 or "").strip()
    if len(digits) != 4 or not digits.isdigit():
        return None
    dossier: Dossier | None = TRACK.first(code=code, digits=digits)
    return dossier


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


def dossier_last_event(
    *, dossier: Dossier, action: str, events: list[Event] | None = None
) -> Event | None:
    """The latest event of `action` on the dossier (e.g. the supplement request):
    among `events` when they are all of its events, oldest first
    (`dossier_events` without `public_only`), else read."""
    if events is not None:
        return next((e for e in reversed(events) if e.action == action), None)
    return dossier.events.filter(action=action).order_by("-at", "-pk").first()


def result_verification(*, result: Result) -> Verification | None:
    """The check of the result's electronic document: its hash against the one
    recorded when its agency signed it, and the signature itself against the
    trust roots (signing app). None for a result without one (on paper)."""
    if not result.file:
        return None
    try:
        with result.file.open("rb") as handle:
            content: bytes | None = handle.read()
    except OSError:
        content = None
    return pdf_verify(content=content, record=signed_document_of(result))


def result_is_valid(*, result: Result, verification: Verification | None) -> bool:
    """Not revoked, and its electronic document (if any) verified."""
    return result.revoked_at is None and (verification is None or verification.valid)
