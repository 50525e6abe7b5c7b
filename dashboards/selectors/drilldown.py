"""The dossiers behind a figure: the same definitions as the counts, as a
filter on the dossier table."""

import datetime
from typing import Any

from django.db.models import Case, F, Max, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Channel, Event, Status
from dossiers.selectors import dossiers_visible_to

from ..metrics import RESULT_STATUSES, SATISFIED
from .figures import stock_day
from .scope import Filters, Selection, StatsError

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
        # An aggregate, not ORDER BY at LIMIT 1, so that events are found by
        # dossier rather than by walking the time index.
        withdrawn = (
            Event.objects.filter(dossier=OuterRef("pk"), action="withdraw")
            .values("dossier")
            .annotate(last=Max("at"))
            .values("last")
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
