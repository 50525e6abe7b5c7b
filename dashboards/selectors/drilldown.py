"""The dossiers behind a figure: those whose stored contribution
(`DossierFacts`, the rows the counts are summed from) makes up the figure."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from dossiers.models import Channel, Dossier

from ..metrics import SATISFIED
from ..models import DossierFacts
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


def _measure_q(measure: str, filters: Filters) -> Q:
    """The condition on a dossier's facts for it to count in `measure`."""
    received = Q(received_on__gte=filters.start, received_on__lte=filters.end)
    completed = Q(completed_on__gte=filters.start, completed_on__lte=filters.end)
    day = stock_day(filters)
    is_open = Q(received_on__lte=day) & (Q(open_to__isnull=True) | Q(open_to__gt=day))
    overdue = Q(overdue_from__lte=day) & (
        Q(overdue_to__isnull=True) | Q(overdue_to__gt=day)
    )
    conditions = {
        "received_total": received,
        "received_online": received & Q(channel=Channel.ONLINE),
        "received_counter": received & Q(channel=Channel.COUNTER),
        "received_post": received & Q(channel=Channel.POST),
        "assisted_total": received & Q(assisted=True),
        "fee_dossiers": received & Q(fee=True),
        "paid_online": received & Q(paid_online=True),
        "completed_total": completed,
        "completed_early": completed & Q(timeliness="early"),
        "completed_on_time": completed & Q(timeliness="on_time"),
        "completed_late": completed & Q(timeliness="late"),
        "results_in_scope": completed & Q(result_in_scope=True),
        "results_digitized": completed & Q(result_digitized=True),
        "ratings_total": completed & ~Q(rating=""),
        "satisfied_total": completed & Q(rating__in=list(SATISFIED)),
        "open_total": is_open,
        "open_on_track": is_open & ~overdue,
        "open_overdue": overdue,
    }
    return conditions[measure]


def facts_behind(*, selection: Selection, measure: str) -> QuerySet[DossierFacts]:
    """The facts of the dossiers counted in one figure of the selection, latest
    first by the figure's own day (their count is the figure). The selection is
    already within the caller's scope, whose dossiers they may see."""
    if measure not in DRILL_DOWN_MEASURES:
        raise StatsError({"measure": [_("Không có chỉ tiêu này.")]})
    day = (
        "completed_on"
        if measure.startswith(("completed", "results", "ratings", "satisfied"))
        else "received_on"
    )
    return (
        DossierFacts.objects.filter(selection.facts_q())
        .filter(_measure_q(measure, selection.filters))
        .order_by(f"-{day}", "-dossier_id")
    )


def dossiers_by_id(ids: list[int]) -> list[Dossier]:
    """The dossiers of one page, in the order of `ids`."""
    found = Dossier.objects.select_related("procedure", "receiving_unit").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]
