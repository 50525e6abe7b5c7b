"""Fees: a dossier waiting for the citizen's payment (called by the payments app)."""

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from ..calendar import WorkingCalendar
from ..models import Dossier, Event, Origin
from ..transactions import atomic_retrying
from .core import stored_deadline, transition_apply

if TYPE_CHECKING:
    from accounts.models import User

# --- Fees: waiting for the citizen's payment (called by the payments app) ----------


@atomic_retrying
def dossier_request_payment(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    amount_vnd: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """A received dossier waits for its fee. The time limit does not run meanwhile:
    `dossier_confirm_payment` moves the due date by the working days waited.
    `actor` None is the payment service itself."""
    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="request_payment",
        note=note,
        details={"amount_vnd": amount_vnd},
        now=now,
    ).dossier


@atomic_retrying
def dossier_confirm_payment(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    reference: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The fee is paid: the dossier is received again and its due date moves by the
    working days spent waiting since the payment was requested (kept in the
    explanation). `reference` names the payment (order id, receipt number)."""
    now = now or timezone.now()
    requested = (
        Event.objects.filter(dossier=dossier, action="request_payment")
        .order_by("-at", "-pk")
        .first()
    )
    details: dict[str, Any] = {"reference": reference}

    def change(d: Dossier) -> None:
        if requested is None or d.due_at is None:
            return
        deadline = WorkingCalendar.load().extend_by_pause(
            stored_deadline(d),
            paused_from=requested.at,
            paused_to=now,
            rule="paused_payment",
        )
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()
        details["due_at"] = deadline.due_at.isoformat()

    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="confirm_payment",
        note=note,
        details=details,
        change=change,
        now=now,
    ).dossier
