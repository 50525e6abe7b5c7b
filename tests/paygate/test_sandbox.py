"""The sandbox national payment platform behaves like a remote one: it checks
the merchant's signature, pays once, signs what it says, calls back late, now
and then never, and retries a callback the merchant did not acknowledge."""

import random
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from paygate import services
from paygate.models import CallbackAttempt, OrderStatus, SandboxOrder
from paygate.signing import sign, verify
from tests.http import DjangoClientAdapter, session_with

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on(settings):
    settings.PAYGATE_ENABLED = True
    settings.PAYGATE_CALLBACK_LOSS_RATE = 0.0


@pytest.fixture
def http(monkeypatch):
    adapter = DjangoClientAdapter()
    monkeypatch.setattr("paygate.services.http_session", lambda: session_with(adapter))
    return adapter


def order_params(**changes):
    fields = {
        "merchant_id": settings.PAYGATE_MERCHANT_ID,
        "order_id": "DON-0001",
        "amount": "7000",
        "currency": "VND",
        "description": "Phí hồ sơ",
        "return_url": "http://merchant.test/back/",
        "callback_url": "http://merchant.test/callback/",
        "created_at": "2026-03-02T09:00:00+07:00",
    }
    fields.update(changes)
    fields["signature"] = sign(fields, settings.PAYGATE_SECRET)
    return fields


def test_the_payment_page_shows_a_signed_order(client):
    response = client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))

    assert response.status_code == 200
    assert "7.000 VND" in response.text
    assert "Thanh toán" in response.text
    assert SandboxOrder.objects.get().status == OrderStatus.PENDING


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({**order_params(), "amount": "1"}, "bad_signature"),
        (order_params(merchant_id="KHAC"), "unknown_merchant"),
        (order_params(currency="USD"), "bad_amount"),
        (order_params(callback_url="javascript:alert(1)"), "bad_url"),
        ({"order_id": "x"}, "missing_fields"),
    ],
)
def test_a_bad_request_is_refused(client, params, reason):
    response = client.get(reverse("paygate:pay") + "?" + urlencode(params))

    assert response.status_code == 400
    assert reason in response.text
    assert not SandboxOrder.objects.exists()


def test_the_same_order_id_with_another_amount_is_refused(client):
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))

    again = client.get(
        reverse("paygate:pay") + "?" + urlencode(order_params(amount="9000"))
    )

    assert again.status_code == 400
    assert "order_changed" in again.text


def test_paying_calls_the_merchant_back_signed_and_returns_the_payer(
    client, http, django_capture_on_commit_callbacks
):
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    order = SandboxOrder.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("paygate:order-complete", args=[order.token]), {"action": "pay"}
        )

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.transaction_id.startswith("SBX")
    back = urlsplit(response["Location"])
    assert back.netloc == "merchant.test"
    returned = dict(parse_qsl(back.query))
    assert returned["status"] == "paid"
    assert verify(returned, settings.PAYGATE_SECRET)
    assert http.calls[0] == ("POST", "http://merchant.test/callback/")
    # The merchant (here: nobody at that path) never answered 2xx: retried.
    attempts = CallbackAttempt.objects.filter(order=order)
    assert attempts.count() == settings.PAYGATE_CALLBACK_ATTEMPTS
    assert {a.response_status for a in attempts} == {404}


def test_a_second_press_changes_nothing(client):
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    order = SandboxOrder.objects.get()
    url = reverse("paygate:order-complete", args=[order.token])

    client.post(url, {"action": "cancel"})
    client.post(url, {"action": "pay"})

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED


def test_unacknowledged_callbacks_are_retried_a_set_number_of_times(
    client, http, settings, django_capture_on_commit_callbacks
):
    settings.PAYGATE_CALLBACK_ATTEMPTS = 3
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    order = SandboxOrder.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("paygate:order-complete", args=[order.token]), {"action": "pay"}
        )

    attempts = list(order.callbacks.order_by("attempt"))
    assert [a.attempt for a in attempts] == [1, 2, 3]
    assert [a.delay_seconds for a in attempts[1:]] == [10.0, 20.0]
    assert len(http.calls) == 3


def test_a_lost_callback_is_recorded_and_never_sent(
    client, http, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PAYGATE_CALLBACK_LOSS_RATE = 0.5
    rng = random.Random(1)
    monkeypatch.setattr(services, "rng", rng)
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    order = SandboxOrder.objects.get()
    # Seeded: the same draws every run.
    expected = random.Random(1)
    delay = expected.uniform(
        settings.PAYGATE_CALLBACK_DELAY_MIN_SECONDS,
        settings.PAYGATE_CALLBACK_DELAY_MAX_SECONDS,
    )
    lost = expected.random() < 0.5

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("paygate:order-complete", args=[order.token]), {"action": "pay"}
        )

    first = order.callbacks.get(attempt=1)
    assert first.delay_seconds == pytest.approx(delay)
    assert first.lost is lost
    assert (http.calls == []) is lost


def test_the_status_query_answers_signed(client):
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    request = {
        "merchant_id": settings.PAYGATE_MERCHANT_ID,
        "order_id": "DON-0001",
        "timestamp": "2026-03-02T09:01:00+07:00",
    }
    request["signature"] = sign(request, settings.PAYGATE_SECRET)
    unknown = {**request, "order_id": "KHONG-CO"}
    unknown["signature"] = sign(
        {k: v for k, v in unknown.items() if k != "signature"}, settings.PAYGATE_SECRET
    )

    known = client.post(
        reverse("paygate:query"), request, content_type="application/json"
    )
    missing = client.post(
        reverse("paygate:query"), unknown, content_type="application/json"
    )
    forged = client.post(
        reverse("paygate:query"),
        {**request, "signature": "0" * 64},
        content_type="application/json",
    )

    assert known.status_code == 200
    assert known.json()["status"] == "pending"
    assert verify(known.json(), settings.PAYGATE_SECRET)
    assert missing.json()["status"] == "not_found"
    assert forged.status_code == 401


def test_off_unless_enabled(client, settings):
    settings.PAYGATE_ENABLED = False

    assert client.get(reverse("paygate:pay")).status_code == 404
    assert (
        client.post(
            reverse("paygate:query"), "{}", content_type="application/json"
        ).status_code
        == 404
    )


def test_the_platform_imports_none_of_the_portals_apps():
    import ast
    from pathlib import Path

    portal_apps = {
        "units",
        "agencies",
        "accounts",
        "idp",
        "procedures",
        "dossiers",
        "notifications",
        "payments",
        "chains",
        "dashboards",
        "portal",
    }
    for path in Path(settings.BASE_DIR, "paygate").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module.split(".")[0] not in portal_apps, path
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in portal_apps, path


def test_paying_while_the_broker_is_down_still_returns_the_payer(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    import logging

    from kombu.exceptions import OperationalError

    from paygate import tasks

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")

    monkeypatch.setattr(tasks.send_callback, "apply_async", refused)
    client.get(reverse("paygate:pay") + "?" + urlencode(order_params()))
    order = SandboxOrder.objects.get()

    with (
        caplog.at_level(logging.WARNING, logger="paygate.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("paygate:order-complete", args=[order.token]), {"action": "pay"}
        )

    assert response.status_code == 302
    assert urlsplit(response["Location"]).netloc == "merchant.test"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID  # the payment stands
    assert "broker unreachable" in caplog.text
