"""Every dashboard figure, defined once (formulas and sources in docs/dashboards.md).

A dossier's contribution is computed from its fields by `facts_compute`
(facts.py); `contributions` turns it into +/- counts on days; `figures`
(figures.py) turns summed counts into the published figures and rates, each
`Metric` with its definition for people (the methods page). The transition
listener, the import, `rebuild_stats` and the drill-down lists all follow these
definitions; periods are read as whole years, months and days (periods.py).

Days are calendar days in the portal's time zone (Asia/Ho_Chi_Minh). Received
figures use the receipt day, completion figures the completion day; open and
overdue are stocks at the end of the period's last day.
"""

from .facts import (
    CLOSED_STATUSES,
    FACT_FIELDS,
    RESULT_STATUSES,
    SATISFIED,
    TIMELINESS_COLUMN,
    Contribution,
    Facts,
    contributions,
    facts_compute,
    local_day,
)
from .figures import (
    CHANNEL_TOTAL,
    METRIC_BY_NAME,
    METRICS,
    SUMMARY_FIELDS,
    TOTAL_KEYS,
    Eid,
    Metric,
    figures,
    rate,
    summary_fields,
)
from .periods import ONE_DAY, Piece, grain_starts, month_end, month_start, pieces

__all__ = [
    "CHANNEL_TOTAL",
    "CLOSED_STATUSES",
    "FACT_FIELDS",
    "METRICS",
    "METRIC_BY_NAME",
    "ONE_DAY",
    "RESULT_STATUSES",
    "SATISFIED",
    "SUMMARY_FIELDS",
    "TIMELINESS_COLUMN",
    "TOTAL_KEYS",
    "Contribution",
    "Eid",
    "Facts",
    "Metric",
    "Piece",
    "contributions",
    "facts_compute",
    "figures",
    "grain_starts",
    "local_day",
    "month_end",
    "month_start",
    "pieces",
    "rate",
    "summary_fields",
]
