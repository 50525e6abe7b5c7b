"""The fee block on the dossier pages (dossiers.hooks.page_section): the
citizen's fee, its state and "pay online"; on the officer's page, the payment
state and the cash form."""

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from dossiers.lifecycle import may_act
from dossiers.models import Dossier, Status
from procedures.fees import EXEMPT

from .forms import CashForm
from .models import PaymentStatus
from .selectors import dossier_fee, fee_of_dossier, owed, payments_of_dossier
from .services import PAYABLE


def _state(dossier: Dossier) -> dict[str, Any] | None:
    fee = dossier_fee(dossier=dossier)
    due = owed(dossier, fee)
    if fee is None and due is None:
        return None  # unknown fee, no assessment: nothing to say
    payments = list(payments_of_dossier(dossier=dossier)) if due else []
    paid = next((p for p in payments if p.status == PaymentStatus.PAID), None)
    return {
        "dossier": dossier,
        "fee": fee,
        # What people read of the fee (procedures.fees), as on the fee line.
        "shown": fee_of_dossier(dossier),
        "due": due,
        "payments": payments,
        "paid": paid,
        "pending": [p for p in payments if p.status == PaymentStatus.PENDING],
        "payable": bool(due) and paid is None and dossier.status in PAYABLE,
        "awaiting": dossier.status == Status.AWAITING_PAYMENT,
    }


def dossier_panel(request: HttpRequest, dossier: Dossier, place: str) -> str:
    user = request.user
    if place in {"detail-top", "submitted"}:
        if user.pk != dossier.applicant_id:
            return ""
        state = _state(dossier)
        if state is None:
            return ""
        # Nothing to pay: the dossier page's fee line says why; the confirmation
        # page has no fee line, so it says an exemption there.
        exempt_here = place == "submitted" and state["shown"].kind == EXEMPT
        if not state["due"] and not exempt_here:
            return ""
        return render_to_string(
            "payments/_panel_citizen.html", state | {"page": place}, request=request
        )
    if place == "work-actions":
        state = _state(dossier)
        if state is None:
            return ""
        if state["payable"] and may_act(user, dossier, "confirm_payment"):
            state["cash_form"] = CashForm(
                initial={"seen_amount": state["due"]}, prefix="cash"
            )
        return render_to_string("payments/_panel_officer.html", state, request=request)
    return ""


def dossier_api_fee(dossier: Dossier, request: Any) -> dict[str, Any]:
    """`fee_text` of GET /api/v1/dossiers/{code}/: what the pages show."""
    return {"fee_text": fee_of_dossier(dossier).text}
