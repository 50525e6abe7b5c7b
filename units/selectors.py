"""Reads of the administrative tree and of organisation units."""

import datetime

from django.db.models import Q, QuerySet

from portal.db import PreparedRead

from .models import NON_RECEIVING_KINDS, ONE_STOP_KINDS, AdminUnit, OrgUnit


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    """The condition "valid on `day`" for AdminUnit or OrgUnit rows (or a
    related prefix): both carry `valid_from` and `valid_to`."""
    return (
        Q(**{f"{prefix}valid_from__isnull": True})
        | Q(**{f"{prefix}valid_from__lte": day})
    ) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def admin_units_valid_on(
    *, day: datetime.date, parent: AdminUnit | None = None
) -> QuerySet[AdminUnit]:
    """Units valid on `day`; with `parent`, only its direct children."""
    units = AdminUnit.objects.filter(valid_on_q(day))
    if parent is not None:
        units = units.filter(parent=parent)
    return units.select_related("parent")


def admin_unit_subtree(*, unit: AdminUnit) -> QuerySet[AdminUnit]:
    """The unit and every unit below it, whatever their dates."""
    return AdminUnit.objects.filter(path__startswith=unit.path)


def admin_unit_successors_on(*, unit: AdminUnit, day: datetime.date) -> list[AdminUnit]:
    """The units that carry `unit` on at `day`, following successors across eras.

    A unit valid on `day` is its own answer. Units merged into one successor yield
    that successor once.
    """
    found: dict[int, AdminUnit] = {}
    seen: set[int] = set()
    frontier = [unit]
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        starts_ok = current.valid_from is None or current.valid_from <= day
        ends_ok = current.valid_to is None or current.valid_to >= day
        if starts_ok and ends_ok:
            found[current.pk] = current
            continue
        if not ends_ok:
            frontier.extend(_SUCCESSORS.objects(unit=current.pk))
    return sorted(found.values(), key=lambda u: (u.path, u.code))


def org_units_in_subtree(*, unit: AdminUnit) -> QuerySet[OrgUnit]:
    """Organisation units located in `unit` or anywhere below it."""
    return OrgUnit.objects.filter(
        admin_unit__path__startswith=unit.path
    ).select_related("admin_unit")


def org_units_in_force(
    *,
    day: datetime.date,
    kind: str = "",
    province: AdminUnit | None = None,
) -> QuerySet[OrgUnit]:
    """Active organisation units in force on `day`; with `kind`, of that kind;
    with `province`, located in it (anywhere below it)."""
    units = OrgUnit.objects.filter(valid_on_q(day), is_active=True)
    if kind:
        units = units.filter(kind=kind)
    if province is not None:
        units = units.filter(admin_unit__path__startswith=province.path)
    return units.select_related("admin_unit", "parent").order_by(
        "admin_unit__path", "kind", "name"
    )


def receiving_q(day: datetime.date) -> Q:
    """The condition "takes dossiers from citizens on `day`" for OrgUnit rows:
    active, in force, and not an office that only handles forwarded work."""
    return valid_on_q(day) & Q(is_active=True) & ~Q(kind__in=NON_RECEIVING_KINDS)


def org_unit_successors_on(*, unit: OrgUnit, day: datetime.date) -> list[OrgUnit]:
    """The units that carry `unit` on at `day`, following successors across eras
    (a unit in force on `day` is its own answer)."""
    found: dict[int, OrgUnit] = {}
    seen: set[int] = set()
    frontier = [unit]
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.in_force_on(day):
            found[current.pk] = current
        elif current.valid_to is not None and current.valid_to < day:
            frontier.extend(current.successors.all())
    return sorted(found.values(), key=lambda u: (u.agency_code, u.pk))


def path_ids(path: str) -> list[int]:
    """The primary keys of a unit's path, from the top of the tree down."""
    return [int(part) for part in path.strip("/").split("/") if part]


def province_id_of(unit: AdminUnit) -> int:
    """The primary key of the top unit (the province) above `unit`, or its own."""
    return path_ids(unit.path)[0]


def admin_unit_within(*, unit: AdminUnit, area: AdminUnit) -> bool:
    """Whether `unit` is `area` or lies below it (no query)."""
    return unit.path.startswith(area.path)


def competent_unit_for(
    *, agency_type: str, area: AdminUnit, day: datetime.date
) -> OrgUnit | None:
    """The agency competent for procedures of `agency_type` in `area` on `day`:
    the nearest unit of that agency type in force at the area or above it, never
    a centre or a reception point (they receive; an office decides). Today the
    commune's office or police of the commune; before the reform the commune's
    People's Committee, or the district's office. One query."""
    ids = path_ids(area.path)
    candidates = list(
        OrgUnit.objects.filter(
            valid_on_q(day),
            is_active=True,
            agency_type=agency_type,
            admin_unit_id__in=ids,
        )
        .exclude(kind__in=ONE_STOP_KINDS)
        .select_related("admin_unit")
    )
    if not candidates:
        return None
    depth = {pk: index for index, pk in enumerate(ids)}
    candidates.sort(
        key=lambda unit: (
            -depth[unit.admin_unit_id],
            unit.kind not in NON_RECEIVING_KINDS,
            unit.name,
            unit.pk,
        )
    )
    return candidates[0]


# The unit a submission names by its agency code, with its place: compiled once
# (decision 336).
_UNIT_BY_CODE = PreparedRead(
    lambda code: (
        OrgUnit.objects.select_related("admin_unit")
        .filter(agency_code=code)
        .order_by("pk")[:1]
    ),
    code=str,
)


def org_unit_by_code(*, code: str) -> OrgUnit | None:
    """The unit with this agency code, with its administrative unit; None when
    there is none."""
    unit: OrgUnit | None = _UNIT_BY_CODE.first(code=code)
    return unit


# An ended unit's successors, read at every submission of a citizen whose
# recorded commune ended in the reform: compiled once (decision 336).
_SUCCESSORS = PreparedRead(
    lambda unit: AdminUnit.objects.filter(predecessors=unit), unit=int
)
