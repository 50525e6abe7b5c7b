"""Fees, online payments and what the gateway reports: every callback is stored,
only a genuine one for a known order with the right amount and currency pays,
and it pays once."""

import datetime
import logging

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import OutboundSms
from dossiers import services as dossier_services
from dossiers.calendar import explain_steps
from dossiers.models import Event, Status
from notifications.models import Notification
from payments import services
from payments.models import DossierFee, Method, Payment, PaymentCallback, PaymentStatus
from tests.dossiers.factories import at, make_dossier
from tests.payments.helpers import callback_body

pytestmark = pytest.mark.django_db

RETURN = "http://testserver/payments/return/"
CALLBACK = "http://testserver/api/v1/payments/callback/"


def start(dossier, user):
    return services.payment_start(
        dossier=dossier, user=user, return_url=RETURN, callback_url=CALLBACK
    )


def receive(body, capture):
    with capture(execute=True):
        return services.payment_callback_receive(body=body, remote_addr="192.0.2.1")


# --- Fees ---------------------------------------------------------------------------


def test_an_online_dossier_owes_the_online_fee(submitted):
    fee = DossierFee.objects.get(dossier=submitted)

    assert (fee.base_vnd, fee.amount_vnd, fee.exempt) == (7000, 7000, False)
    assert submitted.fee_vnd == 7000


def test_a_counter_dossier_owes_the_counter_fee(citizen, officer, fee_procedure):
    dossier = dossier_services.dossier_file_for_citizen(
        helper=officer,
        citizen=citizen,
        procedure=fee_procedure,
        data={"full_name": citizen.full_name},
    )

    assert DossierFee.objects.get(dossier=dossier).amount_vnd == 10000
    # Received at the counter, not paid yet: it waits for the payment.
    assert dossier.status == Status.AWAITING_PAYMENT


def test_receipt_of_an_unpaid_dossier_with_a_fee_waits_for_payment(awaiting):
    event = Event.objects.filter(dossier=awaiting).order_by("-pk").first()

    assert awaiting.status == Status.AWAITING_PAYMENT
    assert event.action == "request_payment"
    assert event.details == {"amount_vnd": 7000}


def test_a_dossier_paid_before_receipt_is_received_straight(
    submitted, citizen, officer, django_capture_on_commit_callbacks
):
    payment = start(submitted, citizen)
    receive(callback_body(payment), django_capture_on_commit_callbacks)

    dossier = dossier_services.dossier_receive(dossier=submitted, actor=officer)

    assert dossier.status == Status.RECEIVED


def test_a_free_dossier_is_received_straight(citizen, unit_a, officer):
    dossier = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )

    assert dossier.status == Status.RECEIVED
    assert DossierFee.objects.get(dossier=dossier).amount_vnd == 0


def test_an_unknown_fee_is_not_asked_for(citizen, unit_a, officer):
    from tests.procedures.factories import ProcedureFactory

    procedure = ProcedureFactory(fee_online_vnd=None, fee_counter_vnd=None)
    dossier = make_dossier(
        status=Status.RECEIVED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        procedure=procedure,
    )

    assert dossier.status == Status.RECEIVED
    assert DossierFee.objects.get(dossier=dossier).amount_vnd is None
    with pytest.raises(services.PaymentError):
        start(dossier, citizen)


# --- Starting ---------------------------------------------------------------------


def test_start_records_a_pending_attempt_with_a_signed_redirect(awaiting, citizen):
    payment = start(awaiting, citizen)

    assert payment.status == PaymentStatus.PENDING
    assert payment.amount_vnd == 7000
    assert payment.method == Method.ONLINE
    assert payment.order_id.startswith(awaiting.code + "-")
    assert payment.redirect_url.startswith("http://127.0.0.1:8000/paygate/pay/?")
    assert "signature=" in payment.redirect_url


def test_only_the_applicant_pays_online(awaiting, officer, other_citizen):
    with pytest.raises(services.PaymentNotAllowed):
        start(awaiting, officer)
    with pytest.raises(services.PaymentNotAllowed):
        start(awaiting, other_citizen)
    assert not Payment.objects.exists()


def test_a_paid_dossier_cannot_be_paid_again(
    awaiting, citizen, django_capture_on_commit_callbacks
):
    receive(callback_body(start(awaiting, citizen)), django_capture_on_commit_callbacks)

    with pytest.raises(services.PaymentError, match="đã được nộp"):
        start(awaiting, citizen)


def test_a_withdrawn_dossier_cannot_be_paid(awaiting, citizen):
    dossier_services.dossier_withdraw(dossier=awaiting, actor=citizen)

    with pytest.raises(services.PaymentError):
        start(awaiting, citizen)


# --- Callbacks ------------------------------------------------------------------------


def test_a_valid_callback_pays_once_and_the_dossier_moves_on(
    awaiting, citizen, django_capture_on_commit_callbacks
):
    payment = start(awaiting, citizen)

    row = receive(callback_body(payment), django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    awaiting.refresh_from_db()
    assert row.outcome == PaymentCallback.Outcome.ACCEPTED
    assert payment.status == PaymentStatus.PAID
    assert payment.gateway_transaction_id == "SBX20260101ABCDEF"
    assert payment.receipt_number.startswith("BN")
    assert awaiting.status == Status.RECEIVED
    confirm = Event.objects.get(dossier=awaiting, action="confirm_payment")
    assert confirm.actor is None
    assert confirm.details["reference"] == payment.receipt_number


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (lambda p: callback_body(p)[:-3] + b'00"}', "bad_signature"),
        (lambda p: callback_body(p).replace(b'"paid"', b'"PAID"'), "bad_signature"),
        (lambda p: callback_body(p, amount=1000), "amount_mismatch"),
        (lambda p: callback_body(p, currency="USD"), "currency_mismatch"),
        (lambda p: callback_body(p, order_id="000-KHONG-CO"), "unknown_order"),
        (lambda p: callback_body(p, merchant_id="KHAC"), "merchant_mismatch"),
        (lambda p: b"not json", "malformed"),
        (lambda p: b"[1, 2]", "malformed"),
    ],
    ids=[
        "tampered-signature",
        "tampered-field",
        "wrong-amount",
        "wrong-currency",
        "unknown-order",
        "other-merchant",
        "not-json",
        "not-an-object",
    ],
)
def test_a_bad_callback_is_refused_stored_and_logged(
    awaiting, citizen, body, reason, caplog, django_capture_on_commit_callbacks
):
    payment = start(awaiting, citizen)

    with caplog.at_level(logging.WARNING, logger="payments.services"):
        row = receive(body(payment), django_capture_on_commit_callbacks)

    payment.refresh_from_db()
    awaiting.refresh_from_db()
    assert row.outcome == PaymentCallback.Outcome.REFUSED
    assert row.reason == reason
    assert PaymentCallback.objects.filter(pk=row.pk).exists()
    assert payment.status == PaymentStatus.PENDING
    assert awaiting.status == Status.AWAITING_PAYMENT
    assert f"refused: {reason}" in caplog.text


def test_the_same_callback_five_times_is_one_payment_and_one_notification(
    awaiting, citizen, django_capture_on_commit_callbacks
):
    payment = start(awaiting, citizen)
    body = callback_body(payment)
    sms_before = OutboundSms.objects.count()

    outcomes = [
        receive(body, django_capture_on_commit_callbacks).outcome for _ in range(5)
    ]

    assert outcomes == ["accepted"] + ["unchanged"] * 4
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert PaymentCallback.objects.filter(kind="callback").count() == 5
    assert Event.objects.filter(dossier=awaiting, action="confirm_payment").count() == 1
    paid = Notification.objects.filter(recipient=citizen, event_key="payment.received")
    assert paid.count() == 1
    # One text message for the one notification (the citizen has a phone).
    assert OutboundSms.objects.count() == sms_before + 1


def test_a_failed_payment_is_recorded_and_a_later_replay_changes_nothing(
    awaiting, citizen, django_capture_on_commit_callbacks
):
    payment = start(awaiting, citizen)

    first = receive(
        callback_body(payment, status="failed"), django_capture_on_commit_callbacks
    )
    again = receive(
        callback_body(payment, status="failed"), django_capture_on_commit_callbacks
    )

    payment.refresh_from_db()
    assert (first.outcome, again.outcome) == ("accepted", "unchanged")
    assert payment.status == PaymentStatus.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_PAYMENT


def test_a_second_paid_attempt_is_refund_due_not_a_second_payment(
    awaiting, citizen, django_capture_on_commit_callbacks
):
    first = start(awaiting, citizen)
    second = start(awaiting, citizen)

    receive(callback_body(first), django_capture_on_commit_callbacks)
    receive(
        callback_body(second, transaction_id="SBX2"), django_capture_on_commit_callbacks
    )

    second.refresh_from_db()
    assert second.status == PaymentStatus.REFUND_DUE
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1


def test_the_database_refuses_two_paid_payments_of_one_dossier(awaiting, citizen):
    now = timezone.now()
    Payment.objects.create(
        dossier=awaiting,
        order_id="A",
        method="cash",
        amount_vnd=7000,
        status="paid",
        paid_at=now,
        created_by=citizen,
        created_at=now,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            dossier=awaiting,
            order_id="B",
            method="cash",
            amount_vnd=7000,
            status="paid",
            paid_at=now,
            created_by=citizen,
            created_at=now,
        )


# --- Deadlines ----------------------------------------------------------------------


def test_the_time_limit_does_not_run_while_waiting_for_payment(
    citizen, unit_a, officer, fee_procedure, django_capture_on_commit_callbacks
):
    # Received Monday 2026-03-02 09:00 with 3 working days: due Thursday 03-05.
    dossier = make_dossier(
        applicant=citizen,
        unit=unit_a,
        procedure=fee_procedure,
        now=at("2026-03-02 08:30"),
    )
    dossier = dossier_services.dossier_receive(
        dossier=dossier, actor=officer, now=at("2026-03-02 09:00")
    )
    assert timezone.localtime(dossier.due_at).date() == datetime.date(2026, 3, 5)
    payment = start(dossier, citizen)

    # Paid Wednesday: two working days waited (Tuesday, Wednesday).
    with time_machine.travel(at("2026-03-04 10:00"), tick=False):
        receive(callback_body(payment), django_capture_on_commit_callbacks)

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert timezone.localtime(dossier.due_at).date() == datetime.date(2026, 3, 9)
    assert "chờ nộp phí" in explain_steps(dossier.due_steps)


# --- Reconciliation -------------------------------------------------------------------


def test_a_lost_callback_is_completed_by_reconciliation(
    client, awaiting, citizen, settings, http, django_capture_on_commit_callbacks
):
    settings.PAYGATE_CALLBACK_LOSS_RATE = 1.0  # every callback is lost
    settings.PAYMENT_RECONCILE_AFTER_MINUTES = 10
    payment = start(awaiting, citizen)
    from urllib.parse import parse_qsl, urlsplit

    from paygate.models import SandboxOrder
    from paygate.services import order_accept, order_complete

    order = order_accept(dict(parse_qsl(urlsplit(payment.redirect_url).query)))
    with django_capture_on_commit_callbacks(execute=True):
        order_complete(order=order, action="pay")
    assert SandboxOrder.objects.get().callbacks.get().lost
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING  # nobody told the portal

    # Too early: nothing is asked.
    assert services.payments_reconcile() == 0
    later = timezone.now() + datetime.timedelta(minutes=11)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        asked = services.payments_reconcile()

    payment.refresh_from_db()
    awaiting.refresh_from_db()
    assert asked == 1
    assert payment.status == PaymentStatus.PAID
    assert awaiting.status == Status.RECEIVED
    query = PaymentCallback.objects.get(kind="query")
    assert query.outcome == "accepted"
    assert ("POST", "http://127.0.0.1:8000/paygate/api/query/") in http.calls


def test_the_periodic_task_reconciles(awaiting, citizen, settings, http):
    from payments.tasks import reconcile_payments

    payment = start(awaiting, citizen)
    settings.PAYMENT_EXPIRE_AFTER_MINUTES = 15
    later = timezone.now() + datetime.timedelta(minutes=16)

    with time_machine.travel(later, tick=False):
        reconcile_payments.delay()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    assert payment.last_checked_at is not None


def test_reconciliation_survives_a_gateway_that_does_not_answer(
    awaiting, citizen, http
):
    payment = start(awaiting, citizen)
    http.fail_with = __import__("requests").ConnectionError

    later = timezone.now() + datetime.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert services.payments_reconcile() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.last_checked_at is not None


def test_an_order_the_gateway_never_saw_expires(awaiting, citizen, settings, http):
    settings.PAYMENT_EXPIRE_AFTER_MINUTES = 60
    payment = start(awaiting, citizen)  # the citizen never opened the page

    with time_machine.travel(
        timezone.now() + datetime.timedelta(minutes=61), tick=False
    ):
        services.payments_reconcile()

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.EXPIRED
    row = PaymentCallback.objects.get(kind="query")
    assert (row.status_reported, row.outcome) == ("not_found", "unchanged")


def test_a_forged_query_answer_is_refused(awaiting, citizen, settings, http):
    payment = start(awaiting, citizen)
    settings.PAYGATE_SECRET = "the platform signs with another key"

    row = services.payment_sync(payment=payment)

    assert (row.outcome, row.reason) == ("refused", "bad_signature")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


# --- Cash at the counter ------------------------------------------------------------


def test_cash_at_the_counter_pays_and_moves_the_dossier_on(
    awaiting, officer, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        payment = services.payment_record_cash(
            dossier=awaiting, officer=officer, paper_receipt="0001234"
        )

    awaiting.refresh_from_db()
    assert payment.method == Method.CASH
    assert payment.status == PaymentStatus.PAID
    assert payment.amount_vnd == 7000
    assert payment.note == "Biên lai giấy số 0001234"
    assert awaiting.status == Status.RECEIVED
    event = Event.objects.get(dossier=awaiting, action="confirm_payment")
    assert event.actor == officer
    assert Notification.objects.filter(
        recipient=citizen, event_key="payment.received"
    ).exists()


def test_cash_is_recorded_only_by_a_receiving_officer_of_the_unit(
    awaiting, officer_other_commune, specialist
):
    for somebody in (officer_other_commune, specialist):
        with pytest.raises(services.PaymentNotAllowed):
            services.payment_record_cash(dossier=awaiting, officer=somebody)
    assert not Payment.objects.exists()


def test_cash_cannot_pay_twice(awaiting, officer):
    services.payment_record_cash(dossier=awaiting, officer=officer)

    with pytest.raises(services.PaymentError):
        services.payment_record_cash(dossier=awaiting, officer=officer)


# --- What the dashboards count ------------------------------------------------------


def _payment_figures(start: str, end: str) -> dict[str, object]:
    from dashboards.selectors import Filters, Scope, selection_resolve, stats_summary

    filters = Filters(
        start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end)
    )
    summary = stats_summary(
        selection=selection_resolve(scope=Scope(everything=True), filters=filters)
    )
    return {
        key: summary[key]
        for key in ("fee_dossiers", "paid_online", "online_payment_rate")
    }


def test_an_online_payment_counts_on_the_dossiers_receipt_day_and_cash_does_not(
    citizen, unit_a, officer, fee_procedure, django_capture_on_commit_callbacks
):
    """Received in March, paid in April: March's figure counts the online one
    (the day the dashboard's note names), April's counts nothing."""
    with time_machine.travel(at("2024-03-04 09:00"), tick=False):
        online, cash = (
            dossier_services.dossier_receive(
                dossier=make_dossier(
                    applicant=citizen, unit=unit_a, procedure=fee_procedure
                ),
                actor=officer,
            )
            for _ in range(2)
        )
    with time_machine.travel(at("2024-04-10 10:00"), tick=False):
        payment = start(online, citizen)
        receive(callback_body(payment), django_capture_on_commit_callbacks)
        services.payment_record_cash(dossier=cash, officer=officer)

    online.refresh_from_db()
    cash.refresh_from_db()
    assert (online.paid_online, cash.paid_online) == (True, False)
    assert _payment_figures("2024-03-01", "2024-03-31") == {
        "fee_dossiers": 2,
        "paid_online": 1,
        "online_payment_rate": 0.5,
    }
    assert _payment_figures("2024-04-01", "2024-04-30") == {
        "fee_dossiers": 0,
        "paid_online": 0,
        "online_payment_rate": None,
    }


def test_a_dossier_paid_online_before_receipt_counts_once_received(
    submitted, citizen, officer, django_capture_on_commit_callbacks
):
    payment = start(submitted, citizen)
    receive(callback_body(payment), django_capture_on_commit_callbacks)
    assert _payment_figures("2020-01-01", "2030-12-31")["paid_online"] == 0

    dossier_services.dossier_receive(dossier=submitted, actor=officer)

    assert _payment_figures("2020-01-01", "2030-12-31")["paid_online"] == 1


def test_a_query_with_no_address_known_leaves_the_payment_pending(
    awaiting, citizen, settings, http
):
    # Beat's reconciliation, the sandbox gateway by default and no PORTAL_URL: no
    # address to guess, so nothing is sent and the page's own check does it later.
    payment = start(awaiting, citizen)
    settings.PORTAL_URL = ""
    settings.PAYMENT_GATEWAY_URL = ""

    assert services.payment_sync(payment=payment) is None

    assert http.calls == []
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_query_on_the_worker_goes_to_the_address_its_task_carries(
    awaiting, citizen, settings, http
):
    from types import SimpleNamespace

    from accounts.addresses import adopt_origin

    payment = start(awaiting, citizen)
    settings.PORTAL_URL = ""
    settings.PAYMENT_GATEWAY_URL = ""
    adopt_origin(
        task=SimpleNamespace(
            request=SimpleNamespace(portal_origin="http://127.0.0.1:8123")
        )
    )
    try:
        services.payment_sync(payment=payment)
    finally:
        adopt_origin(task=SimpleNamespace(request=SimpleNamespace()))

    assert http.calls == [("POST", "http://127.0.0.1:8123/paygate/api/query/")]


def test_the_assessment_is_read_once_per_dossier_object_as_dossier_fee_gives_it(
    submitted, django_assert_num_queries
):
    """`dossier_fee` (a read compiled once, decision 336) gives what `dossier.fee`
    gives, and leaves it cached there, absent included."""
    from dossiers.models import Dossier
    from payments.selectors import dossier_fee

    expected = DossierFee.objects.get(dossier=submitted)
    dossier = Dossier.objects.get(pk=submitted.pk)
    with django_assert_num_queries(1):
        fee = dossier_fee(dossier=dossier)
        assert dossier_fee(dossier=dossier) is fee
        assert dossier.fee is fee
        assert fee.dossier is dossier
    assert (fee.pk, fee.amount_vnd, fee.channel) == (
        expected.pk,
        expected.amount_vnd,
        expected.channel,
    )

    expected.delete()
    dossier = Dossier.objects.get(pk=submitted.pk)
    with django_assert_num_queries(1):
        assert dossier_fee(dossier=dossier) is None
        assert dossier_fee(dossier=dossier) is None
        with pytest.raises(DossierFee.DoesNotExist):
            dossier.fee  # noqa: B018 - Django's own cached answer
    assert dossier_fee(dossier=Dossier(procedure=submitted.procedure)) is None
