"""Who may see which units, the filters and their resolution into a selection."""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.db.models.lookups import In
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Channel
from procedures.models import Procedure
from units.models import AGENCY_CODE_PATTERN, AdminUnit, OrgUnit

EPOCH = datetime.date(1900, 1, 1)
AREA_PERM = "dashboards.view_area_stats"
UNIT_PERM = "dashboards.view_unit_stats"


class StatsError(Exception):
    """Bad filters: `errors` maps a parameter to its messages (HTTP 400)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


# --- Who sees what ------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The units a user may see figures of.

    Superusers see everything; district and province staff (and administrators)
    the area of their agency (its administrative unit and every unit below it)
    across the reform: `roots` adds the units that carried its work on
    (successors, after a unit ended: a former district's communes, then the
    communes formed from them) and those whose work it carries on (predecessors:
    Nam Định's units for the province of Ninh Bình); a unit leader their own
    organisation unit (docs/dashboards.md, decision 200).
    """

    everything: bool = False
    area: AdminUnit | None = None
    org_unit: OrgUnit | None = None
    # The area's own unit first, then the successors' and predecessors' units
    # outside it, each a subtree (none lies inside another).
    roots: tuple[AdminUnit, ...] = ()

    @property
    def admin_unit(self) -> AdminUnit | None:
        if self.area is not None:
            return self.area
        return self.org_unit.admin_unit if self.org_unit is not None else None

    @property
    def area_roots(self) -> tuple[AdminUnit, ...]:
        """The subtrees of an area scope (its own unit when `roots` is empty)."""
        if self.roots:
            return self.roots
        return (self.area,) if self.area is not None else ()

    def covers(self, unit: AdminUnit) -> bool:
        """Whether the unit lies inside the area (an area scope only)."""
        return any(unit.path.startswith(root.path) for root in self.area_roots)


def _across_reform_sql() -> str:
    """The area's unit and the units it is linked to by successors: forward from
    any unit of its subtree (what carried its communes' work on), backward into
    any unit of it (what it carries on). Either direction is followed to its
    end, never one after the other (a successor's other predecessors are not the
    area's). One query, whatever the number of units."""
    units = AdminUnit._meta.db_table
    links = AdminUnit.successors.through._meta.db_table
    return (
        "WITH RECURSIVE "  # noqa: S608 - table names only; the id is a parameter
        f"home(id, path) AS (SELECT id, path FROM {units} WHERE id = %s), "
        f"sub(id) AS (SELECT u.id FROM {units} u, home "
        "WHERE u.path LIKE home.path || '%%'), "
        f"fwd(id) AS (SELECT s.to_adminunit_id FROM {links} s "
        "JOIN sub ON s.from_adminunit_id = sub.id "
        f"UNION SELECT s.to_adminunit_id FROM {links} s "
        "JOIN fwd ON s.from_adminunit_id = fwd.id), "
        f"bwd(id) AS (SELECT s.from_adminunit_id FROM {links} s "
        "JOIN sub ON s.to_adminunit_id = sub.id "
        f"UNION SELECT s.from_adminunit_id FROM {links} s "
        "JOIN bwd ON s.to_adminunit_id = bwd.id) "
        f"SELECT * FROM {units} WHERE id IN "
        "(SELECT id FROM home UNION SELECT id FROM fwd UNION SELECT id FROM bwd) "
        "ORDER BY path"
    )


def area_across_reform(admin_unit_id: int) -> tuple[AdminUnit, tuple[AdminUnit, ...]]:
    """An area's unit and its subtrees across the reform (one query): the unit
    first, then the linked units outside it that no other one contains."""
    found = list(AdminUnit.objects.raw(_across_reform_sql(), [admin_unit_id]))
    home = next(u for u in found if u.pk == admin_unit_id)
    roots: list[AdminUnit] = [home]
    for unit in found:  # by path: a unit comes after the units above it
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return home, tuple(roots)


def stats_scope(*, user: Any) -> Scope:
    """The caller's scope; PermissionDenied for everyone else (citizens too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.is_superuser:
        return Scope(everything=True)
    org_unit = user.org_unit
    if org_unit is not None:
        if user.has_perm(AREA_PERM):
            home, roots = area_across_reform(org_unit.admin_unit_id)
            return Scope(area=home, roots=roots)
        if user.has_perm(UNIT_PERM):
            return Scope(org_unit=org_unit)
    raise PermissionDenied


# --- Filters ------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date
    unit: str = ""
    procedure: str = ""
    channel: str = ""

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (what links and exports carry)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for name in ("unit", "procedure", "channel"):
            if getattr(self, name):
                params[name] = getattr(self, name)
        return params


def _date(params: Mapping[str, str], name: str, default: datetime.date) -> Any:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


def filters_parse(
    params: Mapping[str, str], *, today: datetime.date | None = None
) -> Filters:
    """Filters from query parameters; defaults: this year up to today."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    start = _date(params, "from", today.replace(month=1, day=1))
    end = _date(params, "to", today)
    message = _("Ngày phải có dạng YYYY-MM-DD, ví dụ 2023-01-31.")
    if start is None:
        errors["from"] = [message]
    if end is None:
        errors["to"] = [message]
    if start and end and start > end:
        errors["to"] = [_("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")]
    channel = (params.get("channel") or "").strip()
    if channel and channel not in Channel.values:
        errors["channel"] = [
            _("Kênh nộp phải là một trong: %(values)s.")
            % {"values": ", ".join(Channel.values)}
        ]
    if errors:
        raise StatsError(errors)
    return Filters(
        start=start,
        end=end,
        unit=(params.get("unit") or "").strip(),
        procedure=(params.get("procedure") or "").strip(),
        channel=channel,
    )


# --- Selection ----------------------------------------------------------------


def unit_overlaps(unit: AdminUnit, start: datetime.date, end: datetime.date) -> bool:
    """Whether a version of an administrative unit was valid on a day of the
    period."""
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


class _InArray(In):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on
    PostgreSQL: the array is computed once (an init plan) and is then an index
    condition, which each piece of a period (an OR of grain and start ranges)
    ranges over with the unit index. `IN (subquery)` is planned as a join, and
    the OR stays a filter over every row of each unit (docs/benchmarks.md)."""

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        if connection.vendor == "postgresql" and not self.rhs_is_direct_value():
            return f"= ANY(ARRAY{rhs})"
        return str(super().get_rhs_op(connection, rhs))


@dataclass
class Selection:
    """The resolved filters: which organisation units, procedure and channel are
    counted, and the administrative units the figures are about (`roots`)."""

    filters: Filters
    org_units: Q  # on OrgUnit
    roots: list[AdminUnit] = field(default_factory=list)
    procedure: Procedure | None = None
    agency: OrgUnit | None = None
    scope: Scope = field(default_factory=Scope)

    def counted_q(self) -> Q:
        """The filter on buckets (`StatBucket`, `UnitBucket`)."""
        q = Q()
        if self.org_units:
            units = OrgUnit.objects.filter(self.org_units).order_by().values("pk")
            if self.procedure is None:
                q &= Q(_InArray(F("receiving_unit"), units))
            else:
                # One procedure's rows are few and found by the key (grain,
                # start, unit, procedure, channel) without the units; an array
                # there costs one descent of each piece per unit (PostgreSQL 15).
                q &= Q(receiving_unit__in=units)
        if self.procedure is not None:
            q &= Q(procedure=self.procedure)
        if self.filters.channel:
            q &= Q(channel=self.filters.channel)
        return q

    def facts_q(self) -> Q:
        """The same filter on `DossierFacts` (plain id columns)."""
        q = Q()
        if self.org_units:
            units = OrgUnit.objects.filter(self.org_units).values("pk")
            q &= Q(receiving_unit_id__in=units)
        if self.procedure is not None:
            q &= Q(procedure_id=self.procedure.pk)
        if self.filters.channel:
            q &= Q(channel=self.filters.channel)
        return q

    @property
    def title(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.scope.org_unit is not None:
            return self.scope.org_unit.name
        area = self.scope.area
        if area is not None and len(self.roots) > 1 and self.roots[0] == area:
            # The area with its units across the reform (decision 200).
            return _("%(unit)s (cả các đơn vị trước và sau sắp xếp)") % {
                "unit": area.name
            }
        return ", ".join(unit.name for unit in self.roots) or _("Toàn bộ")


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(Q(code=code) | Q(key=code)).first()
    if procedure is None:
        raise StatsError({"procedure": [_("Không có thủ tục mang mã này.")]})
    return procedure


def _related(scope: Scope, unit: AdminUnit) -> bool:
    """Whether the unit is inside the scope's area (across the reform), or
    contains a part of it."""
    if scope.everything:
        return True
    if scope.area is not None:
        return scope.covers(unit) or any(
            root.path.startswith(unit.path) for root in scope.area_roots
        )
    home = scope.admin_unit
    if home is None:
        return False
    return unit.path.startswith(home.path) or home.path.startswith(unit.path)


def selection_resolve(*, scope: Scope, filters: Filters) -> Selection:
    """Resolve the filters within the scope.

    `unit` is an agency identifier (that organisation unit) or an
    administrative unit code (every organisation unit located in it or below
    it). A code reused across eras means the versions valid during the period
    (all versions when none is). A unit outside the scope raises
    PermissionDenied; a unit partly inside it is narrowed to the scope.
    """
    procedure = _procedure(filters.procedure) if filters.procedure else None
    selection = Selection(filters=filters, org_units=Q(), procedure=procedure)
    selection.scope = scope
    code = filters.unit
    if scope.area is not None and code == scope.area.code:
        # The area's own code is the whole area, across the reform as by
        # default (the units' filter offers it first): `359` is the former
        # district's communes, then their successors (decision 200).
        code = ""
    if not code:
        if scope.area is not None:
            q = Q()
            for root in scope.area_roots:
                q |= Q(admin_unit__path__startswith=root.path)
            selection.org_units = q
            selection.roots = list(scope.area_roots)
        elif scope.org_unit is not None:
            selection.org_units = Q(pk=scope.org_unit.pk)
            selection.roots = [scope.org_unit.admin_unit]
            selection.agency = scope.org_unit
        return selection
    if re.fullmatch(AGENCY_CODE_PATTERN, code):
        agency = (
            OrgUnit.objects.select_related("admin_unit")
            .filter(agency_code=code)
            .first()
        )
        if agency is None:
            raise StatsError({"unit": [_("Không có cơ quan, đơn vị mang mã này.")]})
        inside = (
            scope.everything
            or (scope.area is not None and scope.covers(agency.admin_unit))
            or (scope.org_unit is not None and agency.pk == scope.org_unit.pk)
        )
        if not inside:
            raise PermissionDenied
        selection.org_units = Q(pk=agency.pk)
        selection.roots = [agency.admin_unit]
        selection.agency = agency
        return selection
    versions = list(AdminUnit.objects.filter(code=code))
    if not versions:
        raise StatsError({"unit": [_("Không có đơn vị hành chính mang mã này.")]})
    # A code reused by a unit of another tree (Gôi's 13741 is the new xã Vụ Bản
    # of Ninh Bình since 2025-07-01) means, to staff of an area, the version
    # related to their area, even when only the other one is valid in the
    # period: their units' agencies outlive the old unit.
    related = [u for u in versions if _related(scope, u)]
    versions = related or versions
    chosen = [
        u for u in versions if unit_overlaps(u, filters.start, filters.end)
    ] or versions
    roots: dict[int, AdminUnit] = {}
    for unit in chosen:
        if scope.everything:
            roots[unit.pk] = unit
        elif scope.area is not None:
            if scope.covers(unit):
                roots[unit.pk] = unit
            else:
                for root in scope.area_roots:
                    if root.path.startswith(unit.path):
                        roots[root.pk] = root
        elif scope.org_unit is not None:
            home = scope.org_unit.admin_unit
            if home.path.startswith(unit.path):
                roots[home.pk] = home
    if not roots:
        raise PermissionDenied
    selection.roots = sorted(roots.values(), key=lambda u: u.path)
    if scope.org_unit is not None:
        selection.org_units = Q(pk=scope.org_unit.pk)
        selection.agency = scope.org_unit
    else:
        q = Q()
        for root in selection.roots:
            q |= Q(admin_unit__path__startswith=root.path)
        selection.org_units = q
    return selection


def units_for_filter(
    *, scope: Scope, start: datetime.date, end: datetime.date
) -> list[AdminUnit]:
    """The administrative units a user may pick: their area's unit (whatever its
    dates: its agencies may outlive it), then the units in force in the period
    among the area's other subtrees across the reform (decision 200) and the
    units right below each subtree's unit: for a former district, its communes
    before 2025-07-01 and the communes formed from them after."""
    root = scope.admin_unit
    if scope.org_unit is not None and root is not None:
        return [root]
    in_force = AdminUnit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )
    if root is None:
        return list(in_force.filter(depth=0).order_by("name"))
    roots = scope.area_roots or (root,)
    others = [r for r in roots if r.pk != root.pk]
    listed = in_force.filter(
        Q(parent__in=[r.pk for r in roots]) | Q(pk__in=[r.pk for r in others])
    )
    # The subtrees' units before the units below them, by name in each level.
    return [root, *listed.order_by("depth", "name")]
