"""The pre-aggregated counts: kept by the transition listener, rebuilt from the
raw tables, and equal to a direct computation on random data."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.metrics import figures
from dashboards.models import DossierFacts, StatBucket, UnitBucket
from dashboards.selectors import (
    Filters,
    Scope,
    selection_resolve,
    stats_by_month,
    stats_summary,
)
from dashboards.services import stats_rebuild
from dossiers import services
from dossiers.models import Dossier, Event, Rating, Status
from tests.dossiers.factories import at, make_dossier
from tests.procedures.factories import ProcedureFactory

from .buckets import bucket_rows
from .direct import direct_figures, rows

pytestmark = pytest.mark.django_db


def facts_rows():
    return sorted(DossierFacts.objects.values_list())


def test_every_transition_keeps_the_counts_equal_to_a_rebuild(people, citizen):
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        for status in Status.values:
            if status == Status.SIGNED:
                continue
            make_dossier(status=status, **people)
        returned = Dossier.objects.get(status=Status.RETURNED)
        services.dossier_rate(
            dossier=returned,
            actor=citizen,
            scores={str(i): 2 for i in range(1, 10)},
            overall="satisfied",
        )
        processing = Dossier.objects.get(status=Status.PROCESSING)
        services.dossier_apologize(
            dossier=processing,
            actor=people["officer"],
            new_due_date=datetime.date(2024, 3, 14),
            reason="Cần xác minh",
            now=at("2024-03-05 09:00"),
        )
    live_buckets, live_facts = bucket_rows(), facts_rows()
    assert live_buckets[0]
    assert live_buckets[1]
    assert DossierFacts.objects.count() == Dossier.objects.count()

    stats_rebuild()

    assert bucket_rows() == live_buckets
    assert facts_rows() == live_facts


def test_rebuild_stats_is_idempotent(people):
    make_dossier(status=Status.RETURNED, **people)
    make_dossier(status=Status.PROCESSING, **people)
    # Counts lost: the command restores them.
    StatBucket.objects.all().delete()
    UnitBucket.objects.all().delete()

    call_command("rebuild_stats")
    first = bucket_rows()
    call_command("rebuild_stats")

    assert first[0]
    assert first[1]
    assert bucket_rows() == first


def test_a_moved_due_date_moves_the_overdue_count(people):
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        dossier = make_dossier(status=Status.PROCESSING, **people)
    due = dossier.due_at
    assert due is not None
    selection = selection_resolve(
        scope=Scope(everything=True),
        filters=Filters(
            start=datetime.date(2024, 3, 1), end=datetime.date(2024, 3, 31)
        ),
    )
    with time_machine.travel(at("2024-04-02 09:00"), tick=False):
        before = stats_summary(selection=selection)
        services.dossier_apologize(
            dossier=dossier,
            actor=people["officer"],
            new_due_date=datetime.date(2024, 4, 8),
            reason="Cần xác minh",
            now=due - datetime.timedelta(days=2),
        )
        after = stats_summary(selection=selection)
    assert (before["open_total"], before["open_overdue"]) == (1, 1)
    assert (after["open_total"], after["open_overdue"]) == (1, 0)


# --- Random data -----------------------------------------------------------------

START = datetime.datetime(2023, 1, 1, 0, 0)


def moments():
    # Minutes over ~14 months, so that days cross months, years and midnights.
    return st.integers(min_value=0, max_value=60 * 24 * 430).map(
        lambda m: START + datetime.timedelta(minutes=m)
    )


dossier_specs = st.fixed_dictionaries(
    {
        "status": st.sampled_from([s for s in Status.values if s != Status.SIGNED]),
        "channel": st.sampled_from(["online", "counter", "post"]),
        "unit": st.integers(0, 2),
        "procedure": st.integers(0, 1),
        "received": moments(),
        "due_days": st.integers(-1, 20),
        "done_days": st.integers(0, 30),
        "done_hour": st.integers(0, 23),
        "assisted": st.booleans(),
        "fee": st.sampled_from([None, 0, 25000]),
        "paid_online": st.sampled_from([None, True, False]),
        "in_scope": st.booleans(),
        "digitized": st.booleans(),
        "rating": st.sampled_from(["", "very_satisfied", "satisfied", "dissatisfied"]),
        "withdrawn_known": st.booleans(),
    }
)


def _aware(naive):
    from django.utils import timezone

    return timezone.make_aware(naive)


def make_random_dossier(spec, n, ctx):
    status = spec["status"]
    received = _aware(spec["received"])
    done = _aware(
        datetime.datetime.combine(
            received.date() + datetime.timedelta(days=spec["done_days"]),
            datetime.time(spec["done_hour"], 30),
        )
    )
    done = max(done, received)
    never_received = status == Status.SUBMITTED or (
        status in {Status.REFUSED, Status.WITHDRAWN} and spec["due_days"] < 0
    )
    dossier = Dossier.objects.create(
        code=f"TEST-{n:06d}",
        procedure=ctx["procedures"][spec["procedure"]],
        applicant=ctx["citizen"],
        assisted_by=ctx["officer"] if spec["assisted"] else None,
        channel=spec["channel"],
        receiving_unit=ctx["units"][spec["unit"]],
        admin_unit=ctx["units"][spec["unit"]].admin_unit,
        status=status,
        submitted_at=received,
        received_at=None if never_received else received,
        due_at=received + datetime.timedelta(days=spec["due_days"]),
        completed_at=done
        if status in {"result_ready", "returned", "refused", "stopped"}
        else None,
        supplement_requested_at=done if status == Status.SUPPLEMENT_REQUESTED else None,
        fee_vnd=spec["fee"],
        paid_online=spec["paid_online"],
        result_in_scope=spec["in_scope"],
        result_digitized=spec["digitized"],
    )
    if status == Status.RETURNED and spec["rating"]:
        Rating.objects.create(dossier=dossier, overall=spec["rating"], scores={})
    if status == Status.WITHDRAWN and spec["withdrawn_known"]:
        Event.objects.create(
            dossier=dossier, action="withdraw", at=done, to_status=Status.WITHDRAWN
        )
    return dossier


@pytest.fixture
def ctx(citizen, officer, unit_a, unit_b, district_unit):
    return {
        "citizen": citizen,
        "officer": officer,
        "units": [unit_a, unit_b, district_unit],
        "procedures": [ProcedureFactory(), ProcedureFactory()],
    }


FIGURE_KEYS = [
    "received_total",
    "received_online",
    "completed_total",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "open_total",
    "open_overdue",
    "results_in_scope",
    "results_digitized",
    "fee_dossiers",
    "paid_online",
    "assisted_total",
    "ratings_total",
    "satisfied_total",
]


@pytest.mark.both_databases
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=st.lists(dossier_specs, min_size=1, max_size=25),
    start_offset=st.integers(0, 400),
    length=st.integers(0, 400),
    unit_choice=st.sampled_from(["", "999", "99991", "agency_b"]),
    channel=st.sampled_from(["", "online", "counter"]),
    procedure_choice=st.sampled_from([None, 0]),
    today_offset=st.integers(0, 500),
)
def test_the_aggregates_equal_a_direct_computation(
    ctx,
    tree,
    specs,
    start_offset,
    length,
    unit_choice,
    channel,
    procedure_choice,
    today_offset,
):
    start = datetime.date(2023, 1, 1) + datetime.timedelta(days=start_offset)
    end = start + datetime.timedelta(days=length)
    today = datetime.date(2023, 1, 1) + datetime.timedelta(days=today_offset)
    unit = ctx["units"][1].agency_code if unit_choice == "agency_b" else unit_choice
    procedure = None if procedure_choice is None else ctx["procedures"][0]
    with transaction.atomic():
        dossiers = [make_random_dossier(s, n, ctx) for n, s in enumerate(specs)]
        stats_rebuild()
        with time_machine.travel(
            _aware(datetime.datetime.combine(today, datetime.time(12))), tick=False
        ):
            selection = selection_resolve(
                scope=Scope(everything=True),
                filters=Filters(
                    start=start,
                    end=end,
                    unit=unit,
                    channel=channel,
                    procedure=procedure.code if procedure else "",
                ),
            )
            got = stats_summary(selection=selection)
            months = stats_by_month(selection=selection)
        counted = [
            d
            for d in dossiers
            if (not channel or d.channel == channel)
            and (procedure is None or d.procedure == procedure)
            and (
                unit in {"", "999"}
                or (unit == "99991" and d.receiving_unit == ctx["units"][0])
                or (
                    unit == ctx["units"][1].agency_code
                    and d.receiving_unit == ctx["units"][1]
                )
            )
        ]
        data = rows(Dossier.objects.filter(pk__in=[d.pk for d in counted]))
        want = direct_figures(data, start, end, min(end, today))
        assert {k: got[k] for k in FIGURE_KEYS} == want
        for month in months:
            first = max(start, datetime.date.fromisoformat(month["month"] + "-01"))
            last = min(end, _month_end(first))
            expected = direct_figures(data, first, last, min(last, today))
            assert {k: month[k] for k in FIGURE_KEYS} == expected, month["month"]
        transaction.set_rollback(True)


def _month_end(day):
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def test_figures_give_null_rates_for_empty_denominators():
    values = figures({})
    assert values["online_rate"] is None
    assert values["digitized_rate"] is None
    assert values["eid_rate"] is None
    assert values["received_total"] == 0


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_of_one_units_dossiers_keep_the_counts_right(people):
    """Sixteen dossiers of one unit received and forwarded at once: the shared
    year and month rows take every increment, without deadlocks."""
    import threading

    from django.db import connection

    dossiers = [
        services.dossier_submit(
            applicant=people["applicant"],
            procedure=ProcedureFactory(),
            receiving_unit=people["unit"],
            data={"full_name": "Nguyễn Văn Công"},
        )
        for _ in range(16)
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(dossiers))

    def work(dossier):
        try:
            barrier.wait()
            received = services.dossier_receive(
                dossier=dossier, actor=people["officer"]
            )
            services.dossier_forward(
                dossier=received, actor=people["officer"], to_unit=people["unit"]
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(d,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    live = bucket_rows()
    stats_rebuild()
    assert bucket_rows() == live
    year = [row for row in live[1] if row[0] == "Y"]
    assert sum(row[4] for row in year) == 16  # received


@pytest.mark.services("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_transactions_each_counting_two_procedures_of_a_unit_do_not_deadlock(
    people,
):
    """A chain step changes two dossiers of a unit in one transaction, so it adds
    to the counts twice. Two such transactions, in the opposite order of
    procedures: the second waits for the first at the unit's row instead of
    holding a procedure's row the first needs next (PostgreSQL would kill one)."""
    import threading
    import time

    from django.db import connection

    from dashboards.services import buckets_apply, deltas_new

    first, second = ProcedureFactory(), ProcedureFactory()
    unit = people["unit"].pk
    day = datetime.date(2026, 3, 2)

    def add(procedure) -> None:
        deltas = deltas_new()
        deltas[("D", day, unit, procedure.pk, "online")][0] += 1
        buckets_apply(deltas)

    started = threading.Event()
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with transaction.atomic():
                add(first)
                started.set()
                time.sleep(0.5)  # the other transaction reaches its first write
                add(second)
        except BaseException as exc:
            errors.append(exc)
            started.set()
        finally:
            connection.close()

    def other() -> None:
        try:
            started.wait(timeout=30)
            with transaction.atomic():
                add(second)
                add(first)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert UnitBucket.objects.get(grain="D", start=day).received == 4
    assert StatBucket.objects.filter(grain="D", start=day, received=2).count() == 2
