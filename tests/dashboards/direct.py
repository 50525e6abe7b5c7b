"""The figures computed straight from dossier rows in Python, as the metric
definitions in docs/dashboards.md say, to check the pre-aggregated path."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from dossiers.calendar import completion_timeliness
from dossiers.models import Dossier, Event, Status

COMPLETED = {Status.RESULT_READY, Status.RETURNED, Status.REFUSED, Status.STOPPED}
WITH_RESULT = {Status.RESULT_READY, Status.RETURNED}


def day(moment):
    return None if moment is None else timezone.localtime(moment).date()


@dataclass
class Row:
    dossier: Dossier
    rating: str
    withdrawn_at: datetime.datetime | None


def rows(dossiers):
    out = []
    for d in dossiers:
        rating = getattr(getattr(d, "rating", None), "overall", "") or ""
        withdrawn = (
            Event.objects.filter(dossier=d, action="withdraw")
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        out.append(Row(d, rating, withdrawn))
    return out


def _closed_on(r):
    d = r.dossier
    received = day(d.received_at)
    if d.status in COMPLETED:
        return day(d.completed_at) or received
    if d.status == Status.WITHDRAWN:
        return day(r.withdrawn_at) or received
    return None


def direct_figures(rows, start, end, stock):
    f = dict.fromkeys(
        [
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
        ],
        0,
    )
    for r in rows:
        d = r.dossier
        received = day(d.received_at)
        if received is None:
            continue
        if start <= received <= end:
            f["received_total"] += 1
            f["received_online"] += d.channel == "online"
            f["assisted_total"] += d.assisted_by_id is not None
            has_fee = bool(d.fee_vnd)
            f["fee_dossiers"] += has_fee
            f["paid_online"] += has_fee and d.paid_online is True
        done = day(d.completed_at)
        if d.status in COMPLETED and done is not None and start <= done <= end:
            f["completed_total"] += 1
            kind = completion_timeliness(due_at=d.due_at, completed_at=d.completed_at)
            f[f"completed_{kind}"] += 1
            if d.status in WITH_RESULT:
                f["results_in_scope"] += d.result_in_scope
                f["results_digitized"] += d.result_in_scope and d.result_digitized
                if r.rating:
                    f["ratings_total"] += 1
                    f["satisfied_total"] += r.rating in {"satisfied", "very_satisfied"}
        closed = _closed_on(r)
        is_open = received <= stock and (closed is None or closed > stock)
        if is_open:
            f["open_total"] += 1
            waiting = (
                d.status == Status.SUPPLEMENT_REQUESTED
                and d.supplement_requested_at is not None
                and day(d.supplement_requested_at) <= stock
            )
            if day(d.due_at) < stock and not waiting:
                f["open_overdue"] += 1
    return f
