"""Reads of fees and payments, through the dossier access selectors: a payment
is visible to whoever may see its dossier, and to nobody else (404)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from dossiers.models import Dossier
from dossiers.selectors import dossiers_visible_to
from portal.db import PreparedRead
from procedures.fees import Exemption, Fee, fee_shown

from .fees import LINKED_PART, rule_verified
from .models import DossierFee, Payment, PaymentStatus


def dossier_fee(*, dossier: Dossier) -> DossierFee | None:
    """The dossier's assessment, read once per dossier object (the fee line and
    the fee block of one page share it; `dossier.fee` then gives it too), by a
    read compiled once (the officer's dossier page, decision 336)."""
    cache = Dossier.fee.related
    fee: DossierFee | None
    if cache.is_cached(dossier):
        fee = cache.get_cached_value(dossier)  # type: ignore[assignment]
        return fee
    if dossier.pk is None:
        return None
    fee = _FEE.first(dossier=dossier.pk)
    # As `dossier.fee` caches it, absent (None) included.
    cache.set_cached_value(dossier, fee)
    if fee is not None:
        DossierFee.dossier.field.set_cached_value(fee, dossier)
    return fee


_FEE = PreparedRead(
    lambda dossier: DossierFee.objects.filter(dossier_id=dossier)[:1], dossier=int
)


def fee_of_dossier(dossier: Dossier) -> Fee:
    """The fee the dossier's pages, API and panels show (procedures.fees)."""
    fee = dossier_fee(dossier=dossier)
    if fee is None:  # filed before fees were assessed, or imported
        return fee_shown(base_vnd=dossier.fee_vnd)
    linked = fee.exemption_key == LINKED_PART.key
    exemption = None
    if fee.exempt and not linked:
        exemption = Exemption(
            fee.exemption_name,
            fee.exemption_name_en,
            verified=rule_verified(fee.exemption_key),
        )
    return fee_shown(base_vnd=fee.base_vnd, exemption=exemption, linked_part=linked)


def owed(dossier: Dossier, fee: DossierFee | None) -> int | None:
    """What the dossier owes given its assessed fee (0 exempt or free, None
    unknown). Dossiers filed before fees were assessed owe their recorded fee."""
    if fee is not None:
        return fee.amount_vnd
    return dossier.fee_vnd


def amount_due(*, dossier: Dossier) -> int | None:
    return owed(dossier, dossier_fee(dossier=dossier))


def payments_of_dossier(*, dossier: Dossier) -> QuerySet[Payment]:
    return Payment.objects.filter(dossier=dossier).order_by("-created_at", "-pk")


def paid_payment(*, dossier: Dossier) -> Payment | None:
    return Payment.objects.filter(dossier=dossier, status=PaymentStatus.PAID).first()


def payment_get_for_user(*, user: Any, pk: int) -> Payment:
    """The payment if `user` may see its dossier; 404 otherwise."""
    payment = (
        Payment.objects.select_related("dossier")
        .filter(pk=pk, dossier__in=dossiers_visible_to(user=user))
        .first()
    )
    if payment is None:
        raise Http404
    return payment
