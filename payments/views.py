"""Payment pages: pay online (citizen), back from the gateway, the payment's
state, the e-receipt, and cash at the counter (receiving officer)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.addresses import absolute_url
from accounts.decorators import citizen_required, staff_required
from dossiers.selectors import dossier_get_for_user

from . import services
from .forms import CashForm
from .models import PaymentStatus
from .receipts import receipt_pdf
from .selectors import amount_due, paid_payment, payment_get_for_user


def gateway_urls(request: HttpRequest) -> tuple[str, str]:
    """Where the gateway sends the citizen back, and posts its callback."""
    return (
        absolute_url(reverse("payments:payment-return"), request),
        absolute_url(reverse("payments-api:payment-callback"), request),
    )


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@citizen_required
@require_POST
def payment_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start paying online and go to the gateway's page."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier.applicant_id != request.user.pk:
        raise Http404
    try:
        back, callback = gateway_urls(request)
        payment = services.payment_start(
            dossier=dossier, user=request.user, return_url=back, callback_url=callback
        )
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect(dossier.get_absolute_url())
    return redirect(payment.redirect_url)


@login_required
@never_cache
@require_GET
def payment_return(request: HttpRequest) -> HttpResponse:
    """The citizen is back from the gateway: check what the browser brings, ask
    the gateway when it says paid, and show the payment."""
    params = {key: str(value) for key, value in request.GET.items()}
    payment = services.payment_return_receive(
        params=params, user=request.user, remote_addr=_client_address(request)
    )
    if payment is None:
        messages.error(
            request,
            _(
                "Không xác thực được thông tin cổng thanh toán gửi về. Nếu bạn đã "
                "trả tiền, cổng sẽ tự kiểm tra lại với cổng thanh toán."
            ),
        )
        return redirect("dossiers:dossier-mine")
    return redirect("payments:payment-detail", pk=payment.pk)


@login_required
@never_cache
@require_GET
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payment attempt and what became of it; while it is pending the page
    reloads itself (no script) until the gateway's answer arrives."""
    payment = payment_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "payments/payment_detail.html",
        {
            "payment": payment,
            "dossier": payment.dossier,
            "pending": payment.status == PaymentStatus.PENDING,
            "is_applicant": payment.dossier.applicant_id == request.user.pk,
        },
    )


@login_required
@require_POST
def payment_check(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Check again": ask the gateway about a pending payment now."""
    payment = payment_get_for_user(user=request.user, pk=pk)
    pending = payment.status == PaymentStatus.PENDING
    if pending and services.payment_sync(payment=payment) is None:
        messages.warning(
            request,
            _("Cổng thanh toán chưa trả lời; cổng sẽ tự kiểm tra lại sau ít phút."),
        )
    return redirect("payments:payment-detail", pk=payment.pk)


@login_required
@require_GET
def payment_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The e-receipt (PDF) of the dossier's paid fee."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    payment = paid_payment(dossier=dossier)
    if payment is None:
        raise Http404
    tracking = absolute_url(
        reverse("dossiers:dossier-track") + f"?code={dossier.code}", request
    )
    response = HttpResponse(
        receipt_pdf(payment, tracking_url=tracking), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    return response


@staff_required
@require_POST
def payment_cash(request: HttpRequest, code: str) -> HttpResponse:
    """The receiving officer records the fee taken in cash at the counter."""
    user: Any = request.user
    dossier = dossier_get_for_user(user=user, code=code)
    back = reverse("dossiers:dossier-work", args=[dossier.code])
    form = CashForm(request.POST, prefix="cash")
    if not form.is_valid():
        messages.error(request, _("Biểu mẫu nộp tiền mặt chưa hợp lệ, hãy thử lại."))
        return redirect(back)
    try:
        due_now = amount_due(dossier=dossier)
        if form.cleaned_data["seen_amount"] != due_now:
            raise services.PaymentError(
                _("Số phải nộp đã thay đổi từ khi bạn mở trang; hãy kiểm tra lại.")
            )
        payment = services.payment_record_cash(
            dossier=dossier,
            officer=user,
            paper_receipt=form.cleaned_data["paper_receipt"],
        )
    except services.PaymentNotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except services.PaymentError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("Đã ghi nhận nộp tiền mặt; biên nhận số %(number)s.")
        % {"number": payment.receipt_number},
    )
    return redirect(back)
