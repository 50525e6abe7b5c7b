"""Reads of the dashboards: who may see which units, and the figures of a
selection, read from the pre-aggregated buckets with a fixed number of queries
whatever the number of dossiers (docs/dashboards.md)."""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Channel
from procedures.models import Procedure
from units.models import AGENCY_CODE_PATTERN, AdminUnit, OrgUnit

from .metrics import (
    CHANNEL_TOTAL,
    TOTAL_KEYS,
    Eid,
    figures,
    month_end,
    month_start,
    pieces,
)
from .models import COUNT_COLUMNS, BucketBase, StatBucket, UnitBucket, UnitStat

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

    Superusers see everything; district staff (and administrators) the area of
    their agency (its administrative unit and every unit below it); a unit leader
    their own organisation unit.
    """

    everything: bool = False
    area: AdminUnit | None = None
    org_unit: OrgUnit | None = None

    @property
    def admin_unit(self) -> AdminUnit | None:
        if self.area is not None:
            return self.area
        return self.org_unit.admin_unit if self.org_unit is not None else None


def stats_scope(*, user: Any) -> Scope:
    """The caller's scope; PermissionDenied for everyone else (citizens too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.is_superuser:
        return Scope(everything=True)
    org_unit = user.org_unit
    if org_unit is not None:
        if user.has_perm(AREA_PERM):
            return Scope(area=org_unit.admin_unit)
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


def _overlaps(unit: AdminUnit, start: datetime.date, end: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= end) and (
        unit.valid_to is None or unit.valid_to >= start
    )


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
        """The filter on buckets, and on dossiers (both have the three fields)."""
        q = Q()
        if self.org_units:
            units = OrgUnit.objects.filter(self.org_units).values("pk")
            q &= Q(receiving_unit__in=units)
        if self.procedure is not None:
            q &= Q(procedure=self.procedure)
        if self.filters.channel:
            q &= Q(channel=self.filters.channel)
        return q

    @property
    def title(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.scope.org_unit is not None:
            return self.scope.org_unit.name
        return ", ".join(unit.name for unit in self.roots) or _("Toàn bộ")


def _procedure(code: str) -> Procedure:
    procedure = Procedure.objects.filter(Q(code=code) | Q(key=code)).first()
    if procedure is None:
        raise StatsError({"procedure": [_("Không có thủ tục mang mã này.")]})
    return procedure


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
    if not code:
        if scope.area is not None:
            selection.org_units = Q(admin_unit__path__startswith=scope.area.path)
            selection.roots = [scope.area]
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
            or (
                scope.area is not None
                and agency.admin_unit.path.startswith(scope.area.path)
            )
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
    chosen = [
        u for u in versions if _overlaps(u, filters.start, filters.end)
    ] or versions
    roots: dict[int, AdminUnit] = {}
    for unit in chosen:
        if scope.everything:
            roots[unit.pk] = unit
        elif scope.area is not None:
            if unit.path.startswith(scope.area.path):
                roots[unit.pk] = unit
            elif scope.area.path.startswith(unit.path):
                roots[scope.area.pk] = scope.area
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


# --- Reading the buckets ------------------------------------------------------


def _pieces_q(parts: Iterable[tuple[str, datetime.date, datetime.date]]) -> Q:
    q = Q(pk__in=[])
    for grain, first, last in parts:
        q |= Q(grain=grain, start__gte=first, start__lte=last)
    return q


def stock_day(filters: Filters) -> datetime.date:
    """Open and overdue are counted at the end of the period, or today when the
    period ends later (a stock in the future is not known yet)."""
    return min(filters.end, timezone.localdate())


def _aggregates(flow: Q, stock: Q) -> dict[str, Any]:
    """Conditional sums named `t_<total key>` (names of their own: an
    annotation may not take a field's name)."""
    sums: dict[str, Any] = {
        "t_received": Sum("received", filter=flow),
        "t_open": Sum("open_delta", filter=stock),
        "t_overdue": Sum("overdue_delta", filter=stock),
    }
    for channel, key in CHANNEL_TOTAL.items():
        sums[f"t_{key}"] = Sum("received", filter=flow & Q(channel=channel))
    for column in COUNT_COLUMNS:
        if column not in {"received", "open_delta", "overdue_delta"}:
            sums[f"t_{column}"] = Sum(column, filter=flow)
    return sums


def _flow_and_stock(filters: Filters) -> tuple[Q, Q]:
    flow = _pieces_q(pieces(filters.start, filters.end))
    stock = _pieces_q(pieces(EPOCH, stock_day(filters)))
    return flow, stock


def _buckets(selection: Selection) -> QuerySet[BucketBase]:
    """The buckets of the selection: all procedures together unless one is
    chosen (a few rows per unit and period whatever the procedures)."""
    model: type[BucketBase] = StatBucket if selection.procedure else UnitBucket
    return model._default_manager.filter(selection.counted_q())


def _totals(row: Mapping[str, Any]) -> dict[str, int]:
    return {key: int(row.get(f"t_{key}") or 0) for key in TOTAL_KEYS}


# --- E-ID ---------------------------------------------------------------------


@dataclass(frozen=True)
class _StatRow:
    unit_id: int
    path: str
    as_of: datetime.date
    activated: int
    population: int


def _eid_rows(roots: list[AdminUnit], until: datetime.date) -> list[_StatRow]:
    stats = UnitStat.objects.filter(as_of__lte=until)
    if roots:
        q = Q(pk__in=[])
        for root in roots:
            q |= Q(admin_unit__path__startswith=root.path)
        stats = stats.filter(q)
    return [
        _StatRow(*row)
        for row in stats.values_list(
            "admin_unit_id",
            "admin_unit__path",
            "as_of",
            "eid_activated",
            "eid_population",
        )
    ]


def eid_figure(
    rows: list[_StatRow], *, root_path: str, day: datetime.date
) -> Eid | None:
    """A unit's e-ID figure as of `day`: its own latest row on or before `day`
    if it has one, else the sum of the figures of the units below it (so a
    district's row wins over its communes', and communes add up when the
    district has none)."""
    latest: dict[int, _StatRow] = {}
    for row in rows:
        if not (row.as_of <= day and row.path.startswith(root_path)):
            continue
        if row.unit_id not in latest or latest[row.unit_id].as_of < row.as_of:
            latest[row.unit_id] = row
    chosen: list[_StatRow] = []
    for row in sorted(latest.values(), key=lambda r: len(r.path)):
        if not any(row.path.startswith(top.path) for top in chosen):
            chosen.append(row)
    if not chosen:
        return None
    return Eid(
        activated=sum(r.activated for r in chosen),
        population=sum(r.population for r in chosen),
    )


def _eid_for(
    rows: list[_StatRow], roots: list[AdminUnit], day: datetime.date
) -> Eid | None:
    paths = [root.path for root in roots] or [""]
    known = [
        f
        for f in (eid_figure(rows, root_path=path, day=day) for path in paths)
        if f is not None
    ]
    if not known:
        return None
    return Eid(
        activated=sum(f.activated for f in known),
        population=sum(f.population for f in known),
    )


# --- Public reads -------------------------------------------------------------


def stats_summary(*, selection: Selection) -> dict[str, Any]:
    """The figures of the selection (3 queries: buckets, e-ID)."""
    flow, stock = _flow_and_stock(selection.filters)
    row = _buckets(selection).filter(flow | stock).aggregate(**_aggregates(flow, stock))
    day = selection.filters.end
    eid = _eid_for(_eid_rows(selection.roots, day), selection.roots, day)
    return figures(_totals(row), eid)


def _child_key(path: str, roots: list[AdminUnit]) -> int | None:
    """The unit right below the root on `path` (or the root itself)."""
    for root in roots:
        if path.startswith(root.path):
            rest = path[len(root.path) :].strip("/")
            return int(rest.split("/")[0]) if rest else root.pk
    if not roots:
        return int(path.strip("/").split("/")[0])
    return None


def stats_by_unit(*, selection: Selection) -> list[dict[str, Any]]:
    """One row per administrative unit right below the selection's unit (the
    communes of a district), plus the unit itself for the agencies located at
    its own level (their e-ID is the whole unit's, so it is left empty there).
    A selection of one organisation unit gives one row, keyed by its agency
    identifier."""
    if selection.agency is not None:
        agency = selection.agency
        return [
            {"unit": agency.agency_code, "unit_name": agency.name}
            | stats_summary(selection=selection)
        ]
    filters = selection.filters
    flow, stock = _flow_and_stock(filters)
    org_paths = dict(
        OrgUnit.objects.filter(selection.org_units).values_list(
            "pk", "admin_unit__path"
        )
    )
    grouped = (
        _buckets(selection)
        .filter(flow | stock)
        .values("receiving_unit_id")
        .annotate(**_aggregates(flow, stock))
    )
    totals: dict[int, dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(TOTAL_KEYS, 0)
    )
    for row in grouped:
        key = _child_key(org_paths.get(row["receiving_unit_id"], ""), selection.roots)
        if key is None:
            continue
        for name, value in _totals(row).items():
            totals[key][name] += value
    listed = Q(pk__in=list(totals))
    for root in selection.roots:
        listed |= Q(parent=root)
    units = [
        u
        for u in AdminUnit.objects.filter(listed)
        if u.pk in totals or _overlaps(u, filters.start, filters.end)
    ]
    rows = _eid_rows(selection.roots, filters.end)
    roots = {root.pk for root in selection.roots}
    out = []
    for unit in sorted(units, key=lambda u: (u.depth, u.code, u.path)):
        eid = None
        if unit.pk not in roots:
            eid = eid_figure(rows, root_path=unit.path, day=filters.end)
        out.append(
            {"unit": unit.code, "unit_name": unit.name}
            | figures(totals.get(unit.pk, {}), eid)
        )
    return out


def stats_by_procedure(*, selection: Selection) -> list[dict[str, Any]]:
    """One row per procedure with dossiers in the selection (e-ID: not per
    procedure, so null)."""
    flow, stock = _flow_and_stock(selection.filters)
    grouped = (
        StatBucket.objects.filter(selection.counted_q())
        .filter(flow | stock)
        .values("procedure_id", "procedure__code", "procedure__key", "procedure__name")
        .annotate(**_aggregates(flow, stock))
    )
    out = []
    for row in grouped:
        values = figures(_totals(row))
        if not any(v for k, v in values.items() if not k.endswith("_rate")):
            continue
        out.append(
            {
                "procedure": row["procedure__code"] or row["procedure__key"],
                "procedure_name": row["procedure__name"],
            }
            | values
        )
    out.sort(
        key=lambda r: (-r["received_total"], -r["completed_total"], r["procedure"])
    )
    return out


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months = []
    day = month_start(start)
    while day <= end:
        months.append(day)
        day = month_end(day) + datetime.timedelta(days=1)
    return months


def _covers(
    parts: list[tuple[str, datetime.date, datetime.date]],
    grain: str,
    start: datetime.date,
) -> bool:
    return any(g == grain and a <= start <= b for g, a, b in parts)


def stats_by_month(*, selection: Selection) -> list[dict[str, Any]]:
    """One row per calendar month of the period (the first and last months cut
    to the period); open and overdue at each month's end."""
    filters = selection.filters
    today = timezone.localdate()
    until = min(filters.end, today)
    before = min(filters.start - datetime.timedelta(days=1), today)
    flow_parts = pieces(filters.start, filters.end, years=False)
    stock_parts = pieces(filters.start, until, years=False)
    base_parts = pieces(EPOCH, before)
    q = _pieces_q(flow_parts) | _pieces_q(stock_parts) | _pieces_q(base_parts)
    sums = {f"s_{column}": Sum(column) for column in COUNT_COLUMNS}
    grouped = (
        _buckets(selection)
        .filter(q)
        .values("grain", "start", "channel")
        .annotate(**sums)
    )
    months = _months(filters.start, filters.end)
    flows: dict[datetime.date, dict[str, int]] = {
        m: dict.fromkeys(TOTAL_KEYS, 0) for m in months
    }
    deltas: dict[datetime.date, list[int]] = {m: [0, 0] for m in months}
    base = [0, 0]
    for values in grouped:
        row: dict[str, Any] = dict(values)
        grain, start = row["grain"], row["start"]
        month = month_start(start)
        if month in flows and _covers(flow_parts, grain, start):
            totals = flows[month]
            for column in COUNT_COLUMNS:
                if column not in {"open_delta", "overdue_delta"}:
                    totals[column] += row[f"s_{column}"] or 0
            channel_key = CHANNEL_TOTAL.get(row["channel"])
            if channel_key:
                totals[channel_key] += row["s_received"] or 0
        target = None
        if month in deltas and _covers(stock_parts, grain, start):
            target = deltas[month]
        elif _covers(base_parts, grain, start):
            target = base
        if target is not None:
            target[0] += row["s_open_delta"] or 0
            target[1] += row["s_overdue_delta"] or 0
    rows = _eid_rows(selection.roots, filters.end)
    out = []
    running = list(base)
    for month in months:
        running[0] += deltas[month][0]
        running[1] += deltas[month][1]
        totals = flows[month] | {"open": running[0], "overdue": running[1]}
        last_day = min(month_end(month), filters.end)
        eid = _eid_for(rows, selection.roots, last_day)
        out.append({"month": f"{month:%Y-%m}"} | figures(totals, eid))
    return out


def units_for_filter(
    *, scope: Scope, start: datetime.date, end: datetime.date
) -> list[AdminUnit]:
    """The administrative units a user may pick: their area's unit (whatever its
    dates: its agencies may outlive it) and the units right below it that were
    valid in the period."""
    root = scope.admin_unit
    if scope.org_unit is not None and root is not None:
        return [root]
    below = AdminUnit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end),
        Q(valid_to__isnull=True) | Q(valid_to__gte=start),
    )
    if root is None:
        return list(below.filter(depth=0).order_by("name"))
    return [root, *below.filter(parent=root).order_by("name")]


# --- The dossiers behind a figure -------------------------------------------------

# Figures that have a list of dossiers behind them (the page links each one).
DRILL_DOWN_MEASURES = (
    "received_total",
    "received_online",
    "received_counter",
    "received_post",
    "assisted_total",
    "fee_dossiers",
    "paid_online",
    "completed_total",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "results_in_scope",
    "results_digitized",
    "ratings_total",
    "satisfied_total",
    "open_total",
    "open_on_track",
    "open_overdue",
)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _measure_q(measure: str, filters: Filters) -> tuple[Q, dict[str, Any]]:
    """The filter on dossiers for a figure (the same definitions as
    `metrics.facts_compute`), with the annotations it needs."""
    from django.db.models import Case, F, OuterRef, Subquery, When
    from django.db.models.functions import Coalesce, TruncDate

    from dossiers.models import Event, Status

    from .metrics import RESULT_STATUSES, SATISFIED

    completed_statuses = [
        Status.RESULT_READY,
        Status.RETURNED,
        Status.REFUSED,
        Status.STOPPED,
    ]
    start, after = (
        _day_start(filters.start),
        _day_start(filters.end + datetime.timedelta(days=1)),
    )
    received = Q(received_at__gte=start, received_at__lt=after)
    completed = Q(
        status__in=completed_statuses,
        received_at__isnull=False,
        due_at__isnull=False,
        completed_at__gte=start,
        completed_at__lt=after,
    )
    with_result = completed & Q(status__in=list(RESULT_STATUSES))
    annotations: dict[str, Any] = {}
    if measure.startswith("completed_") and measure != "completed_total":
        annotations = {
            "done_day": TruncDate("completed_at"),
            "due_day": TruncDate("due_at"),
        }
    if measure.startswith("open_"):
        withdrawn = (
            Event.objects.filter(dossier=OuterRef("pk"), action="withdraw")
            .order_by("-at")
            .values("at")[:1]
        )
        annotations = {
            "closed_at": Case(
                When(
                    status__in=completed_statuses,
                    then=Coalesce("completed_at", "received_at"),
                ),
                When(
                    status=Status.WITHDRAWN,
                    then=Coalesce(Subquery(withdrawn), "received_at"),
                ),
                default=None,
            )
        }
    stock = stock_day(filters)
    stock_after = _day_start(stock + datetime.timedelta(days=1))
    is_open = Q(received_at__lt=stock_after) & (
        Q(closed_at__isnull=True) | Q(closed_at__gte=stock_after)
    )
    overdue = (
        is_open
        & Q(due_at__lt=_day_start(stock))
        & ~Q(
            status=Status.SUPPLEMENT_REQUESTED,
            supplement_requested_at__lt=stock_after,
        )
    )
    filters_by_measure = {
        "received_total": received,
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_counter": received & Q(channel=Channel.COUNTER),
        "received_post": received & Q(channel=Channel.POST),
        "assisted_total": received & Q(assisted_by__isnull=False),
        "fee_dossiers": received & Q(fee_vnd__gt=0),
        "paid_online": received & Q(fee_vnd__gt=0, paid_online=True),
        "completed_total": completed,
        "completed_early": completed & Q(done_day__lt=F("due_day")),
        "completed_on_time": completed & Q(done_day=F("due_day")),
        "completed_late": completed & Q(done_day__gt=F("due_day")),
        "results_in_scope": with_result & Q(result_in_scope=True),
        "results_digitized": with_result
        & Q(result_in_scope=True, result_digitized=True),
        "ratings_total": with_result & Q(rating__isnull=False),
        "satisfied_total": with_result & Q(rating__overall__in=list(SATISFIED)),
        "open_total": is_open,
        "open_on_track": is_open & ~overdue,
        "open_overdue": overdue,
    }
    return filters_by_measure[measure], annotations


def dossiers_behind(*, user: Any, selection: Selection, measure: str) -> QuerySet[Any]:
    """The dossiers counted in one figure of the selection, among those the
    user may see (their count equals the figure)."""
    from dossiers.selectors import dossiers_visible_to

    if measure not in DRILL_DOWN_MEASURES:
        raise StatsError({"measure": [_("Không có chỉ tiêu này.")]})
    q, annotations = _measure_q(measure, selection.filters)
    return (
        dossiers_visible_to(user=user)
        .filter(selection.counted_q())
        .annotate(**annotations)
        .filter(q)
        .order_by("-received_at", "-pk")
    )
