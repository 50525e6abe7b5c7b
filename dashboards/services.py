"""Writes of the dashboards: keeping the pre-aggregated counts right.

Each dossier's contribution (`metrics.facts_compute`) is stored in
`DossierFacts`; the counts in `StatBucket` are the sum of every stored
contribution. A change replaces a dossier's old contribution by its new one
(`facts_refresh`, run by the transition listener inside the transaction of the
change); bulk writers add whole batches (`deltas_add` + `buckets_apply`);
`stats_rebuild` recomputes everything from the dossier tables.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import Any

from django.db import connection, transaction
from django.db.models import Max

from dossiers.models import Dossier, Event, Rating, Status
from portal.db import PreparedRead

from .bulk import insert_rows
from .metrics import (
    FACT_FIELDS,
    Facts,
    contributions,
    facts_compute,
    grain_starts,
)
from .models import COUNT_COLUMNS, BucketBase, DossierFacts, StatBucket, UnitBucket

BucketKey = tuple[str, datetime.date, int, int, str]
Deltas = dict[BucketKey, list[int]]
_COLUMN_INDEX = {name: i for i, name in enumerate(COUNT_COLUMNS)}
# Rows per INSERT statement (18 parameters each; well under SQLite's limit).
UPSERT_BATCH = 400


def deltas_new() -> Deltas:
    return defaultdict(lambda: [0] * len(COUNT_COLUMNS))


def deltas_add(deltas: Deltas, facts: Facts | None, sign: int = 1) -> None:
    """Add (sign=1) or take away (sign=-1) a dossier's contribution."""
    if facts is None:
        return
    unit, procedure, channel = facts.key
    for day, column, value in contributions(facts):
        index = _COLUMN_INDEX[column]
        for grain, start in grain_starts(day):
            deltas[(grain, start, unit, procedure, channel)][index] += sign * value


def _upsert(model: type[BucketBase], keys: list[str], rows: list[Any]) -> None:
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in [*keys, *COUNT_COLUMNS])
    conflict = ", ".join(quote(c) for c in keys)
    updates = ", ".join(
        f"{quote(c)} = {table}.{quote(c)} + EXCLUDED.{quote(c)}" for c in COUNT_COLUMNS
    )
    one_row = "(" + ", ".join(["%s"] * (len(keys) + len(COUNT_COLUMNS))) + ")"
    with connection.cursor() as cursor:
        for first in range(0, len(rows), UPSERT_BATCH):
            batch = rows[first : first + UPSERT_BATCH]
            # Only quoted names are interpolated; the values go as parameters.
            sql = (
                f"INSERT INTO {table} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([one_row] * len(batch))} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
            )
            params: list[Any] = [value for row in batch for value in row]
            cursor.execute(sql, params)


def buckets_apply(deltas: Deltas, *, empty: bool = False) -> int:
    """Add the deltas to the buckets (per procedure, and for all procedures
    together): one INSERT ... ON CONFLICT DO UPDATE per batch, adding to the
    stored counts (never a read-modify-write in Python). With `empty` (the
    tables were just emptied), plain bulk inserts.

    Rows go in key order, so two transactions lock shared buckets in the same
    order and cannot deadlock each other; the all-procedures rows go first. A
    transaction that changes two dossiers of a unit (a chain step, a linked
    submission) applies deltas twice: taking the unit's row before the
    procedure's makes a second such transaction wait at its first statement,
    instead of holding a procedure's row the first one needs next (a deadlock
    seen on the chains' worker). Returns the number of rows written.
    """
    by_unit: dict[tuple[Any, ...], list[int]] = defaultdict(
        lambda: [0] * len(COUNT_COLUMNS)
    )
    for (grain, start, unit, _procedure, channel), values in deltas.items():
        total = by_unit[(grain, start, unit, channel)]
        for index, value in enumerate(values):
            total[index] += value
    rows = [(*k, *v) for k, v in sorted(deltas.items()) if any(v)]
    unit_rows = [(*k, *v) for k, v in sorted(by_unit.items()) if any(v)]
    keys = ["grain", "start", "receiving_unit_id", "channel"]
    procedure_keys = [*keys[:3], "procedure_id", "channel"]
    if empty:
        for first in range(0, len(rows), 50_000):
            insert_rows(
                StatBucket,
                [*procedure_keys, *COUNT_COLUMNS],
                rows[first : first + 50_000],
            )
        insert_rows(UnitBucket, [*keys, *COUNT_COLUMNS], unit_rows)
        return len(rows)
    _upsert(UnitBucket, keys, unit_rows)
    _upsert(StatBucket, procedure_keys, rows)
    return len(rows)


def facts_of_row(row: DossierFacts) -> Facts:
    return Facts(**{name: getattr(row, name) for name in FACT_FIELDS})


def facts_row(dossier_id: int, facts: Facts) -> DossierFacts:
    return DossierFacts(dossier_id=dossier_id, **asdict(facts))


def _facts_values(dossier_id: int, facts: Facts) -> tuple[Any, ...]:
    return (dossier_id, *(getattr(facts, name) for name in FACT_FIELDS))


def facts_for_dossier(
    dossier: Dossier,
    *,
    withdrawn_at: datetime.datetime | None = None,
    rating: str | None = None,
) -> Facts:
    """The contribution of a saved dossier. `rating` and `withdrawn_at` are read
    from the database when not given."""
    if rating is None:
        rating = ""
        if dossier.status == Status.RETURNED:
            rating = (
                Rating.objects.filter(dossier=dossier)
                .values_list("overall", flat=True)
                .first()
                or ""
            )
    if withdrawn_at is None and dossier.status == Status.WITHDRAWN:
        # Max, not ORDER BY at LIMIT 1: the planner then looks events up by
        # dossier instead of walking the time index of every event.
        withdrawn_at = Event.objects.filter(
            dossier=dossier, action="withdraw"
        ).aggregate(last=Max("at"))["last"]
    return facts_compute(
        receiving_unit_id=dossier.receiving_unit_id,
        procedure_id=dossier.procedure_id,
        channel=dossier.channel,
        status=dossier.status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        completed_at=dossier.completed_at,
        withdrawn_at=withdrawn_at,
        supplement_requested_at=dossier.supplement_requested_at,
        # A declaration written on the "no writing" day is no assisted filing.
        assisted=dossier.assisted,
        fee_vnd=dossier.fee_vnd,
        paid_online=dossier.paid_online,
        result_in_scope=dossier.result_in_scope,
        result_digitized=dossier.result_digitized,
        rating=rating,
    )


# A dossier's counted facts, read at every transition: compiled once (decision 336).
_FACTS = PreparedRead(
    lambda dossier: DossierFacts.objects.filter(pk=dossier).order_by("pk")[:1],
    dossier=int,
)


def facts_refresh(*, dossier: Dossier, event: Event | None = None) -> bool:
    """Replace the dossier's counted contribution by its current one.

    Runs inside the caller's transaction, with the dossier row locked by the
    transition. Returns whether any count changed.
    """
    rating = None
    withdrawn_at = None
    if event is not None:
        if event.action == "rate":
            # The rating row is written after the transition; the event has it.
            rating = str(event.details.get("overall", ""))
        if event.action == "withdraw":
            withdrawn_at = event.at
    new = facts_for_dossier(dossier, withdrawn_at=withdrawn_at, rating=rating)
    stored = _FACTS.first(dossier=dossier.pk)
    old = facts_of_row(stored) if stored is not None else None
    if old == new:
        return False
    deltas = deltas_new()
    deltas_add(deltas, old, -1)
    deltas_add(deltas, new, +1)
    buckets_apply(deltas)
    facts_row(dossier.pk, new).save(force_insert=stored is None)
    return True


# --- Rebuild ------------------------------------------------------------------------

_REBUILD_FIELDS = (
    "pk",
    "receiving_unit_id",
    "procedure_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "completed_at",
    "supplement_requested_at",
    "assisted_by_id",
    "writing_help",
    "fee_vnd",
    "paid_online",
    "result_in_scope",
    "result_digitized",
    "rating__overall",
)


def _dossier_rows(chunk_size: int) -> Iterator[tuple[Any, ...]]:
    return (
        Dossier.objects.order_by()
        .values_list(*_REBUILD_FIELDS)
        .iterator(chunk_size=chunk_size)
    )


def _withdrawals() -> dict[int, datetime.datetime]:
    """The latest `withdraw` event of every withdrawn dossier, in one pass."""
    return dict(
        Event.objects.filter(action="withdraw")
        .values("dossier_id")
        .annotate(last=Max("at"))
        .values_list("dossier_id", "last")
    )


def _facts_of_values(
    row: tuple[Any, ...], withdrawals: dict[int, datetime.datetime]
) -> Facts:
    (
        pk,
        unit,
        procedure,
        channel,
        status,
        received_at,
        due_at,
        completed_at,
        supplement_requested_at,
        assisted_by_id,
        writing_help,
        fee_vnd,
        paid_online,
        in_scope,
        digitized,
        rating,
    ) = row
    return facts_compute(
        receiving_unit_id=unit,
        procedure_id=procedure,
        channel=channel,
        status=status,
        received_at=received_at,
        due_at=due_at,
        completed_at=completed_at,
        withdrawn_at=withdrawals.get(pk) if status == Status.WITHDRAWN else None,
        supplement_requested_at=supplement_requested_at,
        assisted=assisted_by_id is not None and not writing_help,
        fee_vnd=fee_vnd,
        paid_online=paid_online,
        result_in_scope=in_scope,
        result_digitized=digitized,
        rating=rating or "",
    )


def facts_bulk_insert(
    items: Iterable[tuple[int, Facts]], *, deltas: Deltas, batch_size: int = 5000
) -> int:
    """Store the facts of new dossiers and add them to `deltas`."""
    columns = ("dossier_id", *FACT_FIELDS)
    batch: list[tuple[Any, ...]] = []
    count = 0
    for dossier_id, facts in items:
        deltas_add(deltas, facts)
        batch.append(_facts_values(dossier_id, facts))
        if len(batch) >= batch_size:
            insert_rows(DossierFacts, columns, batch)
            count += len(batch)
            batch = []
    insert_rows(DossierFacts, columns, batch)
    return count + len(batch)


@transaction.atomic
def stats_rebuild(
    *, chunk_size: int = 5000, progress: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Recompute every dossier's facts and every bucket from the dossier tables.

    Idempotent: the result depends only on the dossiers, events and ratings.
    """
    DossierFacts.objects.all().delete()
    StatBucket.objects.all().delete()
    UnitBucket.objects.all().delete()
    deltas = deltas_new()
    withdrawals = _withdrawals()

    def items() -> Iterator[tuple[int, Facts]]:
        for done, row in enumerate(_dossier_rows(chunk_size), start=1):
            yield row[0], _facts_of_values(row, withdrawals)
            if progress is not None and done % chunk_size == 0:
                progress(done)

    dossiers = facts_bulk_insert(items(), deltas=deltas, batch_size=chunk_size)
    buckets = buckets_apply(deltas, empty=True)
    return {"dossiers": dossiers, "buckets": buckets}
