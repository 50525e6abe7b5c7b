"""Writes of fees and payments: one function per action, each in a transaction.

The gateway is called outside any transaction (a slow gateway never holds a row
lock). Every message from the gateway is stored first and then checked:
signature, merchant, order, amount, currency. A report is applied with a
conditional change under a row lock, so a replayed callback, a callback racing
the reconciliation and the citizen's return all pay the dossier once.
"""

import datetime
import json
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.lifecycle import may_act
from dossiers.models import Dossier, Origin, Status
from dossiers.services import dossier_confirm_payment, dossier_request_payment
from notifications.services import notify
from procedures.fees import PER_PROVINCE
from units.selectors import province_id_of

from . import fees
from .adapters import GatewayReport, GatewayUnavailable, InvalidMessage
from .adapters import payment_gateway as _gateway
from .adapters.base import CANCELLED, FAILED, NOT_FOUND, PAID, PENDING
from .models import DossierFee, Method, Payment, PaymentCallback, PaymentStatus
from .selectors import amount_due

logger = logging.getLogger(__name__)

# A fee may be paid while the dossier waits for receipt (right after submitting)
# or for the payment; a received dossier with an unpaid fee waits for it.
PAYABLE = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.AWAITING_PAYMENT})


class PaymentError(Exception):
    """A refused payment action; `message` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PaymentNotAllowed(PaymentError):
    """The user may see the dossier but not do this (HTTP 403)."""


# --- Fees -------------------------------------------------------------------------


def _province_id(dossier: Dossier) -> int | None:
    """The province of the dossier's area, asked only by a fee the province
    sets (no query for the others)."""
    basis = dossier.procedure.fee_basis or {}
    if basis.get("per") != PER_PROVINCE or dossier.admin_unit_id is None:
        return None
    return province_id_of(dossier.admin_unit)


@transaction.atomic(savepoint=False)
def fee_record(*, dossier: Dossier, now: datetime.datetime | None = None) -> DossierFee:
    """Assess the dossier's fee at submission and keep it; the dossier's
    `fee_vnd` becomes what is owed (0 when an exemption applies). The part of a
    linked dossier (`part_of`) owes nothing of its own: its fee is the linked
    submission's.

    Called in the submission's transaction, which a failure here aborts whole:
    no savepoint of its own, and the assessment written by one upsert (INSERT …
    ON CONFLICT) instead of update_or_create's lock, look-up and two savepoints
    (decision 336)."""
    now = now or timezone.now()
    assessment = fees.fee_assess(
        procedure=dossier.procedure,
        channel=dossier.channel,
        data=dossier.data,
        on=timezone.localtime(dossier.submitted_at).date(),
        rules=[fees.LINKED_PART] if dossier.part_of_id is not None else None,
        province_id=_province_id(dossier),
    )
    rule = assessment.exemption
    assessed = {
        "channel": dossier.channel,
        "base_vnd": assessment.base_vnd,
        "amount_vnd": assessment.amount_vnd,
        "exemption_key": rule.key if rule else "",
        "exemption_name": rule.name if rule else "",
        "exemption_name_en": rule.name_en if rule else "",
        "exemption_source": rule.source if rule else "",
        "assessed_at": now,
        "computation": list(assessment.lines),
    }
    (fee,) = DossierFee.objects.bulk_create(
        [DossierFee(dossier=dossier, **assessed)],
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=list(assessed),
    )
    if dossier.fee_vnd != assessment.amount_vnd:
        Dossier.objects.filter(pk=dossier.pk).update(fee_vnd=assessment.amount_vnd)
        dossier.fee_vnd = assessment.amount_vnd
    dossier.fee = fee  # the caller's object shows the new assessment
    return fee


def _is_paid(dossier: Dossier) -> bool:
    return Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).exists()


@transaction.atomic
def payment_request_if_unpaid(
    *, dossier: Dossier, actor: Any, now: datetime.datetime | None = None
) -> Dossier:
    """At receipt: a dossier that owes a fee not paid yet waits for it
    ("awaiting payment", the time limit stopped)."""
    amount = amount_due(dossier=dossier)
    if dossier.status != Status.RECEIVED or not amount or _is_paid(dossier):
        return dossier
    dossier_request_payment(
        dossier=dossier,
        actor=actor,
        amount_vnd=amount,
        note=_("Hồ sơ chờ nộp phí, lệ phí %(amount)s đồng.")
        % {"amount": f"{amount:,}".replace(",", ".")},
        now=now,
    )
    # The caller holds this object: show it the status it now has.
    dossier.refresh_from_db(fields=["status", "updated_at"])
    return dossier


# --- Starting an online payment -----------------------------------------------------


def _order_id(dossier: Dossier) -> str:
    # The dossier code helps people reconcile; the random part makes the order
    # id unguessable and unique per attempt.
    return f"{dossier.code}-{secrets.token_hex(3).upper()}"


def _check_payable(dossier: Dossier) -> int:
    if dossier.status not in PAYABLE:
        raise PaymentError(
            _("Hồ sơ ở trạng thái “%(status)s” không nộp phí được.")
            % {"status": dossier.get_status_display()}
        )
    amount = amount_due(dossier=dossier)
    if amount is None:
        raise PaymentError(
            _(
                "Mức phí, lệ phí của thủ tục này đang được cập nhật; hãy nộp tại "
                "Bộ phận Một cửa."
            )
        )
    if amount == 0:
        raise PaymentError(_("Hồ sơ này không phải nộp phí, lệ phí."))
    if _is_paid(dossier):
        raise PaymentError(_("Phí, lệ phí của hồ sơ này đã được nộp."))
    return amount


def payment_start(
    *,
    dossier: Dossier,
    user: Any,
    return_url: str,
    callback_url: str,
    now: datetime.datetime | None = None,
) -> Payment:
    """The applicant starts paying online: a new attempt (kept whatever becomes
    of it) and the gateway's page to send them to (`redirect_url`)."""
    now = now or timezone.now()
    gateway = _gateway()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if user.pk != locked.applicant_id:
            raise PaymentNotAllowed(_("Chỉ người nộp hồ sơ mới thanh toán trực tuyến."))
        amount = _check_payable(locked)
        payment = Payment.objects.create(
            dossier=locked,
            order_id=_order_id(locked),
            method=Method.ONLINE,
            gateway=gateway.name,
            amount_vnd=amount,
            created_by=user,
            created_at=now,
        )
    try:
        created = gateway.create_payment(
            order_id=payment.order_id,
            amount_vnd=payment.amount_vnd,
            description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
            return_url=return_url,
            callback_url=callback_url,
        )
    except (GatewayUnavailable, InvalidMessage) as exc:
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
            status=PaymentStatus.FAILED, note=f"create: {exc}"[:255]
        )
        logger.warning("payment %s: the gateway refused to create it", payment.order_id)
        raise PaymentError(
            _("Cổng thanh toán đang không trả lời. Bạn hãy thử lại sau ít phút.")
        ) from exc
    Payment.objects.filter(pk=payment.pk).update(redirect_url=created.redirect_url)
    payment.redirect_url = created.redirect_url
    logger.info("payment %s started for %d VND", payment.order_id, amount)
    return payment


# --- Applying what the gateway reports ------------------------------------------------


def _receipt_number(payment: Payment, paid_at: datetime.datetime) -> str:
    return f"BN{timezone.localtime(paid_at):%y%m%d}-{payment.pk:06d}"


def _settle(
    payment: Payment, *, actor: Any, origin: str, now: datetime.datetime
) -> None:
    """The dossier's fee is paid: it leaves "awaiting payment" and the citizen is
    told once (dedup key of the payment)."""
    dossier = Dossier.objects.select_for_update().get(pk=payment.dossier_id)
    # QĐ 766 item 3.6 counts the fee dossiers paid online (decision 51). Set
    # before the transition below, whose listeners (the dashboards) read it; a
    # dossier paid before its receipt is counted when it is received.
    paid_online = payment.method == Method.ONLINE
    if dossier.paid_online is not paid_online:
        Dossier.objects.filter(pk=dossier.pk).update(paid_online=paid_online)
        dossier.paid_online = paid_online
    if dossier.status == Status.AWAITING_PAYMENT:
        note = (
            _("Đã nộp phí, lệ phí trực tuyến (mã giao dịch %(txn)s).")
            % {"txn": payment.gateway_transaction_id}
            if payment.method == Method.ONLINE
            else _("Đã nộp phí, lệ phí bằng tiền mặt tại Bộ phận Một cửa.")
        )
        dossier = dossier_confirm_payment(
            dossier=dossier,
            actor=actor,
            origin=origin,
            reference=payment.receipt_number,
            note=note,
            now=now,
        )
    notify(
        recipient=dossier.applicant,
        event_key="payment.received",
        template="payment_received",
        context={
            "code": dossier.code,
            "amount_vnd": payment.amount_vnd,
            "transaction_id": payment.gateway_transaction_id,
            "receipt_number": payment.receipt_number,
            "method": payment.method,
        },
        dedup_key=f"payment-paid:{payment.pk}",
        url=dossier.get_absolute_url(),
    )


@transaction.atomic
def _apply(payment_pk: int, report: GatewayReport, now: datetime.datetime) -> str:
    """Apply the gateway's word on one payment under its row lock: accepted when
    it changed something, unchanged when it did not (a replay, still pending)."""
    payment = Payment.objects.select_for_update().get(pk=payment_pk)
    if report.status == PAID:
        if payment.status in {PaymentStatus.PAID, PaymentStatus.REFUND_DUE}:
            return PaymentCallback.Outcome.UNCHANGED
        # Money taken by the gateway is recorded whatever we thought before
        # (failed, cancelled, expired): the gateway's settled word wins.
        paid_at = report.paid_at or now
        twice = (
            Payment.objects.filter(
                dossier_id=payment.dossier_id, status=PaymentStatus.PAID
            )
            .exclude(pk=payment.pk)
            .exists()
        )
        payment.status = PaymentStatus.REFUND_DUE if twice else PaymentStatus.PAID
        payment.paid_at = paid_at
        payment.gateway_transaction_id = report.transaction_id[:64]
        payment.receipt_number = _receipt_number(payment, paid_at)
        payment.save()
        if twice:
            logger.error(
                "payment %s paid although the dossier was already paid: refund due",
                payment.order_id,
            )
            return PaymentCallback.Outcome.ACCEPTED
        logger.info("payment %s paid", payment.order_id)
        _settle(payment, actor=None, origin=Origin.SYSTEM, now=now)
        return PaymentCallback.Outcome.ACCEPTED
    if report.status in {FAILED, CANCELLED} and payment.status == PaymentStatus.PENDING:
        payment.status = (
            PaymentStatus.FAILED if report.status == FAILED else PaymentStatus.CANCELLED
        )
        payment.save(update_fields=["status", "updated_at"])
        return PaymentCallback.Outcome.ACCEPTED
    return PaymentCallback.Outcome.UNCHANGED


def _store(
    *,
    kind: str,
    body: str,
    remote_addr: str,
    now: datetime.datetime,
) -> PaymentCallback:
    return PaymentCallback.objects.create(
        kind=kind,
        body=body[:20000],
        remote_addr=remote_addr[:64],
        received_at=now,
        outcome=PaymentCallback.Outcome.ERROR,  # until it is checked
    )


def _refuse(row: PaymentCallback, reason: str) -> PaymentCallback:
    row.outcome = PaymentCallback.Outcome.REFUSED
    row.reason = reason
    row.save(update_fields=["outcome", "reason", "order_id", "payment"])
    logger.warning(
        "payment %s refused: %s (order %s, from %s)",
        row.kind,
        reason,
        row.order_id or "?",
        row.remote_addr or "?",
    )
    return row


def _check_and_apply(
    row: PaymentCallback, report: GatewayReport, now: datetime.datetime
) -> PaymentCallback:
    row.order_id = report.order_id[:64]
    row.status_reported = report.status[:16]
    payment = Payment.objects.filter(order_id=report.order_id).first()
    if payment is None:
        return _refuse(row, "unknown_order")
    row.payment = payment
    if report.status != NOT_FOUND:
        if report.amount_vnd != payment.amount_vnd:
            return _refuse(row, "amount_mismatch")
        if report.currency != payment.currency:
            return _refuse(row, "currency_mismatch")
    row.outcome = _apply(payment.pk, report, now)
    row.save(update_fields=["outcome", "order_id", "payment", "status_reported"])
    return row


def payment_callback_receive(
    *, body: bytes, remote_addr: str = "", now: datetime.datetime | None = None
) -> PaymentCallback:
    """A server-to-server callback from the gateway: stored, then checked
    (signature, merchant, order, amount, currency), then applied once."""
    now = now or timezone.now()
    row = _store(
        kind=PaymentCallback.Kind.CALLBACK,
        body=body.decode("utf-8", "replace"),
        remote_addr=remote_addr,
        now=now,
    )
    try:
        report = _gateway().verify_callback(body=body)
    except InvalidMessage as exc:
        return _refuse(row, exc.reason)
    return _check_and_apply(row, report, now)


def payment_return_receive(
    *,
    params: dict[str, str],
    user: Any,
    remote_addr: str = "",
    now: datetime.datetime | None = None,
) -> Payment | None:
    """The citizen is back from the gateway. What the browser brings is checked
    like a callback but never trusted to pay: a reported payment is confirmed by
    asking the gateway (`payment_sync`). The payment, when it is the user's."""
    now = now or timezone.now()
    row = _store(
        kind=PaymentCallback.Kind.RETURN,
        body=json.dumps(params, ensure_ascii=False),
        remote_addr=remote_addr,
        now=now,
    )
    try:
        report = _gateway().verify_return(params=params)
    except InvalidMessage as exc:
        _refuse(row, exc.reason)
        return None
    row.order_id = report.order_id[:64]
    row.status_reported = report.status[:16]
    payment = Payment.objects.filter(order_id=report.order_id).first()
    if payment is None or payment.created_by_id != user.pk:
        _refuse(row, "unknown_order")
        return None
    row.payment = payment
    row.outcome = PaymentCallback.Outcome.UNCHANGED
    row.save(update_fields=["outcome", "order_id", "payment", "status_reported"])
    if payment.status == PaymentStatus.PENDING:
        payment_sync(payment=payment, now=now)
        payment.refresh_from_db()
    return payment


def payment_sync(
    *, payment: Payment, now: datetime.datetime | None = None
) -> PaymentCallback | None:
    """Ask the gateway about a payment and apply the answer (the reconciliation
    of a lost callback). None when the gateway does not answer."""
    now = now or timezone.now()
    Payment.objects.filter(pk=payment.pk).update(last_checked_at=now)
    try:
        report = _gateway().query_status(order_id=payment.order_id)
    except GatewayUnavailable as exc:
        logger.warning("payment %s: status query failed (%s)", payment.order_id, exc)
        return None
    except InvalidMessage as exc:
        row = _store(kind=PaymentCallback.Kind.QUERY, body="", remote_addr="", now=now)
        row.order_id = payment.order_id
        row.payment = payment
        return _refuse(row, exc.reason)
    row = _store(
        kind=PaymentCallback.Kind.QUERY,
        body=json.dumps(
            {
                "order_id": report.order_id,
                "status": report.status,
                "amount": report.amount_vnd,
                "currency": report.currency,
                "transaction_id": report.transaction_id,
                "paid_at": report.paid_at.isoformat() if report.paid_at else "",
            }
        ),
        remote_addr="",
        now=now,
    )
    row = _check_and_apply(row, report, now)
    if report.status in {PENDING, NOT_FOUND}:
        _expire_if_old(payment, now)
    return row


def _expire_if_old(payment: Payment, now: datetime.datetime) -> None:
    limit = now - datetime.timedelta(minutes=settings.PAYMENT_EXPIRE_AFTER_MINUTES)
    Payment.objects.filter(
        pk=payment.pk, status=PaymentStatus.PENDING, created_at__lt=limit
    ).update(status=PaymentStatus.EXPIRED)


def payments_reconcile(*, now: datetime.datetime | None = None) -> int:
    """Ask the gateway about online payments still pending after
    PAYMENT_RECONCILE_AFTER_MINUTES (not asked again within that time), so a lost
    callback still completes the payment. The number asked about."""
    now = now or timezone.now()
    after = now - datetime.timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    stuck = (
        Payment.objects.filter(
            method=Method.ONLINE, status=PaymentStatus.PENDING, created_at__lt=after
        )
        .exclude(last_checked_at__gte=after)
        .order_by("created_at")[: settings.PAYMENT_RECONCILE_BATCH]
    )
    count = 0
    for payment in stuck:
        payment_sync(payment=payment, now=now)
        count += 1
    return count


# --- Cash at the counter -----------------------------------------------------------


@transaction.atomic
def payment_record_cash(
    *,
    dossier: Dossier,
    officer: Any,
    paper_receipt: str = "",
    now: datetime.datetime | None = None,
) -> Payment:
    """The receiving officer took the fee in cash at the counter."""
    now = now or timezone.now()
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not may_act(officer, locked, "confirm_payment"):
        raise PaymentNotAllowed(
            _("Chỉ cán bộ tiếp nhận của đơn vị mới ghi nhận nộp tiền mặt.")
        )
    amount = _check_payable(locked)
    payment = Payment.objects.create(
        dossier=locked,
        order_id=f"{locked.code}-TM{secrets.token_hex(2).upper()}",
        method=Method.CASH,
        amount_vnd=amount,
        status=PaymentStatus.PAID,
        created_by=officer,
        created_at=now,
        paid_at=now,
        note=(
            _("Biên lai giấy số %(number)s") % {"number": paper_receipt.strip()}
            if paper_receipt.strip()
            else ""
        ),
    )
    payment.receipt_number = _receipt_number(payment, now)
    payment.save(update_fields=["receipt_number", "updated_at"])
    logger.info("payment %s: cash at the counter", payment.order_id)
    _settle(payment, actor=officer, origin=Origin.OFFICER, now=now)
    return payment
