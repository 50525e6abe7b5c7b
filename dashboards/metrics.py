"""Every dashboard figure, defined once (formulas and sources in docs/dashboards.md).

A dossier's contribution is computed here, from its fields, by `facts_compute`;
`contributions` turns it into +/- counts on days; `figures` turns summed counts
into the published figures and rates. The transition listener, the import,
`rebuild_stats` and the drill-down lists all follow these definitions.

Days are calendar days in the portal's time zone (Asia/Ho_Chi_Minh). Received
figures use the receipt day, completion figures the completion day; open and
overdue are stocks at the end of the period's last day.
"""

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.calendar import EARLY, LATE, ON_TIME, completion_timeliness
from dossiers.models import COMPLETED_STATUSES, Channel, Rating, Status

# Statuses whose dossier has an issued result (digitisation counts these).
RESULT_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})
SATISFIED = frozenset({Rating.Overall.VERY_SATISFIED, Rating.Overall.SATISFIED})
# Final statuses: a dossier in one of them is no longer open.
CLOSED_STATUSES = frozenset({*COMPLETED_STATUSES, Status.WITHDRAWN})
ONE_DAY = datetime.timedelta(days=1)


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment).date()


# --- One dossier ------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What one dossier contributes (see `facts_compute`)."""

    receiving_unit_id: int
    procedure_id: int
    channel: str
    received_on: datetime.date | None = None
    assisted: bool = False
    fee: bool = False
    paid_online: bool = False
    completed_on: datetime.date | None = None
    timeliness: str = ""
    result_in_scope: bool = False
    result_digitized: bool = False
    rating: str = ""
    open_to: datetime.date | None = None
    overdue_from: datetime.date | None = None
    overdue_to: datetime.date | None = None

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.receiving_unit_id, self.procedure_id, self.channel)


FACT_FIELDS = tuple(Facts.__dataclass_fields__)


def facts_compute(
    *,
    receiving_unit_id: int,
    procedure_id: int,
    channel: str,
    status: str,
    received_at: datetime.datetime | None,
    due_at: datetime.datetime | None,
    completed_at: datetime.datetime | None,
    withdrawn_at: datetime.datetime | None = None,
    supplement_requested_at: datetime.datetime | None = None,
    assisted: bool = False,
    fee_vnd: int | None = None,
    paid_online: bool | None = None,
    result_in_scope: bool = False,
    result_digitized: bool = False,
    rating: str = "",
) -> Facts:
    """The contribution of one dossier, from its fields.

    - Counted at all only once received (a dossier refused at the counter or
      withdrawn before receipt was never received).
    - Received, assisted, fee and paid online: on the receipt day. A fee dossier
      has a fee above 0 (QĐ 766 item 3.6 leaves out free ones).
    - Completed: received, in a status that ends processing (result ready,
      returned, refused, stopped) with its completion time; early / on time /
      late by `dossiers.calendar.completion_timeliness` (calendar days).
    - Results in scope / digitised and ratings: completed dossiers with an issued
      result (result ready or returned), on the completion day.
    - Open: from the receipt day until the day it ends (completion, or
      withdrawal; a withdrawal of unknown time ends it on the receipt day).
    - Overdue: open after its due day; a dossier waiting for a supplement stops
      counting as overdue from the request day (the national index ends the
      time at the request, one-stop-rules.md section 7).
    """
    received_on = local_day(received_at)
    if received_on is None:
        return Facts(receiving_unit_id, procedure_id, channel)
    fee = fee_vnd is not None and fee_vnd > 0
    completed_on: datetime.date | None = None
    timeliness = ""
    if status in COMPLETED_STATUSES and completed_at is not None and due_at:
        completed_on = local_day(completed_at)
        timeliness = completion_timeliness(due_at=due_at, completed_at=completed_at)
    with_result = completed_on is not None and status in RESULT_STATUSES
    in_scope = with_result and result_in_scope

    if status in COMPLETED_STATUSES:
        open_to = completed_on or received_on
    elif status == Status.WITHDRAWN:
        open_to = local_day(withdrawn_at) or received_on
    else:
        open_to = None
    if open_to is not None and open_to < received_on:
        open_to = received_on

    overdue_from: datetime.date | None = None
    overdue_to: datetime.date | None = None
    if due_at is not None:
        start = max(received_on, timezone.localtime(due_at).date() + ONE_DAY)
        end = open_to
        if status == Status.SUPPLEMENT_REQUESTED and supplement_requested_at:
            asked = timezone.localtime(supplement_requested_at).date()
            end = asked if end is None else min(end, asked)
        if end is None or start < end:
            overdue_from, overdue_to = start, end
    return Facts(
        receiving_unit_id=receiving_unit_id,
        procedure_id=procedure_id,
        channel=channel,
        received_on=received_on,
        assisted=assisted,
        fee=fee,
        paid_online=fee and paid_online is True,
        completed_on=completed_on,
        timeliness=timeliness,
        result_in_scope=in_scope,
        result_digitized=in_scope and result_digitized,
        rating=rating if with_result and rating else "",
        open_to=open_to,
        overdue_from=overdue_from,
        overdue_to=overdue_to,
    )


Contribution = tuple[datetime.date, str, int]

TIMELINESS_COLUMN = {
    EARLY: "completed_early",
    ON_TIME: "completed_on_time",
    LATE: "completed_late",
}


def contributions(facts: Facts | None) -> Iterator[Contribution]:
    """(day, column, +n) pairs that the dossier adds to the counts."""
    if facts is None or facts.received_on is None:
        return
    day = facts.received_on
    yield day, "received", 1
    if facts.assisted:
        yield day, "assisted", 1
    if facts.fee:
        yield day, "fee", 1
    if facts.paid_online:
        yield day, "paid_online", 1
    if facts.open_to != day:
        yield day, "open_delta", 1
        if facts.open_to is not None:
            yield facts.open_to, "open_delta", -1
    if facts.overdue_from is not None:
        yield facts.overdue_from, "overdue_delta", 1
        if facts.overdue_to is not None:
            yield facts.overdue_to, "overdue_delta", -1
    done = facts.completed_on
    if done is None:
        return
    yield done, TIMELINESS_COLUMN[facts.timeliness], 1
    if facts.result_in_scope:
        yield done, "results_in_scope", 1
    if facts.result_digitized:
        yield done, "results_digitized", 1
    if facts.rating:
        yield done, "ratings", 1
        if facts.rating in SATISFIED:
            yield done, "satisfied", 1


# --- Periods ----------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - ONE_DAY


def grain_starts(day: datetime.date) -> tuple[tuple[str, datetime.date], ...]:
    """The day, month and year buckets a change on `day` is written to."""
    return (("D", day), ("M", day.replace(day=1)), ("Y", day.replace(month=1, day=1)))


Piece = tuple[str, datetime.date, datetime.date]


def pieces(
    start: datetime.date, end: datetime.date, *, years: bool = True
) -> list[Piece]:
    """Cover the days start..end (inclusive) with whole years, whole months and
    single days: (grain, first bucket start, last bucket start) ranges."""
    out: list[Piece] = []
    if end < start:
        return out
    day = start
    if day.day != 1:  # head days up to the month's end
        last = min(month_end(day), end)
        out.append(("D", day, last))
        day = last + ONE_DAY
    first_month = day
    while (
        day <= end
        and month_end(day) <= end
        and not (years and day.month == 1 and day.replace(month=12, day=31) <= end)
    ):
        day = month_end(day) + ONE_DAY
    if day > first_month:
        out.append(("M", first_month, month_start(day - ONE_DAY)))
    first_year = day
    while years and day.month == 1 and day.replace(month=12, day=31) <= end:
        day = day.replace(year=day.year + 1)
    if day > first_year:
        out.append(("Y", first_year, day.replace(year=day.year - 1)))
    first_month = day
    while day <= end and month_end(day) <= end:
        day = month_end(day) + ONE_DAY
    if day > first_month:
        out.append(("M", first_month, month_start(day - ONE_DAY)))
    if day <= end:
        out.append(("D", day, end))
    return out


# --- Figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    name: str
    label: Promise
    kind: str  # "count" or "rate"
    # For a rate: the counts it divides.
    numerator: str = ""
    denominator: str = ""


METRICS: tuple[Metric, ...] = (
    Metric("received_total", _("Hồ sơ tiếp nhận"), "count"),
    Metric("received_online", _("Tiếp nhận trực tuyến"), "count"),
    Metric(
        "online_rate",
        _("Tỷ lệ tiếp nhận trực tuyến"),
        "rate",
        "received_online",
        "received_total",
    ),
    Metric("completed_total", _("Hồ sơ đã giải quyết"), "count"),
    Metric("completed_early", _("Giải quyết trước hạn"), "count"),
    Metric("completed_on_time", _("Giải quyết đúng hạn"), "count"),
    Metric("completed_late", _("Giải quyết quá hạn"), "count"),
    Metric("open_total", _("Đang giải quyết (cuối kỳ)"), "count"),
    Metric("open_overdue", _("Đang giải quyết, đã quá hạn (cuối kỳ)"), "count"),
    Metric("results_in_scope", _("Kết quả thuộc diện số hóa"), "count"),
    Metric("results_digitized", _("Kết quả đã số hóa"), "count"),
    Metric(
        "digitized_rate",
        _("Tỷ lệ số hóa kết quả"),
        "rate",
        "results_digitized",
        "results_in_scope",
    ),
    Metric("fee_dossiers", _("Hồ sơ có phí, lệ phí"), "count"),
    Metric("paid_online", _("Thanh toán trực tuyến"), "count"),
    Metric(
        "online_payment_rate",
        _("Tỷ lệ thanh toán trực tuyến"),
        "rate",
        "paid_online",
        "fee_dossiers",
    ),
    Metric("assisted_total", _("Nộp hộ tại Bộ phận Một cửa"), "count"),
    Metric("ratings_total", _("Lượt đánh giá"), "count"),
    Metric(
        "satisfied_rate",
        _("Tỷ lệ hài lòng, rất hài lòng"),
        "rate",
        "satisfied_total",
        "ratings_total",
    ),
    Metric("eid_activated", _("Tài khoản định danh điện tử đã kích hoạt"), "count"),
    Metric("eid_population", _("Dân số cần cấp định danh điện tử"), "count"),
    Metric(
        "eid_rate",
        _("Tỷ lệ kích hoạt định danh điện tử"),
        "rate",
        "eid_activated",
        "eid_population",
    ),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}
# The API fields, in the contract's order.
SUMMARY_FIELDS = tuple(m.name for m in METRICS)

# Summed bucket columns, as `Totals` keys.
TOTAL_KEYS = (
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "assisted",
    "fee",
    "paid_online",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "results_in_scope",
    "results_digitized",
    "ratings",
    "satisfied",
    "open",
    "overdue",
)
CHANNEL_TOTAL = {
    Channel.ONLINE: "received_online",
    Channel.COUNTER: "received_counter",
    Channel.POST: "received_post",
}


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A fraction; None when the denominator is 0 or unknown."""
    if not denominator or numerator is None:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Eid:
    activated: int
    population: int


def figures(totals: Mapping[str, int], eid: Eid | None = None) -> dict[str, Any]:
    """The published figures from summed counts (and the e-ID figure, if any).

    Besides the API fields, the result carries the page's extra breakdowns
    (received by counter and post, satisfied count, open on track).
    """
    t = {key: int(totals.get(key) or 0) for key in TOTAL_KEYS}
    completed = t["completed_early"] + t["completed_on_time"] + t["completed_late"]
    out: dict[str, Any] = {
        "received_total": t["received"],
        "received_online": t["received_online"],
        "completed_total": completed,
        "completed_early": t["completed_early"],
        "completed_on_time": t["completed_on_time"],
        "completed_late": t["completed_late"],
        "open_total": t["open"],
        "open_overdue": t["overdue"],
        "results_in_scope": t["results_in_scope"],
        "results_digitized": t["results_digitized"],
        "fee_dossiers": t["fee"],
        "paid_online": t["paid_online"],
        "assisted_total": t["assisted"],
        "ratings_total": t["ratings"],
        "satisfied_total": t["satisfied"],
        "eid_activated": eid.activated if eid else None,
        "eid_population": eid.population if eid else None,
        "received_counter": t["received_counter"],
        "received_post": t["received_post"],
        "open_on_track": t["open"] - t["overdue"],
    }
    for metric in METRICS:
        if metric.kind == "rate":
            out[metric.name] = rate(out[metric.numerator], out[metric.denominator])
    return out


def summary_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the API's fields, in order."""
    return {name: values[name] for name in SUMMARY_FIELDS}
