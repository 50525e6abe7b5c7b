"""Payment pages: the citizen pays in the sandbox and sees the dossier move on;
the e-receipt; the officer's block and cash at the counter; nobody else's."""

import io
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dossiers.models import Status
from payments.models import Payment, PaymentCallback, PaymentStatus
from tests.a11y import accessibility_problems

pytestmark = pytest.mark.django_db


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def pay_in_sandbox(client, dossier, capture, action="pay"):
    """Press "pay online", then the sandbox's button; back on the portal."""
    start = client.post(reverse("payments:payment-start", args=[dossier.code]))
    assert start.status_code == 302
    page = client.get(path_of(start["Location"]))
    assert page.status_code == 200
    order = page.context["order"]
    with capture(execute=True):
        back = client.post(
            reverse("paygate:order-complete", args=[order.token]), {"action": action}
        )
    assert back.status_code == 302
    return client.get(path_of(back["Location"]), follow=True)


def test_the_citizen_pays_in_the_sandbox_and_sees_the_dossier_move_on(
    client, citizen, awaiting, http, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    detail = client.get(awaiting.get_absolute_url())
    assert "Thanh toán trực tuyến" in detail.text
    assert "7.000" in detail.text

    final = pay_in_sandbox(client, awaiting, django_capture_on_commit_callbacks)

    payment = Payment.objects.get()
    assert final.redirect_chain[-1][0] == reverse(
        "payments:payment-detail", args=[payment.pk]
    )
    assert "Đã thanh toán thành công" in final.text
    assert "Đã tiếp nhận" in final.text  # the dossier's status now
    assert accessibility_problems(final.text) == []
    awaiting.refresh_from_db()
    assert awaiting.status == Status.RECEIVED
    assert payment.status == PaymentStatus.PAID
    # The callback paid; the browser's return only looked.
    kinds = set(payment.callbacks.values_list("kind", "outcome"))
    assert ("callback", "accepted") in kinds
    assert ("return", "unchanged") in kinds
    detail = client.get(awaiting.get_absolute_url())
    assert "Tải biên nhận nộp phí (PDF)" in detail.text
    assert "Thanh toán trực tuyến" not in detail.text


def test_with_a_lost_callback_the_return_asks_the_gateway(
    client, citizen, awaiting, settings, http, django_capture_on_commit_callbacks
):
    settings.PAYGATE_CALLBACK_LOSS_RATE = 1.0
    client.force_login(citizen)

    final = pay_in_sandbox(client, awaiting, django_capture_on_commit_callbacks)

    assert "Đã thanh toán thành công" in final.text
    payment = Payment.objects.get()
    assert payment.callbacks.filter(kind="query", outcome="accepted").exists()
    assert not payment.callbacks.filter(kind="callback").exists()


def test_a_cancelled_payment_can_be_tried_again(
    client, citizen, awaiting, http, django_capture_on_commit_callbacks
):
    client.force_login(citizen)

    final = pay_in_sandbox(
        client, awaiting, django_capture_on_commit_callbacks, action="cancel"
    )

    assert "Chưa thanh toán" in final.text
    assert Payment.objects.get().status == PaymentStatus.CANCELLED
    detail = client.get(awaiting.get_absolute_url())
    assert "Thanh toán trực tuyến" in detail.text


def test_a_tampered_return_is_refused_and_stored(client, citizen, awaiting, http):
    client.force_login(citizen)
    client.post(reverse("payments:payment-start", args=[awaiting.code]))
    payment = Payment.objects.get()

    response = client.get(
        reverse("payments:payment-return"),
        {"order_id": payment.order_id, "status": "paid", "signature": "0" * 64},
        follow=True,
    )

    assert "Không xác thực được" in response.text
    row = PaymentCallback.objects.get(kind="return")
    assert (row.outcome, row.reason) == ("refused", "bad_signature")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_pending_payment_page_reloads_itself_and_can_check_again(
    client, citizen, awaiting, http
):
    client.force_login(citizen)
    client.post(reverse("payments:payment-start", args=[awaiting.code]))
    payment = Payment.objects.get()
    url = reverse("payments:payment-detail", args=[payment.pk])

    page = client.get(url)
    checked = client.post(reverse("payments:payment-check", args=[payment.pk]))

    assert '<meta http-equiv="refresh" content="10">' in page.text
    assert accessibility_problems(page.text) == []
    assert checked.status_code == 302
    assert payment.callbacks.get(kind="query").status_reported == "not_found"


def test_another_citizen_gets_404_everywhere(
    client, other_citizen, awaiting, http, officer
):
    from payments.services import payment_record_cash

    payment = payment_record_cash(dossier=awaiting, officer=officer)
    client.force_login(other_citizen)

    assert (
        client.post(reverse("payments:payment-start", args=[awaiting.code])).status_code
        == 404
    )
    assert (
        client.get(reverse("payments:payment-detail", args=[payment.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("payments:payment-receipt", args=[awaiting.code])
        ).status_code
        == 404
    )


def test_the_e_receipt_is_a_pdf_with_vietnamese_text(
    client, citizen, awaiting, officer
):
    from payments.services import payment_record_cash

    payment = payment_record_cash(
        dossier=awaiting, officer=officer, paper_receipt="0001234"
    )
    client.force_login(citizen)

    response = client.get(reverse("payments:payment-receipt", args=[awaiting.code]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "BIÊN NHẬN NỘP PHÍ, LỆ PHÍ" in text
    assert "Nguyễn Văn Công" in text
    assert "7.000 đồng" in text
    assert "Tiền mặt tại Bộ phận Một cửa" in text
    assert payment.receipt_number in text
    assert awaiting.code in text


def test_no_receipt_before_payment(client, citizen, awaiting):
    client.force_login(citizen)

    response = client.get(reverse("payments:payment-receipt", args=[awaiting.code]))

    assert response.status_code == 404


# --- The officer's page -------------------------------------------------------------


def test_the_officer_page_shows_the_fee_and_records_cash(
    client, login_staff, officer, awaiting, django_capture_on_commit_callbacks
):
    login_staff(client, officer)
    work = reverse("dossiers:dossier-work", args=[awaiting.code])

    page = client.get(work)
    assert "Chờ nộp" in page.text
    assert "Đã thu tiền mặt 7.000 đồng" in page.text
    assert accessibility_problems(page.text) == []
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("payments:payment-cash", args=[awaiting.code]),
            {"cash-seen_amount": "7000", "cash-paper_receipt": "0001234"},
            follow=True,
        )

    assert done.redirect_chain[-1][0] == work
    assert "Đã ghi nhận nộp tiền mặt" in done.text
    assert "Đã nộp" in done.text
    awaiting.refresh_from_db()
    assert awaiting.status == Status.RECEIVED


def test_cash_for_a_changed_amount_is_refused(client, login_staff, officer, awaiting):
    login_staff(client, officer)

    done = client.post(
        reverse("payments:payment-cash", args=[awaiting.code]),
        {"cash-seen_amount": "5000"},
        follow=True,
    )

    assert "Số phải nộp đã thay đổi" in done.text
    assert not Payment.objects.exists()


def test_cash_by_an_officer_of_another_unit_is_404_and_by_a_specialist_403(
    client, login_staff, officer_other_commune, specialist, awaiting
):
    url = reverse("payments:payment-cash", args=[awaiting.code])
    login_staff(client, officer_other_commune)
    assert client.post(url, {"cash-seen_amount": "7000"}).status_code == 404
    client.logout()
    login_staff(client, specialist)
    assert client.post(url, {"cash-seen_amount": "7000"}).status_code == 403
    assert not Payment.objects.exists()


def test_a_citizen_cannot_record_cash(client, citizen, awaiting):
    client.force_login(citizen)

    response = client.post(
        reverse("payments:payment-cash", args=[awaiting.code]),
        {"cash-seen_amount": "7000"},
    )

    assert response.status_code in (302, 403)
    assert not Payment.objects.exists()


def test_the_confirmation_page_offers_to_pay_right_after_submitting(
    client, citizen, submitted
):
    client.force_login(citizen)

    page = client.get(reverse("dossiers:dossier-submitted", args=[submitted.code]))

    assert "Thanh toán trực tuyến" in page.text
    assert "7.000 đồng" in page.text
    assert accessibility_problems(page.text) == []


def test_other_viewers_of_the_dossier_page_get_no_pay_button(
    client, login_staff, officer, submitted
):
    login_staff(client, officer)

    page = client.get(submitted.get_absolute_url())

    assert page.status_code == 200
    assert "Thanh toán trực tuyến" not in page.text


# --- Addresses: where "Thanh toán trực tuyến" leads (accounts/addresses.py) --------


def _gateway_addresses(location):
    from urllib.parse import parse_qs

    query = parse_qs(urlsplit(location).query)
    return query["return_url"][0], query["callback_url"][0]


def test_pay_online_leads_to_the_sandbox_on_the_port_the_page_came_from(
    client, citizen, awaiting, settings
):
    # The defaults: no PORTAL_URL, no PAYMENT_GATEWAY_URL; the portal on 8123.
    settings.PORTAL_URL = ""
    settings.PAYMENT_GATEWAY_URL = ""
    client.force_login(citizen)

    start = client.post(
        reverse("payments:payment-start", args=[awaiting.code]),
        HTTP_HOST="127.0.0.1:8123",
    )

    assert start["Location"].startswith("http://127.0.0.1:8123/paygate/pay/?")
    assert _gateway_addresses(start["Location"]) == (
        "http://127.0.0.1:8123/payments/return/",
        "http://127.0.0.1:8123/api/v1/payments/callback/",
    )


def test_with_portal_url_every_payment_address_is_on_it(
    client, citizen, awaiting, settings
):
    settings.PORTAL_URL = "https://dichvucong.example.gov.vn"
    settings.PAYMENT_GATEWAY_URL = ""
    client.force_login(citizen)

    start = client.post(
        reverse("payments:payment-start", args=[awaiting.code]),
        HTTP_HOST="127.0.0.1:8123",
    )

    assert start["Location"].startswith(
        "https://dichvucong.example.gov.vn/paygate/pay/?"
    )
    assert _gateway_addresses(start["Location"]) == (
        "https://dichvucong.example.gov.vn/payments/return/",
        "https://dichvucong.example.gov.vn/api/v1/payments/callback/",
    )


def test_the_receipts_qr_code_points_at_the_public_address(
    client,
    citizen,
    awaiting,
    http,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client.force_login(citizen)
    pay_in_sandbox(client, awaiting, django_capture_on_commit_callbacks)
    settings.PORTAL_URL = "https://dichvucong.example.gov.vn"
    seen = {}

    def spy(payment, *, tracking_url):
        seen["tracking_url"] = tracking_url
        return b"%PDF-1.4"

    monkeypatch.setattr("payments.views.receipt_pdf", spy)
    client.get(reverse("payments:payment-receipt", args=[awaiting.code]))

    assert seen["tracking_url"] == (
        "https://dichvucong.example.gov.vn"
        + reverse("dossiers:dossier-track")
        + f"?code={awaiting.code}"
    )


def test_the_pages_let_pay_online_redirect_to_the_gateways_origin(
    client, citizen, awaiting, settings
):
    # A browser blocks a form's redirect to an origin the CSP does not allow, and
    # shows nothing: "Thanh toán trực tuyến" would do nothing.
    settings.PORTAL_URL = "https://dichvucong.example.gov.vn"
    settings.PAYMENT_GATEWAY_URL = "https://thanhtoan.example.gov.vn/cong/"
    client.force_login(citizen)

    page = client.get(awaiting.get_absolute_url())

    form_action = next(
        part
        for part in page["Content-Security-Policy"].split("; ")
        if part.startswith("form-action")
    )
    assert form_action.split() == [
        "form-action",
        "'self'",
        "https://dichvucong.example.gov.vn",
        "https://thanhtoan.example.gov.vn",
    ]
