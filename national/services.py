"""The outbox to the National Public Service Portal (docs/national-portal.md).

Written: `outbox_write`, called by the listener inside the transaction of every
transition, so an event and its outbox entry commit together or not at all
(nothing lost when the broker or the national side is down).

Delivered: `outbox_deliver(dossier_id)`, by the worker after commit. One delivery
per dossier at a time (a row lock on its `NationalLink`, skipped by any other
worker), oldest event first; it stops at the first entry that does not go
through, so a dossier's events reach the national side in order. Each entry goes
under its idempotency key, which the national side applies once: a delivery
repeated after a lost answer or a killed worker changes nothing there.

Retried: with exponential backoff, NATIONAL_SYNC_MAX_ATTEMPTS times; then the
entry fails and waits in the failed-sync queue (`outbox_retry` by an officer).
Reconciled: `outbox_reconcile`, by beat, sends again what the broker lost.
"""

import datetime
import logging
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from dossiers.models import Dossier, Event, Origin
from dossiers.services import DossierError
from tasking import backoff_seconds, publish_on_commit
from units.models import OrgUnit

from .adapters import AgencyRefused, AgencyUnavailable, national_portal
from .models import NationalLink, OutboxEntry, SyncState
from .status import CHANNEL_CODES, sync_code

logger = logging.getLogger("national")


def connected() -> bool:
    """Whether this portal reports to a national portal at all."""
    return bool(settings.NATIONAL_PORTAL_BACKEND)


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def outbox_write(*, dossier: Dossier, event: Event) -> OutboxEntry | None:
    """The entry of `event` (one INSERT, in the caller's transaction), delivered
    after commit. Nothing when the portal is not connected."""
    if not connected():
        return None
    holder = dossier.processing_unit_id or dossier.receiving_unit_id
    entry = OutboxEntry.objects.create(
        dossier=dossier,
        event=event,
        key=f"{dossier.code}:{event.pk}",
        # What the dossier and the event say now; names are added when it
        # leaves (outbox_payload), so writing costs no look-up.
        payload={
            "dossier_code": dossier.code,
            "sequence": event.pk,
            "action": event.action,
            "status": sync_code(dossier.status),
            "event_at": _iso(event.at),
            "channel": CHANNEL_CODES.get(dossier.channel, 1),
            "submitted_at": _iso(dossier.submitted_at),
            "received_at": _iso(dossier.received_at),
            "due_at": _iso(dossier.due_at),
            "completed_at": _iso(dossier.completed_at),
            "returned_at": _iso(dossier.returned_at),
            "procedure_id": dossier.procedure_id,
            "receiving_unit_id": dossier.receiving_unit_id,
            "agency_unit_id": event.actor_unit_id or holder,
            "officer_id": event.actor_id if event.origin == Origin.OFFICER else None,
        },
        next_attempt_at=event.at or timezone.now(),
    )
    # One delivery sends every waiting entry of the dossier: a transaction that
    # moves it several times (a linked part received, its result recorded and
    # returned) sends one.
    publish_on_commit(
        _deliver_task(),
        [dossier.pk],
        logger=logger,
        what=f"national sync of dossier {dossier.pk}",
        then="left to the reconciler",
        once=True,
    )
    return entry


def _deliver_task() -> Any:
    from .tasks import deliver

    return deliver


Names = dict[tuple[str, Any], Any]


def _named(names: Names, kind: str, pk: Any, find: Any) -> Any:
    """`find()`, once per kind and id in one delivery (`names`)."""
    if (kind, pk) not in names:
        names[kind, pk] = find()
    return names[kind, pk]


def _unit(unit_id: int | None, names: Names) -> dict[str, str] | None:
    if unit_id is None:
        return None

    def find() -> dict[str, str] | None:
        unit = OrgUnit.objects.filter(pk=unit_id).values("agency_code", "name").first()
        return {"code": unit["agency_code"], "name": unit["name"]} if unit else None

    found: dict[str, str] | None = _named(names, "unit", unit_id, find)
    return dict(found) if found else None


def outbox_payload(
    entry: OutboxEntry, *, national_code: str = "", names: Names | None = None
) -> dict[str, Any]:
    """What the national side receives for `entry` (Decree 224/2026 art.
    15(1)(g): the agency, the officer, the receipt, processing and return
    times), its ids replaced by codes and names (`names`: those already looked
    up for the dossier's earlier entries of the same delivery)."""
    from accounts.models import User
    from procedures.models import Procedure

    names = {} if names is None else names
    data = dict(entry.payload)
    procedure_id = data.pop("procedure_id", None)
    procedure = _named(
        names,
        "procedure",
        procedure_id,
        lambda: (
            Procedure.objects.filter(pk=procedure_id).values("code", "name").first()
        ),
    )
    officer_id = data.pop("officer_id", None)
    officer = (
        _named(
            names,
            "officer",
            officer_id,
            lambda: (
                User.objects.filter(pk=officer_id)
                .values_list("full_name", flat=True)
                .first()
            ),
        )
        if officer_id
        else None
    )
    receiving = _unit(data.pop("receiving_unit_id", None), names)
    agency = _unit(data.pop("agency_unit_id", None), names)
    return {
        **data,
        "national_code": national_code or None,
        "procedure": dict(procedure) if procedure else procedure,
        "receiving_agency": receiving,
        "agency": agency,
        "officer": officer or None,
    }


def retry_delay(attempt: int) -> float:
    """Seconds before attempt `attempt + 1` of a call to the national portal (the
    outbox's and the store's pushes)."""
    # In-process tasks (the embedded default) have no broker to wait with.
    if current_app.conf.task_always_eager:
        return 0.0
    return backoff_seconds(
        attempt,
        base=settings.NATIONAL_SYNC_BACKOFF_SECONDS,
        ceiling=settings.NATIONAL_SYNC_BACKOFF_MAX_SECONDS,
    )


def _send_later(dossier_id: int, seconds: float) -> None:
    publish_on_commit(
        _deliver_task(),
        [dossier_id],
        countdown=seconds,
        logger=logger,
        what=f"national sync of dossier {dossier_id}",
        then="left to the reconciler",
    )


def outbox_deliver(*, dossier_id: int, now: datetime.datetime | None = None) -> int:
    """Send the dossier's waiting entries in order; how many went through."""
    portal = national_portal()
    if portal is None:
        return 0
    now = now or timezone.now()
    NationalLink.objects.get_or_create(dossier_id=dossier_id)
    sent = 0
    with transaction.atomic():
        # Another worker delivering this dossier holds the row: it sends these too.
        link = (
            NationalLink.objects.select_for_update(skip_locked=True)
            .filter(dossier_id=dossier_id)
            .first()
        )
        if link is None:
            return 0
        waiting = OutboxEntry.objects.filter(dossier_id=dossier_id).exclude(
            state=SyncState.DELIVERED
        )
        names: Names = {}
        for entry in waiting.order_by("event_id"):
            if entry.state == SyncState.FAILED:
                break  # the later ones wait behind it, in order
            if entry.next_attempt_at > now:
                _send_later(dossier_id, (entry.next_attempt_at - now).total_seconds())
                break
            entry.attempts += 1
            try:
                portal.status_send(
                    key=entry.key,
                    payload=outbox_payload(
                        entry, national_code=link.national_code, names=names
                    ),
                )
            except AgencyRefused as exc:
                _give_up(entry, f"refused: {exc.reason}")
                break
            except AgencyUnavailable as exc:
                if entry.attempts >= settings.NATIONAL_SYNC_MAX_ATTEMPTS:
                    _give_up(entry, exc.reason)
                else:
                    delay = retry_delay(entry.attempts)
                    entry.last_error = exc.reason[:2000]
                    entry.next_attempt_at = now + datetime.timedelta(seconds=delay)
                    entry.save(
                        update_fields=["attempts", "last_error", "next_attempt_at"]
                    )
                    _send_later(dossier_id, delay)
                break
            entry.state = SyncState.DELIVERED
            entry.delivered_at = timezone.now()
            entry.save(update_fields=["attempts", "state", "delivered_at"])
            sent += 1
    return sent


def _give_up(entry: OutboxEntry, reason: str) -> None:
    entry.state = SyncState.FAILED
    entry.last_error = reason[:2000]
    entry.save(update_fields=["attempts", "state", "last_error"])
    logger.warning(
        "national sync of %s failed after %d attempts: %s",
        entry.key,
        entry.attempts,
        reason[:200],
    )


def outbox_reconcile(*, now: datetime.datetime | None = None) -> int:
    """Send again the dossiers whose entries wait past their time (the broker
    lost the message, a worker was killed); how many dossiers were sent."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(
        seconds=settings.NATIONAL_SYNC_REQUEUE_AFTER_SECONDS
    )
    dossier_ids = list(
        OutboxEntry.objects.filter(state=SyncState.PENDING, next_attempt_at__lt=stale)
        .order_by()
        .values_list("dossier_id", flat=True)
        .distinct()[: settings.NATIONAL_SYNC_RECONCILE_BATCH]
    )
    for dossier_id in dossier_ids:
        _send_later(dossier_id, 0)
    return len(dossier_ids)


class NotRetryable(DossierError):
    """The entry is not waiting for an officer's retry."""


def outbox_retry(*, entry: OutboxEntry, actor: Any) -> OutboxEntry:
    """Send a failed entry again (the officer saw the national side work again)."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        rows = OutboxEntry.objects.filter(pk=entry.pk, state=SyncState.FAILED)
        if not rows.update(
            state=SyncState.PENDING, attempts=0, next_attempt_at=timezone.now()
        ):
            raise NotRetryable(
                _("Sự kiện này không ở trạng thái đồng bộ không thành công.")
            )
        logger.info("national sync of %s retried by user %s", entry.key, actor.pk)
        _send_later(entry.dossier_id, 0)
    entry.refresh_from_db()
    return entry


def sync_summary(*, dossier: Dossier) -> dict[str, Any]:
    """`national` of the dossier API: its code there, its sync state, the time of
    the last event the national side acknowledged."""
    if not connected():
        return {"code": None, "sync_state": "not_connected", "last_synced_at": None}
    counts = OutboxEntry.objects.filter(dossier=dossier).aggregate(
        entries=Count("pk"),
        pending=Count("pk", filter=Q(state=SyncState.PENDING)),
        failed=Count("pk", filter=Q(state=SyncState.FAILED)),
        last=Max("delivered_at"),
    )
    code = (
        NationalLink.objects.filter(dossier=dossier)
        .values_list("national_code", flat=True)
        .first()
    )
    if counts["failed"]:
        state = SyncState.FAILED.value
    elif counts["pending"]:
        state = SyncState.PENDING.value
    elif counts["entries"]:
        state = SyncState.DELIVERED.value
    else:
        state = "not_synced"
    return {
        "code": code or dossier.code,
        "sync_state": state,
        "last_synced_at": counts["last"],
    }
