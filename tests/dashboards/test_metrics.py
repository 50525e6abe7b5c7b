"""The figures' definitions for people say what the computation does: each
counted figure counts a dossier on the day its definition names."""

import datetime

from django.utils import timezone

from dashboards.metrics import (
    METRIC_BY_NAME,
    METRICS,
    contributions,
    facts_compute,
)
from dashboards.metrics.figures import COMPLETION_DAY, RECEIPT_DAY
from dossiers.models import Status

RECEIVED = datetime.date(2024, 3, 4)
COMPLETED = datetime.date(2024, 4, 10)
# The counts (bucket columns) each counted figure is summed from.
COLUMNS = {
    "received_total": {"received"},
    "received_online": {"received"},
    "fee_dossiers": {"fee"},
    "paid_online": {"paid_online"},
    "assisted_total": {"assisted"},
    "completed_total": {"completed_early", "completed_on_time", "completed_late"},
    "completed_early": {"completed_early"},
    "completed_on_time": {"completed_on_time"},
    "completed_late": {"completed_late"},
    "results_in_scope": {"results_in_scope"},
    "results_digitized": {"results_digitized"},
    "ratings_total": {"ratings"},
}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _days_by_column(due: datetime.date) -> dict[str, datetime.date]:
    """A dossier received on RECEIVED, paid online, filed by an officer,
    completed on COMPLETED with a digitised result and a rating."""
    facts = facts_compute(
        receiving_unit_id=1,
        procedure_id=1,
        channel="online",
        status=Status.RETURNED,
        received_at=_at(RECEIVED, 9),
        due_at=_at(due, 17),
        completed_at=_at(COMPLETED, 10),
        assisted=True,
        fee_vnd=7000,
        paid_online=True,
        result_in_scope=True,
        result_digitized=True,
        rating="satisfied",
    )
    return {column: day for day, column, _n in contributions(facts)}


def test_each_counted_figure_counts_on_the_day_its_definition_names():
    # Completed before, on and after its due day: early, on time, late.
    runs = [_days_by_column(COMPLETED + datetime.timedelta(days=d)) for d in (3, 0, -3)]
    expected = {str(RECEIPT_DAY): RECEIVED, str(COMPLETION_DAY): COMPLETED}

    for name, columns in COLUMNS.items():
        metric = METRIC_BY_NAME[name]
        found = {days[c] for days in runs for c in columns if c in days}
        assert found == {expected[str(metric.counted_on)]}, name


def test_the_online_payment_figure_counts_on_the_receipt_day():
    """The dashboard's note on the figure says so; a late payment does not move
    the dossier to the month it was paid in."""
    assert METRIC_BY_NAME["paid_online"].counted_on == RECEIPT_DAY
    assert _days_by_column(COMPLETED)["paid_online"] == RECEIVED


def test_every_figure_is_defined_for_people():
    for metric in METRICS:
        assert str(metric.definition).strip(), metric.name
        if metric.kind == "count":
            assert str(metric.counted_on).strip(), metric.name
