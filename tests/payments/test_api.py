"""The payment API: start a payment, read it, and the gateway's callback."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers.models import Status
from payments.models import Payment, PaymentCallback
from tests.payments.helpers import callback_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def create_url(dossier):
    return reverse("payments-api:dossier-payment-create", args=[dossier.code])


def test_the_applicant_starts_a_payment(api, citizen, awaiting):
    api.force_authenticate(citizen)

    response = api.post(create_url(awaiting))

    assert response.status_code == 201
    payment = Payment.objects.get()
    assert response.json() == {
        "payment_id": payment.pk,
        "redirect_url": payment.redirect_url,
    }
    assert payment.redirect_url.startswith("http://127.0.0.1:8000/paygate/pay/?")
    assert (
        "callback_url=http%3A%2F%2Ftestserver%2Fapi%2Fv1%2Fpayments%2Fcallback%2F"
        in (payment.redirect_url)
    )


def test_starting_is_404_for_another_citizen_403_for_an_officer_401_anonymous(
    api, other_citizen, officer, awaiting
):
    assert api.post(create_url(awaiting)).status_code == 401
    api.force_authenticate(other_citizen)
    assert api.post(create_url(awaiting)).status_code == 404
    api.force_authenticate(officer)
    assert api.post(create_url(awaiting)).status_code == 403
    assert not Payment.objects.exists()


def test_a_free_dossier_cannot_be_paid(api, citizen, unit_a):
    from tests.dossiers.factories import make_dossier

    dossier = make_dossier(applicant=citizen, unit=unit_a)
    api.force_authenticate(citizen)

    response = api.post(create_url(dossier))

    assert response.status_code == 409
    assert "không phải nộp" in response.json()["detail"]


def test_reading_a_payment_follows_the_dossier_access(
    api, citizen, other_citizen, officer, officer_other_commune, awaiting
):
    api.force_authenticate(citizen)
    payment_id = api.post(create_url(awaiting)).json()["payment_id"]
    url = reverse("payments-api:payment-detail", args=[payment_id])

    own = api.get(url)
    assert own.status_code == 200
    assert own.json()["status"] == "pending"
    assert own.json()["amount_vnd"] == 7000
    assert own.json()["dossier"] == awaiting.code
    assert own.json()["receipt_url"] is None
    api.force_authenticate(officer)
    assert api.get(url).status_code == 200
    for stranger in (other_citizen, officer_other_commune):
        api.force_authenticate(stranger)
        assert api.get(url).status_code == 404


def test_the_callback_endpoint_pays_and_refuses(
    api, citizen, awaiting, django_capture_on_commit_callbacks
):
    api.force_authenticate(citizen)
    payment = Payment.objects.get(
        pk=api.post(create_url(awaiting)).json()["payment_id"]
    )
    anonymous = APIClient()
    url = reverse("payments-api:payment-callback")

    bad = anonymous.post(
        url, callback_body(payment, amount=1), content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        good = anonymous.post(
            url, callback_body(payment), content_type="application/json"
        )
    again = anonymous.post(url, callback_body(payment), content_type="application/json")

    assert (bad.status_code, bad.json()) == (
        400,
        {"result": "refused", "reason": "amount_mismatch"},
    )
    assert (good.status_code, good.json()) == (200, {"result": "accepted"})
    assert (again.status_code, again.json()) == (200, {"result": "unchanged"})
    awaiting.refresh_from_db()
    assert awaiting.status == Status.RECEIVED
    assert PaymentCallback.objects.filter(kind="callback").count() == 3
    api.force_authenticate(citizen)
    detail = api.get(reverse("payments-api:payment-detail", args=[payment.pk])).json()
    assert detail["status"] == "paid"
    assert detail["receipt_url"] == reverse(
        "payments:payment-receipt", args=[awaiting.code]
    )


def test_the_callback_needs_no_csrf_token_and_no_login(citizen, awaiting):
    from django.test import Client

    from payments.services import payment_start

    payment = payment_start(
        dossier=awaiting, user=citizen, return_url="http://x/", callback_url="http://x/"
    )
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("payments-api:payment-callback"),
        callback_body(payment),
        content_type="application/json",
    )

    assert response.status_code == 200
