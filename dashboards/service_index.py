"""The service index after Decision 766/QĐ-TTg, as far as its formulas are known.

The rules are dated data (dashboards/data/service_index_766.json, or the file in
SERVICE_INDEX_RULES_FILE): each sub-indicator names the portal figure it is
computed from and the rate that gives full points. Points are computed only
where both are known; every other sub-indicator is "not computed" with its
reason, and a group's score only when all its sub-indicators have points. No
score is ever filled in.
"""

import datetime
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from .metrics import rate


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    with Path(path).open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def rule_set_for(day: datetime.date) -> dict[str, Any] | None:
    """The latest rule set in force on `day`."""
    data = _load(str(settings.SERVICE_INDEX_RULES_FILE))
    sets = [
        s
        for s in data["rule_sets"]
        if datetime.date.fromisoformat(s["valid_from"]) <= day
    ]
    return max(sets, key=lambda s: s["valid_from"]) if sets else None


def _text(item: dict[str, Any], name: str) -> Any:
    english = (translation.get_language() or "vi").startswith("en")
    return item.get(f"{name}_en" if english else f"{name}_vi") or item.get(f"{name}_vi")


def index_rates(values: dict[str, Any]) -> dict[str, float | None]:
    """The rates the rules may refer to, from a selection's figures."""
    timely = (
        values["completed_early"]
        + values["completed_on_time"]
        + values["open_on_track"]
    )
    judged = values["completed_total"] + values["open_total"]
    return {
        "timely_rate": rate(timely, judged),
        "online_rate": values["online_rate"],
        "online_payment_rate": values["online_payment_rate"],
        "digitized_rate": values["digitized_rate"],
        "satisfied_rate": values["satisfied_rate"],
    }


@dataclass
class Indicator:
    code: str
    name: str
    max: float
    rate: float | None
    points: float | None
    reason: str
    conversion: str
    caveats: list[str] = field(default_factory=list)
    # Other apps' figures the rule names (`"figures": [key]`), shown beside it.
    figures: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Group:
    code: str
    name: str
    max: float
    indicators: list[Indicator]

    @property
    def points(self) -> float | None:
        if any(i.points is None for i in self.indicators):
            return None
        return round(sum(i.points or 0 for i in self.indicators), 2)

    @property
    def computed_max(self) -> float:
        return sum(i.max for i in self.indicators if i.points is not None)


@dataclass
class ServiceIndex:
    valid_from: str
    source: str
    groups: list[Group]

    @property
    def total(self) -> float | None:
        points = [g.points for g in self.groups]
        if any(p is None for p in points):
            return None
        return round(sum(p or 0 for p in points), 2)


def service_index(
    *,
    values: dict[str, Any],
    day: datetime.date,
    figures: list[dict[str, Any]] | None = None,
) -> ServiceIndex | None:
    """The index for a selection's figures under the rules in force on `day`;
    `figures` are the providers' (dashboards/providers.py), shown beside the
    indicators whose rules name them, without changing their points."""
    by_key = {f["key"]: f for f in figures or []}
    rules = rule_set_for(day)
    if rules is None:
        return None
    rates = index_rates(values)
    groups = []
    for group in rules["groups"]:
        indicators = []
        for item in group["indicators"]:
            value = rates.get(item["rate"]) if item.get("rate") else None
            full_at = item.get("full_at")
            points = None
            reason = _text(item, "reason") or ""
            if item.get("rate") and full_at and value is not None:
                points = round(item["max"] * min(1.0, value / full_at), 2)
            elif item.get("rate") and full_at and value is None:
                reason = str(
                    translation.gettext("Chưa có hồ sơ trong kỳ để tính tỷ lệ này.")
                )
            indicators.append(
                Indicator(
                    code=item["code"],
                    name=_text(item, "name"),
                    max=item["max"],
                    rate=value,
                    points=points,
                    reason=reason if points is None else "",
                    conversion=_text(item, "conversion") or "",
                    caveats=list(_text(item, "caveats") or []),
                    figures=[
                        by_key[key] for key in item.get("figures", []) if key in by_key
                    ],
                )
            )
        groups.append(
            Group(
                code=group["code"],
                name=_text(group, "name"),
                max=group["max"],
                indicators=indicators,
            )
        )
    return ServiceIndex(
        valid_from=rules["valid_from"], source=_text(rules, "source"), groups=groups
    )


# --- Decree 224/2026 art. 19(2), beside Decision 766's groups -------------------


@dataclass
class Measure:
    """One measure of Decree 224/2026 art. 19(2) with the portal's rate, if any,
    and the Decision 766 group it sits beside (the portal's reading)."""

    code: str
    name: str
    rate: float | None
    computed: bool
    group: str
    group_name: str
    reason: str


@dataclass
class Measures:
    valid_from: datetime.date
    in_force: bool
    source: str
    measures: list[Measure]


def service_measures(
    *, values: dict[str, Any], day: datetime.date, groups: dict[str, str]
) -> Measures:
    """The measures of Decree 224/2026 art. 19(2) for a selection's figures,
    each beside its Decision 766 group (`groups`: code to name); `in_force` says
    whether the decree applies on `day` (the period's end)."""
    data = _load(str(settings.SERVICE_MEASURES_FILE))
    rates = index_rates(values)
    valid_from = datetime.date.fromisoformat(data["valid_from"])
    return Measures(
        valid_from=valid_from,
        in_force=valid_from <= day,
        source=_text(data, "source"),
        measures=[
            Measure(
                code=item["code"],
                name=_text(item, "name"),
                rate=rates.get(item["rate"]) if item.get("rate") else None,
                computed=bool(item.get("rate")),
                group=item.get("group_766") or "",
                group_name=groups.get(item.get("group_766") or "", ""),
                reason=_text(item, "reason") or "",
            )
            for item in data["measures"]
        ],
    )
