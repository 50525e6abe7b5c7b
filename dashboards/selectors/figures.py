"""The figures of a selection, read from the pre-aggregated buckets with a
fixed number of queries whatever the number of dossiers (docs/dashboards.md)."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from procedures.models import Procedure
from units.models import AdminUnit, OrgUnit

from ..metrics import (
    CHANNEL_TOTAL,
    TOTAL_KEYS,
    Eid,
    figures,
    month_end,
    month_start,
    pieces,
)
from ..models import COUNT_COLUMNS, BucketBase, StatBucket, UnitBucket, UnitStat
from .scope import EPOCH, Filters, Selection, unit_overlaps

# --- Reading the buckets ------------------------------------------------------


def _pieces_q(parts: Iterable[tuple[str, datetime.date, datetime.date]]) -> Q:
    q = Q(pk__in=[])
    for grain, first, last in parts:
        q |= Q(grain=grain, start__gte=first, start__lte=last)
    return q


def _rows_q(*parts: Iterable[tuple[str, datetime.date, datetime.date]]) -> Q:
    """The rows any of these lists of pieces reads, each piece once: one range
    of the unit index per piece (a flow and its stock share their months and
    days)."""
    return _pieces_q(dict.fromkeys(piece for some in parts for piece in some))


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


def _flow_and_stock(filters: Filters) -> tuple[Q, Q, Q]:
    """The flow's pieces, the stock's, and the rows both read."""
    flow_parts = pieces(filters.start, filters.end)
    stock_parts = pieces(EPOCH, stock_day(filters))
    return (
        _pieces_q(flow_parts),
        _pieces_q(stock_parts),
        _rows_q(flow_parts, stock_parts),
    )


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
    # An area across the reform has units of both eras: the e-ID of a day is
    # that of the units in force that day (the district's figure, then its
    # successors'), never both (their people are the same).
    roots = [r for r in roots if unit_overlaps(r, day, day)] or roots
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
    flow, stock, read = _flow_and_stock(selection.filters)
    row = _buckets(selection).filter(read).aggregate(**_aggregates(flow, stock))
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
    its own level (their e-ID is the whole unit's, so it is left empty there):
    every such unit valid in the period or with an active agency, zeros
    included.
    A selection of one organisation unit gives one row, keyed by its agency
    identifier."""
    if selection.agency is not None:
        agency = selection.agency
        return [
            {"unit": agency.agency_code, "unit_name": agency.name}
            | stats_summary(selection=selection)
        ]
    filters = selection.filters
    flow, stock, read = _flow_and_stock(filters)
    agencies = list(
        OrgUnit.objects.filter(selection.org_units).values_list(
            "pk", "admin_unit__path", "is_active", "valid_from", "valid_to"
        )
    )
    org_paths: dict[int, str] = {pk: path for pk, path, *_dates in agencies}
    # Every unit where an agency of the area receives dossiers in the period has
    # its row, with zeros when nothing came: a unit that received nothing is a
    # figure too, and agencies outlive the administrative unit they are located
    # in. An agency not in force in the period (today's centres before the
    # reform, the district's units after it) gives no empty row.
    with_agencies = {
        key
        for _pk, path, active, since, until in agencies
        if active
        and (since is None or since <= filters.end)
        and (until is None or until >= filters.start)
        and (key := _child_key(path, selection.roots)) is not None
    }
    grouped = (
        _buckets(selection)
        .filter(read)
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
    # A unit whose rows read only zeros (the stock's history of a unit of
    # before the reform, in a period after it) is no figure of the period.
    counted = {pk for pk, values in totals.items() if any(values.values())}
    listed = Q(pk__in=[*counted, *with_agencies])
    for root in selection.roots:
        listed |= Q(parent=root)
    units = [
        u
        for u in AdminUnit.objects.filter(listed)
        if u.pk in counted
        or u.pk in with_agencies
        or unit_overlaps(u, filters.start, filters.end)
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
    flow, stock, read = _flow_and_stock(selection.filters)
    # Grouped by key only (names are fetched after): a narrow sort.
    grouped = (
        StatBucket.objects.filter(selection.counted_q())
        .filter(read)
        .values("procedure_id")
        .annotate(**_aggregates(flow, stock))
    )
    found = {row["procedure_id"]: figures(_totals(row)) for row in grouped}
    found = {
        pk: values
        for pk, values in found.items()
        if any(v for k, v in values.items() if not k.endswith("_rate"))
    }
    names = Procedure.objects.filter(pk__in=list(found)).values_list(
        "pk", "code", "key", "name"
    )
    out = [
        {"procedure": code or key, "procedure_name": name} | found[pk]
        for pk, code, key, name in names
    ]
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
    q = _rows_q(flow_parts, stock_parts, base_parts)
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
