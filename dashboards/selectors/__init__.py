"""Reads of the dashboards: who may see which units, and the figures of a
selection, read from the pre-aggregated buckets (docs/dashboards.md)."""

from .drilldown import (
    DRILL_DOWN_MEASURES,
    dossiers_by_id,
    facts_behind,
)
from .figures import (
    eid_figure,
    stats_by_month,
    stats_by_procedure,
    stats_by_unit,
    stats_summary,
    stock_day,
)
from .scope import (
    AREA_PERM,
    EPOCH,
    UNIT_PERM,
    Filters,
    Scope,
    Selection,
    StatsError,
    filters_parse,
    selection_resolve,
    stats_scope,
    units_for_filter,
)

__all__ = [
    "AREA_PERM",
    "DRILL_DOWN_MEASURES",
    "EPOCH",
    "UNIT_PERM",
    "Filters",
    "Scope",
    "Selection",
    "StatsError",
    "dossiers_by_id",
    "eid_figure",
    "facts_behind",
    "filters_parse",
    "selection_resolve",
    "stats_by_month",
    "stats_by_procedure",
    "stats_by_unit",
    "stats_scope",
    "stats_summary",
    "stock_day",
    "units_for_filter",
]
