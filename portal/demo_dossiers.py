"""Realistic demo dossiers in bulk, for the dashboards' demos and benchmarks.

`seed_demo --dossiers N` calls `demo_dossiers_seed`: dossiers spread over the
agencies that receive dossiers and the catalogue procedures they handle,
received on working days over the last two years, each at a unit in force on its
day (Vụ Bản's agencies until 2025-06-30, today's centres, reception points and
police from 2025-07-01: decision 204), with due dates from the working-day calendar and
the mix of channels, outcomes and ratings of a one-stop shop. They are written
with the historical import's bulk path (no save() per dossier) and counted in
the dashboards' aggregates at once. Their applicant is one placeholder per unit,
named as demo data, that cannot log in.
"""

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from dashboards.importing import DossierRow, dossiers_insert, import_applicant
from dashboards.services import buckets_apply, deltas_new
from dossiers.calendar import WorkingCalendar
from dossiers.models import Channel, DailyCounter, Status
from dossiers.services import deadline_for
from procedures.models import Procedure
from units.models import NON_RECEIVING_KINDS, OrgUnit

DEMO_USERNAME_PREFIX = "du-lieu-mau."
DEMO_APPLICANT_LABEL = _("Người nộp mẫu (dữ liệu demo) – %(unit)s")


class _Unit:
    def __init__(self, org_unit: OrgUnit, rng: random.Random, helpers: list[int]):
        self.org = org_unit
        self.weight = rng.uniform(0.5, 1.5)
        self.online_share = rng.uniform(0.55, 0.98)
        self.helpers = helpers


def _working_days(
    calendar: WorkingCalendar, first: datetime.date, last: datetime.date
) -> list[datetime.date]:
    days = []
    day = first
    while day <= last:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _counters(units: list[_Unit], first: datetime.date) -> dict[tuple[int, Any], int]:
    return {
        (c.org_unit_id, c.day): c.last
        for c in DailyCounter.objects.filter(
            org_unit__in=[u.org for u in units], day__gte=first
        )
    }


def _save_counters(counters: dict[tuple[int, Any], int]) -> None:
    """Later live submissions continue each unit's daily numbering."""
    if not counters:
        return
    quote = connection.ops.quote_name
    table = quote(DailyCounter._meta.db_table)
    unit, day_, last = quote("org_unit_id"), quote("day"), quote("last")
    rows = sorted(counters.items())
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 2000):
            batch = rows[first : first + 2000]
            # Only quoted names are interpolated; the values go as parameters.
            sql = (
                f"INSERT INTO {table} ({unit}, {day_}, {last}) "  # noqa: S608
                f"VALUES {', '.join(['(%s, %s, %s)'] * len(batch))} "
                f"ON CONFLICT ({unit}, {day_}) DO UPDATE SET {last} = CASE "
                f"WHEN EXCLUDED.{last} > {table}.{last} THEN EXCLUDED.{last} "
                f"ELSE {table}.{last} END"
            )
            params: list[Any] = [v for (u, d), n in batch for v in (u, d, n)]
            cursor.execute(sql, params)


def _outcome(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.92:
        return Status.RETURNED
    if roll < 0.95:
        return Status.RESULT_READY
    if roll < 0.97:
        return Status.REFUSED
    if roll < 0.985:
        return Status.STOPPED
    return Status.WITHDRAWN


@transaction.atomic
def demo_dossiers_seed(
    *,
    count: int,
    seed: int | None = None,
    days: int = 730,
    batch_size: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Create `count` demo dossiers received over the last `days` days."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    today = timezone.localdate()
    # The units citizens file at (not the commune's offices, which a centre
    # forwards to), each on the days it is in force.
    org_units = list(
        OrgUnit.objects.filter(is_active=True)
        .exclude(kind__in=NON_RECEIVING_KINDS)
        .order_by("pk")
    )
    procedures = list(
        Procedure.objects.filter(submittable=True, kind="single").order_by("pk")
    )
    by_type: dict[str, list[tuple[Procedure, float]]] = {}
    for rank, procedure in enumerate(rng.sample(procedures, len(procedures))):
        # A few procedures take most dossiers, as births and residence do.
        by_type.setdefault(procedure.agency_type, []).append(
            (procedure, 1.0 / (1 + rank % 12))
        )
    helpers: dict[int, list[int]] = {}
    from accounts.models import User

    for user_pk, unit_pk in User.objects.filter(
        Q(groups__name=Role.RECEIVING_OFFICER) | Q(groups__name=Role.DIGITAL_TEAM),
        org_unit__isnull=False,
    ).values_list("pk", "org_unit_id"):
        helpers.setdefault(unit_pk, []).append(user_pk)
    units = [
        _Unit(o, rng, helpers.get(o.pk, []))
        for o in org_units
        if o.agency_type in by_type
    ]
    if not units:
        return 0
    calendar = WorkingCalendar.load()
    first = today - datetime.timedelta(days=days)
    working = _working_days(calendar, first, today - datetime.timedelta(days=1))
    counters = _counters(units, first)
    due_cache: dict[tuple[int, datetime.date, bool], datetime.datetime] = {}
    # The units in force on each day, and their weights: a day picks among them.
    in_force: dict[datetime.date, tuple[list[_Unit], list[float]]] = {}
    eras: dict[tuple[int, ...], tuple[list[_Unit], list[float]]] = {}
    for day in working:
        open_ = [u for u in units if u.org.in_force_on(day)]
        era = tuple(u.org.pk for u in open_)
        if era not in eras:
            eras[era] = (open_, [u.weight for u in open_])
        in_force[day] = eras[era]
    working = [day for day in working if in_force[day][0]]
    if not working:
        return 0
    deltas = deltas_new()
    applicants: dict[int, int] = {}

    def applicant_for(unit_id: int) -> int:
        return import_applicant(
            unit_id, prefix=DEMO_USERNAME_PREFIX, label=DEMO_APPLICANT_LABEL
        )

    created = 0
    batch: list[DossierRow] = []
    for n in range(count):
        day = rng.choice(working)
        day_units, day_weights = in_force[day]
        unit = rng.choices(day_units, day_weights)[0]
        choices = by_type[unit.org.agency_type]
        procedure = rng.choices([p for p, _w in choices], [w for _p, w in choices])[0]
        minute = rng.randint(7 * 60 + 30, 16 * 60 + 45)
        received = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
        )
        key = (procedure.pk, day, minute >= 15 * 60)
        if key not in due_cache:
            due_cache[key] = deadline_for(
                procedure=procedure, received_at=received, calendar=calendar
            ).due_at
        due = due_cache[key]
        channel = (
            Channel.ONLINE
            if rng.random() < unit.online_share
            else (Channel.POST if rng.random() < 0.03 else Channel.COUNTER)
        )
        submitted = received - datetime.timedelta(minutes=rng.randint(5, 2 * 24 * 60))
        if channel != Channel.ONLINE:
            submitted = received - datetime.timedelta(minutes=rng.randint(1, 20))
        roll = rng.random()
        if roll < 0.76:  # early: a day before the due day or earlier
            span = max((timezone.localtime(due).date() - day).days - 1, 0)
            done_day = day + datetime.timedelta(days=rng.randint(0, span))
        elif roll < 0.98:
            done_day = timezone.localtime(due).date()
        else:
            done_day = timezone.localtime(due).date() + datetime.timedelta(
                days=rng.randint(1, 6)
            )
        done = timezone.make_aware(
            datetime.datetime.combine(done_day, datetime.time(rng.randint(8, 16), 30))
        )
        done = max(done, received + datetime.timedelta(minutes=30))
        status = (
            _outcome(rng)
            if done < now
            else rng.choice(
                [
                    Status.RECEIVED,
                    Status.PROCESSING,
                    Status.PROCESSING,
                    Status.SUPPLEMENT_REQUESTED,
                ]
            )
        )
        completed = (
            done
            if status
            in {Status.RETURNED, Status.RESULT_READY, Status.REFUSED, Status.STOPPED}
            else None
        )
        returned = None
        if status == Status.RETURNED and completed is not None:
            returned = completed + datetime.timedelta(hours=rng.randint(1, 72))
            if returned > now:
                status, returned = Status.RESULT_READY, None
        has_result = status in {Status.RETURNED, Status.RESULT_READY}
        digitized = None
        if procedure.has_document_result:
            digitized = has_result and rng.random() < 0.99
        fee = (
            procedure.fee_online_vnd
            if channel == Channel.ONLINE
            else procedure.fee_counter_vnd
        )
        paid = None
        if fee:
            paid = channel == Channel.ONLINE and rng.random() < 0.55
        rating = ""
        if status == Status.RETURNED and rng.random() < 0.08:
            rating = rng.choices(
                ["very_satisfied", "satisfied", "dissatisfied"], [25, 70, 5]
            )[0]
        assisted = None
        if channel == Channel.ONLINE and unit.helpers and rng.random() < 0.12:
            assisted = rng.choice(unit.helpers)
        local_day = timezone.localtime(received).date()
        counter_key = (unit.org.pk, local_day)
        number = counters.get(counter_key, 0) + 1
        counters[counter_key] = number
        batch.append(
            DossierRow(
                line=n + 1,
                code=f"{unit.org.agency_code}-{local_day:%y%m%d}-{number:04d}",
                procedure_id=procedure.pk,
                receiving_unit_id=unit.org.pk,
                admin_unit_id=unit.org.admin_unit_id,
                channel=channel,
                status=status,
                submitted_at=submitted,
                received_at=received,
                due_at=due,
                completed_at=completed,
                returned_at=returned,
                result_digitized=digitized,
                fee_vnd=fee,
                paid_online=paid,
                rating=rating,
                assisted_by_id=assisted,
            )
        )
        if len(batch) >= batch_size:
            created += dossiers_insert(
                batch,
                deltas=deltas,
                applicants=applicants,
                source="seed_demo",
                now=now,
                applicant_for=applicant_for,
                action="seed_demo",
            )
            batch = []
            if progress:
                progress(n + 1, count)
    created += dossiers_insert(
        batch,
        deltas=deltas,
        applicants=applicants,
        source="seed_demo",
        now=now,
        applicant_for=applicant_for,
        action="seed_demo",
    )
    buckets_apply(deltas)
    _save_counters(counters)
    if progress:
        progress(count, count)
    return created
