"""The sandbox platform's behaviour: accept a signed order, let the payer pay,
cancel or fail, then tell the merchant by a signed callback, late and now and
then not at all, as a real platform does; answer signed status queries.

Randomness comes from `rng` (tests replace it or set the rates to 0 or 1) and
the delay is a Celery countdown, so nothing here ever sleeps.
"""

import json
import logging
import random
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tasking import publish_on_commit

from .models import CallbackAttempt, OrderStatus, SandboxOrder
from .signing import sign, verify

logger = logging.getLogger(__name__)

# Not for security: it only decides which simulated callbacks are late or lost.
rng = random.Random()  # noqa: S311

ORDER_FIELDS = (
    "merchant_id",
    "order_id",
    "amount",
    "currency",
    "description",
    "return_url",
    "callback_url",
    "created_at",
)


class OrderRefused(Exception):
    """A payment request the platform will not take; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def http_session() -> requests.Session:
    """The HTTP client for callbacks (tests swap the transport)."""
    return requests.Session()


def _secret_for(merchant_id: str) -> str | None:
    if merchant_id == settings.PAYGATE_MERCHANT_ID:
        return str(settings.PAYGATE_SECRET)
    return None


def _signed(fields: dict[str, Any]) -> dict[str, Any]:
    secret = _secret_for(str(fields["merchant_id"])) or ""
    return {**fields, "signature": sign(fields, secret)}


def _web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@transaction.atomic
def order_accept(params: Mapping[str, str]) -> SandboxOrder:
    """The payer arrives with the merchant's signed request: the order (the same
    one again when the page is reopened)."""
    fields = {k: v for k, v in params.items() if k in (*ORDER_FIELDS, "signature")}
    if any(name not in fields for name in ORDER_FIELDS):
        raise OrderRefused("missing_fields")
    secret = _secret_for(fields["merchant_id"])
    if secret is None:
        raise OrderRefused("unknown_merchant")
    if not verify(fields, secret):
        raise OrderRefused("bad_signature")
    try:
        amount = int(fields["amount"])
    except ValueError:
        raise OrderRefused("bad_amount") from None
    if amount <= 0 or fields["currency"] != "VND":
        raise OrderRefused("bad_amount")
    if not (_web_url(fields["return_url"]) and _web_url(fields["callback_url"])):
        raise OrderRefused("bad_url")
    order, created = SandboxOrder.objects.get_or_create(
        merchant_id=fields["merchant_id"],
        order_id=fields["order_id"],
        defaults={
            "token": secrets.token_urlsafe(24),
            "amount": amount,
            "currency": fields["currency"],
            "description": fields["description"][:255],
            "return_url": fields["return_url"],
            "callback_url": fields["callback_url"],
        },
    )
    if not created and (order.amount != amount or order.currency != "VND"):
        raise OrderRefused("order_changed")
    return order


def _report(order: SandboxOrder) -> dict[str, Any]:
    return _signed(
        {
            "merchant_id": order.merchant_id,
            "order_id": order.order_id,
            "amount": order.amount,
            "currency": order.currency,
            "status": order.status,
            "transaction_id": order.transaction_id,
            "paid_at": order.completed_at.isoformat()
            if order.completed_at and order.status == OrderStatus.PAID
            else "",
            "timestamp": timezone.now().isoformat(timespec="seconds"),
        }
    )


def return_url(order: SandboxOrder) -> str:
    """Where the payer's browser goes back, with the signed result."""
    separator = "&" if "?" in order.return_url else "?"
    return order.return_url + separator + urlencode(_report(order))


OUTCOMES = {
    "pay": OrderStatus.PAID,
    "cancel": OrderStatus.CANCELLED,
    "fail": OrderStatus.FAILED,
}


@transaction.atomic
def order_complete(*, order: SandboxOrder, action: str) -> SandboxOrder:
    """The payer pays, cancels or the payment fails. Once only: a second press
    changes nothing. The merchant's callback is scheduled after commit, after a
    random delay, unless this one is lost."""
    status = OUTCOMES[action]
    now = timezone.now()
    changed = SandboxOrder.objects.filter(
        pk=order.pk, status=OrderStatus.PENDING
    ).update(
        status=status,
        completed_at=now,
        transaction_id=f"SBX{now:%Y%m%d}{secrets.token_hex(6).upper()}",
    )
    order.refresh_from_db()
    if changed:
        _schedule_callback(order, attempt=1)
    return order


def _schedule_callback(order: SandboxOrder, *, attempt: int) -> None:
    low = float(settings.PAYGATE_CALLBACK_DELAY_MIN_SECONDS)
    high = max(low, float(settings.PAYGATE_CALLBACK_DELAY_MAX_SECONDS))
    delay = rng.uniform(low, high) if attempt == 1 else 5.0 * 2 ** (attempt - 1)
    lost = attempt == 1 and rng.random() < settings.PAYGATE_CALLBACK_LOSS_RATE
    record = CallbackAttempt.objects.create(
        order=order, attempt=attempt, delay_seconds=delay, lost=lost
    )
    if lost:
        logger.info("sandbox: callback of %s lost on purpose", order.order_id)
        return
    from .tasks import send_callback

    # With the broker down the callback is lost, as a remote platform's may be;
    # the payer still goes back, and the portal asks the platform for the status
    # (payments' reconciliation).
    publish_on_commit(
        send_callback,
        [record.pk],
        countdown=delay,
        logger=logger,
        what=f"sandbox: callback of {order.order_id}",
        then="lost (the merchant's status query finds the payment)",
    )


def callback_send(*, attempt_id: int) -> bool:
    """POST the signed callback of one attempt; schedules the next attempt when
    the merchant does not answer 2xx. Whether it was delivered."""
    record = CallbackAttempt.objects.select_related("order").get(pk=attempt_id)
    if record.sent_at is not None or record.lost:
        return record.response_status is not None and record.response_status < 300
    order = record.order
    body = json.dumps(_report(order))
    try:
        response = http_session().post(
            order.callback_url,
            data=body.encode(),
            headers={"Content-Type": "application/json"},
            timeout=settings.PAYGATE_CALLBACK_TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        status, error = None, exc.__class__.__name__
    else:
        status, error = response.status_code, ""
    CallbackAttempt.objects.filter(pk=record.pk).update(
        sent_at=timezone.now(), response_status=status, error=error
    )
    delivered = status is not None and 200 <= status < 300
    if not delivered and record.attempt < settings.PAYGATE_CALLBACK_ATTEMPTS:
        with transaction.atomic():
            _schedule_callback(order, attempt=record.attempt + 1)
    return delivered


def order_query(request: Mapping[str, Any]) -> dict[str, Any]:
    """Answer a merchant's signed status query (signed too)."""
    merchant_id = str(request.get("merchant_id", ""))
    secret = _secret_for(merchant_id)
    if secret is None or not verify(request, secret):
        raise OrderRefused("bad_signature")
    order = SandboxOrder.objects.filter(
        merchant_id=merchant_id, order_id=str(request.get("order_id", ""))
    ).first()
    if order is None:
        return _signed(
            {
                "merchant_id": merchant_id,
                "order_id": str(request.get("order_id", "")),
                "amount": "",
                "currency": "VND",
                "status": "not_found",
                "transaction_id": "",
                "paid_at": "",
                "timestamp": timezone.now().isoformat(timespec="seconds"),
            }
        )
    return _report(order)
