"""What one dossier contributes to the figures, from its fields."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from dossiers.calendar import EARLY, LATE, ON_TIME, completion_timeliness
from dossiers.models import COMPLETED_STATUSES, Rating, Status

from .periods import ONE_DAY

# Statuses whose dossier has an issued result (digitisation counts these).
RESULT_STATUSES = frozenset({Status.RESULT_READY, Status.RETURNED})
SATISFIED = frozenset({Rating.Overall.VERY_SATISFIED, Rating.Overall.SATISFIED})
# Final statuses: a dossier in one of them is no longer open.
CLOSED_STATUSES = frozenset({*COMPLETED_STATUSES, Status.WITHDRAWN})


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return None if moment is None else timezone.localtime(moment).date()


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
